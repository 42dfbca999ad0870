// The one state of the window and its one scheduled render. Everything the UI shows is drawn from
// `state`; an action changes it with `update()`, and the next microtask draws the window once, however
// many changes came before it. Preact patches the DOM in place, so focus, caret, scroll and a half-typed
// field survive a redraw by themselves: nothing here puts them back by hand.

import type { ConnectorId } from "../connectors";
import type { TestId } from "../testids";
import type { HomeView, View } from "../types";
import { freshLocal, type Local } from "./local";

export type Mode = "start" | "wizard" | "home";

export interface State {
  /** The view Rust sent last: the only source of what the wizard shows. */
  view: View;
  /** The start screen, the wizard's current screen (a setup or a journey), or the saved connections. */
  mode: Mode;
  /** The saved connections, as Rust last listed them. */
  home: HomeView | null;
  homeStatus: { kind: "ok" | "info" | "error"; text: string } | null;
  /** A test, or a renewal, running from a home card. */
  homeTesting: { id: string; startedAt: number; stage?: string; renewing?: boolean } | null;
  /** What the window remembers about the screen on display (forgotten on another screen). */
  local: Local;
  startSelected: ConnectorId | null;
  startStatus: string;
  /** One action at a time: a second click while Rust is still answering is ignored. */
  busy: boolean;
  /** Counts navigations: each new one puts focus on the new screen's heading and scrolls to its top. */
  nav: { seq: number; focusHeading: boolean };
  /** An element (by data-testid) to focus after the next render: a busy button given back its focus,
   * or the message that replaced a removed button. */
  focus: TestId | null;
  /** The live region's text (see announce()). */
  live: string;
  /** A refused app link: said at once and kept until dismissed. */
  linkNotice: { text: string; n: number } | null;
  version: string;
  /** Where NetSuite calls go instead of NetSuite (TBA_WIZARD_BASE_URL); "" when they go to NetSuite. */
  baseUrl: string;
  /** The support control's buttons are disabled while it gathers diagnostics. */
  support: { busy: boolean; text: string; error: boolean };
}

export const EMPTY_VIEW: View = {
  active: false,
  journey: "setup",
  journey_title: null,
  promoted: false,
  profile: null,
  account: null,
  connection: null,
  screens: [],
  current: null,
  progress: "",
  can_back: false,
  can_next: false,
  next_label: "Next",
  blocked_reason: null,
  notice: null,
  controls: null,
};

let current: State = {
  view: EMPTY_VIEW,
  mode: "start",
  home: null,
  homeStatus: null,
  homeTesting: null,
  local: freshLocal(null),
  startSelected: null,
  startStatus: "",
  busy: false,
  nav: { seq: 0, focusHeading: false },
  focus: null,
  live: "",
  linkNotice: null,
  version: "",
  baseUrl: "",
  support: { busy: false, text: "", error: false },
};

let draw: ((s: State) => void) | null = null;
let scheduled = false;

/** The state as it is now (actions read it; components get it as a prop). */
export function state(): State {
  return current;
}

/** Change the state; the window is drawn once, in the next microtask. */
export function update(change: Partial<State> | ((s: State) => Partial<State>)): void {
  const patch = typeof change === "function" ? change(current) : change;
  current = { ...current, ...patch };
  schedule();
}

/** Change what the window remembers about the screen on display. */
export function updateLocal(change: (l: Local) => Partial<Local>): void {
  update((s) => ({ local: { ...s.local, ...change(s.local) } }));
}

/** Show another screen: focus goes to its heading (not on the first screen at launch). */
export function navigate(patch: Partial<State> = {}): void {
  update((s) => ({ ...patch, nav: { seq: s.nav.seq + 1, focusHeading: true } }));
}

function schedule(): void {
  if (scheduled || !draw) return;
  scheduled = true;
  queueMicrotask(() => {
    scheduled = false;
    draw?.(current);
  });
}

/** main.ts: what draws the window. The first draw is synchronous (the start screen needs no IPC). */
export function mount(render: (s: State) => void): void {
  draw = render;
  render(current);
}

/** App: the element to focus after this render, once. */
export function takeFocus(): TestId | null {
  const target = current.focus;
  current = { ...current, focus: null };
  return target;
}

let liveTimer: number | undefined;

/** Say something to screen readers. Clearing first makes the same sentence twice in a row be read twice. */
export function announce(text: string): void {
  window.clearTimeout(liveTimer);
  update({ live: "" });
  liveTimer = window.setTimeout(() => update({ live: text }), 50);
}
