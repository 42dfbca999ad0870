// The test: a signed call from this computer (or, for Celigo, the account check), with progress and
// Cancel, then what it proved, one line per permission probe, and on failure the likely causes with
// a button back to the step that fixes each, and how to read NetSuite's Login Audit Trail.

import "./test.css";

import { toggleAudit } from "../../app/actions/step";
import { cancelTest, runTest } from "../../app/actions/test";
import { goto } from "../../app/navigation";
import type { Local } from "../../app/local";
import { Elapsed } from "../../components/Elapsed";
import { Button, EnvironmentBadge, MenuPath, Note, Section, SrOnly, Words } from "../../components/widgets";
import type { Outcome, ScreenView, TestRun, View } from "../../types";

const OUTCOME_TITLE: Record<Outcome, string> = {
  success: "It works",
  credentials_refused: "NetSuite refused the token",
  permission_missing: "The role is missing a permission",
  concurrency_limit: "NetSuite is busy (concurrency limit)",
  server_error: "NetSuite answered with an error",
  network_error: "NetSuite could not be reached",
};

export function TestScreen({ view, screen, local }: { view: View; screen: ScreenView; local: Local }) {
  if (screen.kind !== "test") return null;
  const test = screen.test;
  const missing = test.signed_test ? test.missing : [];
  const run = test.signed_test
    ? test.last
      ? "Run the test again"
      : "Run the test"
    : view.account?.datacenter
      ? "Check the account again"
      : "Check the account";
  return (
    <>
      <p class="lede" data-testid="test-note">
        {test.note}
      </p>
      {missing.length > 0 ? (
        <Note kind="warn" testid="test-missing">
          {`Save these in the earlier steps first: ${missing.join(", ")}.`}
        </Note>
      ) : null}
      <div class="test-controls">
        {local.test.running ? (
          <div class="running" data-testid="test-running">
            <span class="spinner" aria-hidden="true" />
            <span class="running-text" role="status" data-testid="test-stage">
              {local.test.cancelling ? "Cancelling…" : (local.test.stage ?? "Starting the test…")}
            </span>
            <Elapsed since={local.test.startedAt} testid="test-elapsed" class="running-time" />
            <Button onClick={cancelTest} testid="test-cancel" disabled={local.test.cancelling}>
              Cancel
            </Button>
          </div>
        ) : (
          <Button
            onClick={() => void runTest()}
            testid="run-test"
            // The main action until it has done its job; then Next is.
            variant={(test.signed_test ? test.last?.passed : view.account?.datacenter) ? "secondary" : "primary"}
            disabled={missing.length > 0}
            icon="check"
          >
            {run}
          </Button>
        )}
      </div>
      {local.test.error ? (
        <Note kind="error" testid="test-error">
          {local.test.error}
        </Note>
      ) : null}
      {!local.test.running && test.signed_test && test.last ? <Result last={test.last} view={view} local={local} /> : null}
      {!local.test.running && !test.signed_test && view.account?.datacenter ? <AccountCheck view={view} /> : null}
    </>
  );
}

function AccountCheck({ view }: { view: View }) {
  const account = view.account;
  const dc = account?.datacenter;
  if (!account || !dc) return <div />;
  const kind = dc.status === "confirmed" ? "ok" : dc.status === "not_found" ? "error" : "warn";
  const title =
    dc.status === "confirmed"
      ? "The account is real"
      : dc.status === "not_found"
        ? "NetSuite does not know this account"
        : "NetSuite could not be reached";
  return (
    <div class="test-result" data-testid="test-result">
      <Note kind={kind} testid="test-outcome">
        <p class="result-title" data-testid="result-title">
          {title}
        </p>
        <p data-testid="result-summary">
          <Words text={dc.message} />
        </p>
        <p class="account-line">
          <span class="account-label">Account ID</span>
          <code class="account-id">{account.id}</code>
          <EnvironmentBadge account={account} testid="test-env-badge" />
        </p>
        <p>
          {dc.status === "confirmed"
            ? "Next: enter the token in your Celigo connection, where Celigo's Test button proves it works."
            : dc.status === "not_found"
              ? "Check the account ID: go back to the account screen and paste it again."
              : "You can go on: Celigo's own Test will reach NetSuite from Celigo's side."}
        </p>
      </Note>
    </div>
  );
}

