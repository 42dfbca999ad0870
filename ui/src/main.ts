import "./styles.css";

import { api, messageOf } from "./api";
import { loadAppInfo } from "./app-info";
import { connectorById, type ConnectorId } from "./connectors";
import { confirmDialog } from "./dialog";
import { el } from "./dom";
import { trackInputModality } from "./focus";
import { freshLocal, type Actions, type Local } from "./local";
import { Shell, type RailGroup } from "./shell";
import { renderStart, type ResumeOffer } from "./start";
import { renderScreen } from "./step";
import type { CopyWhat, Field, View } from "./types";
import { environmentBadge } from "./widgets";

// ------------------------------------------------------------------ state

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");

trackInputModality(document.documentElement);

const shell = new Shell(root);

const EMPTY_VIEW: View = {
  active: false,
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
/** The start screen or the wizard's current screen. */
let mode: "start" | "wizard" = "start";
let local: Local = freshLocal(null);
let startSelected: ConnectorId | null = null;
let startStatus = "";
/** Said on the start screen after Finish. */
let finished: string | null = null;
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

  if (mode === "start" || !view.active || !view.current) renderStartScreen(opts.navigated ?? false);
  else renderWizard(opts.navigated ?? false);

  const target = focusNext ?? (keepFocus && !opts.navigated ? activeId : null);
  focusNext = null;
  if (target) {
    const node = document.querySelector<HTMLElement>(`[data-testid="${CSS.escape(target)}"]`);
    if (node && !(node as HTMLButtonElement).disabled) node.focus();
  }
}

function resumeOffer(): ResumeOffer | null {
  if (!view.active || !view.profile) return null;
  return {
    profileId: view.profile.id,
    profileName: view.profile.name,
    progress: view.progress,
    // "AS-3 of 5" for a step; the screen's name ("Test", "Hand-off") otherwise.
    where: view.current?.code ? view.progress : (view.current?.short_title ?? view.progress),
    account: view.account?.id ?? null,
    finished: finished !== null,
  };
}

function renderStartScreen(navigated: boolean): void {
  const offer = resumeOffer();
  const start = renderStart({
    selected: startSelected,
    resume: offer,
    notice: view.notice,
    finished,
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
  const first: RailGroup = { items: [{ label: "Choose a connector", state: "current" }] };
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
      state: !clickable && s.status === "current" ? (s.done || finished ? "done" : "todo") : s.status,
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

function renderWizard(navigated: boolean): void {
  shell.setAccount(railAccount());
  shell.setRail(
    [
      { items: [{ label: "Choose a connector", state: "done", testid: "rail-start", onSelect: () => toStart() }] },
      profileGroup(true),
    ],
    "",
  );
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

// ------------------------------------------------------------------ start screen

function toStart(): void {
  if (local.test.running) return;
  mode = "start";
  startSelected = null;
  startStatus = "";
  render({ navigated: true });
}

function resume(): void {
  if (!view.active || !view.current) return;
  finished = null;
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
    finished = null;
    startSelected = null;
    startStatus = "Started over. Choose a connector.";
    mode = "start";
    focusNext = "connector-celigo-input";
    render();
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
    finished = null;
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
  if (mode === "start" || local.test.running) return;
  if (!view.can_back) {
    toStart();
    return;
  }
  void act(() => api.back());
});

async function finish(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    view = await api.next();
    const who = view.profile?.name ?? "The connector";
    const account = view.account ? ` for account ${view.account.id}` : "";
    finished = `${who} is set up${account}.`;
    startStatus = "";
    mode = "start";
    startSelected = null;
    render({ navigated: true });
    shell.announce(finished);
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
        setView(checked);
        const dc = checked.account?.datacenter;
        if (dc) shell.announce(dc.message);
      } catch (e) {
        local.account.checking = false;
        local.account.error = messageOf(e);
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
        const message =
          copied.clears_in_seconds !== null
            ? `Copied — cleared from the clipboard in ${copied.clears_in_seconds} s`
            : "Copied";
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
      const last = current.test?.last;
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

// ------------------------------------------------------------------ boot

shell.setVersion("");
render();

void (async () => {
  try {
    view = await api.view();
  } catch {
    view = EMPTY_VIEW; // a plain browser without Tauri: the start screen still works as a preview
  }
  render();
})();

void loadAppInfo().then((info) => {
  if (info) shell.setVersion(`${info.name} ${info.version}`);
});
