// What a wizard screen asks for: the account, ticks and picks, opening pages, taking the values
// NetSuite shows once, copying for the hand-off, the token's name, the check of a revoked token.

import { api, CommandError, messageOf } from "../../api";
import { confirmDialog } from "../../components/dialog";
import type { CaptureField, CopyWhat } from "../../types";
import { announce, state, update, updateLocal } from "../store";
import { act, enqueue, setView, showError } from "../navigation";

export function draftAccount(input: string): void {
  updateLocal((l) => ({ account: { ...l.account, draft: input } }));
}

export async function setAccount(input: string): Promise<void> {
  if (state().busy) return;
  if (input.trim() === "") {
    updateLocal((l) => ({ account: { ...l.account, error: "Paste the account ID or a NetSuite address first." } }));
    update({ focus: "account-input" });
    return;
  }
  update({ busy: true });
  try {
    updateLocal((l) => ({ error: null, account: { ...l.account, error: null } }));
    const next = await api.setAccount(input);
    setView(next);
    updateLocal((l) => ({ account: { ...l.account, draft: null, checking: true } }));
    announce(`Account ${next.account?.id ?? ""}, ${next.account?.environment_label ?? ""}. Checking with NetSuite.`);
    const checked = await api.checkAccount();
    updateLocal((l) => ({ account: { ...l.account, checking: false } }));
    // The button was disabled while it worked, which dropped focus to the body: give it back.
    setView(checked, { focus: "account-submit" });
    const dc = checked.account?.datacenter;
    if (dc) announce(dc.message);
  } catch (e) {
    const error = messageOf(e);
    // A secret pasted here must not stay on a screen that may be shared.
    const secret = e instanceof CommandError && e.code === "secret_like";
    updateLocal((l) => ({ account: { checking: false, error, draft: secret ? "" : l.account.draft } }));
    update({ focus: "account-input" });
    announce(error);
  } finally {
    update({ busy: false });
  }
}

/** A tick or pick shows at once, as the user made it, until Rust's answer (which has the last word, and
 * alone moves the count of lines done). A controlled checkbox would otherwise flip back on any redraw
 * while its command waits in the queue. */
function pending(key: string, change: { checked?: boolean; picked?: boolean } | null): void {
  updateLocal((l) => {
    const next = { ...l.pending };
    if (change) next[key] = { ...next[key], ...change };
    else delete next[key];
    return { pending: next };
  });
}

export function tick(key: string, checked: boolean): void {
  const screen = state().view.current?.id;
  if (!screen) return;
  pending(key, { checked });
  enqueue(() => api.tick(screen, key, checked), () => pending(key, null));
}

export function pick(key: string, picked: boolean): void {
  pending(key, { picked });
  enqueue(() => api.pick(key, picked), () => pending(key, null));
}

export async function open(which: string): Promise<void> {
  try {
    const opened = await api.open(which);
    updateLocal((l) => ({
      links: { ...l.links, [which]: { opened: opened.opened, url: opened.url, message: opened.message, copied: null } },
    }));
    announce(opened.opened ? "Opened in your web browser." : (opened.message ?? "No web browser could be opened."));
  } catch (e) {
    showError(e);
  }
}

export async function copyLink(which: string): Promise<void> {
  let copied: string;
  try {
    await api.copy({ kind: "link", which });
    copied = "Address copied. Paste it into your browser's address bar.";
  } catch (e) {
    copied = messageOf(e);
  }
  const note = state().local.links[which];
  if (!note) return;
  updateLocal((l) => ({ links: { ...l.links, [which]: { ...note, copied } } }));
  announce(copied);
}

export function paste(field: CaptureField): void {
  void capture(field, () => api.capturePaste(field), "Taken from the clipboard, which is empty again.");
}

/** A value saved with a warning, kept as it is: Next stops waiting for it to be pasted again. */
export async function keepAsIs(field: CaptureField): Promise<void> {
  if (state().busy) return;
  update({ busy: true });
  try {
    setView(await api.keepValue(field), { focus: `paste-${field}` });
    const message = "Kept as it is. If the test fails, paste it again.";
    updateLocal((l) => ({ capture: { ...l.capture, [field]: { kind: "ok", message, warnings: [] } } }));
    announce(message);
  } catch (e) {
    showError(e);
  } finally {
    update({ busy: false });
  }
}

