// Moving between the window's modes (start, home, the wizard) and taking a view from Rust. Every action
// module uses these; none imports another action module.

import { api, messageOf } from "../api";
import type { TestId } from "../testids";
import type { ScreenId } from "../bindings";
import type { HomeView, View } from "../types";
import { freshLocal } from "./local";
import { announce, navigate, state, update, updateLocal, type State } from "./store";

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

export async function loadHome(): Promise<HomeView> {
  try {
    return await api.home();
  } catch (e) {
    return { cards: [], summary: null, setup: null, journey: null, problem: messageOf(e) };
  }
}

/** The home screen, with `status` above the cards: a success, or (`info`) neutral news such as a
 * journey stopped with nothing changed, which is not a success. */
export async function toHome(status = "", kind: "ok" | "info" = "ok"): Promise<void> {
  const s = state();
  if (s.local.test.running || s.busy) return;
  const home = await loadHome();
  navigate({ home, homeStatus: status ? { kind, text: status } : null, mode: "home" });
  if (status) announce(status);
}

export function toStart(): void {
  const s = state();
  // Not while a journey is starting from a home card: its screen would replace the start screen.
  if (s.busy || s.local.test.running || s.homeTesting) return;
  navigate({ mode: "start", startSelected: null, startStatus: "" });
}

/** The wizard left half-way, where it was. */
export function resume(): void {
  const v = state().view;
  if (!v.active || !v.current) return;
  navigate({ mode: "wizard", local: freshLocal(v.current.id) });
}

/** Into the wizard with a view Rust just gave (a new setup, a journey, an app link). */
export function enterWizard(next: View): void {
  update({ mode: "wizard", local: freshLocal(null) });
  setView(next, { navigated: true });
}
