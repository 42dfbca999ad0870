// A confirmation dialog: a modal <dialog> (focus stays inside, Esc cancels, Enter presses the focused
// button). The safe choice has focus when it opens. It is drawn by Preact into a host of its own at the
// end of the body, outside the app's tree, and removed when answered.

import "./dialog.css";

import { render } from "preact";
import type { TestId } from "../testids";

export interface ConfirmOptions {
  title: string;
  body: string;
  confirm: string;
  cancel: string;
  /** The confirm button is styled as destructive. */
  danger?: boolean;
  testid?: TestId;
}

function ConfirmDialog({ opts, answer }: { opts: ConfirmOptions; answer: (ok: boolean) => void }) {
  return (
    <dialog
      class="dialog"
      data-testid={opts.testid ?? "dialog"}
      aria-labelledby="dialog-title"
      aria-describedby="dialog-body"
      onCancel={(ev) => {
        // Esc: the browser fires "cancel" on a modal dialog.
        ev.preventDefault();
        answer(false);
      }}
      onKeyDown={(ev) => {
        if (ev.key === "Escape") {
          ev.preventDefault();
          answer(false);
        }
      }}
    >
      <h2 class="dialog-title" id="dialog-title">
        {opts.title}
      </h2>
      <p class="dialog-body" id="dialog-body">
        {opts.body}
      </p>
      <div class="dialog-actions">
        <button type="button" class="btn" data-testid="dialog-cancel" onClick={() => answer(false)}>
          {opts.cancel}
        </button>
        <button
          type="button"
          class={`btn ${opts.danger ? "btn-danger" : "btn-primary"}`}
          data-testid="dialog-confirm"
          onClick={() => answer(true)}
        >
          {opts.confirm}
        </button>
      </div>
    </dialog>
  );
}

export function confirmDialog(opts: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const host = document.createElement("div");
    document.body.appendChild(host);
    let answered = false;
    const answer = (ok: boolean) => {
      if (answered) return;
      answered = true;
      const dialog = host.querySelector("dialog");
      if (dialog?.open) dialog.close();
      render(null, host);
      host.remove();
      if (previous && previous.isConnected) previous.focus();
      resolve(ok);
    };
    // Drawn at once, so a caller can find the dialog by its test id as soon as this returns.
    render(<ConfirmDialog opts={opts} answer={answer} />, host);
    host.querySelector("dialog")?.showModal();
    host.querySelector<HTMLButtonElement>('[data-testid="dialog-cancel"]')?.focus();
  });
}
