// The start screen: what the wizard does, and which connector to set up.

import { CONNECTORS, codeRange, type ConnectorId } from "./connectors";
import { el, srOnly } from "./dom";

export interface StartScreen {
  nodes: Node[];
  /** Show a short confirmation under the choices (read out by screen readers). */
  setStatus(text: string): void;
}

export interface StartOptions {
  selected: ConnectorId | null;
  onSelect(id: ConnectorId): void;
  /** Enter on a chosen card does what the footer's Continue button does. */
  onSubmit(): void;
}

export function renderStart(opts: StartOptions): StartScreen {
  const title = el("h1", {
    class: "title",
    testid: "start-title",
    attrs: { id: "start-title" },
    text: "Connect NetSuite with Token-Based Authentication",
  });
  const intro = el("p", {
    class: "lede",
    testid: "start-intro",
    text:
      "This wizard guides you through your connector's NetSuite steps one screen at a time, " +
      "keeps the secrets NetSuite shows only once in your system keyring, " +
      "and tests that the connection works.",
  });

  const legend = el("legend", { class: "choices-legend", text: "Which connector are you setting up?" });
  const cards = CONNECTORS.map((c) => {
    const input = el("input", {
      class: "choice-input",
      testid: `connector-${c.id}-input`,
      attrs: {
        type: "radio",
        name: "connector",
        value: c.id,
        id: `connector-${c.id}`,
        "aria-describedby": `connector-${c.id}-summary connector-${c.id}-codes`,
      },
    });
    input.checked = opts.selected === c.id;
    input.addEventListener("change", () => {
      if (input.checked) opts.onSelect(c.id);
    });
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && input.checked) {
        ev.preventDefault();
        opts.onSubmit();
      }
    });
    return el("label", { class: "choice", testid: `connector-${c.id}`, attrs: { for: input.id } }, [
      input,
      el("span", { class: "choice-mark", attrs: { "aria-hidden": "true" } }),
      el("span", { class: "choice-body" }, [
        el("span", { class: "choice-head" }, [
          el("span", { class: "choice-name", text: c.name }),
          el("span", { class: "choice-codes", attrs: { id: `connector-${c.id}-codes` } }, [
            srOnly("Steps "),
            codeRange(c),
          ]),
        ]),
        el("span", { class: "choice-summary", attrs: { id: `connector-${c.id}-summary` }, text: c.summary }),
      ]),
    ]);
  });
  const fieldset = el("fieldset", { class: "choices", testid: "connector-choices" }, [legend, ...cards]);

  const status = el("p", { class: "status", testid: "status", attrs: { role: "status" } });

  return {
    nodes: [el("header", { class: "screen-head" }, [title, intro]), fieldset, status],
    setStatus(text: string) {
      status.textContent = text;
    },
  };
}
