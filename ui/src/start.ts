// The start screen: what the wizard does, and which connector to set up.

import { CONNECTORS, codeRange, type ConnectorId } from "./connectors";
import { el, srOnly } from "./dom";
import { button, note } from "./widgets";

export interface ResumeOffer {
  profileId: string;
  profileName: string;
  /** "AS-3 of 5", "AS · test"… */
  progress: string;
  /** Where the wizard is, for the Continue button: "AS-3 of 5", or a screen's name ("Hand-off"). */
  where: string;
  account: string | null;
}

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
  /** A wizard left half-way, offered above the choices. */
  resume?: ResumeOffer | null;
  onResume?: () => void;
  onStartOver?: () => void;
  /** Something Rust wants said (e.g. saved progress could not be read). */
  notice?: string | null;
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

  const nodes: Node[] = [el("header", { class: "screen-head" }, [title, intro])];
  if (opts.notice) nodes.push(note("warn", [opts.notice], "notice"));
  const resume = opts.resume;
  if (resume) {
    const where = resume.account ? ` for account ${resume.account}` : "";
    nodes.push(
      el("section", { class: "resume", testid: "resume", attrs: { "aria-labelledby": "resume-title" } }, [
        el("h2", {
          class: "resume-title",
          attrs: { id: "resume-title" },
          text: "Pick up where you left off",
        }),
        el("p", { class: "resume-text", testid: "resume-text" }, [
          `${resume.profileName}${where}, at `,
          el("span", { class: "code-chip", text: resume.progress }),
          ". Your ticks and saved values are kept.",
        ]),
        el("div", { class: "resume-actions" }, [
          button(`Continue ${resume.profileName} at ${resume.where}`, () => opts.onResume?.(), {
            testid: "resume-continue",
            variant: "primary",
          }),
          button("Start over", () => opts.onStartOver?.(), { testid: "start-over" }),
        ]),
      ]),
    );
    legend.textContent = "Or set up another connector";
  }
  nodes.push(fieldset, status);

  return {
    nodes,
    setStatus(text: string) {
      status.textContent = text;
    },
  };
}