export function typed(field: CaptureField, input: HTMLInputElement): void {
  const value = input.value;
  // The typed value leaves the page at once: the field is emptied before Rust even answers.
  input.value = "";
  if (value.trim() === "") {
    updateLocal((l) => ({
      capture: { ...l.capture, [field]: { kind: "error", message: "Type the value first, then Save.", warnings: [] } },
    }));
    update({ focus: `type-${field}-input` });
    return;
  }
  void capture(field, () => api.captureTyped(field, value), "Taken from the field, which is empty again.", true);
}

export function toggleTyped(field: CaptureField, open: boolean): void {
  updateLocal((l) => ({ typeOpen: { ...l.typeOpen, [field]: open } }));
}

async function capture(
  field: CaptureField,
  command: () => ReturnType<typeof api.capturePaste>,
  okText: string,
  typedIn = false,
): Promise<void> {
  if (state().busy) return;
  update({ busy: true });
  updateLocal(() => ({ busyCapture: field, error: null }));
  try {
    const result = await command();
    updateLocal((l) => ({
      busyCapture: null,
      capture: {
        ...l.capture,
        [field]: {
          kind: "ok",
          message: result.warnings.length > 0 ? `${okText} Saved, but check this:` : okText,
          warnings: result.warnings,
        },
      },
    }));
    setView(result.view, { focus: typedIn ? `type-${field}-input` : `paste-${field}` });
    const label = state().view.current?.captures.find((c) => c.field === field)?.label ?? "Value";
    announce(
      `${label} saved to the keyring, fingerprint ${result.fingerprint ?? "unknown"}. ${result.warnings.join(" ")}`.trim(),
    );
  } catch (e) {
    const message = messageOf(e);
    updateLocal((l) => ({ busyCapture: null, capture: { ...l.capture, [field]: { kind: "error", message, warnings: [] } } }));
    announce(message);
  } finally {
    updateLocal(() => ({ busyCapture: null }));
    update({ busy: false });
  }
}

/** How long a Copy button says "Copied" after its click. */
export const COPIED_FLASH_MS = 2000;

export async function copy(what: CopyWhat, key: string): Promise<void> {
  try {
    const copied = await api.copy(what);
    const base =
      copied.clears_in_seconds !== null
        ? `Copied — cleared from the clipboard in ${copied.clears_in_seconds} s, or when you quit`
        : "Copied";
    const message = copied.history_note ? `${base}. ${copied.history_note}` : base;
    updateLocal(() => ({ copies: { [key]: { ok: true, message, flash: true } } }));
    announce(message);
    // The clicked button says "Copied" for a moment, then "Copy" again; the note under its row stays.
    window.setTimeout(() => {
      updateLocal((l) => {
        const now = l.copies[key];
        return now?.flash ? { copies: { ...l.copies, [key]: { ...now, flash: false } } } : {};
      });
    }, COPIED_FLASH_MS);
  } catch (e) {
    const message = messageOf(e);
    updateLocal(() => ({ copies: { [key]: { ok: false, message } } }));
    announce(message);
  }
}

export function toggleAudit(open: boolean): void {
  updateLocal(() => ({ auditOpen: open }));
}

export async function discardNew(): Promise<void> {
  if (state().busy) return;
  const words = state().view.controls;
  if (!words) return;
  const ok = await confirmDialog({
    title: words.discard_title,
    body: words.discard_body,
    confirm: "Discard",
    cancel: words.discard_keep,
    danger: true,
    testid: "confirm-discard",
  });
  if (ok) await act(() => api.journeyDiscardNew());
}

export async function setTokenName(name: string): Promise<void> {
  await act(() => api.journeySetTokenName(name));
  if (!state().local.error) announce("Token name saved.");
}

export async function checkOld(): Promise<void> {
  const s = state();
  if (s.busy || s.local.oldCheckRunning) return;
  updateLocal(() => ({ oldCheckRunning: true }));
  announce(s.view.controls?.checking_old ?? "");
  try {
    const next = await api.journeyCheckOld();
    updateLocal(() => ({ oldCheckRunning: false }));
    // The button was disabled while it worked: focus goes back to it.
    setView(next, { focus: "revoke-check" });
    const current = next.current;
    const check = current?.kind === "revoke" ? current.revoke.check : null;
    if (check) announce(check.summary);
  } catch (e) {
    updateLocal(() => ({ oldCheckRunning: false }));
    showError(e, "revoke-check");
  }
}
