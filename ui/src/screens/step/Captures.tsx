// Taking the values NetSuite shows only once. "Paste" makes Rust read the clipboard, save the value
// in the keyring and clear the clipboard; the window only ever learns the fingerprint. The password
// field is a fallback for typing, emptied as soon as its value is sent (it is never drawn with a value).

import { keepAsIs, paste, toggleTyped, typed } from "../../app/actions/step";
import type { Local } from "../../app/local";
import { Button, Fingerprint, Section, SrOnly, Words } from "../../components/widgets";
import type { CaptureView, ScreenView } from "../../types";

export function Captures({ screen, local }: { screen: ScreenView; local: Local }) {
  return (
    <Section
      title="Save what NetSuite shows once"
      testid="captures"
      class="block-captures"
      lead="Copy each value on NetSuite's page, then press its Paste button here. The wizard takes it from the clipboard straight into your system keyring and empties the clipboard. The value is never shown, here or anywhere."
    >
      {screen.captures.map((c) => (
        <CaptureCard key={c.field} c={c} local={local} />
      ))}
    </Section>
  );
}

function CaptureCard({ c, local }: { c: CaptureView; local: Local }) {
  const f = c.field;
  const msg = local.capture[f];
  const statusId = `cap-${f}-status`;
  const inputId = `type-${f}-input`;
  // The doubt is Rust's (it survives a restart); the warnings are the last capture's own words.
  const warnings = msg?.warnings.length ? msg.warnings : c.doubt ? [c.doubt] : [];
  const warned = warnings.length > 0 || c.doubt !== null;
  const cls = ["capture", c.fingerprint && !warned ? "is-saved" : "", warned ? "has-warnings" : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div class={cls} data-testid={`capture-${f}`}>
      <div class="cap-head">
        <h3 class="cap-title">{c.label}</h3>
        {c.fingerprint && c.doubt !== null ? (
          <p class="cap-status is-doubtful" data-testid={`capture-${f}-status`} id={statusId}>
            <span class="cap-doubt" aria-hidden="true" />
            {"Saved, but check it · "}
            <Fingerprint fp={c.fingerprint} />
          </p>
        ) : c.fingerprint ? (
          <p class="cap-status is-saved" data-testid={`capture-${f}-status`} id={statusId}>
            <span class="cap-tick" aria-hidden="true" />
            {"Saved to the keyring · "}
            <Fingerprint fp={c.fingerprint} />
          </p>
        ) : (
          <p class="cap-status" data-testid={`capture-${f}-status`} id={statusId}>
            Not saved yet
          </p>
        )}
      </div>
      <div class="cap-actions">
        <Button
          onClick={() => paste(f)}
          testid={`paste-${f}`}
          variant={c.fingerprint ? "secondary" : "primary"}
          icon="paste"
          describedBy={statusId}
        >
          {c.fingerprint ? `Paste ${c.label} again` : `Paste ${c.label}`}
        </Button>
      </div>
      {msg || warnings.length ? (
        <div
          class={`cap-msg cap-${msg?.kind ?? "ok"}`}
          data-testid={`capture-${f}-message`}
          role={msg?.kind === "error" ? "alert" : undefined}
        >
          {msg ? (
            <p>
              <Words text={msg.message} />
            </p>
          ) : null}
          {warnings.length ? (
            <ul class="cap-warnings" data-testid={`capture-${f}-warnings`}>
              {warnings.map((w) => (
                <li>{w}</li>
              ))}
            </ul>
          ) : null}
          {c.doubt !== null ? (
            <div class="cap-keep">
              <Button onClick={() => void keepAsIs(f)} testid={`capture-${f}-keep`} variant="small">
                Keep it as it is
              </Button>
            </div>
          ) : null}
        </div>
      ) : null}
      <details
        class="type-instead"
        data-testid={`type-${f}`}
        open={local.typeOpen[f] ?? false}
        onToggle={(ev) => toggleTyped(f, ev.currentTarget.open)}
      >
        <summary data-testid={`type-${f}-toggle`}>Paste does not work? Type it instead</summary>
        <form
          class="type-form"
          noValidate
          onSubmit={(ev) => {
            ev.preventDefault();
            const input = ev.currentTarget.querySelector<HTMLInputElement>(`#${inputId}`);
            if (input) typed(f, input);
          }}
        >
          <label class="field-label" for={inputId}>
            {`Type the ${c.label}`}
            <SrOnly text=" (hidden as you type)" />
          </label>
          <div class="input-row">
            <input
              class="text-input"
              data-testid={`type-${f}-input`}
              id={inputId}
              type="password"
              autocomplete="off"
              autocapitalize="off"
              spellcheck={false}
              data-secret="true"
            />
            <button type="submit" class="btn" data-testid={`type-${f}-save`}>
              Save
            </button>
          </div>
        </form>
      </details>
    </div>
  );
}
