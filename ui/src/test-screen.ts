// The test: a signed call from this computer (or, for Celigo, the account check), with progress and
// Cancel, then what it proved, one line per permission probe, and on failure the likely causes with
// a button back to the step that fixes each, and how to read NetSuite's Login Audit Trail.

import { el, srOnly, type Child } from "./dom";
import type { Actions, Local } from "./local";
import type { Outcome, ScreenView, TestRun, View } from "./types";
import { button, environmentBadge, menuPath, note, section } from "./widgets";

const OUTCOME_TITLE: Record<Outcome, string> = {
  success: "It works",
  credentials_refused: "NetSuite refused the token",
  permission_missing: "The role is missing a permission",
  concurrency_limit: "NetSuite is busy (concurrency limit)",
  server_error: "NetSuite answered with an error",
  network_error: "NetSuite could not be reached",
};

export function renderTest(view: View, screen: ScreenView, local: Local, actions: Actions): Node[] {
  if (screen.kind !== "test") return [];
  const test = screen.test;
  const out: Node[] = [];
  out.push(el("p", { class: "lede", testid: "test-note", text: test.note }));

  const missing = test.signed_test ? test.missing : [];
  if (missing.length > 0) {
    out.push(
      note(
        "warn",
        [`Save these in the earlier steps first: ${missing.join(", ")}.`],
        "test-missing",
      ),
    );
  }

  const run = test.signed_test
    ? test.last
      ? "Run the test again"
      : "Run the test"
    : view.account?.datacenter
      ? "Check the account again"
      : "Check the account";
  const controls: Child[] = [];
  if (local.test.running) {
    const elapsed = Math.max(0, Math.round((Date.now() - local.test.startedAt) / 1000));
    controls.push(
      el("div", { class: "running", testid: "test-running" }, [
        el("span", { class: "spinner", attrs: { "aria-hidden": "true" } }),
        el("span", { class: "running-text" }, [
          local.test.cancelling
            ? "Cancelling…"
            : test.signed_test
              ? "Testing: checking the account, signing a call to NetSuite, then checking the role's permissions one by one…"
              : "Asking NetSuite whether the account exists…",
        ]),
        el("span", { class: "running-time", testid: "test-elapsed", text: `${elapsed} s` }),
        button("Cancel", () => actions.cancelTest(), {
          testid: "test-cancel",
          disabled: local.test.cancelling,
        }),
      ]),
    );
  } else {
    controls.push(
      button(run, () => actions.runTest(), {
        testid: "run-test",
        // The main action until it has done its job; then Next is.
        variant: (test.signed_test ? test.last?.passed : view.account?.datacenter) ? "secondary" : "primary",
        disabled: missing.length > 0,
        icon: "check",
      }),
    );
  }
  out.push(el("div", { class: "test-controls" }, controls));
  if (local.test.error) out.push(note("error", [local.test.error], "test-error"));

  if (!local.test.running) {
    if (test.signed_test && test.last) out.push(...result(test.last, view, local, actions));
    if (!test.signed_test && view.account?.datacenter) out.push(accountCheck(view));
  }
  return out;
}

function accountCheck(view: View): HTMLElement {
  const account = view.account;
  const dc = account?.datacenter;
  if (!account || !dc) return el("div");
  const kind = dc.status === "confirmed" ? "ok" : dc.status === "not_found" ? "error" : "warn";
  const title =
    dc.status === "confirmed"
      ? "The account is real"
      : dc.status === "not_found"
        ? "NetSuite does not know this account"
        : "NetSuite could not be reached";
  return el("div", { class: "test-result", testid: "test-result" }, [
    note(
      kind,
      [
        el("p", { class: "result-title", testid: "result-title", text: title }),
        el("p", { testid: "result-summary", text: dc.message }),
        el("p", { class: "account-line" }, [
          el("span", { class: "account-label", text: "Account ID" }),
          el("code", { class: "account-id", text: account.id }),
          environmentBadge(account, "test-env-badge"),
        ]),
        dc.status === "confirmed"
          ? el("p", {
              text: "Next: enter the token in your Celigo connection, where Celigo's Test button proves it works.",
            })
          : dc.status === "not_found"
            ? el("p", { text: "Check the account ID: go back to the account screen and paste it again." })
            : el("p", { text: "You can go on: Celigo's own Test will reach NetSuite from Celigo's side." }),
      ],
      "test-outcome",
    ),
  ]);
}

