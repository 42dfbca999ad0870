// The revoke screen's part: which token or mapping to revoke and which to keep, and the optional signed
// check that NetSuite now refuses the old one.

import { checkOld } from "../../app/actions/step";
import type { Local } from "../../app/local";
import { Button, Fingerprint, Note, Section, Words } from "../../components/widgets";
import type { RevokeView } from "../../types";
import { ApiShortcut } from "./M2m";

export function Revoke({ r, local }: { r: RevokeView; local: Local }) {
  const check = r.check;
  const certs = r.certificates;
  const thing = certs ? "key" : "token";
  return (
    <Section title={certs ? "The mapping to revoke" : "The token to revoke"} testid="revoke">
      {certs ? (
        <dl class="revoke-facts">
          <dt>Revoke this one (the old mapping)</dt>
          <dd data-testid="revoke-old">
            <strong data-testid="revoke-old-name">{`Certificate ID ${certs.old.certificate_id ?? "not recorded"}`}</strong>{" "}
            <Fingerprint fp={`${certs.old.fingerprint.slice(0, 23)}…`} />
            <span class="muted small revoke-when">{` · valid until ${certs.old.expires}`}</span>
          </dd>
          <dt>Keep this one (the new mapping, now in use)</dt>
          <dd data-testid="revoke-new">
            {certs.new ? `Certificate ID ${certs.new.certificate_id ?? "not recorded"}` : "not in use yet"}{" "}
            {certs.new ? <Fingerprint fp={`${certs.new.fingerprint.slice(0, 23)}…`} /> : null}
          </dd>
        </dl>
      ) : null}
      {certs?.still_active ? (
        <p class="muted small" data-testid="revoke-still-active" role="status">
          {certs.still_active.length <= 1
            ? `NetSuite now lists only the mapping in use (${certs.still_active[0] ?? "none"}) as active for this role and user.`
            : `NetSuite still lists ${certs.still_active.length} active mappings for this role and user: ${certs.still_active[0]} (in use), ${certs.still_active.slice(1).join(", ")}. Revoke any you no longer need on the mapping page.`}
        </p>
      ) : null}
      {certs ? (
        <ApiShortcut
          what="revoke"
          offered={certs.revoke_by_api}
          local={local}
          certificateId={certs.old.certificate_id ?? "not recorded"}
        />
      ) : null}
      {certs ? null : (
        <dl class="revoke-facts">
          <dt>Revoke this one (the old token)</dt>
          <dd data-testid="revoke-old">
            <strong data-testid="revoke-old-name">{r.token_name ?? "name not recorded"}</strong>{" "}
            {r.token_fingerprint ? <Fingerprint fp={r.token_fingerprint} /> : null}
            <span class="muted small revoke-when">{` · saved here on ${r.created_at.slice(0, 10)}`}</span>
          </dd>
          {/* A move to OAuth 2.0 leaves no new token to keep: the connection has a key now. */}
          {r.new_token_name || r.new_token_fingerprint ? (
            <>
              <dt>Keep this one (the new token, now in use)</dt>
              <dd data-testid="revoke-new">
                {r.new_token_name ?? "name not recorded"}{" "}
                {r.new_token_fingerprint ? <Fingerprint fp={r.new_token_fingerprint} /> : null}
              </dd>
            </>
          ) : null}
        </dl>
      )}
      {r.can_check ? (
        <>
          <p class="muted small">
            {`Optional: after revoking, the wizard can sign a call with the old ${thing} to prove NetSuite refuses it.`}
          </p>
          <div class="card-actions">
            <Button onClick={() => void checkOld()} testid="revoke-check" disabled={local.oldCheckRunning}>
              {local.oldCheckRunning ? "Checking…" : `Check that the old ${thing} is refused`}
            </Button>
          </div>
          {check ? (
            <Note
              kind={check.result === "refused" ? "ok" : check.result === "accepted" ? "warn" : "info"}
              testid="revoke-check-result"
            >
              <Words text={check.summary} />
            </Note>
          ) : null}
        </>
      ) : null}
    </Section>
  );
}
