// App links (tba-wizard://start?connector=…&account=…) are read and checked in Rust; this window
// never sees a link's text. It hears what happened and, when a link would replace the wizard's
// progress, asks the user and answers with the id of the link Rust is holding.

import { listen } from "@tauri-apps/api/event";
import { api, messageOf } from "../../api";
import type { LinkEvent } from "../../bindings";
import { confirmDialog } from "../../components/dialog";
import { announce, state, update } from "../store";
import { enterWizard } from "../navigation";

const EVENT = "tba://app-link";

/** The confirm dialog of a link still waiting, so a newer link can take its place. */
let asking: HTMLDialogElement | null = null;

/** Starts listening; links that arrived before the page loaded (e.g. the one it was launched with) come now. */
export function initAppLinks(): void {
  void (async () => {
    try {
      await listen<LinkEvent>(EVENT, (event) => void handle(event.payload));
      const earlier = await api.linkReady();
      for (const event of earlier) await handle(event);
    } catch {
      // A plain browser without Tauri (the UI preview): there are no links to hear about.
    }
  })();
}

async function handle(event: LinkEvent): Promise<void> {
  switch (event.kind) {
    case "opened":
      await showCurrent(event.message);
      return;
    case "refused":
      showNotice(event.message);
      return;
    case "confirm":
      await confirm(event.id, event.title, event.message, event.opened);
      return;
  }
}

async function showCurrent(message: string): Promise<void> {
  try {
    const view = await api.view();
    dismissNotice();
    show(view);
    announce(message);
  } catch (e) {
    showNotice(messageOf(e));
  }
}

async function confirm(id: number, title: string, body: string, opened: string): Promise<void> {
  // Rust holds one link at a time: an older question is withdrawn.
  asking?.dispatchEvent(new Event("cancel", { cancelable: true }));
  const answer = confirmDialog({
    title,
    body,
    confirm: "Open the link",
    cancel: "Keep my progress",
    danger: true,
    testid: "confirm-app-link",
  });
  const dialog = document.querySelector<HTMLDialogElement>('[data-testid="confirm-app-link"]');
  asking = dialog;
  const ok = await answer;
  if (asking === dialog) asking = null;
  if (!ok) {
    announce("The link was not opened. Your progress is as it was.");
    return;
  }
  try {
    const view = await api.linkApply(id);
    dismissNotice();
    show(view);
    announce(opened);
  } catch (e) {
    showNotice(errorText(e));
  }
}

/** Commands fail with `{code, message}`. */
function errorText(raw: unknown): string {
  if (typeof raw === "object" && raw !== null && typeof (raw as { message?: unknown }).message === "string") {
    return (raw as { message: string }).message;
  }
  return messageOf(raw);
}

/** A link opened or changed the wizard: show it, as if the user had chosen it. */
function show(view: Parameters<typeof enterWizard>[0]): void {
  if (state().local.test.running) return;
  update({ startSelected: null, startStatus: "" });
  enterWizard(view);
}

// ------------------------------------------------------------------ the refusal notice

/** The notice is drawn by screens/shell/LinkNotice.tsx, first in the page (and so in the keyboard order). */
export function dismissNotice(): void {
  if (state().linkNotice === null) return;
  const had = document.querySelector('[data-testid="app-link-notice"]')?.contains(document.activeElement) ?? false;
  update({ linkNotice: null });
  if (had) document.querySelector<HTMLElement>("#main")?.focus();
}

/** A refused link: said at once (role="alert"), and stays until dismissed; nothing else changed. */
function showNotice(message: string): void {
  // A new notice each time (its own key), so a second refusal is said again even with the same words.
  update((s) => ({ linkNotice: { text: message, n: (s.linkNotice?.n ?? 0) + 1 } }));
}
