// The window: the frame, and in it the screen the state says. Drawn again (patched in place) after every
// change of the state; the only DOM work by hand left is moving focus where an action says it goes: to a
// new screen's heading, or back to a button that was disabled while it worked.

import { useLayoutEffect, useRef } from "preact/hooks";
import { HomeScreen, homeChrome } from "../screens/home/HomeScreen";
import { LinkNotice } from "../screens/shell/LinkNotice";
import { Shell, type Chrome } from "../screens/shell/Shell";
import { StartScreen, startChrome } from "../screens/start/StartScreen";
import { wizardChrome } from "../screens/step/chrome";
import { StepScreen } from "../screens/step/StepScreen";
import type { TestId } from "../testids";
import { back, next } from "./footer";
import { takeFocus, type State } from "./store";

const FOCUSABLE = "button, input, select, textarea, summary, a[href], [tabindex]";

/** Focus an element by its test id; a group (the connector choices) gives focus to its first control. */
function focusTestId(id: TestId): void {
  const node = document.querySelector<HTMLElement>(`[data-testid="${CSS.escape(id)}"]`);
  const target = node?.matches(FOCUSABLE) ? node : node?.querySelector<HTMLElement>(FOCUSABLE);
  if (target && !(target as HTMLButtonElement).disabled) target.focus();
}

export function App({ state: s }: { state: State }) {
  const mainRef = useRef<HTMLElement | null>(null);
  const seenNav = useRef(s.nav.seq);

  useLayoutEffect(() => {
    const main = mainRef.current;
    if (s.nav.seq !== seenNav.current) {
      seenNav.current = s.nav.seq;
      if (main) main.scrollTop = 0;
      if (s.nav.focusHeading) main?.querySelector<HTMLElement>("h1")?.focus();
    }
    const target = takeFocus();
    if (target) focusTestId(target);
  });

  let chrome: Chrome;
  let screen;
  if (s.mode === "home") {
    chrome = homeChrome(s);
    screen = <HomeScreen state={s} />;
  } else if (s.mode === "start" || !s.view.active || !s.view.current) {
    chrome = startChrome(s);
    screen = <StartScreen state={s} />;
  } else {
    chrome = wizardChrome(s);
    // A different screen is a new tree: nothing of the last one (a half-typed field, an open section) stays.
    screen = <StepScreen key={`${s.view.journey}:${s.view.current.id}`} state={s} />;
  }
  return (
    <>
      {s.linkNotice ? <LinkNotice key={s.linkNotice.n} text={s.linkNotice.text} /> : null}
      <Shell chrome={chrome} state={s} onBack={back} onNext={next} mainRef={mainRef}>
        {screen}
      </Shell>
    </>
  );
}
