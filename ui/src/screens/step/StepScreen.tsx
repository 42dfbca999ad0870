// A wizard screen: the header, where to go in NetSuite and the button that opens it, what to do,
// the checklist with NetSuite's exact labels, and whatever the screen collects or shows. The test
// screen has a module of its own (screens/test).

import "./step.css";

import { useState } from "preact/hooks";
import { endJourney } from "../../app/actions/home";
import { checkOld, discardNew, setTokenName } from "../../app/actions/step";
import type { Local } from "../../app/local";
import type { State } from "../../app/store";
import { Button, Fingerprint, MenuPath, Note, Section } from "../../components/widgets";
import type { RevokeView, ScreenView, View } from "../../types";
import { TestScreen } from "../test/TestScreen";
import { AccountEntry } from "./Account";
import { Captures } from "./Captures";
import { Checklist } from "./Checklist";
import { Handoff } from "./Handoff";
import { LinkRow } from "./links";
import { ApiShortcut, CertificateIdForm, KeyPanel } from "./M2m";

export function StepScreen({ state: s }: { state: State }) {
  const view = s.view;
  const local = s.local;
  const screen = view.current;
  if (!screen) return null;
  const head = (
    <>
      <Header view={view} screen={screen} />
      {local.error ? (
        <Note kind="error" testid="screen-error">
          {local.error}
        </Note>
      ) : null}
    </>
  );

  if (screen.kind === "test") {
    return (
      <>
        {head}
        <TestScreen view={view} screen={screen} local={local} />
        <JourneyControls view={view} local={local} />
      </>
    );
  }
  if (screen.kind === "handoff" && screen.handoff) {
    return (
      <>
        {head}
        {screen.instructions.length > 0 ? (
          <p class="lede" data-testid="handoff-lede">
            {screen.instructions.join(" ")}
          </p>
        ) : null}
        <Handoff h={screen.handoff} local={local} nested={false} connectorButton />
        {screen.checklist.length > 0 ? <Checklist screen={screen} local={local} /> : null}
        <JourneyControls view={view} local={local} />
      </>
    );
  }

  const makesToken =
    (view.journey === "rotate_token" && screen.id === "new-token") ||
    (view.journey === "setup" && screen.captures.some((c) => c.field === "token_id"));
  return (
    <>
      {head}
      <Where screen={screen} local={local} />
      {screen.instructions.length > 0 ? (
        <Section title={screen.kind === "info" ? "What happens" : "What to do"} testid="what-to-do">
          <ol class="steps-list" data-testid="instructions">
            {screen.instructions.map((t) => (
              <li>{t}</li>
            ))}
          </ol>
        </Section>
      ) : null}
      {screen.kind === "account" || screen.collects_account ? <AccountEntry view={view} local={local} /> : null}
      {screen.kind === "step" && screen.handoff ? (
        // On the connector's own step its page button is already at the top.
        <Handoff h={screen.handoff} local={local} nested connectorButton={screen.place !== "connector"} />
      ) : null}
      {screen.kind === "revoke" ? <Revoke r={screen.revoke} local={local} /> : null}
      {screen.checklist.length > 0 ? <Checklist screen={screen} local={local} /> : null}
      {makesToken ? (
        // In a rotation the connection's name is the old token's; the new one's is the checklist's value.
        <TokenNameForm screen={screen} saved={view.journey === "setup" ? (view.connection?.token_name ?? null) : null} />
      ) : null}
      {screen.captures.length > 0 ? <Captures screen={screen} local={local} /> : null}
      {screen.key ? <KeyPanel k={screen.key} local={local} /> : null}
      {screen.certificate_id ? <CertificateIdForm c={screen.certificate_id} local={local} /> : null}
      {screen.tips.length > 0 ? (
        <Section title="Good to know" testid="tips" class="block-tips">
          <ul class="tips">
            {screen.tips.map((t) => (
              <li>{t}</li>
            ))}
          </ul>
        </Section>
      ) : null}
      <JourneyControls view={view} local={local} />
    </>
  );
}

