import "./styles.css";

import { api, CommandError, messageOf } from "./api";
import { loadAppInfo } from "./app-info";
import { initAppLinks } from "./applinks";
import { connectorById, type ConnectorId } from "./connectors";
import { confirmDialog } from "./dialog";
import { el } from "./dom";
import { trackInputModality } from "./focus";
import { freshLocal, type Actions, type Local } from "./local";
import { Shell, type RailGroup } from "./shell";
import { renderHome } from "./home";
import { renderStart, type ResumeOffer } from "./start";
import { renderScreen } from "./step";
import type { CopyWhat, Field, HomeCard, HomeView, View } from "./types";
import { environmentBadge } from "./widgets";

// ------------------------------------------------------------------ state

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");

trackInputModality(document.documentElement);

const shell = new Shell(root);

const EMPTY_VIEW: View = {
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
};

/** The view Rust sent last: the only source of what the wizard shows. */
let view: View = EMPTY_VIEW;
/** The start screen, the wizard's current screen (a setup or a journey), or the saved connections. */
let mode: "start" | "wizard" | "home" = "start";
/** The saved connections, as Rust last listed them. */
let home: HomeView | null = null;
let homeStatus: { kind: "ok" | "error"; text: string } | null = null;
let homeTesting: { id: string; startedAt: number } | null = null;
let local: Local = freshLocal(null);
let startSelected: ConnectorId | null = null;
let startStatus = "";
/** One action at a time: a second click while Rust is still answering is ignored. */
let busy = false;
/** Focus this element (by data-testid) after the next render. */
let focusNext: string | null = null;
let elapsedTimer: number | undefined;

// ------------------------------------------------------------------ rendering

function render(opts: { navigated?: boolean } = {}): void {
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const activeId = active?.dataset["testid"] ?? null;
  const keepFocus = active !== null && active !== document.body && !active.closest("footer") && !active.closest("dialog");

  if (mode === "home") renderHomeScreen(opts.navigated ?? false);
  else if (mode === "start" || !view.active || !view.current) renderStartScreen(opts.navigated ?? false);
  else renderWizard(opts.navigated ?? false);

  const target = focusNext ?? (keepFocus && !opts.navigated ? activeId : null);
  focusNext = null;
  if (target) {
    const node = document.querySelector<HTMLElement>(`[data-testid="${CSS.escape(target)}"]`);
    if (node && !(node as HTMLButtonElement).disabled) node.focus();
  }
}

function resumeOffer(): ResumeOffer | null {
  if (!view.active || !view.profile || view.journey !== "setup") return null;
  return {
    profileId: view.profile.id,
    profileName: view.profile.name,
    progress: view.progress,
    // "AS-3 of 5" for a step; the screen's name ("Test", "Hand-off") otherwise.
    where: view.current?.code ? view.progress : (view.current?.short_title ?? view.progress),
    account: view.account?.id ?? null,
  };
}

function renderStartScreen(navigated: boolean): void {
  const offer = resumeOffer();
  const start = renderStart({
    selected: startSelected,
    resume: offer,
    notice: view.notice,
    onSelect(id) {
      startSelected = id;
      startStatus = "";
      refreshStartChrome();
    },
    onSubmit: () => void startContinue(),
    onResume: () => resume(),
    onStartOver: () => void startOver(),
  });
  shell.setMain(start.nodes, navigated);
  start.setStatus(startStatus);
  refreshStartChrome();
}

