// The installer-style frame every screen lives in: a rail of steps on the
// left, the current screen in the main pane, and a footer with the step code
// and progress on the left and Back / Next at the bottom right.

import type { TestId } from "./testids";
import { el, replaceChildren, srOnly } from "./dom";
import markUrl from "../../icons/icon-source.svg";
import { supportControl } from "./support";

export type RailState = "done" | "current" | "todo";

export interface RailItem {
  /** Step code from the connector's guide, e.g. "AS-3" or "C-B". */
  code?: string | undefined;
  label: string;
  state: RailState;
  /** Makes the item a button (e.g. to go back to a step already done). */
  onSelect?: (() => void) | undefined;
  /** Stable hook for the end-to-end tests. */
  testid?: TestId | undefined;
}

export interface RailGroup {
  /** Heading above the group (e.g. the connector's name); omitted for the first group. */
  title?: string;
  items: readonly RailItem[];
}

export interface FooterState {
  /** Step code and progress, e.g. "AS-3 of 5". Empty string hides it. */
  progress: string;
  back: { enabled: boolean; label?: string };
  next: { enabled: boolean; label: string };
  /** Why Next is disabled, shown beside the buttons (and read with Next). Empty hides it. */
  blocked?: string;
}

const STATE_TEXT: Record<RailState, string> = {
  done: "done",
  current: "current step",
  todo: "",
};

export class Shell {
  private readonly railNav: HTMLElement;
  private readonly railHint: HTMLParagraphElement;
  private readonly railAccount: HTMLDivElement;
  private readonly version: HTMLParagraphElement;
  private readonly main: HTMLElement;
  private readonly progress: HTMLParagraphElement;
  private readonly blocked: HTMLParagraphElement;
  private readonly live: HTMLDivElement;
  private readonly backButton: HTMLButtonElement;
  private readonly nextButton: HTMLButtonElement;
  private backHandler: () => void = () => {};
  private nextHandler: () => void = () => {};

  constructor(root: HTMLElement) {
    const brand = el("div", { class: "brand" }, [
      el("img", { class: "brand-mark", attrs: { src: markUrl, alt: "", width: 36, height: 36 } }),
      el("div", { class: "brand-text" }, [
        el("span", { class: "brand-name", text: "tba-wizard" }),
        el("span", { class: "brand-sub", text: "NetSuite TBA setup" }),
      ]),
    ]);
    this.railNav = el("nav", { class: "rail-steps", testid: "rail", attrs: { "aria-label": "Steps" } });
    this.railHint = el("p", { class: "rail-hint", testid: "rail-hint" });
    this.railAccount = el("div", { class: "rail-account", testid: "rail-account" });
    this.railAccount.hidden = true;
    this.version = el("p", { class: "version", testid: "app-version" });
    const rail = el("aside", { class: "rail" }, [
      brand,
      this.railAccount,
      this.railNav,
      this.railHint,
      this.version,
      supportControl(),
    ]);

    this.main = el("main", { class: "pane", attrs: { id: "main", tabindex: -1 } });

    this.progress = el("p", { class: "progress", testid: "step-code" });
    this.blocked = el("p", {
      class: "blocked",
      testid: "blocked-reason",
      attrs: { id: "blocked-reason" },
    });
    this.blocked.hidden = true;
    // One polite live region for the whole window: screens are rebuilt on every change, and a
    // region created together with its text is not reliably read out.
    this.live = el("div", { class: "sr-only", testid: "announce", attrs: { role: "status", "aria-live": "polite" } });
    this.backButton = el("button", {
      class: "btn",
      testid: "back",
      attrs: { type: "button" },
      text: "Back",
    });
    this.nextButton = el("button", {
      class: "btn btn-primary",
      testid: "continue",
      attrs: { type: "button" },
      text: "Next",
    });
    this.backButton.addEventListener("click", () => this.backHandler());
    this.nextButton.addEventListener("click", () => {
      if (this.nextButton.getAttribute("aria-disabled") === "true") {
        this.announce(this.blocked.textContent ?? "");
        return;
      }
      this.nextHandler();
    });
    const footer = el("footer", { class: "bar" }, [
      this.progress,
      this.blocked,
      el("div", { class: "actions" }, [this.backButton, this.nextButton]),
    ]);

    replaceChildren(root, [rail, this.main, footer, this.live]);
  }