function Result({ last, view, local }: { last: TestRun; view: View; local: Local }) {
  const r = last.report;
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
  const summary =
    // A pass is spelled out line by line below; a failure's summary is the diagnosis.
    last.passed && r.proven.length > 0
      ? `NetSuite accepted the token for account ${view.account?.id ?? ""}.`
      : probeFailure
        ? `The token works, but the role lacks ${failedProbes
            .map((p) => `${p.subtab} › ${p.permission}`)
            .join(", ")}. Add ${failedProbes.length > 1 ? "them" : "it"} to the role in NetSuite (step ${failedProbes[0]?.step ?? ""}), then test again.`
        : cancelled
          ? "You cancelled the test before NetSuite answered. Run it again when you are ready."
          : r.summary;
  const ok = last.probes.filter((p) => p.outcome === "success").length;
  const mins = r.clock ? Math.round(Math.abs(r.clock.offset_seconds) / 60) : 0;
  return (
    <>
      <Note kind={last.passed ? "ok" : cancelled ? "info" : "error"} testid="test-outcome">
        <p class="result-title" data-testid="result-title">
          {title}
        </p>
        <p data-testid="result-summary">
          <Words text={summary} />
        </p>
        {!last.passed && !probeFailure && (r.http_status !== null || r.error_code) ? (
          <p class="result-code" data-testid="result-code">
            {[r.http_status !== null ? `HTTP ${r.http_status}` : "", r.error_code ?? ""].filter(Boolean).join(" · ")}
          </p>
        ) : null}
      </Note>
      {r.proven.length > 0 ? (
        <Section title="What the test proved" testid="proven-block">
          <ul class="proven" data-testid="proven">
            {r.proven.map((p) => (
              <li class="is-ok">
                <span class="probe-mark" aria-hidden="true">
                  ✓
                </span>
                <span>{p}</span>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {last.probes.length > 0 ? (
        <Section title="Role permissions" testid="probes-block">
          <p class="block-lead" data-testid="probe-count">
            {`${ok} of the ${last.probes.length} permissions the test can check answered.`}
          </p>
          <ul class="probes" data-testid="probes">
            {last.probes.map((p, i) => (
              <li class={`probe ${p.outcome === "success" ? "is-ok" : "is-bad"}`} data-testid={`probe-${i}`}>
                <span class="probe-mark" aria-hidden="true">
                  {p.outcome === "success" ? "✓" : "✗"}
                </span>
                <SrOnly text={p.outcome === "success" ? "Passed: " : "Failed: "} />
                <span class="probe-name">
                  <span class="probe-subtab">{`${p.subtab} › `}</span>
                  <strong>{p.permission}</strong>
                </span>
                {/* A pass needs no words beyond the tick; a failure says what NetSuite answered. */}
                {p.outcome === "success" ? <span /> : <span class="probe-summary">
                    <Words text={p.summary} />
                  </span>}
                {p.outcome !== "success" ? (
                  <Button onClick={() => goto(p.step)} testid={`probe-${i}-goto`} variant="small" icon="back">
                    {`Go to ${p.step}`}
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {r.warnings.length > 0 ? (
        <Note kind="warn" testid="test-warnings">
          <ul class="plain">
            {r.warnings.map((w) => (
              <li>{w}</li>
            ))}
          </ul>
        </Note>
      ) : null}
      {r.clock && r.clock.status !== "ok" ? (
        <Note kind={r.clock.status === "likely_cause" ? "error" : "warn"} testid="test-clock">
          {`This computer's clock is about ${mins} minute${mins === 1 ? "" : "s"} off NetSuite's. Turn on automatic time in your system settings.`}
        </Note>
      ) : null}
      {!last.passed && last.causes.length > 0 ? (
        <Section title={last.causes.length > 1 ? "Most likely causes" : "Most likely cause"} testid="causes-block">
          <ol class="causes" data-testid="causes">
            {last.causes.map((c, i) => (
              <li class="cause" data-testid={`cause-${i}`} data-cause={c.id}>
                <p class="cause-text">
                  <Words text={c.message} />
                </p>
                {c.screen ? (
                  <Button onClick={() => goto(c.screen ?? "")} testid={`cause-${i}-goto`} icon="back" variant="small">
                    {`Go to ${c.screen_code ?? screenName(view, c.screen)}`}
                  </Button>
                ) : null}
              </li>
            ))}
          </ol>
        </Section>
      ) : null}
      {!last.passed && r.audit_trail ? <AuditTrail help={r.audit_trail} open={local.auditOpen} /> : null}
    </>
  );
}

function screenName(view: View, id: string): string {
  const s = view.screens.find((x) => x.id === id);
  return s?.code ?? s?.short_title ?? id;
}

function AuditTrail({ help, open }: { help: NonNullable<TestRun["report"]["audit_trail"]>; open: boolean }) {
  return (
    <details class="audit" data-testid="audit-trail" open={open} onToggle={(ev) => toggleAudit(ev.currentTarget.open)}>
      <summary data-testid="audit-toggle">Find the real reason in NetSuite's Login Audit Trail</summary>
      <div class="audit-body">
        <p>NetSuite's answer only says “Invalid login attempt”. Its Login Audit Trail names the real reason:</p>
        <MenuPath path={help.menu_path} testid="audit-menu-path" />
        <ol class="steps-list">
          {help.instructions.map((t) => (
            <li>{t}</li>
          ))}
        </ol>
        <p class="small">
          {"Columns to add: "}
          {help.columns.map((c, i) => (
            <>
              {i > 0 ? " " : ""}
              <span class="chip">{c}</span>
            </>
          ))}
        </p>
        {help.detail_values.length ? (
          <dl class="details-list">
            {help.detail_values.map((d) => (
              <>
                <dt>
                  <code>{d.value}</code>
                </dt>
                <dd>{d.meaning}</dd>
              </>
            ))}
          </dl>
        ) : null}
      </div>
    </details>
  );
}