function result(last: TestRun, view: View, local: Local, actions: Actions): Node[] {
  const r = last.report;
  const out: Node[] = [];
  const cancelled = r.network?.kind === "cancelled";
  const title = last.passed
    ? "It works"
    : cancelled
      ? "The test was cancelled"
      : r.outcome === "success"
        ? OUTCOME_TITLE.permission_missing
        : OUTCOME_TITLE[r.outcome];
  const failedProbes = last.probes.filter((p) => p.outcome !== "success");
  const probeFailure = r.outcome === "success" && !last.passed && failedProbes.length > 0;
  const summaryExtra: Child[] = [];
  if (!last.passed && !probeFailure && (r.http_status !== null || r.error_code)) {
    summaryExtra.push(
      el("p", {
        class: "result-code",
        testid: "result-code",
        text: [r.http_status !== null ? `HTTP ${r.http_status}` : "", r.error_code ?? ""].filter(Boolean).join(" · "),
      }),
    );
  }
  out.push(
    note(
      last.passed ? "ok" : cancelled ? "info" : "error",
      [
        el("p", { class: "result-title", testid: "result-title", text: title }),
        // A pass is spelled out line by line below; a failure's summary is the diagnosis.
        last.passed && r.proven.length > 0
          ? el("p", { testid: "result-summary", text: `NetSuite accepted the token for account ${view.account?.id ?? ""}.` })
          : probeFailure
            ? el("p", {
                testid: "result-summary",
                text: `The token works, but the role lacks ${failedProbes
                  .map((p) => `${p.subtab} › ${p.permission}`)
                  .join(", ")}. Add ${failedProbes.length > 1 ? "them" : "it"} to the role in NetSuite (step ${failedProbes[0]?.step ?? ""}), then test again.`,
              })
            : cancelled
              ? el("p", { testid: "result-summary", text: "You cancelled the test before NetSuite answered. Run it again when you are ready." })
              : el("p", { testid: "result-summary", text: r.summary }),
        ...summaryExtra,
      ],
      "test-outcome",
    ),
  );

  if (r.proven.length > 0) {
    out.push(
      section(
        "What the test proved",
        [el("ul", { class: "proven", testid: "proven" }, r.proven.map((p) => lineItem(true, p)))],
        { testid: "proven-block" },
      ),
    );
  }

  if (last.probes.length > 0) {
    const ok = last.probes.filter((p) => p.outcome === "success").length;
    out.push(
      section(
        "Role permissions",
        [
          el("p", { class: "block-lead", testid: "probe-count", text: `${ok} of the ${last.probes.length} permissions the test can check answered.` }),
          el(
            "ul",
            { class: "probes", testid: "probes" },
            last.probes.map((p, i) =>
              el("li", { class: `probe ${p.outcome === "success" ? "is-ok" : "is-bad"}`, testid: `probe-${i}` }, [
                el("span", { class: "probe-mark", attrs: { "aria-hidden": "true" }, text: p.outcome === "success" ? "✓" : "✗" }),
                srOnly(p.outcome === "success" ? "Passed: " : "Failed: "),
                el("span", { class: "probe-name" }, [
                  el("span", { class: "probe-subtab", text: `${p.subtab} › ` }),
                  el("strong", { text: p.permission }),
                ]),
                // A pass needs no words beyond the tick; a failure says what NetSuite answered.
                p.outcome === "success" ? el("span") : el("span", { class: "probe-summary", text: p.summary }),
                p.outcome !== "success"
                  ? button(`Go to ${p.step}`, () => actions.goto(p.step), {
                      testid: `probe-${i}-goto`,
                      variant: "small",
                      icon: "back",
                    })
                  : null,
              ]),
            ),
          ),
        ],
        { testid: "probes-block" },
      ),
    );
  }

  if (r.warnings.length > 0) {
    out.push(note("warn", [el("ul", { class: "plain" }, r.warnings.map((w) => el("li", { text: w })))], "test-warnings"));
  }
  if (r.clock && r.clock.status !== "ok") {
    const mins = Math.round(Math.abs(r.clock.offset_seconds) / 60);
    out.push(
      note(
        r.clock.status === "likely_cause" ? "error" : "warn",
        [`This computer's clock is about ${mins} minute${mins === 1 ? "" : "s"} off NetSuite's. Turn on automatic time in your system settings.`],
        "test-clock",
      ),
    );
  }

  if (!last.passed && last.causes.length > 0) {
    out.push(
      section(
        last.causes.length > 1 ? "Most likely causes" : "Most likely cause",
        [
          el(
            "ol",
            { class: "causes", testid: "causes" },
            last.causes.map((c, i) =>
              el("li", { class: "cause", testid: `cause-${i}`, attrs: { "data-cause": c.id } }, [
                el("p", { class: "cause-text", text: c.message }),
                c.screen
                  ? button(`Go to ${c.screen_code ?? screenName(view, c.screen)}`, () => actions.goto(c.screen ?? ""), {
                      testid: `cause-${i}-goto`,
                      icon: "back",
                      variant: "small",
                    })
                  : null,
              ]),
            ),
          ),
        ],
        { testid: "causes-block" },
      ),
    );
  }

  if (!last.passed && r.audit_trail) out.push(auditTrail(r.audit_trail, local, actions));
  return out;
}

function screenName(view: View, id: string): string {
  const s = view.screens.find((x) => x.id === id);
  return s?.code ?? s?.short_title ?? id;
}

function lineItem(ok: boolean, text: string): HTMLElement {
  return el("li", { class: ok ? "is-ok" : "is-bad" }, [
    el("span", { class: "probe-mark", attrs: { "aria-hidden": "true" }, text: ok ? "✓" : "✗" }),
    el("span", { text }),
  ]);
}

function auditTrail(
  help: NonNullable<TestRun["report"]["audit_trail"]>,
  local: Local,
  actions: Actions,
): HTMLElement {
  const details = el("details", { class: "audit", testid: "audit-trail" }, [
    el("summary", { testid: "audit-toggle", text: "Find the real reason in NetSuite's Login Audit Trail" }),
    el("div", { class: "audit-body" }, [
      el("p", { text: "NetSuite's answer only says “Invalid login attempt”. Its Login Audit Trail names the real reason:" }),
      menuPath(help.menu_path, "audit-menu-path"),
      el("ol", { class: "steps-list" }, help.instructions.map((t) => el("li", { text: t }))),
      el("p", { class: "small" }, [
        "Columns to add: ",
        ...help.columns.flatMap((c, i) => [i > 0 ? " " : "", el("span", { class: "chip", text: c })]),
      ]),
      help.detail_values.length
        ? el("dl", { class: "details-list" }, help.detail_values.flatMap((d) => [
            el("dt", {}, [el("code", { text: d.value })]),
            el("dd", { text: d.meaning }),
          ]))
        : null,
    ]),
  ]);
  details.open = local.auditOpen;
  details.addEventListener("toggle", () => actions.toggleAudit(details.open));
  return details;
}