function refreshStartChrome(): void {
  shell.setAccount(null);
  const chosen = startSelected ? connectorById(startSelected) : undefined;
  const first: RailGroup = { items: [...homeItem(), { label: "Choose a connector", state: "current" }] };
  let groups: RailGroup[] = [first];
  let hint = "Choose a connector to see its steps here.";
  if (chosen) {
    groups = [first, { title: chosen.shortName, items: chosen.steps.map((s) => ({ code: s.code, label: s.label, state: "todo" })) }];
    hint = "";
  } else if (view.active && view.profile) {
    groups = [first, profileGroup(false)];
    hint = "";
  }
  shell.setRail(groups, hint);
  const firstStep = chosen?.steps[0];
  shell.setFooter({
    progress: chosen && firstStep ? `Next: ${firstStep.code} of ${chosen.steps.length}` : view.active ? view.progress : "Start",
    back: { enabled: false },
    next: { enabled: startSelected !== null || view.active, label: "Continue" },
  });
}

/** The profile's screens in the rail; on the start screen none of them is the current one. */
function profileGroup(clickable: boolean): RailGroup {
  const profile = view.profile;
  const short = profile ? (connectorById(profile.id)?.shortName ?? profile.name) : "";
  return {
    title: short,
    items: view.screens.map((s) => ({
      code: s.code ?? undefined,
      label: s.short_title,
      // On the start screen no screen is on display: show each as done or to do.
      state: !clickable && s.status === "current" ? (s.done ? "done" : "todo") : s.status,
      testid: `rail-${s.id}`,
      onSelect: clickable && s.status === "done" && !local.test.running ? () => void act(() => api.goto(s.id)) : undefined,
    })),
  };
}

function railAccount(): Node[] | null {
  const account = view.account;
  if (!view.active || !account) return null;
  return [
    el("span", { class: "rail-account-label", text: "Account" }),
    el("span", { class: "rail-account-line" }, [
      el("code", { class: "rail-account-id", testid: "rail-account-id", text: account.id }),
      environmentBadge(account, "rail-env-badge"),
    ]),
  ];
}

/** "Saved connections" at the top of the rail, once there are any. */
function homeItem(): RailGroup["items"] {
  if (!home || home.cards.length === 0) return [];
  return [{ label: "Saved connections", state: "done", testid: "rail-home", onSelect: () => void toHome() }];
}

function renderWizard(navigated: boolean): void {
  shell.setAccount(railAccount());
  const journey = view.journey !== "setup";
  const first: RailGroup = journey
    ? { items: [{ label: "Saved connections", state: "done", testid: "rail-home", onSelect: () => void toHome() }] }
    : {
        items: [
          ...homeItem(),
          { label: "Choose a connector", state: "done", testid: "rail-start", onSelect: () => toStart() },
        ],
      };
  const steps = profileGroup(true);
  if (journey) steps.title = `${steps.title} · ${view.journey_title ?? ""}`;
  shell.setRail([first, steps], "");
  const last = view.screens.length > 0 && view.current?.id === view.screens[view.screens.length - 1]?.id;
  const running = local.test.running;
  shell.setFooter({
    progress: view.progress,
    back: { enabled: !running },
    next: {
      label: view.next_label,
      enabled: !running && (view.can_next || (last && view.blocked_reason === null)),
    },
    blocked: view.blocked_reason ?? "",
  });
  shell.setMain(renderScreen(view, local, actions), navigated, !navigated);
}

/** Take a new view from Rust; a different screen starts with a clean slate and focus on its heading. */
function setView(next: View, opts: { navigated?: boolean } = {}): void {
  const newId = next.current?.id ?? null;
  const changed = newId !== local.screenId;
  view = next;
  if (changed) local = freshLocal(newId);
  render({ navigated: (opts.navigated ?? false) || (changed && mode === "wizard") });
}

function showError(e: unknown): void {
  local.error = messageOf(e);
  shell.announce(local.error);
  render();
}

/**
 * Ticks and picks are queued, never dropped: each one is saved by Rust in the order it was made.
 * Navigation waits for the queue (it is ignored while anything is in flight).
 */
let queue: Promise<void> = Promise.resolve();
let queued = 0;

function enqueue(command: () => Promise<View>): void {
  queued += 1;
  queue = queue.then(async () => {
    try {
      local.error = null;
      setView(await command());
    } catch (e) {
      showError(e);
    } finally {
      queued -= 1;
    }
  });
}

