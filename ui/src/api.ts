// The app's commands, typed. Every call goes to Rust; the window decides nothing on its own. This is
// the only module that invokes: `Command` comes from the registry in Rust (bindings.ts), so a command
// that does not exist is a type error. Errors arrive as `{code, message, step?}` and are thrown as
// `CommandError`, whose `code` is the Rust side's `ErrorCode`.

import { Channel, invoke } from "@tauri-apps/api/core";
import type { AppInfo, Command, ErrorCode, Journey, LinkEvent, ScreenId } from "./bindings";
import type {
  CaptureField,
  Captured,
  Copied,
  CopyWhat,
  DiagnosticsSaved,
  FileSaved,
  FolderShown,
  HomeView,
  KeyExported,
  KeyFilesImported,
  KeyMade,
  Moved,
  Opened,
  SavedAs,
  View,
} from "./types";

export class CommandError extends Error {
  readonly code: ErrorCode | "unknown";
  readonly step: string | null;

  constructor(code: ErrorCode | "unknown", message: string, step: string | null = null) {
    super(message);
    this.name = "CommandError";
    this.code = code;
    this.step = step;
  }
}

function toError(raw: unknown): CommandError {
  if (typeof raw === "object" && raw !== null) {
    const r = raw as Record<string, unknown>;
    const message = typeof r["message"] === "string" ? r["message"] : "Something went wrong.";
    const code = typeof r["code"] === "string" ? (r["code"] as ErrorCode) : "unknown";
    const step = typeof r["step"] === "string" ? r["step"] : null;
    return new CommandError(code, message, step);
  }
  if (typeof raw === "string" && raw.trim() !== "") return new CommandError("unknown", raw);
  return new CommandError("unknown", "Something went wrong.");
}

/// A channel whose every message (what a test is doing now, in Rust's words) goes to `heard`.
function stages(heard: (text: string) => void): Channel<string> {
  const channel = new Channel<string>();
  channel.onmessage = heard;
  return channel;
}

async function call<T>(command: Command, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toError(raw);
  }
}

export const api = {
  appInfo: () => call<AppInfo>("app_info"),
  linkReady: () => call<LinkEvent[]>("link_ready"),
  linkApply: (id: number) => call<View>("link_apply", { id }),
  view: () => call<View>("wizard_view"),
  start: (profile: string) => call<View>("wizard_start", { profile }),
  reset: () => call<View>("wizard_reset"),
  setAccount: (input: string) => call<View>("wizard_set_account", { input }),
  checkAccount: () => call<View>("wizard_check_account"),
  tick: (screen: ScreenId, key: string, checked: boolean) => call<View>("wizard_tick", { screen, key, checked }),
  pick: (key: string, picked: boolean) => call<View>("wizard_pick", { key, picked }),
  next: () => call<View>("wizard_next"),
  back: () => call<View>("wizard_back"),
  goto: (screen: ScreenId) => call<View>("wizard_goto", { screen }),
  capturePaste: (field: CaptureField) => call<Captured>("wizard_capture_paste", { field }),
  captureTyped: (field: CaptureField, value: string) => call<Captured>("wizard_capture_typed", { field, value }),
  keepValue: (field: CaptureField) => call<View>("wizard_keep_value", { field }),
  open: (which: string) => call<Opened>("wizard_open", { which }),
  copy: (what: CopyWhat) => call<Copied>("wizard_copy", { what }),
  runTest: (onStage: (text: string) => void) => call<View>("wizard_run_test", { onStage: stages(onStage) }),
  cancelTest: () => call<null>("wizard_cancel_test"),
  makeKey: (algorithm: string) => call<KeyMade>("wizard_make_key", { algorithm }),
  importKey: (certificate: string) => call<KeyMade>("wizard_import_key", { certificate }),
  importKeyFiles: () => call<KeyFilesImported>("wizard_import_key_files"),
  saveCertificate: () => call<FileSaved>("wizard_save_certificate"),
  /** Opens the system's save dialog (from Rust); `path` is null when it was closed without a file. */
  saveCertificateAs: () => call<SavedAs>("wizard_save_certificate_as"),
  showCertificate: () => call<FolderShown>("wizard_show_certificate"),
  setCertificateId: (value: string) => call<View>("wizard_set_certificate_id", { value }),
  exportKey: () => call<KeyExported>("wizard_export_key"),
  uploadCertificate: () => call<View>("journey_upload_certificate"),
  revokeOldMapping: () => call<View>("journey_revoke_old_mapping"),
  home: () => call<HomeView>("home_view"),
  homeTest: (id: string, onStage: (text: string) => void) =>
    call<HomeView>("home_test", { id, onStage: stages(onStage) }),
  homeRenew: (id: string, onStage: (text: string) => void) =>
    call<HomeView>("home_renew", { id, onStage: stages(onStage) }),
  removeConnection: (id: string) => call<HomeView>("connection_remove", { id }),
  forgetOldCopy: (id: string) => call<HomeView>("connection_forget_old", { id }),
  /** The system's save or open dialog (from Rust); `message` is null when it was closed without a file. */
  homeExport: () => call<Moved>("home_export"),
  homeImport: () => call<Moved>("home_import"),
  journeyStart: (id: string, journey: Exclude<Journey, "setup">) =>
    call<View>("journey_start", { id, journey }),
  journeyEnd: () => call<View>("journey_end"),
  journeyDiscardNew: () => call<View>("journey_discard_new"),
  journeySetTokenName: (name: string) => call<View>("journey_set_token_name", { name }),
  journeyCheckOld: () => call<View>("journey_check_old"),
  copyDiagnostics: () => call<null>("support_copy_diagnostics"),
  saveDiagnostics: () => call<DiagnosticsSaved>("support_save_diagnostics"),
};

export function messageOf(e: unknown): string {
  if (e instanceof CommandError) return e.message;
  if (e instanceof Error) return e.message;
  return "Something went wrong.";
}
