// The installer-style frame every screen lives in: a rail of steps on the left, the current screen in
// the main pane, and a footer with the step code and progress on the left and Back / Next at the
// bottom right. Each screen says what the frame shows (its Chrome); the frame draws it.

import "./shell.css";

import type { ComponentChildren } from "preact";
import markUrl from "../../../../icons/icon-source.svg";
import { copyDiagnostics, saveDiagnostics } from "../../app/actions/support";
import { announce, type State } from "../../app/store";
import { Button, SrOnly } from "../../components/widgets";
import type { TestId } from "../../testids";

export type RailState = "done" | "current" | "todo";

export interface RailItem {
  /** Step code from the connector's guide, e.g. "AS-3" or "C-B". */
  code?: string | undefined;
  label: string;
  state: RailState;
  /** Makes the item a button (e.g. to go back to a step already done). */
  onSelect?: (() => void) | undefined;
  /** Stable hook for the end-to-end tests. */
  testid?: TestId | undefined;
}

export interface RailGroup {
  /** Heading above the group (e.g. the connector's name); omitted for the first group. */
  title?: string;
  items: readonly RailItem[];
}

export interface FooterState {
  /** Step code and progress, e.g. "AS-3 of 5". Empty string hides it. */
  progress: string;
  back: { enabled: boolean; label?: string };
  next: { enabled: boolean; label: string };
  /** Why Next is disabled, shown beside the buttons (and read with Next). Empty hides it. */
  blocked?: string;
}

/** What a screen puts in the frame around it. */
export interface Chrome {
  rail: readonly RailGroup[];
  hint?: string;
  /** The account the wizard works on, always in view; null hides it. */
  account?: ComponentChildren | null;
  footer: FooterState;
}

const STATE_TEXT: Record<RailState, string> = {
  done: "done",
  current: "current step",
  todo: "",
};

function Rail({ groups }: { groups: readonly RailGroup[] }) {
  return (
    <nav class="rail-steps" data-testid="rail" aria-label="Steps">
      {groups.map((group) => (
        <section class="rail-group">
          {group.title ? <h2 class="rail-title">{group.title}</h2> : null}
          <ol class="rail-list">
            {group.items.map((item) => {
              const parts = (
                <>
                  <span class="rail-icon" aria-hidden="true" />
                  {item.code ? <span class="rail-code">{item.code}</span> : null}
                  <span class="rail-label">{item.label}</span>
                  {STATE_TEXT[item.state] ? <SrOnly text={` (${STATE_TEXT[item.state]})`} /> : null}
                </>
              );
              const select = item.onSelect;
              const current = item.state === "current" ? "step" : undefined;
              if (select && item.state !== "current") {
                return (
                  <li class={`rail-item is-${item.state} is-link`} aria-current={current}>
                    <button type="button" class="rail-button" data-testid={item.testid} onClick={() => select()}>
                      {parts}
                    </button>
                  </li>
                );
              }
              return (
                <li class={`rail-item is-${item.state}`} data-testid={item.testid} aria-current={current}>
                  <span class="rail-row">{parts}</span>
                </li>
              );
            })}
          </ol>
        </section>
      ))}
    </nav>
  );
}

function Support({ support }: { support: State["support"] }) {
  return (
    <details class="support" data-testid="support">
      <summary class="support-summary" data-testid="support-toggle">
        Support
      </summary>
      <div class="support-body">
        <p class="support-about" id="support-about">
          Versions, steps and the last test, for support. Never a secret.
        </p>
        <div class="support-actions">
          <Button
            onClick={copyDiagnostics}
            testid="support-copy"
            variant="small"
            icon="copy"
            describedBy="support-about"
            disabled={support.busy}
          >
            Copy diagnostics
          </Button>
          <Button
            onClick={saveDiagnostics}
            testid="support-save"
            variant="small"
            describedBy="support-about"
            disabled={support.busy}
          >
            Save diagnostics
          </Button>
        </div>
        <p
          class={`support-status${support.error ? " is-error" : ""}`}
          data-testid="support-status"
          role="status"
          aria-live="polite"
        >
          {support.text}
        </p>
      </div>
    </details>
  );
}

function Footer({ state: f, onBack, onNext }: { state: FooterState; onBack: () => void; onNext: () => void }) {
  const blocked = f.blocked ?? "";
  // Blocked with a reason: focusable but inert, so Tab reaches it and the reason is read with it.
  // Blocked for no reason the user can act on (work under way): disabled outright.
  const withReason = !f.next.enabled && blocked !== "";
  return (
    <footer class="bar">
      <p class="progress" data-testid="step-code">
        {f.progress}
      </p>
      <p class="blocked" data-testid="blocked-reason" id="blocked-reason" hidden={blocked === ""}>
        {blocked}
      </p>
      <div class="actions">
        <button type="button" class="btn" data-testid="back" disabled={!f.back.enabled} onClick={onBack}>
          {f.back.label ?? "Back"}
        </button>
        <button
          type="button"
          class="btn btn-primary"
          data-testid="continue"
          disabled={!f.next.enabled && !withReason}
          aria-disabled={withReason ? "true" : undefined}
          aria-describedby={blocked ? "blocked-reason" : undefined}
          onClick={() => {
            if (withReason) announce(blocked);
            else onNext();
          }}
        >
          {f.next.label}
        </button>
      </div>
    </footer>
  );
}

export interface ShellProps {
  chrome: Chrome;
  state: State;
  onBack: () => void;
  onNext: () => void;
  /** The main pane, so the app can move focus to a new screen's heading and scroll it to the top. */
  mainRef: { current: HTMLElement | null };
  children: ComponentChildren;
}

export function Shell({ chrome, state, onBack, onNext, mainRef, children }: ShellProps) {
  const hint = chrome.hint ?? "";
  const account = chrome.account ?? null;
  return (
    <>
      <aside class="rail">
        <div class="brand">
          <img class="brand-mark" src={markUrl} alt="" width={36} height={36} />
          <div class="brand-text">
            <span class="brand-name">tba-wizard</span>
            <span class="brand-sub">NetSuite integration setup</span>
          </div>
        </div>
        {/* At the top, where a scrolled rail never hides it: a stand-in's answers are not NetSuite's. */}
        <p class="rail-override" data-testid="base-url-banner" role="note" hidden={state.baseUrl === ""}>
          <strong>Not NetSuite:</strong> {state.baseUrl}
        </p>
        <div class="rail-account" data-testid="rail-account" hidden={account === null}>
          {account}
        </div>
        <Rail groups={chrome.rail} />
        <p class="rail-hint" data-testid="rail-hint" hidden={hint === ""}>
          {hint}
        </p>
        <p class="version" data-testid="app-version" hidden={state.version === ""}>
          {state.version}
        </p>
        <Support support={state.support} />
      </aside>
      <main class="pane" id="main" tabIndex={-1} ref={mainRef}>
        {children}
      </main>
      <Footer state={chrome.footer} onBack={onBack} onNext={onNext} />
      {/* One polite live region for the whole window, there from the start, so what is said is read. */}
      <div class="sr-only" data-testid="announce" role="status" aria-live="polite">
        {state.live}
      </div>
    </>
  );
}