/** Runs one command that answers with a view; errors show at the top of the screen. */
async function act(command: () => Promise<View>): Promise<void> {
  if (queued > 0) await queue;
  if (busy) return;
  busy = true;
  try {
    local.error = null;
    setView(await command());
  } catch (e) {
    showError(e);
  } finally {
    busy = false;
  }
}

// ------------------------------------------------------------------ home: saved connections

function renderHomeScreen(navigated: boolean): void {
  shell.setAccount(null);
  shell.setRail(
    [
      {
        items: [
          { label: "Saved connections", state: "current", testid: "rail-home" },
          { label: "Set up a new connection", state: "todo", testid: "rail-start", onSelect: () => toStart() },
        ],
      },
    ],
    "",
  );
  const count = home?.cards.length ?? 0;
  shell.setFooter({
    progress: `Saved connections · ${count}`,
    back: { enabled: false },
    next: { enabled: homeTesting === null, label: "New connection" },
  });
  if (!home) {
    shell.setMain([el("p", { class: "muted", text: "Loading saved connections…" })], navigated);
    return;
  }
  shell.setMain(
    renderHome({
      home,
      testing: homeTesting,
      status: homeStatus,
      onTest: (id) => void homeTest(id),
      onCancelTest: () => void api.cancelTest().catch(() => undefined),
      onJourney: (id, journey) => void startJourney(id, journey),
      onResumeJourney: () => resumeJourney(),
      onRemove: (card) => void removeConnection(card),
      onForgetOld: (card) => void forgetOldCopy(card),
      onRetry: () => void toHome(),
      onResumeSetup: () => resume(),
      onNew: () => toStart(),
    }),
    navigated,
    !navigated,
  );
}

async function loadHome(): Promise<void> {
  try {
    home = await api.home();
  } catch (e) {
    home = { cards: [], setup: null, journey: null, problem: messageOf(e) };
  }
}

async function toHome(status = ""): Promise<void> {
  if (local.test.running || busy) return;
  await loadHome();
  homeStatus = status ? { kind: "ok", text: status } : null;
  mode = "home";
  render({ navigated: true });
  if (status) shell.announce(status);
}

async function homeTest(id: string): Promise<void> {
  if (homeTesting || busy) return;
  homeTesting = { id, startedAt: Date.now() };
  homeStatus = null;
  focusNext = `card-${id}-cancel`;
  render();
  shell.announce("Testing the connection…");
  const timer = window.setInterval(() => {
    const node = document.querySelector(`[data-testid="card-${CSS.escape(id)}-elapsed"]`);
    if (node && homeTesting) node.textContent = `${Math.round((Date.now() - homeTesting.startedAt) / 1000)} s`;
  }, 1000);
  try {
    home = await api.homeTest(id);
    const latest = home.cards.find((c) => c.id === id)?.latest;
    if (latest) shell.announce(`${latest.passed ? "It works." : "The test failed."} ${latest.summary}`);
  } catch (e) {
    homeStatus = { kind: "error", text: messageOf(e) };
    shell.announce(homeStatus.text);
  } finally {
    window.clearInterval(timer);
    homeTesting = null;
    focusNext = `card-${id}-test`;
    render();
  }
}

async function removeConnection(card: HomeCard): Promise<void> {
  const ok = await confirmDialog({
    title: `Remove “${card.label}”?`,
    body: `Its saved values are deleted from your keyring and it leaves this list. NetSuite is not changed: if the token is no longer used anywhere, revoke it there too (Setup > Users/Roles > Access Tokens).`,
    confirm: "Remove",
    cancel: "Keep it",
    danger: true,
    testid: "confirm-remove",
  });
  if (!ok) return;
  try {
    home = await api.removeConnection(card.id);
    homeStatus = { kind: "ok", text: `Removed “${card.label}”; its values were deleted from the keyring.` };
  } catch (e) {
    homeStatus = { kind: "error", text: messageOf(e) };
  }
  // The card and its button are gone: focus goes to the message that says so.
  focusNext = "home-status";
  render();
  shell.announce(homeStatus.text);
}

