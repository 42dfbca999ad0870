// The saved connections: test one, start a journey on one, remove one, forget an old copy, export them
// all or import some.

import { api, messageOf } from "../../api";
import { confirmDialog } from "../../components/dialog";
import type { HomeCard, HomeView, Moved } from "../../types";
import type { Journey } from "../../bindings";
import { freshLocal } from "../local";
import { announce, navigate, state, update } from "../store";
import { enterWizard, showError, toHome } from "../navigation";

export async function homeTest(id: string): Promise<void> {
  const s = state();
  if (s.homeTesting || s.busy) return;
  update({ homeTesting: { id, startedAt: Date.now() }, homeStatus: null, focus: `card-${id}-cancel` });
  announce("Testing the connection…");
  try {
    const home = await api.homeTest(id, (stage) => {
      const t = state().homeTesting;
      if (t?.id === id) update({ homeTesting: { ...t, stage } });
    });
    update({ home });
    const latest = home.cards.find((c) => c.id === id)?.latest;
    if (latest) announce(`${latest.passed ? "It works." : "The test failed."} ${latest.summary}`);
  } catch (e) {
    const text = messageOf(e);
    update({ homeStatus: { kind: "error", text } });
    announce(text);
  } finally {
    update({ homeTesting: null, focus: `card-${id}-test` });
  }
}

/** Renew now: asked first (the old mapping is revoked at the end, so the integration must get the new key),
 * then each step shown on the card as Rust tells it. */
export async function renewCertificate(card: HomeCard): Promise<void> {
  const s = state();
  if (s.homeTesting || s.busy) return;
  const ok = await confirmDialog({
    title: `Renew the certificate of “${card.label}” now?`,
    body:
      "The wizard makes a new key and certificate, uploads the certificate to NetSuite as a new mapping, tests it, " +
      "switches to it, then revokes the old mapping. From then on, only the new private key works: renew here when " +
      "the integration reads its key from this computer, or hand the new key over right after (the card offers it).",
    confirm: "Renew now",
    cancel: "Not now",
    testid: "confirm-renew",
  });
  if (!ok) return;
  const id = card.id;
  update({ homeTesting: { id, startedAt: Date.now(), renewing: true }, homeStatus: null, focus: `card-${id}-cancel` });
  announce("Renewing the certificate…");
  // Back to Renew now, or to the hand-off of the new key once it is in use.
  let focus: `card-${string}` = `card-${id}-renew`;
  try {
    const home = await api.homeRenew(id, (stage) => {
      const t = state().homeTesting;
      if (t?.id === id) update({ homeTesting: { ...t, stage } });
    });
    update({ home });
    const renewal = home.cards.find((c) => c.id === id)?.renewal;
    if (renewal) announce(renewal.message);
    if (renewal?.renewed) focus = `card-${id}-renewal-handoff`;
  } catch (e) {
    const text = messageOf(e);
    update({ homeStatus: { kind: "error", text } });
    announce(text);
  } finally {
    update({ homeTesting: null, focus });
  }
}

export function cancelHomeTest(): void {
  void api.cancelTest().catch(() => undefined);
}

async function changeCard(
  ask: Parameters<typeof confirmDialog>[0],
  command: () => Promise<HomeView>,
  ok: string,
): Promise<void> {
  if (!(await confirmDialog(ask))) return;
  let homeStatus: { kind: "ok" | "error"; text: string };
  try {
    update({ home: await command() });
    homeStatus = { kind: "ok", text: ok };
  } catch (e) {
    homeStatus = { kind: "error", text: messageOf(e) };
  }
  // The card or its button is gone: focus goes to the message that says so.
  update({ homeStatus, focus: "home-status" });
  announce(homeStatus.text);
}

export function removeConnection(card: HomeCard): void {
  void changeCard(
    {
      title: `Remove “${card.label}”?`,
      body: `Its saved values are deleted from your keyring and it leaves this list. NetSuite is not changed: if the token is no longer used anywhere, revoke it there too (Setup > Users/Roles > Access Tokens).`,
      confirm: "Remove",
      cancel: "Keep it",
      danger: true,
      testid: "confirm-remove",
    },
    () => api.removeConnection(card.id),
    `Removed “${card.label}”; its values were deleted from the keyring.`,
  );
}

export function forgetOldCopy(card: HomeCard): void {
  void changeCard(
    {
      title: `Delete the old copy for “${card.label}”?`,
      body: "The values in use stay. Only the copy of the replaced values is deleted from your keyring; it cannot be used to check the old token afterwards.",
      confirm: "Delete the old copy",
      cancel: "Keep it",
      danger: true,
      testid: "confirm-forget-old",
    },
    () => api.forgetOldCopy(card.id),
    `Deleted the old copy for “${card.label}” from the keyring.`,
  );
}

export async function startJourney(id: string, journey: Exclude<Journey, "setup">): Promise<void> {
  const s = state();
  if (s.busy || s.homeTesting) return;
  update({ busy: true });
  try {
    enterWizard(await api.journeyStart(id, journey));
  } catch (e) {
    const text = messageOf(e);
    update({ homeStatus: { kind: "error", text } });
    announce(text);
  } finally {
    update({ busy: false });
  }
}

export function resumeJourney(): void {
  const v = state().view;
  if (v.journey === "setup" || !v.current) return;
  navigate({ mode: "wizard", local: freshLocal(v.current.id) });
}

export async function endJourney(): Promise<void> {
  // Not while a call is under way: its answer would come back to a journey that is gone.
  if (state().busy) return;
  const words = state().view.controls;
  if (!words) return;
  const ok = await confirmDialog({
    title: words.stop_title,
    body: words.stop_body,
    confirm: "Stop",
    cancel: "Go on",
    danger: words.stop_discards,
    testid: "confirm-stop",
  });
  if (!ok) return;
  try {
    update({ view: await api.journeyEnd() });
    // Stopping is not a success: the words are shown neutral, not in the success style.
    await toHome(words.stopped, "info");
  } catch (e) {
    showError(e);
  }
}

/** Export or import through the system's file dialog, which Rust opens; the outcome goes in the status line. */
async function moveConnections(command: () => Promise<Moved>, opened: string, testid: "home-export" | "home-import"): Promise<void> {
  const s = state();
  if (s.busy || s.homeTesting) return;
  update({ busy: true, homeStatus: null });
  announce(opened);
  let homeStatus: { kind: "ok" | "info" | "error"; text: string };
  try {
    const moved = await command();
    update({ home: moved.home });
    homeStatus =
      moved.message === null
        ? { kind: "info", text: "Nothing was done: the file dialog was closed without choosing a file." }
        : { kind: "ok", text: moved.message };
  } catch (e) {
    homeStatus = { kind: "error", text: messageOf(e) };
  } finally {
    update({ busy: false });
  }
  update({ homeStatus, focus: testid });
  announce(homeStatus.text);
}

export function exportConnections(): void {
  void moveConnections(
    () => api.homeExport(),
    "The save dialog is open: choose where the export goes.",
    "home-export",
  );
}

export function importConnections(): void {
  void moveConnections(
    () => api.homeImport(),
    "The file dialog is open: choose an export of tba-wizard.",
    "home-import",
  );
}
