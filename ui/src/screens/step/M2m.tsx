// OAuth 2.0's own step bodies: the key and certificate (made in the keyring with one button, or
// imported), and the mapping's Certificate ID. The private key never reaches the window: the page
// sees the certificate (public) and fingerprints only.

import { useState } from "preact/hooks";
import {
  certificateByApi,
  draftCertificateId,
  importKey,
  importKeyFiles,
  makeKey,
  saveCertificate,
  saveCertificateAs,
  setCertificateId,
  showCertificate,
} from "../../app/actions/m2m";
import type { Local } from "../../app/local";
import { Button, Note, Section, Words } from "../../components/widgets";
import type { CertificateCard, CertificateIdView, KeyView } from "../../types";

function CertificateFacts({ c, file, testid }: { c: CertificateCard; file: string | null; testid: "key-certificate" | "certificate-id-certificate" }) {
  return (
    <dl class="cert-facts" data-testid={testid}>
      <dt>Algorithm</dt>
      <dd data-testid={`${testid}-algorithm`}>{c.algorithm}</dd>
      <dt>Valid until</dt>
      <dd data-testid={`${testid}-expires`}>{`${c.expires} (${c.days_left} days)`}</dd>
      <dt>SHA-256 fingerprint</dt>
      <dd>
        <code class="cert-fp" data-testid={`${testid}-fingerprint`}>
          {c.fingerprint}
        </code>
      </dd>
      {file ? (
        <>
          <dt>File</dt>
          <dd>
            <code class="cert-file" data-testid={`${testid}-file`}>
              {file}
            </code>
          </dd>
        </>
      ) : null}
    </dl>
  );
}