/** A journey on a saved connection can be stopped on any screen; a failed new token can be thrown away. */
function JourneyControls({ view, local }: { view: View; local: Local }) {
  if (view.journey === "setup") return null;
  if (view.journey === "handoff") {
    return (
      <div class="journey-controls" data-testid="journey-controls">
        <Button onClick={() => void endJourney()} testid="journey-stop" variant="quiet">
          Close
        </Button>
      </div>
    );
  }
  const consumer = view.journey === "rotate_consumer";
  const certificate = view.journey === "replace_certificate";
  // A test or a call to NetSuite's certificate endpoint is under way: its answer needs the journey.
  const calling = local.test.running || local.certificateApi.busy !== null;
  const pending = view.connection?.pending_fingerprints;
  const captured = consumer ? Boolean(pending?.consumer_key && pending.consumer_secret) : false;
  const failed = view.current?.kind === "test" && view.current.test?.last?.passed === false;
  return (
    <div class="journey-controls" data-testid="journey-controls">
      {failed ? (
        <>
          <p>
            {consumer
              ? "The saved values are unchanged. Fix the cause and run the test again; if the new values were pasted wrong, discard them and paste the newest ones NetSuite showed."
              : certificate
                ? "The key in use is unchanged and still works. Fix the cause (often the new mapping's Certificate ID) and run the test again, or throw the new key away and make a fresh one."
                : "The token in use is unchanged and still works. Fix the cause and run the test again, or throw the new values away and capture fresh ones."}
          </p>
          <Button onClick={() => void discardNew()} testid="journey-discard" disabled={calling}>
            {certificate ? "Discard the new key" : "Discard the new values"}
          </Button>
        </>
      ) : null}
      {consumer && captured && !view.promoted ? (
        // NetSuite stopped accepting the old consumer key at the reset: stopping now could leave nothing that works.
        <p class="muted small" data-testid="journey-no-stop">
          NetSuite stopped accepting the old consumer key when you reset it, so this replacement has to be finished.
        </p>
      ) : (
        <Button
          onClick={() => void endJourney()}
          testid="journey-stop"
          variant="quiet"
          disabled={calling}
        >
          {view.promoted ? "Stop here" : certificate ? "Stop and keep the key in use" : "Stop and keep the values in use"}
        </Button>
      )}
    </div>
  );
}

/** The new token's name as typed in NetSuite, so the next replacement can find it to revoke. */
function TokenNameForm({ screen, saved }: { screen: ScreenView; saved: string | null }) {
  const item = screen.checklist.find((i) => i.label === "TOKEN NAME");
  // What the field shows until the user types: the saved name, else the checklist's suggestion.
  const [name, setName] = useState<string | null>(null);
  if (!item) return null;
  return (
    <form
      class="type-form"
      data-testid="token-name-form"
      noValidate
      onSubmit={(ev) => {
        ev.preventDefault();
        const input = ev.currentTarget.querySelector<HTMLInputElement>("#token-name-input");
        void setTokenName(input?.value ?? "");
      }}
    >
      <label class="field-label" for="token-name-input">
        The token's name, as you typed it in NetSuite
      </label>
      <div class="input-row">
        <input
          class="text-input"
          data-testid="token-name-input"
          id="token-name-input"
          type="text"
          autocomplete="off"
          spellcheck={false}
          maxLength={100}
          value={name ?? saved ?? item.value ?? ""}
          onInput={(ev) => setName(ev.currentTarget.value)}
        />
        <button type="submit" class="btn" data-testid="token-name-save">
          Save name
        </button>
      </div>
      <p class="muted small">
        The wizard keeps it to find this token in NetSuite's list when it is time to replace it.
      </p>
    </form>
  );
}