  setRail(groups: readonly RailGroup[], hint = ""): void {
    const children = groups.map((group) => {
      const list = el(
        "ol",
        { class: "rail-list" },
        group.items.map((item) => {
          const parts = [
            el("span", { class: "rail-icon", attrs: { "aria-hidden": "true" } }),
            item.code ? el("span", { class: "rail-code", text: item.code }) : null,
            el("span", { class: "rail-label", text: item.label }),
            STATE_TEXT[item.state] ? srOnly(` (${STATE_TEXT[item.state]})`) : null,
          ];
          const select = item.onSelect;
          let li: HTMLLIElement;
          if (select && item.state !== "current") {
            const button = el(
              "button",
              { class: "rail-button", testid: item.testid, attrs: { type: "button" } },
              parts,
            );
            button.addEventListener("click", () => select());
            li = el("li", { class: `rail-item is-${item.state} is-link` }, [button]);
          } else {
            li = el("li", { class: `rail-item is-${item.state}`, testid: item.testid }, [
              el("span", { class: "rail-row" }, parts),
            ]);
          }
          if (item.state === "current") li.setAttribute("aria-current", "step");
          return li;
        }),
      );
      return group.title
        ? el("section", { class: "rail-group" }, [el("h2", { class: "rail-title", text: group.title }), list])
        : el("section", { class: "rail-group" }, [list]);
    });
    replaceChildren(this.railNav, children);
    this.railHint.textContent = hint;
    this.railHint.hidden = hint === "";
  }

  /**
   * Show a screen in the main pane. `focus` moves focus to its heading (use on navigation, not on
   * first load); `keepScroll` keeps the scroll position (the same screen, redrawn after a change).
   */
  setMain(content: readonly Node[], focus = false, keepScroll = false): void {
    const top = this.main.scrollTop;
    replaceChildren(this.main, content);
    this.main.scrollTop = keepScroll ? top : 0;
    if (focus) {
      const heading = this.main.querySelector<HTMLElement>("h1");
      if (heading) {
        heading.tabIndex = -1;
        heading.focus();
      }
    }
  }

  setFooter(state: FooterState): void {
    this.progress.textContent = state.progress;
    const blocked = state.blocked ?? "";
    this.blocked.textContent = blocked;
    this.blocked.hidden = blocked === "";
    if (blocked) this.nextButton.setAttribute("aria-describedby", "blocked-reason");
    else this.nextButton.removeAttribute("aria-describedby");
    this.backButton.textContent = state.back.label ?? "Back";
    this.backButton.disabled = !state.back.enabled;
    this.nextButton.textContent = state.next.label;
    // Blocked with a reason: focusable but inert, so Tab reaches it and the reason is read with it.
    // Blocked for no reason the user can act on (work under way): disabled outright.
    const withReason = !state.next.enabled && blocked !== "";
    this.nextButton.disabled = !state.next.enabled && !withReason;
    if (withReason) this.nextButton.setAttribute("aria-disabled", "true");
    else this.nextButton.removeAttribute("aria-disabled");
  }

  onBack(handler: () => void): void {
    this.backHandler = handler;
  }

  onNext(handler: () => void): void {
    this.nextHandler = handler;
  }

  /** The account the wizard works on (ID and environment), always in view; null hides it. */
  setAccount(content: readonly Node[] | null): void {
    replaceChildren(this.railAccount, content ?? []);
    this.railAccount.hidden = content === null;
  }

  /** Say something to screen readers (test progress, capture results, copies). */
  announce(text: string): void {
    // Clearing first makes the same sentence twice in a row be read twice.
    this.live.textContent = "";
    window.setTimeout(() => {
      this.live.textContent = text;
    }, 50);
  }

  get mainPane(): HTMLElement {
    return this.main;
  }

  setVersion(text: string): void {
    this.version.textContent = text;
    this.version.hidden = text === "";
  }
}
