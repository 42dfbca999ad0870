// The name of the token the user creates in NetSuite: NetSuite's Access Tokens list shows it, and the
// next replacement finds the token to revoke by it.

import { useState } from "preact/hooks";
import { setTokenName } from "../../app/actions/step";
import type { ScreenView } from "../../types";

export /** The new token's name as typed in NetSuite, so the next replacement can find it to revoke. */
function TokenNameForm({ screen, saved }: { screen: ScreenView; saved: string | null }) {
  const item = screen.checklist.find((i) => i.label === "TOKEN NAME");
  // What the field shows until the user types: the saved name, else the checklist's suggestion.
  const [name, setName] = useState<string | null>(null);
  if (!item) return null;
  return (
    <form
      class="type-form"
      data-testid="token-name-form"
      noValidate
      onSubmit={(ev) => {
        ev.preventDefault();
        const input = ev.currentTarget.querySelector<HTMLInputElement>("#token-name-input");
        void setTokenName(input?.value ?? "");
      }}
    >
      <label class="field-label" for="token-name-input">
        The token's name, as you typed it in NetSuite
      </label>
      <div class="input-row">
        <input
          class="text-input"
          data-testid="token-name-input"
          id="token-name-input"
          type="text"
          autocomplete="off"
          spellcheck={false}
          maxLength={100}
          value={name ?? saved ?? item.value ?? ""}
          onInput={(ev) => setName(ev.currentTarget.value)}
        />
        <button type="submit" class="btn" data-testid="token-name-save">
          Save name
        </button>
      </div>
      <p class="muted small">
        The wizard keeps it to find this token in NetSuite's list when it is time to replace it.
      </p>
    </form>
  );
}
