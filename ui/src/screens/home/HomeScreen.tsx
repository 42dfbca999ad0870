// The home screen: every saved connection with what is known about it, and what can be done with it.
// Rust decides everything shown here (tba_engine::home); this only lays it out.

import "./home.css";

import {
  cancelHomeTest,
  exportConnections,
  forgetOldCopy,
  homeTest,
  importConnections,
  removeConnection,
  renewCertificate,
  resumeJourney,
  startJourney,
} from "../../app/actions/home";
import { resume, toHome, toStart } from "../../app/navigation";
import type { State } from "../../app/store";
import { Elapsed } from "../../components/Elapsed";
import { Button, Fingerprint, Note, Words } from "../../components/widgets";
import type { TestId } from "../../testids";
import type { AuthCard, HomeCard, HomeView, JourneyOffer, LastTest } from "../../types";
import type { Chrome } from "../shell/Shell";

/** Each offered journey's button, by the test id its tests and screenshots know it by. */
const OFFER_TESTID: Record<
  JourneyOffer["journey"],
  "rotate" | "rotate-consumer" | "replace-certificate" | "handoff" | "move-oauth2"
> = {
  move_to_oauth2: "move-oauth2",
  rotate_token: "rotate",
  rotate_consumer: "rotate-consumer",
  replace_certificate: "replace-certificate",
  handoff: "handoff",
};

export function homeChrome(s: State): Chrome {
  return {
    rail: [
      {
        items: [
          { label: "Saved connections", state: "current", testid: "rail-home" },
          { label: "Set up a new connection", state: "todo", testid: "rail-start", onSelect: () => toStart() },
        ],
      },
    ],
    hint: "",
    account: null,
    footer: {
      progress: `Saved connections · ${s.home?.cards.length ?? 0}`,
      back: { enabled: false },
      next: { enabled: s.homeTesting === null, label: "New connection" },
    },
  };
}

export function HomeScreen({ state: s }: { state: State }) {
  const home = s.home;
  if (!home) return <p class="muted">Loading saved connections…</p>;
  return (
    <>
      <header class="screen-head">
        <p class="eyebrow" data-testid="eyebrow">
          <span class="eyebrow-text">tba-wizard</span>
        </p>
        <h1 class="title" data-testid="home-title" id="screen-title" tabIndex={-1}>
          Saved connections
        </h1>
        <p class="lead">
          Test a connection, replace its token or certificate, or hand its values over again. Secrets stay in your
          keyring; only fingerprints are shown.
        </p>
      </header>
      {s.homeStatus ? (
        // Focus lands here after an action removed the button that had it.
        <Note kind={s.homeStatus.kind} testid="home-status" focusable>
          {s.homeStatus.text}
        </Note>
      ) : null}
      {home.problem ? (
        <Note kind="error" testid="home-problem">
          <p>{home.problem}</p>
          <Button onClick={() => void toHome()} testid="home-retry" variant="small">
            Try again
          </Button>
        </Note>
      ) : null}
      {home.setup && !home.journey ? (
        <Note kind="info" testid="home-setup">
          <p>{`A setup of ${home.setup.profile_name}${home.setup.account ? ` for ${home.setup.account}` : ""} is under way (${home.setup.progress}).`}</p>
          <Button onClick={resume} testid="home-resume-setup" variant="small">
            Resume setup
          </Button>
        </Note>
      ) : null}
      {home.summary ? (
        <Note kind="warn" testid="home-summary">
          {`Needs attention: ${home.summary}.`}
        </Note>
      ) : null}
      <ul class="home-cards" data-testid="home-cards" aria-label="Saved connections">
        {home.cards.map((c) => (
          <li key={c.id}>
            <Card c={c} home={home} testing={s.homeTesting} />
          </li>
        ))}
      </ul>
      {home.cards.length === 0 ? (
        <p class="muted" data-testid="home-empty">
          No connections are saved yet.
        </p>
      ) : null}
      <div class="home-new">
        <Button onClick={toStart} testid="home-new" variant="primary">
          Set up a new connection
        </Button>
        {/* Names, accounts and fingerprints move to another computer; secrets never leave the keyring. */}
        {home.cards.length > 0 ? (
          <Button onClick={exportConnections} testid="home-export" disabled={s.busy || s.homeTesting !== null}>
            Export connections…
          </Button>
        ) : null}
        <Button onClick={importConnections} testid="home-import" disabled={s.busy || s.homeTesting !== null}>
          Import connections…
        </Button>
      </div>
    </>
  );
}

