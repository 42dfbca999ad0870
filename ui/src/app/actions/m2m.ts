// What an OAuth 2.0 (machine to machine) setup asks for beyond the other steps: the key and certificate,
// the mapping's Certificate ID, and the private key's export at the hand-off. The key itself never
// passes through the window: Rust makes it, or takes it from the clipboard, straight into the keyring.

import { api, CommandError, messageOf } from "../../api";
import { confirmDialog } from "../../components/dialog";
import type { CaptureNote } from "../local";
import { announce, state, update, updateLocal } from "../store";
import { setView } from "../navigation";

type Work = "make" | "import";

/** Resolves to the error the command ended with, if any. */
async function keyWork(
  kind: Work,
  command: () => ReturnType<typeof api.makeKey>,
  done: string,
): Promise<CommandError | null> {
  if (state().busy) return null;
  update({ busy: true });
  updateLocal(() => ({ error: null, key: { busy: kind, note: null, folder: null } }));
  announce(kind === "make" ? "Making the key and certificate…" : "Checking and importing the key…");
  try {
    const made = await command();
    const message = `${done} The certificate is saved as ${made.path}.`;
    setView(made.view);
    updateLocal(() => ({
      key: { busy: null, note: { kind: "ok", message, warnings: made.warnings }, folder: null },
    }));
    update({ focus: "key-show-folder" });
    announce(`${message} ${made.warnings.join(" ")}`.trim());
    return null;
  } catch (e) {
    const message = messageOf(e);
    updateLocal(() => ({ key: { busy: null, note: { kind: "error", message, warnings: [] }, folder: null } }));
    update({ focus: kind === "make" ? "key-make" : "key-import" });
    announce(message);
    return e instanceof CommandError ? e : new CommandError("unknown", message);
  } finally {
    update({ busy: false });
  }
}

export async function makeKey(algorithm: string, replacing: boolean): Promise<void> {
  if (replacing) {
    const ok = await confirmDialog({
      title: "Make a new key and certificate?",
      body: "The key in your keyring and its certificate are replaced. If you already uploaded the old certificate, upload the new one as a new mapping and enter its Certificate ID; revoke the old mapping in NetSuite.",
      confirm: "Make a new key",
      cancel: "Keep the current key",
      testid: "confirm-new-key",
    });
    if (!ok) return;
  }
  await keyWork("make", () => api.makeKey(algorithm), "Key made and kept in your system keyring.");
}

/**
 * Resolves to true when the certificate field must be emptied: Rust refused it for holding a private
 * key, which must not stay on screen.
 */
export async function importKey(certificate: string): Promise<boolean> {
  if (certificate.trim() === "") {
    updateLocal((l) => ({
      key: {
        ...l.key,
        note: { kind: "error", message: "Paste the certificate (the public .pem file's text) first.", warnings: [] },
      },
    }));
    update({ focus: "key-import-certificate" });
    return false;
  }
  const error = await keyWork(
    "import",
    () => api.importKey(certificate),
    "Key imported into your system keyring, and the clipboard emptied.",
  );
  return error?.code === "bad_input" && certificate.includes("PRIVATE KEY");
}

export async function saveCertificate(): Promise<void> {
  try {
    const saved = await api.saveCertificate();
    setView(saved.view);
    const message = `Certificate saved as ${saved.path}.`;
    updateLocal((l) => ({ key: { ...l.key, note: { kind: "ok", message, warnings: [] } } }));
    announce(message);
  } catch (e) {
    const message = messageOf(e);
    updateLocal((l) => ({ key: { ...l.key, note: { kind: "error", message, warnings: [] } } }));
    announce(message);
  }
}

/**
 * "Save a copy as…": Rust opens the system's save dialog and writes the file; the window only waits, with
 * the button disabled, and says where the copy went or that nothing was saved.
 */
/**
 * "Choose the key and certificate files…": the system's open dialog, shown by Rust; the files are read
 * there, so the private key never passes through this page or the clipboard.
 */
export async function importKeyFiles(): Promise<void> {
  if (state().busy) return;
  update({ busy: true });
  updateLocal((l) => ({ key: { ...l.key, busy: "import-files", note: null } }));
  announce("The file dialog is open: choose the private key's file and its certificate.");
  let focus: "key-import-files" | "key-show-folder" = "key-import-files";
  try {
    const imported = await api.importKeyFiles();
    setView(imported.view);
    const made = imported.made;
    const note: CaptureNote =
      made === null
        ? { kind: "info", message: "Nothing imported: the dialog was closed without choosing a file.", warnings: [] }
        : {
            kind: "ok",
            message: `Key imported into your system keyring from its file. The certificate is saved as ${made.path}.`,
            warnings: made.warnings,
          };
    if (made !== null) focus = "key-show-folder";
    updateLocal((l) => ({ key: { ...l.key, busy: null, note } }));
    announce(`${note.message} ${note.warnings.join(" ")}`.trim());
  } catch (e) {
    const message = messageOf(e);
    updateLocal((l) => ({ key: { ...l.key, busy: null, note: { kind: "error", message, warnings: [] } } }));
    announce(message);
  } finally {
    update({ busy: false, focus });
  }
}