async function forgetOldCopy(card: HomeCard): Promise<void> {
  const ok = await confirmDialog({
    title: `Delete the old copy for “${card.label}”?`,
    body: "The values in use stay. Only the copy of the replaced values is deleted from your keyring; it cannot be used to check the old token afterwards.",
    confirm: "Delete the old copy",
    cancel: "Keep it",
    danger: true,
    testid: "confirm-forget-old",
  });
  if (!ok) return;
  try {
    home = await api.forgetOldCopy(card.id);
    homeStatus = { kind: "ok", text: `Deleted the old copy for “${card.label}” from the keyring.` };
  } catch (e) {
    homeStatus = { kind: "error", text: messageOf(e) };
  }
  focusNext = "home-status";
  render();
  shell.announce(homeStatus.text);
}

async function startJourney(id: string, journey: "rotate_token" | "rotate_consumer" | "handoff"): Promise<void> {
  if (busy || homeTesting) return;
  busy = true;
  try {
    const next = await api.journeyStart(id, journey);
    mode = "wizard";
    local = freshLocal(null);
    setView(next, { navigated: true });
  } catch (e) {
    homeStatus = { kind: "error", text: messageOf(e) };
    render();
    shell.announce(homeStatus.text);
  } finally {
    busy = false;
  }
}

function resumeJourney(): void {
  if (view.journey === "setup" || !view.current) return;
  mode = "wizard";
  local = freshLocal(view.current.id);
  render({ navigated: true });
}

async function endJourney(): Promise<void> {
  const promoted = view.promoted || view.journey === "handoff";
  const ok = await confirmDialog({
    title: promoted ? "Stop here?" : "Stop and keep the values in use?",
    body: promoted
      ? "The new values are already the ones this connection uses. If the old token is not revoked yet, it keeps working until you revoke it in NetSuite."
      : "The new values captured so far are deleted from your keyring. The values in use stay as they are and keep working.",
    confirm: "Stop",
    cancel: "Go on",
    danger: !promoted,
    testid: "confirm-stop",
  });
  if (!ok) return;
  try {
    view = await api.journeyEnd();
    await toHome(promoted ? "Stopped; the new values are in use." : "Stopped; nothing was changed.");
  } catch (e) {
    showError(e);
  }
}

// ------------------------------------------------------------------ start screen

function toStart(): void {
  if (local.test.running || homeTesting) return;
  mode = "start";
  startSelected = null;
  startStatus = "";
  render({ navigated: true });
}

function resume(): void {
  if (!view.active || !view.current) return;
  mode = "wizard";
  local = freshLocal(view.current.id);
  render({ navigated: true });
}

async function startOver(): Promise<void> {
  const name = view.profile?.name ?? "this connector";
  const ok = await confirmDialog({
    title: "Start over?",
    body: `The wizard forgets where you are in ${name} (${view.progress}) and the ticks you made. Connections already saved, and the values in your keyring, stay.`,
    confirm: "Start over",
    cancel: "Keep my progress",
    danger: true,
    testid: "confirm-start-over",
  });
  if (!ok) return;
  try {
    view = await api.reset();
    startSelected = null;
    startStatus = "Started over. Choose a connector.";
    mode = "start";
    render();
    focusFirstChoice(true);
  } catch (e) {
    startStatus = messageOf(e);
    render();
  }
}

