// App links (tba-wizard://start?connector=…&account=…) are read and checked in Rust; this window
// never sees a link's text. It hears what happened and, when a link would replace the wizard's
// progress, asks the user and answers with the id of the link Rust is holding.

import { listen } from "@tauri-apps/api/event";
import { api, messageOf } from "./api";
import type { LinkEvent } from "./bindings";
import { confirmDialog } from "./dialog";
import { el } from "./dom";
import type { View } from "./types";
import { note } from "./widgets";

export interface AppLinkHooks {
  /** Show this view as the wizard: a link opened or changed it. */
  show(view: View): void;
  /** Say something through the window's live region. */
  announce(text: string): void;
}

const EVENT = "tba://app-link";

let hooks: AppLinkHooks | null = null;
/** The confirm dialog of a link still waiting, so a newer link can take its place. */
let asking: HTMLDialogElement | null = null;

/** Starts listening; links that arrived before the page loaded (e.g. the one it was launched with) come now. */
export function initAppLinks(h: AppLinkHooks): void {
  hooks = h;
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
    hooks?.show(view);
    hooks?.announce(message);
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
    hooks?.announce("The link was not opened. Your progress is as it was.");
    return;
  }
  try {
    const view = await api.linkApply(id);
    dismissNotice();
    hooks?.show(view);
    hooks?.announce(opened);
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

// ------------------------------------------------------------------ the refusal notice

let notice: HTMLElement | null = null;

function dismissNotice(): void {
  const had = notice?.contains(document.activeElement) ?? false;
  notice?.remove();
  notice = null;
  if (had) document.querySelector<HTMLElement>("#main")?.focus();
}

/** A refused link: said at once (role="alert"), and stays until dismissed; nothing else changed. */
function showNotice(message: string): void {
  dismissNotice();
  const dismiss = el("button", {
    class: "btn btn-small",
    testid: "app-link-notice-dismiss",
    attrs: { type: "button" },
    text: "Dismiss",
  });
  const box = note(
    "error",
    [
      el("p", { class: "app-link-notice-title", text: "Link not opened" }),
      el("p", { testid: "app-link-notice-text", text: message }),
      el("div", { class: "app-link-notice-actions" }, [dismiss]),
    ],
    "app-link-notice",
  );
  box.classList.add("app-link-notice");
  dismiss.addEventListener("click", () => dismissNotice());
  box.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") {
      ev.preventDefault();
      dismissNotice();
    }
  });
  // First in the page, so it is also first in the keyboard order.
  document.body.prepend(box);
  notice = box;
}
