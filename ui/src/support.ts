// The "Support" control in the window's frame: copy or save the diagnostics report that a customer
// sends to support. It lives in the frame, not in a screen, so it is one click away on every screen,
// the start screen included. Rust builds the report; the window never sees its text, only where it went.

import { api, messageOf } from "./api";
import { el } from "./dom";
import { button } from "./widgets";

export function supportControl(): HTMLElement {
  const status = el("p", {
    class: "support-status",
    testid: "support-status",
    attrs: { role: "status", "aria-live": "polite" },
  });

  let buttons: HTMLButtonElement[] = [];
  const run = async (work: () => Promise<string>): Promise<void> => {
    // Disabling the pressed button drops focus to the page's body; it goes back to that button after.
    const pressed = document.activeElement;
    for (const b of buttons) b.disabled = true;
    status.classList.remove("is-error");
    status.textContent = "Gathering diagnostics…";
    try {
      status.textContent = await work();
    } catch (e) {
      status.classList.add("is-error");
      status.textContent = messageOf(e);
    } finally {
      for (const b of buttons) b.disabled = false;
      if (pressed instanceof HTMLButtonElement && buttons.includes(pressed)) pressed.focus();
    }
  };

  const copy = button(
    "Copy diagnostics",
    () =>
      void run(async () => {
        await api.copyDiagnostics();
        return "Diagnostics copied — no secrets are included.";
      }),
    { testid: "support-copy", variant: "small", icon: "copy", describedBy: "support-about" },
  );
  const save = button(
    "Save diagnostics",
    () =>
      void run(async () => {
        const saved = await api.saveDiagnostics();
        return `Saved to ${saved.path}`;
      }),
    { testid: "support-save", variant: "small", describedBy: "support-about" },
  );
  buttons = [copy, save];

  return el("details", { class: "support", testid: "support" }, [
    el("summary", { class: "support-summary", testid: "support-toggle", text: "Support" }),
    el("div", { class: "support-body" }, [
      el("p", {
        class: "support-about",
        attrs: { id: "support-about" },
        text: "Versions, steps and the last test, for support. Never a secret.",
      }),
      el("div", { class: "support-actions" }, [copy, save]),
      status,
    ]),
  ]);
}
