// Small pieces several screens share: buttons, badges, the menu path, notes.

import type { TestId } from "./testids";
import { el, type Child } from "./dom";
import type { Actions, LinkNote } from "./local";
import type { AccountView } from "./types";

export interface ButtonOptions {
  testid?: TestId | undefined;
  variant?: "primary" | "secondary" | "quiet" | "danger" | "small" | undefined;
  disabled?: boolean | undefined;
  /** Extra accessible description (id of an element). */
  describedBy?: string | undefined;
  label?: string | undefined;
  icon?: "open" | "paste" | "copy" | "check" | "back" | undefined;
}

export function button(text: string, onClick: () => void, opts: ButtonOptions = {}): HTMLButtonElement {
  const variant = opts.variant ?? "secondary";
  const cls = ["btn", variant === "primary" ? "btn-primary" : "", variant === "quiet" ? "btn-quiet" : "",
    variant === "danger" ? "btn-danger" : "", variant === "small" ? "btn-small" : "", opts.icon ? "btn-icon" : ""]
    .filter(Boolean)
    .join(" ");
  const b = el(
    "button",
    {
      class: cls,
      testid: opts.testid,
      attrs: {
        type: "button",
        disabled: opts.disabled ?? false,
        "aria-describedby": opts.describedBy,
        "aria-label": opts.label,
      },
    },
    [opts.icon ? el("span", { class: `icon icon-${opts.icon}`, attrs: { "aria-hidden": "true" } }) : null, text],
  );
  b.addEventListener("click", () => onClick());
  return b;
}

/** "Setup > Integration > Manage Integrations > New" as a breadcrumb: a labelled ordered list, so a screen
 * reader says "Menu path, list, 4 items" and reads each menu in order (an aria-label on a plain
 * paragraph is not read: it got only the bare words). The separators are drawn, not read. */
export function menuPath(path: string, testid: TestId = "menu-path"): HTMLElement {
  const parts = path.split(">").map((p) => p.trim()).filter(Boolean);
  const items: Child[] = parts.map((p, i) =>
    el("li", { class: "crumb" }, [
      i > 0 ? el("span", { class: "crumb-sep", attrs: { "aria-hidden": "true" }, text: "›" }) : null,
      p,
    ]),
  );
  return el("nav", { class: "menu-path", testid, attrs: { "aria-label": "Menu path" } }, [el("ol", { class: "crumbs" }, items)]);
}

/** Production in a colour of its own, so nobody mistakes it for a sandbox. */
export function environmentBadge(account: AccountView, testid: TestId = "env-badge"): HTMLElement {
  const kind = account.production
    ? "prod"
    : account.environment.startsWith("sandbox")
      ? "sandbox"
      : account.environment.includes("release_preview")
        ? "preview"
        : "other";
  return el("span", { class: `env-badge env-${kind}`, testid }, [
    account.production ? el("span", { class: "env-dot", attrs: { "aria-hidden": "true" } }) : null,
    account.environment_label,
  ]);
}

export function note(kind: "info" | "ok" | "warn" | "error", children: readonly Child[], testid?: TestId): HTMLElement {
  return el(
    "div",
    { class: `note note-${kind}`, testid, attrs: { role: kind === "error" ? "alert" : null } },
    [el("span", { class: `note-icon`, attrs: { "aria-hidden": "true" } }), el("div", { class: "note-body" }, children)],
  );
}

export function fingerprintChip(fp: string): HTMLElement {
  return el("span", { class: "fp" }, [el("span", { class: "fp-label", text: "fingerprint" }), " ", el("code", { class: "fp-value", text: fp })]);
}

export function section(title: string, children: readonly Child[], opts: { testid?: TestId; class?: string; lead?: string } = {}): HTMLElement {
  const id = `sec-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return el("section", { class: `block ${opts.class ?? ""}`.trim(), testid: opts.testid, attrs: { "aria-labelledby": id } }, [
    el("h2", { class: "block-title", attrs: { id }, text: title }),
    opts.lead ? el("p", { class: "block-lead", text: opts.lead }) : null,
    ...children,
  ]);
}

/** After an Open button: a short confirmation, or the address with a Copy button when no browser opened. */
export function linkNote(
  which: string,
  fallback: LinkNote,
  testid: TestId,
  actions: Actions,
): HTMLElement {
  if (fallback.opened) {
    return el("p", { class: "link-status", testid: `${testid}-status`, text: "Opened in your web browser." });
  }
  return note(
    "warn",
    [
      el("p", { text: fallback.message ?? "No web browser could be opened. Copy the address and open it in your browser." }),
      el("div", { class: "url-row" }, [
        el("code", { class: "url", testid: `${testid}-url`, text: fallback.url }),
        button("Copy address", () => actions.copyLink(which), { testid: `${testid}-copy`, icon: "copy" }),
      ]),
      fallback.copied ? el("p", { class: "copy-status", testid: `${testid}-copied`, text: fallback.copied }) : null,
    ],
    `${testid}-fallback`,
  );
}

