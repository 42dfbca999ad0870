// The wizard's own moves: take a view from Rust, run one command at a time, Back and Next, the end.

import { api, messageOf } from "../../api";
import type { TestId } from "../../testids";
import type { ScreenId } from "../../bindings";
import type { View } from "../../types";
import { freshLocal } from "../local";
import { announce, navigate, state, update, updateLocal, type State } from "../store";
import { toHome } from "./home";
import { startContinue, toStart } from "./start";

/** Take a new view from Rust; a different screen starts with a clean slate and focus on its heading. */
export function setView(next: View, opts: { navigated?: boolean; focus?: TestId | null } = {}): void {
  const s = state();
  const newId = next.current?.id ?? null;
  const changed = newId !== s.local.screenId;
  const patch: Partial<State> = { view: next };
  if (changed) patch.local = freshLocal(newId);
  if (opts.focus !== undefined) patch.focus = opts.focus;
  if ((opts.navigated ?? false) || (changed && s.mode === "wizard")) navigate(patch);
  else update(patch);
}

export function showError(e: unknown, focus: TestId | null = null): void {
  const text = messageOf(e);
  updateLocal(() => ({ error: text }));
  if (focus) update({ focus });
  announce(text);
}

/**
 * Ticks and picks are queued, never dropped: each one is saved by Rust in the order it was made.
 * Navigation waits for the queue (it is ignored while anything is in flight).
 */
let queue: Promise<void> = Promise.resolve();
let queued = 0;

export function enqueue(command: () => Promise<View>, settled: () => void = () => {}): void {
  queued += 1;
  queue = queue.then(async () => {
    try {
      if (state().local.error !== null) updateLocal(() => ({ error: null }));
      setView(await command());
    } catch (e) {
      showError(e);
    } finally {
      // In the same turn as the new view, so both are drawn together.
      settled();
      queued -= 1;
    }
  });
}

/** Runs one command that answers with a view; errors show at the top of the screen. */
export async function act(command: () => Promise<View>): Promise<void> {
  if (queued > 0) await queue;
  if (state().busy) return;
  update({ busy: true });
  try {
    updateLocal(() => ({ error: null }));
    setView(await command());
  } catch (e) {
    showError(e);
  } finally {
    update({ busy: false });
  }
}

export function goto(screen: ScreenId): void {
  if (state().local.test.running) return;
  void act(() => api.goto(screen));
}

// ------------------------------------------------------------------ footer

export function next(): void {
  const s = state();
  if (s.mode === "home") {
    toStart();
    return;
  }
  if (s.mode === "start" || !s.view.active) {
    void startContinue();
    return;
  }
  if (s.local.test.running) return;
  const last = s.view.current?.id === s.view.screens[s.view.screens.length - 1]?.id;
  if (last) {
    void finish();
    return;
  }
  void act(() => api.next());
}

export function back(): void {
  const s = state();
  if (s.mode === "start" || s.mode === "home" || s.local.test.running) return;
  if (!s.view.can_back) {
    if (s.view.journey !== "setup") void toHome();
    else toStart();
    return;
  }
  void act(() => api.back());
}

async function finish(): Promise<void> {
  const s = state();
  if (s.busy) return;
  if (s.view.journey !== "setup") {
    const title = s.view.journey_title ?? "The journey";
    const label = s.view.connection?.label ?? "";
    update({ busy: true });
    try {
      const done = await api.next();
      update({ view: done, busy: false });
      await toHome(`${title}: done for “${label}”.`);
    } catch (e) {
      showError(e);
    } finally {
      update({ busy: false });
    }
    return;
  }
  update({ busy: true });
  try {
    const finished = await api.next();
    const who = finished.profile?.name ?? "The connector";
    const account = finished.account ? ` for account ${finished.account.id}` : "";
    const done = `${who} is set up${account}.`;
    // The connection is saved: its card on the home screen offers the hand-off again, so the
    // finished setup is not kept as something to resume.
    const reset = await api.reset();
    update({ view: reset, startStatus: "", startSelected: null, busy: false });
    await toHome(done);
  } catch (e) {
    showError(e);
  } finally {
    update({ busy: false });
  }
}