export async function saveCertificateAs(): Promise<void> {
  if (state().busy) return;
  update({ busy: true });
  updateLocal((l) => ({ key: { ...l.key, busy: "save-as", note: null } }));
  announce("The save dialog is open: choose a folder and a file name for the certificate.");
  try {
    const saved = await api.saveCertificateAs();
    setView(saved.view);
    const note: CaptureNote =
      saved.path === null
        ? { kind: "info", message: "Not saved: the save dialog was closed without choosing a file.", warnings: [] }
        : { kind: "ok", message: `Certificate saved as ${saved.path}, readable by your user only.`, warnings: [] };
    updateLocal((l) => ({ key: { ...l.key, busy: null, note } }));
    announce(note.message);
  } catch (e) {
    const message = messageOf(e);
    updateLocal((l) => ({ key: { ...l.key, busy: null, note: { kind: "error", message, warnings: [] } } }));
    announce(message);
  } finally {
    update({ busy: false, focus: "key-save-as" });
  }
}

export async function showCertificate(): Promise<void> {
  try {
    const shown = await api.showCertificate();
    const message = shown.opened ? `Opened the folder ${shown.folder}.` : (shown.message ?? `The folder is ${shown.folder}.`);
    updateLocal((l) => ({ key: { ...l.key, folder: message } }));
    announce(message);
  } catch (e) {
    const message = messageOf(e);
    updateLocal((l) => ({ key: { ...l.key, folder: message } }));
    announce(message);
  }
}

export function draftCertificateId(value: string): void {
  updateLocal((l) => ({ certificateId: { ...l.certificateId, draft: value } }));
}

export async function setCertificateId(value: string): Promise<void> {
  if (state().busy) return;
  if (value.trim() === "") {
    updateLocal(() => ({ certificateId: { error: "Paste the Certificate ID from the mapping's row first.", draft: "" } }));
    update({ focus: "certificate-id-input" });
    return;
  }
  update({ busy: true });
  try {
    const next = await api.setCertificateId(value);
    setView(next, { focus: "certificate-id-save" });
    updateLocal(() => ({ certificateId: { error: null, draft: null } }));
    announce("Certificate ID saved.");
  } catch (e) {
    const error = messageOf(e);
    const secret = e instanceof CommandError && e.code === "secret_like";
    updateLocal((l) => ({ certificateId: { error, draft: secret ? "" : l.certificateId.draft } }));
    update({ focus: "certificate-id-input" });
    announce(error);
  } finally {
    update({ busy: false });
  }
}

export async function exportKey(): Promise<void> {
  const ok = await confirmDialog({
    title: "Save the private key to a file?",
    body: "The file holds the private key itself. With it and the Client ID, anyone can sign in to NetSuite as the integration's role. The wizard saves it in your Downloads folder, readable by your user only. Move it to the system that runs the integration, then delete it here.",
    confirm: "Save the private key",
    cancel: "Cancel",
    danger: true,
    testid: "confirm-export-key",
  });
  if (!ok) return;
  try {
    const exported = await api.exportKey();
    const message = `Private key saved as ${exported.path}, readable by your user only.`;
    updateLocal(() => ({ exported: { ok: true, message } }));
    announce(message);
  } catch (e) {
    const message = messageOf(e);
    updateLocal(() => ({ exported: { ok: false, message } }));
    announce(message);
  }
}

/**
 * A replacement's shortcut through NetSuite's certificate endpoint: the upload of the new certificate as
 * a mapping like the one in use, or the revoke of the old mapping. Whatever fails, the message says why
 * and the guided steps on the screen still work.
 */
export async function certificateByApi(what: "upload" | "revoke", certificateId?: string): Promise<void> {
  if (state().busy) return;
  if (what === "revoke") {
    // A revoke cannot be undone: it is asked, naming the mapping, before anything is sent.
    const ok = await confirmDialog({
      title: "Revoke the old mapping?",
      body: `NetSuite will refuse every request signed for Certificate ID ${certificateId ?? "not recorded"} from now on. The new mapping, now in use, is not touched. This cannot be undone.`,
      confirm: `Revoke ${certificateId ?? "the old mapping"}`,
      cancel: "Keep it for now",
      danger: true,
      testid: "confirm-revoke",
    });
    if (!ok) return;
  }
  const button = what === "upload" ? "certificate-id-api" : "revoke-api";
  update({ busy: true });
  updateLocal(() => ({ certificateApi: { busy: what, note: null } }));
  announce(what === "upload" ? "Uploading the new certificate to NetSuite…" : "Revoking the old mapping in NetSuite…");
  try {
    const next = await (what === "upload" ? api.uploadCertificate() : api.revokeOldMapping());
    const message =
      what === "upload"
        ? "NetSuite made the new mapping; its Certificate ID is saved below."
        : "NetSuite revoked the old mapping.";
    // An error left in the Certificate ID field is about a value the upload has replaced.
    updateLocal((l) => ({
      certificateApi: { busy: null, note: { ok: true, message } },
      certificateId: what === "upload" ? { error: null, draft: null } : l.certificateId,
    }));
    // The button goes once done: focus moves to what it did, so a keyboard user is not left at the top.
    setView(next, { focus: what === "upload" ? "certificate-id-api-message" : "revoke-api-message" });
    announce(message);
  } catch (e) {
    const message = messageOf(e);
    updateLocal(() => ({ certificateApi: { busy: null, note: { ok: false, message } } }));
    update({ focus: button });
    announce(message);
  } finally {
    update({ busy: false });
  }
}
