// A confirmation dialog: a modal <dialog> (focus stays inside, Esc cancels, Enter presses the focused
// button). The safe choice has focus when it opens.

import type { TestId } from "./testids";
import { el } from "./dom";

export interface ConfirmOptions {
  title: string;
  body: string;
  confirm: string;
  cancel: string;
  /** The confirm button is styled as destructive. */
  danger?: boolean;
  testid?: TestId;
}

export function confirmDialog(opts: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const titleId = "dialog-title";
    const bodyId = "dialog-body";
    const cancel = el("button", {
      class: "btn",
      testid: "dialog-cancel",
      attrs: { type: "button" },
      text: opts.cancel,
    });
    const confirm = el("button", {
      class: `btn ${opts.danger ? "btn-danger" : "btn-primary"}`,
      testid: "dialog-confirm",
      attrs: { type: "button" },
      text: opts.confirm,
    });
    const dialog = el(
      "dialog",
      {
        class: "dialog",
        testid: opts.testid ?? "dialog",
        attrs: { "aria-labelledby": titleId, "aria-describedby": bodyId },
      },
      [
        el("h2", { class: "dialog-title", attrs: { id: titleId }, text: opts.title }),
        el("p", { class: "dialog-body", attrs: { id: bodyId }, text: opts.body }),
        el("div", { class: "dialog-actions" }, [cancel, confirm]),
      ],
    );
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    let answered = false;
    const finish = (answer: boolean) => {
      if (answered) return;
      answered = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      if (previous && previous.isConnected) previous.focus();
      resolve(answer);
    };
    cancel.addEventListener("click", () => finish(false));
    confirm.addEventListener("click", () => finish(true));
    // Esc: the browser fires "cancel" on a modal dialog.
    dialog.addEventListener("cancel", (ev) => {
      ev.preventDefault();
      finish(false);
    });
    dialog.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") {
        ev.preventDefault();
        finish(false);
      }
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
