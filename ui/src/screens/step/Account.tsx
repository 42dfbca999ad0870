// Entering the account: an ID or any NetSuite address in, the canonical ID, the environment and
// what NetSuite said about it out.

import { draftAccount, setAccount } from "../../app/actions/step";
import type { Local } from "../../app/local";
import { EnvironmentBadge, Note, Section, Words } from "../../components/widgets";
import type { View } from "../../types";

export function AccountEntry({ view, local }: { view: View; local: Local }) {
  const account = view.account;
  const error = local.account.error;
  const dc = account?.datacenter;
  let status = null;
  if (account) {
    if (local.account.checking) {
      status = (
        <p class="dc dc-checking" data-testid="account-status">
          <span class="spinner" aria-hidden="true" />
          Checking with NetSuite…
        </p>
      );
    } else if (!dc) {
      status = (
        <p class="dc dc-none" data-testid="account-status">
          Not checked with NetSuite yet.
        </p>
      );
    } else {
      status = (
        <div class={`dc dc-${dc.status}`} data-testid="account-status">
          <span class="dc-icon" aria-hidden="true" />
          <div>
            <strong>
              <Words text={dc.message} />
            </strong>
          </div>
          {dc.status === "offline" ? (
            <p class="dc-aside">That is fine: you can go on, and the test at the end talks to NetSuite again.</p>
          ) : null}
        </div>
      );
    }
  }
  return (
    <Section title="Your account" testid="account" class="block-account">
      <form
        class="account-form"
        data-testid="account-form"
        noValidate
        onSubmit={(ev) => {
          ev.preventDefault();
          const input = ev.currentTarget.querySelector<HTMLInputElement>("#account-input");
          void setAccount(input?.value ?? "");
        }}
      >
        <label class="field-label" for="account-input">
          Account ID or NetSuite address
        </label>
        <div class="input-row">
          <input
            class="text-input"
            data-testid="account-input"
            id="account-input"
            type="text"
            autocomplete="off"
            autocapitalize="off"
            spellcheck={false}
            placeholder="1234567_SB1, or https://1234567-sb1.app.netsuite.com/…"
            aria-describedby={"account-help" + (error ? " account-error" : "")}
            aria-invalid={error ? "true" : undefined}
            value={local.account.draft ?? account?.id ?? ""}
            onInput={(ev) => draftAccount(ev.currentTarget.value)}
          />
          <button
            type="submit"
            class={`btn ${account ? "" : "btn-primary"}`.trim()}
            data-testid="account-submit"
            disabled={local.account.checking}
          >
            Use this account
          </button>
        </div>
        <p class="field-help" id="account-help">
          Any address from your NetSuite browser tab works too: the wizard takes the account from it.
        </p>
        {error ? (
          <p class="field-error" data-testid="account-error" id="account-error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
      {account ? (
        <div class={`account-card ${account.production ? "is-prod" : ""}`.trim()} data-testid="account-result">
          <div class="account-line">
            <span class="account-label">Account ID</span>
            <code class="account-id" data-testid="account-id">
              {account.id}
            </code>
            <EnvironmentBadge account={account} />
          </div>
          {status}
          {account.production ? (
            <Note kind="warn" testid="prod-warning">
              This is a production account: what you change here changes the live NetSuite. Tokens made here do not
              work in a sandbox.
            </Note>
          ) : null}
        </div>
      ) : null}
    </Section>
  );
}
