// A wizard screen: the header, where to go in NetSuite and the button that opens it, what to do,
// the checklist with NetSuite's exact labels, and whatever the screen collects or shows. The test
// screen has a module of its own (screens/test).

import "./step.css";

import { Fragment } from "preact";
import { endJourney } from "../../app/actions/home";
import { discardNew } from "../../app/actions/step";
import type { Local } from "../../app/local";
import type { State } from "../../app/store";
import { Button, MenuPath, Note, Section } from "../../components/widgets";
import type { ScreenView, View } from "../../types";
import { TestScreen } from "../test/TestScreen";
import { Checklist } from "./Checklist";
import { Handoff } from "./Handoff";
import { LinkRow } from "./links";
import { PARTS } from "./parts";

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
        {screen.checklist.length > 0 ? <Checklist view={view} screen={screen} local={local} /> : null}
        <JourneyControls view={view} local={local} />
      </>
    );
  }

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
      {screen.parts.map((part) => (
        <Fragment key={part}>{PARTS[part]({ view, screen, local })}</Fragment>
      ))}
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

/** A journey on a saved connection can be stopped on any screen; a failed new token can be thrown away.
 * The words are the journey's own (`view.controls`, from journeys.json). */
function JourneyControls({ view, local }: { view: View; local: Local }) {
  const words = view.controls;
  if (!words) return null;
  // A test or a call to NetSuite's certificate endpoint is under way: its answer needs the journey.
  const calling = local.test.running || local.certificateApi.busy !== null;
  const failed = view.current?.kind === "test" && view.current.test?.last?.passed === false;
  return (
    <div class="journey-controls" data-testid="journey-controls">
      {failed ? (
        <>
          <p>{words.failed}</p>
          <Button onClick={() => void discardNew()} testid="journey-discard" disabled={calling}>
            {words.discard}
          </Button>
        </>
      ) : null}
      {words.must_finish ? (
        // NetSuite stopped accepting the old consumer key at the reset: stopping now could leave nothing that works.
        <p class="muted small" data-testid="journey-no-stop">
          {words.must_finish}
        </p>
      ) : (
        <Button onClick={() => void endJourney()} testid="journey-stop" variant="quiet" disabled={calling}>
          {words.stop}
        </Button>
      )}
    </div>
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