function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function lastTestLine(t: LastTest | null): { text: string; kind: "ok" | "bad" | "none" } {
  if (!t) return { text: "Not tested yet", kind: "none" };
  const words = t.outcome.replace(/_/g, " ");
  const code = [t.http_status !== null ? `HTTP ${t.http_status}` : "", t.error_code ?? ""].filter(Boolean).join(" ");
  return t.outcome === "success"
    ? { text: `Worked · ${when(t.at)}`, kind: "ok" }
    : { text: `Failed: ${words}${code ? ` (${code})` : ""} · ${when(t.at)}`, kind: "bad" };
}

function Card({ c, home, testing: t }: { c: HomeCard; home: HomeView; testing: State["homeTesting"] }) {
  const id: TestId = `card-${c.id}`;
  const testing = t?.id === c.id && !t.renewing;
  const renewing = t?.id === c.id && t.renewing === true;
  const busyHere = testing || renewing;
  const last =
    !c.last_test && c.tested_elsewhere ? { text: c.tested_elsewhere, kind: "none" as const } : lastTestLine(c.last_test);
  const envKind = c.production ? "prod" : c.environment_label.startsWith("Sandbox") ? "sandbox" : "other";
  const busyElsewhere = t !== null && !busyHere;
  const journeyHere = c.journey;
  const journeyElsewhere = home.journey !== null && !journeyHere;
  const blockedJourney = t !== null || journeyElsewhere || c.missing.length > 0;

  const actions = journeyHere ? (
    <Button onClick={resumeJourney} testid={`${id}-resume`} variant="primary">
      {`Resume: ${journeyHere.title.toLowerCase()}`}
    </Button>
  ) : (
    <>
      {c.can_test ? (
        <Button
          onClick={() => void homeTest(c.id)}
          testid={`${id}-test`}
          // Nothing to sign with: the note above the buttons says what is missing and what to do.
          disabled={busyHere || busyElsewhere || c.missing.length > 0}
        >
          {testing ? "Testing…" : "Test now"}
        </Button>
      ) : null}
      {busyHere ? (
        <Button onClick={cancelHomeTest} testid={`${id}-cancel`} variant="quiet">
          Cancel
        </Button>
      ) : null}
      {c.offers.map((o) => (
        <Button
          key={o.journey}
          onClick={() => void startJourney(c.id, o.journey)}
          testid={`${id}-${OFFER_TESTID[o.journey]}`}
          disabled={blockedJourney}
          variant={o.urgent ? "primary" : undefined}
        >
          {o.label}
        </Button>
      ))}
      {c.can_renew ? (
        <Button
          onClick={() => void renewCertificate(c)}
          testid={`${id}-renew`}
          disabled={busyHere || busyElsewhere || journeyElsewhere}
        >
          {renewing ? "Renewing…" : "Renew now"}
        </Button>
      ) : null}
      <Button onClick={() => removeConnection(c)} testid={`${id}-remove`} variant="danger" disabled={busyHere}>
        Remove
      </Button>
    </>
  );

  return (
    <article class="home-card" data-testid={id} aria-labelledby={`${id}-label`}>
      <div class="card-head">
        <h2 class="card-title" id={`${id}-label`} data-testid={`${id}-label`}>
          {c.label}
        </h2>
        <span class="card-connector" data-testid={`${id}-connector`}>
          {c.connector}
        </span>
      </div>
      <dl class="card-facts">
        <dt>Account</dt>
        <dd>
          <code data-testid={`${id}-account`}>{c.account}</code>{" "}
          <span class={`env-badge env-${envKind}`} data-testid={`${id}-env`}>
            {c.production ? <span class="env-dot" aria-hidden="true" /> : null}
            {c.environment_label}
          </span>
        </dd>
        <AuthRow id={id} auth={c.auth} />
        <dt>Last test</dt>
        <dd class={`last-test last-${last.kind}`} data-testid={`${id}-last-test`}>
          {testing && t ? (
            <span role="status">
              {`${t.stage ?? "Testing…"} `}
              <Elapsed since={t.startedAt} testid={`${id}-elapsed`} />
            </span>
          ) : (
            last.text
          )}
        </dd>
      </dl>
      {c.missing.length > 0 ? (
        <Note kind="warn" testid={`${id}-missing`}>
          {`Missing from the keyring: ${c.missing.join(", ")}. Set the connection up again.`}
        </Note>
      ) : null}
      {c.hint ? (
        <Note kind="warn" testid={`${id}-hint`}>
          <Words text={c.hint} />
        </Note>
      ) : null}
      {c.move_to_oauth2 ? (
        // Closed: a list of hundreds of cards stays a list; the line says which case it is.
        <details class="card-move" data-testid={`${id}-move`}>
          <summary>{c.move_to_oauth2.summary}</summary>
          <p>{c.move_to_oauth2.text}</p>
          {c.move_to_oauth2.commands.map((command) => (
            <p class="card-command">
              <code class="words-code">{command}</code>
            </p>
          ))}
        </details>
      ) : null}
      {c.old_copy_kept && !journeyHere ? (
        <Note kind="warn" testid={`${id}-old-copy`}>
          <p>
            A copy of the values this connection used before a replacement is still in your keyring: the replacement
            did not finish. Delete it once the old token is revoked in NetSuite.
          </p>
          <Button onClick={() => forgetOldCopy(c)} testid={`${id}-forget-old`} variant="danger">
            Delete the old copy
          </Button>
        </Note>
      ) : null}
      {renewing && t ? (
        <Note kind="info" testid={`${id}-renewing`}>
          <span role="status">
            {`${t.stage ?? "Renewing…"} `}
            <Elapsed since={t.startedAt} testid={`${id}-elapsed`} />
          </span>
        </Note>
      ) : null}
      {c.renewal && !renewing ? (
        <Note kind={c.renewal.renewed ? "ok" : "warn"} testid={`${id}-renewal`}>
          <p>
            <Words text={c.renewal.message} />
          </p>
          {c.renewal.renewed ? (
            <>
              <p>
                If another system runs the integration, give it the new private key and Certificate ID now: the old
                ones no longer work.
              </p>
              <Button
                onClick={() => void startJourney(c.id, "handoff")}
                testid={`${id}-renewal-handoff`}
                disabled={t !== null || journeyElsewhere}
              >
                Hand off the new key
              </Button>
            </>
          ) : null}
        </Note>
      ) : null}
      {c.latest && !testing ? (
        <Note kind={c.latest.passed ? "ok" : "error"} testid={`${id}-latest`}>
          <p>
            <Words text={c.latest.summary} />
          </p>
          {c.latest.causes.length > 0 ? (
            <ul class="card-causes">
              {c.latest.causes.map((cause) => (
                <li>{cause}</li>
              ))}
            </ul>
          ) : null}
        </Note>
      ) : null}
      {journeyHere ? (
        <Note kind="info" testid={`${id}-journey`}>
          {`${journeyHere.title} is under way (${journeyHere.progress}).`}
        </Note>
      ) : null}
      <div class="card-actions">{actions}</div>
    </article>
  );
}

/** How the connection signs in: the token in use, or the certificate in use (none until a key is made). */
function AuthRow({ id, auth }: { id: string; auth: AuthCard }) {
  if (auth.method === "tba") {
    return (
      <>
        <dt>Token</dt>
        <dd data-testid={`${id}-token`}>
          {auth.token_name ?? "name not recorded"}{" "}
          {auth.token_fingerprint ? <Fingerprint fp={auth.token_fingerprint} /> : <span class="muted">no token saved</span>}
        </dd>
      </>
    );
  }
  const cert = auth.certificate;
  return (
    <>
      <dt>Certificate</dt>
      {cert ? (
        <dd data-testid={`${id}-certificate`} class={`cert-${cert.status}`}>
          {`OAuth 2.0 (${cert.algorithm}) · `}
          {cert.status === "expired"
            ? `expired on ${cert.expires}`
            : `valid until ${cert.expires} (${cert.days_left} days left)`}{" "}
          <Fingerprint fp={cert.fingerprint.slice(0, 23)} />
        </dd>
      ) : (
        <dd data-testid={`${id}-certificate`}>
          <span class="muted">no key and certificate yet</span>
        </dd>
      )}
    </>
  );
}