async function startContinue(): Promise<void> {
  if (busy) return;
  if (!startSelected) {
    if (view.active) resume();
    return;
  }
  const chosen = connectorById(startSelected);
  if (!chosen) return;
  if (view.active && view.profile) {
    const ok = await confirmDialog({
      title: view.profile.id === chosen.id ? `Start ${chosen.name} from the beginning?` : `Start ${chosen.name} instead?`,
      body: `The wizard forgets where you are in ${view.profile.name} (${view.progress}) and the ticks you made. Connections already saved, and the values in your keyring, stay.`,
      confirm: "Start over",
      cancel: "Keep my progress",
      danger: true,
      testid: "confirm-replace",
    });
    if (!ok) return;
  }
  busy = true;
  try {
    const next = await api.start(chosen.id);
    mode = "wizard";
    local = freshLocal(null);
    setView(next, { navigated: true });
  } catch (e) {
    startStatus = messageOf(e);
    render();
  } finally {
    busy = false;
  }
}

// ------------------------------------------------------------------ footer

shell.onNext(() => {
  if (mode === "home") {
    toStart();
    return;
  }
  if (mode === "start" || !view.active) {
    void startContinue();
    return;
  }
  if (local.test.running) return;
  const last = view.current?.id === view.screens[view.screens.length - 1]?.id;
  if (last) {
    void finish();
    return;
  }
  void act(() => api.next());
});

shell.onBack(() => {
  if (mode === "start" || mode === "home" || local.test.running) return;
  if (!view.can_back) {
    if (view.journey !== "setup") void toHome();
    else toStart();
    return;
  }
  void act(() => api.back());
});

async function finish(): Promise<void> {
  if (busy) return;
  if (view.journey !== "setup") {
    const title = view.journey_title ?? "The journey";
    const label = view.connection?.label ?? "";
    busy = true;
    try {
      view = await api.next();
      busy = false;
      await toHome(`${title}: done for “${label}”.`);
    } catch (e) {
      showError(e);
    } finally {
      busy = false;
    }
    return;
  }
  busy = true;
  try {
    view = await api.next();
    const who = view.profile?.name ?? "The connector";
    const account = view.account ? ` for account ${view.account.id}` : "";
    const done = `${who} is set up${account}.`;
    // The connection is saved: its card on the home screen offers the hand-off again, so the
    // finished setup is not kept as something to resume.
    view = await api.reset();
    startStatus = "";
    startSelected = null;
    busy = false;
    await toHome(done);
  } catch (e) {
    showError(e);
  } finally {
    busy = false;
  }
}

// ------------------------------------------------------------------ screen actions

