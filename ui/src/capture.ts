// Taking the values NetSuite shows only once. "Paste" makes Rust read the clipboard, save the value
// in the keyring and clear the clipboard; the window only ever learns the fingerprint. The password
// field is a fallback for typing, emptied as soon as its value is sent.

import { el, srOnly } from "./dom";
import type { Actions, Local } from "./local";
import type { CaptureView, ScreenView } from "./types";
import { button, fingerprintChip, section } from "./widgets";

export function renderCaptures(screen: ScreenView, local: Local, actions: Actions): HTMLElement {
  const cards = screen.captures.map((c) => captureCard(c, local, actions));
  return section("Save what NetSuite shows once", cards, {
    testid: "captures",
    class: "block-captures",
    lead:
      "Copy each value on NetSuite's page, then press its Paste button here. The wizard takes it from the clipboard straight into your system keyring and empties the clipboard. The value is never shown, here or anywhere.",
  });
}

function captureCard(c: CaptureView, local: Local, actions: Actions): HTMLElement {
  const f = c.field;
  const msg = local.capture[f];
  const statusId = `cap-${f}-status`;

  const status = c.fingerprint
    ? el("p", { class: "cap-status is-saved", testid: `capture-${f}-status`, attrs: { id: statusId } }, [
        el("span", { class: "cap-tick", attrs: { "aria-hidden": "true" } }),
        "Saved to the keyring · ",
        fingerprintChip(c.fingerprint),
      ])
    : el("p", {
        class: "cap-status",
        testid: `capture-${f}-status`,
        attrs: { id: statusId },
        text: "Not saved yet",
      });

  const paste = button(c.fingerprint ? `Paste ${c.label} again` : `Paste ${c.label}`, () => actions.paste(f), {
    testid: `paste-${f}`,
    variant: c.fingerprint ? "secondary" : "primary",
    icon: "paste",
    describedBy: statusId,
  });

  const messages: Node[] = [];
  if (msg) {
    messages.push(
      el(
        "div",
        { class: `cap-msg cap-${msg.kind}`, testid: `capture-${f}-message`, attrs: { role: msg.kind === "error" ? "alert" : null } },
        [
          el("p", { text: msg.message }),
          msg.warnings.length
            ? el(
                "ul",
                { class: "cap-warnings", testid: `capture-${f}-warnings` },
                msg.warnings.map((w) => el("li", { text: w })),
              )
            : null,
        ],
      ),
    );
  }

  // The fallback: a password field, for when the clipboard cannot be used.
  const inputId = `type-${f}-input`;
  const pw = el("input", {
    class: "text-input",
    testid: `type-${f}-input`,
    attrs: {
      id: inputId,
      type: "password",
      autocomplete: "off",
      autocapitalize: "off",
      spellcheck: "false",
      "data-secret": "true",
    },
  });
  const save = el("button", {
    class: "btn",
    testid: `type-${f}-save`,
    attrs: { type: "submit" },
    text: "Save",
  });
  const form = el("form", { class: "type-form", attrs: { novalidate: true } }, [
    el("label", { class: "field-label", attrs: { for: inputId } }, [`Type the ${c.label}`, srOnly(" (hidden as you type)")]),
    el("div", { class: "input-row" }, [pw, save]),
  ]);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    actions.typed(f, pw);
  });
  const details = el("details", { class: "type-instead", testid: `type-${f}` }, [
    el("summary", { testid: `type-${f}-toggle`, text: "Paste does not work? Type it instead" }),
    form,
  ]);
  details.open = local.typeOpen[f] ?? false;
  details.addEventListener("toggle", () => actions.toggleTyped(f, details.open));

  const warned = (msg?.warnings.length ?? 0) > 0;
  const cls = ["capture", c.fingerprint ? "is-saved" : "", warned ? "has-warnings" : ""].filter(Boolean).join(" ");
  return el("div", { class: cls, testid: `capture-${f}` }, [
    el("div", { class: "cap-head" }, [el("h3", { class: "cap-title", text: c.label }), status]),
    el("div", { class: "cap-actions" }, [paste]),
    ...messages,
    details,
  ]);
}
