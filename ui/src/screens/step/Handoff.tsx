// The hand-off: what to enter on the connector's side, field by field, with copy buttons. Secrets
// appear as their fingerprint only; Copy puts the value on the clipboard from Rust, which empties
// it again after 30 seconds.

import { exportKey } from "../../app/actions/m2m";
import { copy, open } from "../../app/actions/step";
import type { Local } from "../../app/local";
import { Button, Fingerprint, Section } from "../../components/widgets";
import type { HandOffView } from "../../types";
import { LinkNote } from "./links";

export function Handoff({
  h,
  local,
  nested,
  connectorButton,
}: {
  h: HandOffView;
  local: Local;
  nested: boolean;
  connectorButton: boolean;
}) {
  const page = h.connector_page;
  const fallback = local.links["connector"];
  const children = (
    <>
      <p class="block-lead" data-testid="handoff-intro">
        {h.intro}
      </p>
      <ul class="handoff" data-testid="handoff-fields">
        {h.fields.map((f, i) => {
          const key = f.secret ? `secret:${f.secret}` : f.m2m ? `m2m:${f.m2m}` : `text:${f.label}`;
          const copied = local.copies[key];
          // The button says so for a moment after its copy (COPIED_FLASH_MS).
          const flashing = copied?.ok === true && copied.flash === true;
          const field = f.secret;
          const m2m = f.m2m;
          const kept = field !== null || m2m !== null;
          const what = field ? ({ kind: "secret", field } as const) : m2m ? ({ kind: "m2m", value: m2m } as const) : null;
          return (
            <li class="ho-row" data-testid={`handoff-${i}`} data-label={f.label}>
              <span class="ho-label" data-testid={`handoff-${i}-label`}>
                {f.label}
                {f.change ? (
                  <span class={`ho-change ho-${f.change}`} data-testid={`handoff-${i}-change`}>
                    {f.change === "new" ? "New" : "Unchanged"}
                  </span>
                ) : null}
              </span>
              <span class="ho-value">
                {kept ? (
                  f.fingerprint ? (
                    <span class="ho-secret" data-testid={`handoff-${i}-value`}>
                      {"secret · "}
                      <Fingerprint fp={f.fingerprint} />
                    </span>
                  ) : (
                    <span class="ho-missing" data-testid={`handoff-${i}-value`}>
                      not saved yet
                    </span>
                  )
                ) : (
                  <code class="ho-text" data-testid={`handoff-${i}-value`}>
                    {f.text ?? ""}
                  </code>
                )}
              </span>
              <span class="ho-copy">
                <Button
                  onClick={() => void copy(what ?? { kind: "handoff", label: f.label }, key)}
                  testid={`handoff-${i}-copy`}
                  label={flashing ? `Copied ${f.label}` : `Copy ${f.label}`}
                  disabled={kept ? !f.fingerprint : !f.text}
                  icon="copy"
                  variant="small"
                >
                  {flashing ? "Copied" : "Copy"}
                </Button>
                {m2m === "private_key" ? (
                  <Button
                    onClick={() => void exportKey()}
                    testid="handoff-export-key"
                    label="Save to file… (the private key)"
                    disabled={!f.fingerprint}
                    variant="small"
                  >
                    Save to file…
                  </Button>
                ) : null}
              </span>
              {m2m === "private_key" && local.exported ? (
                <p
                  class={`ho-copied ${local.exported.ok ? "" : "is-error"}`.trim()}
                  data-testid="handoff-export-key-result"
                  role={local.exported.ok ? "status" : "alert"}
                >
                  {local.exported.message}
                </p>
              ) : null}
              {copied ? (
                <p
                  class={`ho-copied ${copied.ok ? "" : "is-error"}`.trim()}
                  data-testid={`handoff-${i}-copied`}
                  role={copied.ok ? undefined : "alert"}
                >
                  {copied.message}
                </p>
              ) : null}
              {f.note ? (
                <p class="ho-note" id={`ho-${i}-note`}>
                  {f.note}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
      <p class="small muted">
        Secrets are never shown. Copy puts one on the clipboard for 30 seconds, then the wizard empties the clipboard
        again.
      </p>
      {page && connectorButton ? (
        <div class="link-row is-main">
          <Button onClick={() => void open("connector")} testid="open-connector" variant="primary" icon="open">
            {page.title}
          </Button>
          {page.hint ? <p class="link-hint">{page.hint}</p> : null}
          {fallback ? <LinkNote which="connector" fallback={fallback} testid="open-connector" /> : null}
        </div>
      ) : null}
    </>
  );
  if (nested) {
    return (
      <Section title={h.title} testid="handoff" class="block-handoff">
        {children}
      </Section>
    );
  }
  return (
    <section class="block block-handoff" data-testid="handoff" aria-label={h.title}>
      {children}
    </section>
  );
}