const actions: Actions = {
  draftAccount(input) {
    local.account.draft = input;
  },

  setAccount(input) {
    void (async () => {
      if (busy) return;
      if (input.trim() === "") {
        local.account.error = "Paste the account ID or a NetSuite address first.";
        focusNext = "account-input";
        render();
        return;
      }
      busy = true;
      try {
        local.error = null;
        local.account.error = null;
        const next = await api.setAccount(input);
        local.account.draft = null;
        local.account.checking = true;
        setView(next);
        shell.announce(`Account ${next.account?.id ?? ""}, ${next.account?.environment_label ?? ""}. Checking with NetSuite.`);
        const checked = await api.checkAccount();
        local.account.checking = false;
        // The button was disabled while it worked, which dropped focus to the body: give it back.
        focusNext = "account-submit";
        setView(checked);
        const dc = checked.account?.datacenter;
        if (dc) shell.announce(dc.message);
      } catch (e) {
        local.account.checking = false;
        local.account.error = messageOf(e);
        // A secret pasted here must not stay on a screen that may be shared.
        if (e instanceof CommandError && e.code === "secret_like") local.account.draft = "";
        focusNext = "account-input";
        render();
        shell.announce(local.account.error);
      } finally {
        busy = false;
      }
    })();
  },

  tick(key, checked) {
    const screen = view.current?.id;
    if (!screen) return;
    enqueue(() => api.tick(screen, key, checked));
  },

  pick(key, picked) {
    enqueue(() => api.pick(key, picked));
  },

  open(which) {
    void (async () => {
      try {
        const opened = await api.open(which);
        local.links[which] = { opened: opened.opened, url: opened.url, message: opened.message, copied: null };
        render();
        shell.announce(opened.opened ? "Opened in your web browser." : (opened.message ?? "No web browser could be opened."));
      } catch (e) {
        showError(e);
      }
    })();
  },

  copyLink(which) {
    void (async () => {
      const note = local.links[which];
      try {
        await api.copy({ kind: "link", which });
        if (note) note.copied = "Address copied. Paste it into your browser's address bar.";
      } catch (e) {
        if (note) note.copied = messageOf(e);
      }
      render();
      if (note?.copied) shell.announce(note.copied);
    })();
  },

  paste(field) {
    void capture(field, () => api.capturePaste(field), "Taken from the clipboard, which is empty again.");
  },

  typed(field, input) {
    const value = input.value;
    // The typed value leaves the page at once: the field is emptied before Rust even answers.
    input.value = "";
    if (value.trim() === "") {
      local.capture[field] = { kind: "error", message: "Type the value first, then Save.", warnings: [] };
      focusNext = `type-${field}-input`;
      render();
      return;
    }
    void capture(field, () => api.captureTyped(field, value), "Taken from the field, which is empty again.", `type-${field}-input`);
  },

  toggleTyped(field, open) {
    local.typeOpen[field] = open;
  },

  runTest() {
    void runTest();
  },

  cancelTest() {
    if (!local.test.running) return;
    local.test.cancelling = true;
    render();
    void api.cancelTest().catch(() => undefined);
  },

  goto(screen) {
    if (local.test.running) return;
    void act(() => api.goto(screen));
  },

  copy(what: CopyWhat, key: string) {
    void (async () => {
      try {
        const copied = await api.copy(what);
        const base =
          copied.clears_in_seconds !== null
            ? `Copied — cleared from the clipboard in ${copied.clears_in_seconds} s, or when you quit`
            : "Copied";
        const message = copied.history_note ? `${base}. ${copied.history_note}` : base;
        local.copies[key] = { ok: true, message };
        render();
        shell.announce(message);
      } catch (e) {
        local.copies[key] = { ok: false, message: messageOf(e) };
        render();
        shell.announce(messageOf(e));
      }
    })();
  },

  toggleAudit(open) {
    local.auditOpen = open;
  },

  discardNew() {
    void (async () => {
      const ok = await confirmDialog({
        title: "Discard the new values?",
        body: "They are deleted from your keyring and you capture new ones from NetSuite. The values in use stay as they are. In NetSuite, revoke the token (or reset again) you are throwing away.",
        confirm: "Discard",
        cancel: "Keep them",
        danger: true,
        testid: "confirm-discard",
      });
      if (ok) await act(() => api.journeyDiscardNew());
    })();
  },

  endJourney() {
    void endJourney();
  },

  setTokenName(name) {
    void act(() => api.journeySetTokenName(name)).then(() => {
      if (!local.error) shell.announce("Token name saved.");
    });
  },

  checkOld() {
    void (async () => {
      if (busy || local.oldCheckRunning) return;
      local.oldCheckRunning = true;
      render();
      shell.announce("Signing a call with the old token…");
      try {
        const next = await api.journeyCheckOld();
        local.oldCheckRunning = false;
        focusNext = "revoke-check";
        setView(next);
        const current = next.current;
        const check = current?.kind === "revoke" ? current.revoke.check : null;
        if (check) shell.announce(check.summary);
      } catch (e) {
        local.oldCheckRunning = false;
        focusNext = "revoke-check";
        showError(e);
      }
    })();
  },
};

