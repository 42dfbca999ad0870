// Small pieces several screens share: buttons, badges, the menu path, notes. Text always goes in as
// text (JSX children), never as markup; no element gets a style or an on* attribute.

import "./widgets.css";

import type { ComponentChildren } from "preact";
import type { TestId } from "../testids";
import type { AccountView } from "../types";

/** Text that only assistive technology reads (e.g. "done" next to a tick). */
/** Text from Rust as plain words, with what it quotes between backticks (a command, a file name) shown as
 * code: the messages are written for the command line too, where the backticks mark the command. */
export function Words({ text }: { text: string }) {
  const parts = text.split("`");
  // An odd number of backticks is not a quotation: shown as written.
  if (parts.length < 3 || parts.length % 2 === 0) return <>{text}</>;
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code class="words-code">{part}</code> : part))}</>;
}

export function SrOnly({ text }: { text: string }) {
  return <span class="sr-only">{text}</span>;
}

export interface ButtonProps {
  children: ComponentChildren;
  onClick: () => void;
  testid?: TestId | undefined;
  variant?: "primary" | "secondary" | "quiet" | "danger" | "small" | undefined;
  disabled?: boolean | undefined;
  /** Extra accessible description (id of an element). */
  describedBy?: string | undefined;
  label?: string | undefined;
  icon?: "open" | "paste" | "copy" | "check" | "back" | undefined;
}

export function Button(p: ButtonProps) {
  const variant = p.variant ?? "secondary";
  const cls = [
    "btn",
    variant === "primary" ? "btn-primary" : "",
    variant === "quiet" ? "btn-quiet" : "",
    variant === "danger" ? "btn-danger" : "",
    variant === "small" ? "btn-small" : "",
    p.icon ? "btn-icon" : "",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <button
      type="button"
      class={cls}
      data-testid={p.testid}
      disabled={p.disabled ?? false}
      aria-describedby={p.describedBy}
      aria-label={p.label}
      onClick={() => p.onClick()}
    >
      {p.icon ? <span class={`icon icon-${p.icon}`} aria-hidden="true" /> : null}
      {p.children}
    </button>
  );
}

/** "Setup > Integration > Manage Integrations > New" as a breadcrumb: a labelled ordered list, so a screen
 * reader says "Menu path, list, 4 items" and reads each menu in order (an aria-label on a plain
 * paragraph is not read: it got only the bare words). The separators are drawn, not read. */
export function MenuPath({ path, testid = "menu-path" }: { path: string; testid?: TestId }) {
  const parts = path
    .split(">")
    .map((p) => p.trim())
    .filter(Boolean);
  return (
    <nav class="menu-path" data-testid={testid} aria-label="Menu path">
      <ol class="crumbs">
        {parts.map((p, i) => (
          <li class="crumb">
            {i > 0 ? (
              <span class="crumb-sep" aria-hidden="true">
                ›
              </span>
            ) : null}
            {p}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** Production in a colour of its own, so nobody mistakes it for a sandbox. */
export function EnvironmentBadge({ account, testid = "env-badge" }: { account: AccountView; testid?: TestId }) {
  const kind = account.production
    ? "prod"
    : account.environment.startsWith("sandbox")
      ? "sandbox"
      : account.environment.includes("release_preview")
        ? "preview"
        : "other";
  return (
    <span class={`env-badge env-${kind}`} data-testid={testid}>
      {account.production ? <span class="env-dot" aria-hidden="true" /> : null}
      {account.environment_label}
    </span>
  );
}

export interface NoteProps {
  kind: "info" | "ok" | "warn" | "error";
  testid?: TestId | undefined;
  /** Focusable by script (focus lands here after an action removed the button that had it). */
  focusable?: boolean;
  class?: string;
  children: ComponentChildren;
}

export function Note({ kind, testid, focusable, children, class: extra }: NoteProps) {
  return (
    <div
      class={`note note-${kind}${extra ? ` ${extra}` : ""}`}
      data-testid={testid}
      role={kind === "error" ? "alert" : undefined}
      tabIndex={focusable ? -1 : undefined}
    >
      <span class="note-icon" aria-hidden="true" />
      <div class="note-body">{children}</div>
    </div>
  );
}

export function Fingerprint({ fp }: { fp: string }) {
  return (
    <span class="fp">
      <span class="fp-label">fingerprint</span> <code class="fp-value">{fp}</code>
    </span>
  );
}

export interface SectionProps {
  title: string;
  testid?: TestId | undefined;
  class?: string;
  lead?: string;
  children: ComponentChildren;
}

export function Section({ title, testid, class: extra, lead, children }: SectionProps) {
  const id = `sec-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section class={`block ${extra ?? ""}`.trim()} data-testid={testid} aria-labelledby={id}>
      <h2 class="block-title" id={id}>
        {title}
      </h2>
      {lead ? <p class="block-lead">{lead}</p> : null}
      {children}
    </section>
  );
}
