// The start screen: what the wizard does, and which connector to set up. It is drawn from
// virtual:profiles alone, so the first screen appears before Rust has answered anything.

import "./start.css";

import { selectConnector, startContinue, startOver } from "../../app/actions/start";
import { resume } from "../../app/navigation";
import type { State } from "../../app/store";
import { CONNECTORS, codeRange, connectorById } from "../../connectors";
import { Button, Note, SrOnly } from "../../components/widgets";
import type { Chrome, RailGroup } from "../shell/Shell";
import { homeItem, profileGroup } from "../step/chrome";

interface ResumeOffer {
  profileName: string;
  /** "AS-3 of 5", "AS · test"… */
  progress: string;
  /** Where the wizard is, for the Continue button: "AS-3 of 5", or a screen's name ("Hand-off"). */
  where: string;
  account: string | null;
}

function resumeOffer(s: State): ResumeOffer | null {
  const v = s.view;
  if (!v.active || !v.profile || v.journey !== "setup") return null;
  return {
    profileName: v.profile.name,
    progress: v.progress,
    // "AS-3 of 5" for a step; the screen's name ("Test", "Hand-off") otherwise.
    where: v.current?.code ? v.progress : (v.current?.short_title ?? v.progress),
    account: v.account?.id ?? null,
  };
}

export function startChrome(s: State): Chrome {
  const chosen = s.startSelected ? connectorById(s.startSelected) : undefined;
  const first: RailGroup = { items: [...homeItem(s), { label: "Choose a connector", state: "current" }] };
  let rail: RailGroup[] = [first];
  let hint = "Choose a connector to see its steps here.";
  if (chosen) {
    rail = [first, { title: chosen.shortName, items: chosen.steps.map((st) => ({ code: st.code, label: st.label, state: "todo" })) }];
    hint = "";
  } else if (s.view.active && s.view.profile) {
    rail = [first, profileGroup(s, false)];
    hint = "";
  }
  const firstStep = chosen?.steps[0];
  return {
    rail,
    hint,
    account: null,
    footer: {
      progress: chosen && firstStep ? `Next: ${firstStep.code} of ${chosen.steps.length}` : s.view.active ? s.view.progress : "Start",
      back: { enabled: false },
      next: { enabled: s.startSelected !== null || s.view.active, label: "Continue" },
    },
  };
}

/** What a NetSuite release changes for the chosen connector, before its first step. After all the
 * choices (not under the chosen card), so the choice for new integrations stays in view at 800x600. */
function ReleaseNotice({ id }: { id: string | null }) {
  const notice = id ? connectorById(id)?.notice : null;
  if (!notice) return null;
  return (
    <section class="release-notice" data-testid="release-notice" id="release-notice" aria-labelledby="release-notice-title">
      <h2 class="release-notice-title" id="release-notice-title">
        {notice.title}
      </h2>
      <ul class="release-notice-points">
        {notice.points.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </section>
  );
}

export function StartScreen({ state: s }: { state: State }) {
  const offer = resumeOffer(s);
  return (
    <>
      <header class="screen-head">
        <h1 class="title" data-testid="start-title" id="start-title" tabIndex={-1}>
          Connect an integration to NetSuite
        </h1>
        <p class="lede" data-testid="start-intro">
          This wizard guides you through your connector's NetSuite steps one screen at a time, keeps the secrets
          and keys in your system keyring, and tests that the connection works.
        </p>
      </header>
      {s.view.notice ? (
        <Note kind="warn" testid="notice">
          {s.view.notice}
        </Note>
      ) : null}
      {offer ? (
        <section class="resume" data-testid="resume" aria-labelledby="resume-title">
          <h2 class="resume-title" id="resume-title">
            Pick up where you left off
          </h2>
          <p class="resume-text" data-testid="resume-text">
            {`${offer.profileName}${offer.account ? ` for account ${offer.account}` : ""}, at `}
            <span class="code-chip">{offer.progress}</span>. Your ticks and saved values are kept.
          </p>
          <div class="resume-actions">
            <Button onClick={resume} testid="resume-continue" variant="primary">
              {`Continue ${offer.profileName} at ${offer.where}`}
            </Button>
            <Button onClick={() => void startOver()} testid="start-over" variant="danger">
              Start over
            </Button>
          </div>
        </section>
      ) : null}
      <fieldset class="choices" data-testid="connector-choices">
        <legend class="choices-legend">{offer ? "Or set up another connector" : "Which connector are you setting up?"}</legend>
        {CONNECTORS.map((c) => (
          <label class="choice" data-testid={`connector-${c.id}`} for={`connector-${c.id}`} key={c.id}>
            <input
              class="choice-input"
              data-testid={`connector-${c.id}-input`}
              type="radio"
              name="connector"
              value={c.id}
              id={`connector-${c.id}`}
              // The chosen card's notice is read with it, though it is drawn after the last card.
              aria-describedby={`connector-${c.id}-summary connector-${c.id}-codes${
                s.startSelected === c.id && c.notice ? " release-notice" : ""
              }`}
              checked={s.startSelected === c.id}
              onChange={(ev) => {
                if (ev.currentTarget.checked) selectConnector(c.id);
              }}
              onKeyDown={(ev) => {
                // Enter on a chosen card does what the footer's Continue button does.
                if (ev.key === "Enter" && ev.currentTarget.checked) {
                  ev.preventDefault();
                  void startContinue();
                }
              }}
            />
            <span class="choice-mark" aria-hidden="true" />
            <span class="choice-body">
              <span class="choice-head">
                <span class="choice-name">{c.name}</span>
                {c.badge ? (
                  <span class="choice-badge" data-testid={`connector-${c.id}-badge`}>
                    {c.badge}
                  </span>
                ) : null}
                <span class="choice-codes" id={`connector-${c.id}-codes`}>
                  <SrOnly text="Steps " />
                  {codeRange(c)}
                </span>
              </span>
              <span class="choice-summary" id={`connector-${c.id}-summary`}>
                {c.summary}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <ReleaseNotice id={s.startSelected} />
      <p class="status" data-testid="status" role="status">
        {s.startStatus}
      </p>
    </>
  );
}