async function capture(
  field: Field,
  command: () => ReturnType<typeof api.capturePaste>,
  okText: string,
  refocus: string | null = null,
): Promise<void> {
  if (busy) return;
  busy = true;
  local.busyCapture = field;
  try {
    local.error = null;
    const result = await command();
    local.capture[field] = {
      kind: "ok",
      message: result.warnings.length > 0 ? `${okText} Saved, but check this:` : okText,
      warnings: result.warnings,
    };
    focusNext = refocus ?? `paste-${field}`;
    local.busyCapture = null;
    setView(result.view);
    const label = view.current?.captures.find((c) => c.field === field)?.label ?? "Value";
    shell.announce(
      `${label} saved to the keyring, fingerprint ${result.fingerprint ?? "unknown"}. ${result.warnings.join(" ")}`.trim(),
    );
  } catch (e) {
    local.capture[field] = { kind: "error", message: messageOf(e), warnings: [] };
    render();
    shell.announce(messageOf(e));
  } finally {
    local.busyCapture = null;
    busy = false;
  }
}

async function runTest(): Promise<void> {
  if (busy || local.test.running) return;
  busy = true;
  local.error = null;
  local.test = { running: true, startedAt: Date.now(), cancelling: false, error: null };
  focusNext = "test-cancel";
  render();
  shell.announce(view.profile?.signed_test ? "Testing the connection…" : "Checking the account with NetSuite…");
  elapsedTimer = window.setInterval(() => {
    const node = document.querySelector('[data-testid="test-elapsed"]');
    if (node) node.textContent = `${Math.round((Date.now() - local.test.startedAt) / 1000)} s`;
  }, 1000);
  const screenId = local.screenId;
  try {
    const next = await api.runTest();
    local.test.running = false;
    local.test.cancelling = false;
    focusNext = "run-test";
    setView(next);
    const current = view.current;
    if (current?.id === screenId) {
      const last = current.kind === "test" ? current.test.last : null;
      if (last) {
        shell.announce(`${last.passed ? "It works." : "The test failed."} ${last.report.summary}`);
      } else if (view.account?.datacenter) {
        shell.announce(view.account.datacenter.message);
      }
    }
  } catch (e) {
    local.test.running = false;
    local.test.cancelling = false;
    local.test.error = messageOf(e);
    focusNext = "run-test";
    render();
    shell.announce(local.test.error);
  } finally {
    window.clearInterval(elapsedTimer);
    busy = false;
  }
}

function focusFirstChoice(force = false): void {
  const first = document.querySelector<HTMLInputElement>('[data-testid="connector-choices"] input.choice-input');
  const unfocused = document.activeElement === null || document.activeElement === document.body;
  if (first && (force || unfocused)) first.focus();
}

// ------------------------------------------------------------------ boot

// An app link that opened or changed the wizard: show it, as if the user had chosen it.
initAppLinks({
  show(next) {
    if (local.test.running) return;
    startSelected = null;
    startStatus = "";
    mode = "wizard";
    local = freshLocal(null);
    setView(next, { navigated: true });
  },
  announce: (text) => shell.announce(text),
});

shell.setVersion("");
render();
// At first launch focus would sit on the page's body, so the first Tab reached Support before the
// connectors: it starts at the first choice (focus does not select it).
focusFirstChoice();

void (async () => {
  try {
    view = await api.view();
    await loadHome();
  } catch {
    view = EMPTY_VIEW; // a plain browser without Tauri: the start screen still works as a preview
  }
  // A journey under way reopens where it was; a setup under way is offered on the start screen;
  // otherwise returning users see their connections.
  if (view.journey !== "setup" && view.current) {
    mode = "wizard";
    local = freshLocal(view.current.id);
  } else if (!view.active && (home as HomeView | null)?.cards.length) {
    mode = "home";
  }
  // The start screen is already on display: redraw it only if what Rust said changes it, so a first
  // click or focus is not lost to a redraw of the same screen.
  const sameStart =
    mode === "start" && !view.active && view.notice === null && ((home as HomeView | null)?.cards.length ?? 0) === 0;
  if (!sameStart) render({ navigated: mode !== "start" });
})();

void loadAppInfo().then((info) => {
  if (info) shell.setVersion(`${info.name} ${info.version}`);
});