export function KeyPanel({ k, local }: { k: KeyView; local: Local }) {
  const fallback = k.algorithms.find((a) => a.default)?.name ?? "ES256";
  const [algorithm, setAlgorithm] = useState<string>(fallback);
  const [certificate, setCertificate] = useState("");
  const busy = local.key.busy;
  const note = local.key.note;
  const made = k.certificate !== null;
  return (
    <Section
      title={made ? "Your key and certificate" : "Make the key and certificate"}
      testid="key"
      class="block-key"
      lead="The private key goes straight into your system keyring and is never shown. The certificate is public: it is what you upload to NetSuite in the next step."
    >
      {k.certificate ? (
        <>
          <p class="cap-status is-saved" data-testid="key-status">
            <span class="cap-tick" aria-hidden="true" />
            {k.key_fingerprint ? `Private key in the keyring · fingerprint ${k.key_fingerprint}` : "Private key in the keyring"}
          </p>
          <CertificateFacts c={k.certificate} file={k.file} testid="key-certificate" />
          <div class="card-actions">
            {k.file ? (
              <Button onClick={() => void showCertificate()} testid="key-show-folder" icon="open">
                Show the certificate in its folder
              </Button>
            ) : null}
            <Button
              onClick={() => void saveCertificate()}
              testid="key-save-again"
              variant={k.file ? "quiet" : "primary"}
              disabled={busy !== null}
            >
              {k.file ? "Save another copy" : "Save the certificate"}
            </Button>
            <Button onClick={() => void saveCertificateAs()} testid="key-save-as" variant="quiet" disabled={busy !== null}>
              {busy === "save-as" ? "Choosing where to save…" : "Save a copy as…"}
            </Button>
          </div>
          {busy === "save-as" ? (
            <p class="muted small" data-testid="key-save-as-progress" role="status">
              The save dialog is open: choose a folder and a file name for the certificate, or Cancel.
            </p>
          ) : null}
          {local.key.folder ? (
            <p class="muted small" data-testid="key-folder-message" role="status">
              {local.key.folder}
            </p>
          ) : null}
        </>
      ) : (
        <p class="cap-status" data-testid="key-status">
          No key yet
        </p>
      )}
      <form
        class="key-form"
        data-testid="key-form"
        noValidate
        onSubmit={(ev) => {
          ev.preventDefault();
          void makeKey(algorithm, made);
        }}
      >
        <label class="field-label" for="key-algorithm">
          Algorithm
        </label>
        <div class="input-row">
          <select
            class="text-input"
            id="key-algorithm"
            data-testid="key-algorithm"
            value={algorithm}
            onChange={(ev) => setAlgorithm(ev.currentTarget.value)}
          >
            {k.algorithms.map((a) => (
              <option value={a.name}>{`${a.name} · ${a.key}${a.default ? " (recommended)" : ""}`}</option>
            ))}
          </select>
          <button
            type="submit"
            class={made ? "btn" : "btn btn-primary"}
            data-testid="key-make"
            disabled={busy !== null}
          >
            {busy === "make" ? "Making the key…" : made ? "Make a new key and certificate" : "Make key and certificate"}
          </button>
        </div>
        {busy === "make" ? (
          <p class="muted small" data-testid="key-progress" role="status">
            Making the key pair and a certificate valid for two years. An RSA key can take several seconds.
          </p>
        ) : null}
      </form>
      <details class="type-instead" data-testid="key-import-toggle-box">
        <summary data-testid="key-import-toggle">Already have a key? Import it instead</summary>
        <p class="muted small">
          Choose the private key's file and its certificate: one file holding both, or the two files together
          (hold Ctrl). The wizard reads them itself, so the key never appears on screen or on the clipboard.
        </p>
        <button
          type="button"
          class="btn btn-primary"
          data-testid="key-import-files"
          disabled={busy !== null}
          onClick={() => void importKeyFiles()}
        >
          {busy === "import-files" ? "Waiting for the file dialog…" : "Choose the key and certificate files…"}
        </button>
        <p class="muted small">Or, without the dialog, from the clipboard:</p>
        <form
          class="type-form"
          data-testid="key-import-form"
          noValidate
          onSubmit={(ev) => {
            ev.preventDefault();
            void importKey(certificate).then((clear) => {
              if (clear) setCertificate("");
            });
          }}
        >
          <label class="field-label" for="key-import-certificate">
            1. Paste the certificate here (the public .pem file, from -----BEGIN CERTIFICATE-----)
          </label>
          <textarea
            class="text-input cert-input"
            id="key-import-certificate"
            data-testid="key-import-certificate"
            rows={4}
            spellcheck={false}
            autocomplete="off"
            value={certificate}
            onInput={(ev) => setCertificate(ev.currentTarget.value)}
          />
          <p class="muted small">
            2. Copy the private key file's whole text (it starts with -----BEGIN PRIVATE KEY----- or -----BEGIN EC
            PRIVATE KEY-----), then press Import. The wizard takes it from the clipboard into the keyring and empties
            the clipboard, even if the key is refused: it never appears on screen. A clipboard history tool
            (Windows' Win+V, Klipper, Maccy) may still keep a copy: clear its history afterwards.
          </p>
          <button type="submit" class="btn" data-testid="key-import" disabled={busy !== null}>
            {busy === "import" ? "Importing…" : "Import: take the private key from the clipboard"}
          </button>
        </form>
      </details>
      {note ? (
        <div
          class={`cap-msg cap-${note.kind}`}
          data-testid="key-message"
          role={note.kind === "error" ? "alert" : "status"}
        >
          <p>
            <Words text={note.message} />
          </p>
          {note.warnings.length ? (
            <ul class="cap-warnings">
              {note.warnings.map((w) => (
                <li>{w}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </Section>
  );
}

export function CertificateIdForm({ c, local }: { c: CertificateIdView; local: Local }) {
  const draft = local.certificateId.draft;
  const error = local.certificateId.error;
  return (
    <Section
      title="The mapping's Certificate ID"
      testid="certificate-id"
      class="block-certificate-id"
      lead="Upload this certificate in the mapping, then copy the Certificate ID NetSuite shows in the mapping's row."
    >
      {c.certificate ? <CertificateFacts c={c.certificate} file={c.file} testid="certificate-id-certificate" /> : null}
      <ApiShortcut what="upload" offered={c.upload_by_api} local={local} />
      <form
        class="type-form"
        data-testid="certificate-id-form"
        noValidate
        onSubmit={(ev) => {
          ev.preventDefault();
          const input = ev.currentTarget.querySelector<HTMLInputElement>("#certificate-id-input");
          void setCertificateId(input?.value ?? "");
        }}
      >
        <label class="field-label" for="certificate-id-input">
          Certificate ID
        </label>
        <div class="input-row">
          <input
            class="text-input"
            data-testid="certificate-id-input"
            id="certificate-id-input"
            type="text"
            autocomplete="off"
            spellcheck={false}
            maxLength={200}
            aria-invalid={error ? "true" : undefined}
            aria-describedby={error ? "certificate-id-error" : undefined}
            value={draft ?? c.value ?? ""}
            onInput={(ev) => draftCertificateId(ev.currentTarget.value)}
          />
          <button type="submit" class="btn" data-testid="certificate-id-save">
            Save
          </button>
        </div>
      </form>
      {error ? (
        <Note kind="error" testid="certificate-id-error">
          <span id="certificate-id-error">{error}</span>
        </Note>
      ) : c.value ? (
        <p class="cap-status is-saved" data-testid="certificate-id-status">
          <span class="cap-tick" aria-hidden="true" />
          {`Saved: ${c.value}`}
        </p>
      ) : null}
    </Section>
  );
}

/**
 * "Do it for me" through NetSuite's certificate endpoint: needs a permission the role may lack, so it is
 * offered beside the guided steps, never instead of them.
 */
export function ApiShortcut({
  what,
  offered,
  local,
  certificateId,
}: {
  what: "upload" | "revoke";
  offered: boolean;
  local: Local;
  /** The revoke's: the old mapping's Certificate ID, named in the confirmation. */
  certificateId?: string;
}) {
  const busy = local.certificateApi.busy === what;
  const note = local.certificateApi.note;
  const upload = what === "upload";
  const id = upload ? "certificate-id-api" : "revoke-api";
  // Once done, the shortcut is no longer offered, but what it did stays said.
  if (!offered && !note) return null;
  return (
    <div class="api-shortcut" data-testid={upload ? "certificate-id-api-box" : "revoke-api-box"}>
      {offered ? (
        <>
          <p class="muted small">
            {what === "upload"
              ? "Or let the wizard upload it, with the key in use, as a mapping with the same entity, role and application. This needs the role's permission “Manage own OAuth 2.0 Client Credentials certificates”; without it, follow the steps above."
              : "Or let the wizard revoke it, with the new key. This needs the role's permission “Manage own OAuth 2.0 Client Credentials certificates”; without it, revoke it on the mapping page."}
          </p>
          <Button
            onClick={() => void certificateByApi(what, certificateId)}
            testid={id}
            disabled={local.certificateApi.busy !== null}
            variant={upload ? "secondary" : "danger"}
          >
            {busy
              ? what === "upload"
                ? "Uploading…"
                : "Revoking…"
              : what === "upload"
                ? "Upload it for me"
                : "Revoke it for me"}
          </Button>
        </>
      ) : null}
      {note ? (
        <Note kind={note.ok ? "ok" : "error"} testid={upload ? "certificate-id-api-message" : "revoke-api-message"} focusable>
          <Words text={note.message} />
        </Note>
      ) : null}
    </div>
  );
}
