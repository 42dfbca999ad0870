// Entering the account: an ID or any NetSuite address in, the canonical ID, the environment and
// what NetSuite said about it out.

import { el } from "./dom";
import type { Actions, Local } from "./local";
import type { View } from "./types";
import { environmentBadge, note, section } from "./widgets";

export function renderAccountEntry(view: View, local: Local, actions: Actions): HTMLElement {
  const account = view.account;
  const input = el("input", {
    class: "text-input",
    testid: "account-input",
    attrs: {
      id: "account-input",
      type: "text",
      autocomplete: "off",
      autocapitalize: "off",
      spellcheck: "false",
      placeholder: "1234567_SB1, or https://1234567-sb1.app.netsuite.com/…",
      "aria-describedby": "account-help" + (local.account.error ? " account-error" : ""),
      "aria-invalid": local.account.error ? "true" : null,
    },
  });
  input.value = local.account.draft ?? account?.id ?? "";
  input.addEventListener("input", () => actions.draftAccount(input.value));

  const submit = el("button", {
    class: `btn ${account ? "" : "btn-primary"}`.trim(),
    testid: "account-submit",
    attrs: { type: "submit", disabled: local.account.checking },
    text: "Use this account",
  });
  const form = el("form", { class: "account-form", testid: "account-form", attrs: { novalidate: true } }, [
    el("label", { class: "field-label", attrs: { for: "account-input" }, text: "Account ID or NetSuite address" }),
    el("div", { class: "input-row" }, [input, submit]),
    el("p", {
      class: "field-help",
      attrs: { id: "account-help" },
      text: "Any address from your NetSuite browser tab works too: the wizard takes the account from it.",
    }),
    local.account.error
      ? el("p", {
          class: "field-error",
          testid: "account-error",
          attrs: { id: "account-error", role: "alert" },
          text: local.account.error,
        })
      : null,
  ]);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    actions.setAccount(input.value);
  });

  const children: Node[] = [form];
  if (account) {
    const dc = account.datacenter;
    let status: HTMLElement;
    if (local.account.checking) {
      status = el("p", { class: "dc dc-checking", testid: "account-status" }, [
        el("span", { class: "spinner", attrs: { "aria-hidden": "true" } }),
        "Checking with NetSuite…",
      ]);
    } else if (!dc) {
      status = el("p", { class: "dc dc-none", testid: "account-status", text: "Not checked with NetSuite yet." });
    } else {
      status = el("div", { class: `dc dc-${dc.status}`, testid: "account-status" }, [
        el("span", { class: "dc-icon", attrs: { "aria-hidden": "true" } }),
        el("div", {}, [el("strong", { text: dc.message })]),
      ]);
      if (dc.status === "offline") {
        status.appendChild(
          el("p", {
            class: "dc-aside",
            text: "That is fine: you can go on, and the test at the end talks to NetSuite again.",
          }),
        );
      }
    }
    children.push(
      el("div", { class: `account-card ${account.production ? "is-prod" : ""}`.trim(), testid: "account-result" }, [
        el("div", { class: "account-line" }, [
          el("span", { class: "account-label", text: "Account ID" }),
          el("code", { class: "account-id", testid: "account-id", text: account.id }),
          environmentBadge(account),
        ]),
        status,
        account.production
          ? note(
              "warn",
              [
                "This is a production account: what you change here changes the live NetSuite. Tokens made here do not work in a sandbox.",
              ],
              "prod-warning",
            )
          : null,
      ].filter((c): c is HTMLElement => c !== null)),
    );
  }
  return section("Your account", children, { testid: "account", class: "block-account" });
}