function Revoke({ r, local }: { r: RevokeView; local: Local }) {
  const check = r.check;
  const certs = r.certificates;
  const thing = certs ? "key" : "token";
  return (
    <Section title={certs ? "The mapping to revoke" : "The token to revoke"} testid="revoke">
      {certs ? (
        <dl class="revoke-facts">
          <dt>Revoke this one (the old mapping)</dt>
          <dd data-testid="revoke-old">
            <strong data-testid="revoke-old-name">{`Certificate ID ${certs.old.certificate_id ?? "not recorded"}`}</strong>{" "}
            <Fingerprint fp={`${certs.old.fingerprint.slice(0, 23)}…`} />
            <span class="muted small revoke-when">{` · valid until ${certs.old.expires}`}</span>
          </dd>
          <dt>Keep this one (the new mapping, now in use)</dt>
          <dd data-testid="revoke-new">
            {certs.new ? `Certificate ID ${certs.new.certificate_id ?? "not recorded"}` : "not in use yet"}{" "}
            {certs.new ? <Fingerprint fp={`${certs.new.fingerprint.slice(0, 23)}…`} /> : null}
          </dd>
        </dl>
      ) : null}
      {certs?.still_active ? (
        <p class="muted small" data-testid="revoke-still-active" role="status">
          {certs.still_active.length <= 1
            ? `NetSuite now lists only the mapping in use (${certs.still_active[0] ?? "none"}) as active for this role and user.`
            : `NetSuite still lists ${certs.still_active.length} active mappings for this role and user: ${certs.still_active[0]} (in use), ${certs.still_active.slice(1).join(", ")}. Revoke any you no longer need on the mapping page.`}
        </p>
      ) : null}
      {certs ? (
        <ApiShortcut
          what="revoke"
          offered={certs.revoke_by_api}
          local={local}
          certificateId={certs.old.certificate_id ?? "not recorded"}
        />
      ) : null}
      {certs ? null : (
        <dl class="revoke-facts">
          <dt>Revoke this one (the old token)</dt>
          <dd data-testid="revoke-old">
            <strong data-testid="revoke-old-name">{r.token_name ?? "name not recorded"}</strong>{" "}
            {r.token_fingerprint ? <Fingerprint fp={r.token_fingerprint} /> : null}
            <span class="muted small revoke-when">{` · saved here on ${r.created_at.slice(0, 10)}`}</span>
          </dd>
          <dt>Keep this one (the new token, now in use)</dt>
          <dd data-testid="revoke-new">
            {r.new_token_name ?? "name not recorded"}{" "}
            {r.new_token_fingerprint ? <Fingerprint fp={r.new_token_fingerprint} /> : null}
          </dd>
        </dl>
      )}
      {r.can_check ? (
        <>
          <p class="muted small">
            {`Optional: after revoking, the wizard can sign a call with the old ${thing} to prove NetSuite refuses it.`}
          </p>
          <div class="card-actions">
            <Button onClick={() => void checkOld()} testid="revoke-check" disabled={local.oldCheckRunning}>
              {local.oldCheckRunning ? "Checking…" : `Check that the old ${thing} is refused`}
            </Button>
          </div>
          {check ? (
            <Note
              kind={check.result === "refused" ? "ok" : check.result === "accepted" ? "warn" : "info"}
              testid="revoke-check-result"
            >
              {check.summary}
            </Note>
          ) : null}
        </>
      ) : null}
    </Section>
  );
}

function placeOf(view: View, screen: ScreenView): string {
  const profile = view.profile?.name ?? "";
  if (screen.place === "wizard") return "On this computer";
  if (screen.place === "connector") return `In ${profile === "" ? "the connector" : (view.profile?.connector_side ?? "the connector")}`;
  switch (screen.kind) {
    case "step":
    case "revoke":
      return "In NetSuite";
    case "test":
      return "Test from this computer";
    case "handoff":
      return "Hand-off";
    case "info":
      return "Before you start";
    default:
      return "Before the NetSuite steps";
  }
}

function Header({ view, screen }: { view: View; screen: ScreenView }) {
  const profile = view.profile?.name ?? "";
  const journey = view.journey !== "setup" && view.journey_title ? ` · ${view.journey_title}` : "";
  return (
    <header class="screen-head">
      <p class="eyebrow" data-testid="eyebrow">
        {screen.code ? (
          <span class="code-chip" data-testid="screen-code">
            {screen.code}
          </span>
        ) : null}
        <span class="eyebrow-text">{`${profile}${journey}${profile ? " · " : ""}${placeOf(view, screen)}`}</span>
      </p>
      <h1 class="title" data-testid="screen-title" id="screen-title" tabIndex={-1}>
        {screen.heading}
      </h1>
    </header>
  );
}

/** Where to go: the menu path, and the buttons that open the pages. */
function Where({ screen, local }: { screen: ScreenView; local: Local }) {
  const connector = screen.place === "connector" && screen.kind === "step" ? screen.handoff?.connector_page : null;
  const hasLinks = Boolean(connector) || Boolean(screen.page) || screen.also_open.length > 0;
  const later = !hasLinks && screen.place !== "connector" && (screen.kind === "account" || screen.collects_account);
  if (!screen.menu_path && !hasLinks && !later) return null;
  return (
    <div class="where" data-testid="where">
      {screen.menu_path ? (
        <>
          <p class="where-label">{screen.place === "connector" ? "Go to" : "In NetSuite, go to"}</p>
          <MenuPath path={screen.menu_path} />
        </>
      ) : null}
      {connector ? <LinkRow link={connector} text={connector.title} testid="open-connector" local={local} main /> : null}
      {screen.page ? (
        <LinkRow link={screen.page} text={`Open ${screen.page.title} in NetSuite`} testid="open-page" local={local} main />
      ) : null}
      {screen.also_open.map((l, i) => (
        <LinkRow link={l} text={`Open ${l.title} in NetSuite`} testid={`open-also-${i}`} local={local} main={false} />
      ))}
      {later ? (
        <p class="muted small" data-testid="open-later">
          Once the account ID is entered, the wizard opens each NetSuite page of your account for you.
        </p>
      ) : null}
    </div>
  );
}
