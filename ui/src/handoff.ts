// The hand-off: what to enter on the connector's side, field by field, with copy buttons. Secrets
// appear as their fingerprint only; Copy puts the value on the clipboard from Rust, which empties
// it again after 30 seconds.

import { el } from "./dom";
import type { Actions, Local } from "./local";
import type { HandOffView } from "./types";
import { button, fingerprintChip, linkNote, section } from "./widgets";

export function renderHandoff(h: HandOffView, local: Local, actions: Actions, opts: { nested: boolean; connectorButton: boolean }): Node[] {
  const rows = h.fields.map((f, i) => {
    const key = f.secret ? `secret:${f.secret}` : `text:${f.label}`;
    const copied = local.copies[key];
    const noteId = `ho-${i}-note`;
    let value: HTMLElement;
    let copy: HTMLButtonElement;
    if (f.secret) {
      value = f.fingerprint
        ? el("span", { class: "ho-secret", testid: `handoff-${i}-value` }, [
            "secret · ",
            fingerprintChip(f.fingerprint),
          ])
        : el("span", { class: "ho-missing", testid: `handoff-${i}-value`, text: "not saved yet" });
      const field = f.secret;
      copy = button("Copy", () => actions.copy({ kind: "secret", field }, key), {
        testid: `handoff-${i}-copy`,
        label: `Copy ${f.label}`,
        disabled: !f.fingerprint,
        icon: "copy",
        variant: "small",
      });
    } else {
      value = el("code", { class: "ho-text", testid: `handoff-${i}-value`, text: f.text ?? "" });
      const label = f.label;
      copy = button("Copy", () => actions.copy({ kind: "handoff", label }, key), {
        testid: `handoff-${i}-copy`,
        label: `Copy ${f.label}`,
        icon: "copy",
        variant: "small",
      });
    }
    return el("li", { class: "ho-row", testid: `handoff-${i}`, attrs: { "data-label": f.label } }, [
      el("span", { class: "ho-label", testid: `handoff-${i}-label`, text: f.label }),
      el("span", { class: "ho-value" }, [value]),
      el("span", { class: "ho-copy" }, [copy]),
      copied
        ? el("p", {
            class: `ho-copied ${copied.ok ? "" : "is-error"}`.trim(),
            testid: `handoff-${i}-copied`,
            attrs: { role: copied.ok ? null : "alert" },
            text: copied.message,
          })
        : null,
      f.note ? el("p", { class: "ho-note", attrs: { id: noteId }, text: f.note }) : null,
    ]);
  });

  const children: Node[] = [
    el("p", { class: "block-lead", testid: "handoff-intro", text: h.intro }),
    el("ul", { class: "handoff", testid: "handoff-fields" }, rows),
    el("p", { class: "small muted", text: "Secrets are never shown. Copy puts one on the clipboard for 30 seconds, then the wizard empties the clipboard again." }),
  ];
  if (h.connector_page && opts.connectorButton) {
    const page = h.connector_page;
    const fallback = local.links["connector"];
    children.push(
      el("div", { class: "link-row is-main" }, [
        button(page.title, () => actions.open("connector"), { testid: "open-connector", variant: "primary", icon: "open" }),
        page.hint ? el("p", { class: "link-hint", text: page.hint }) : null,
        fallback ? linkNote("connector", fallback, "open-connector", actions) : null,
      ]),
    );
  }
  if (opts.nested) {
    return [section(h.title, children, { testid: "handoff", class: "block-handoff" })];
  }
  return [el("section", { class: "block block-handoff", testid: "handoff", attrs: { "aria-label": h.title } }, children)];
}
