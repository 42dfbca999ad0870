// The home screen: every saved connection with what is known about it, and what can be done with it.
// Rust decides everything shown here (tba_engine::home); this only lays it out.

import type { TestId } from "./testids";
import { el } from "./dom";
import type { HomeCard, HomeView, LastTest } from "./types";
import { button, fingerprintChip, note } from "./widgets";

export interface HomeOptions {
  home: HomeView;
  /** The card whose test is running, if any, and since when. */
  testing: { id: string; startedAt: number } | null;
  status: { kind: "ok" | "error"; text: string } | null;
  onTest(id: string): void;
  onCancelTest(): void;
  onJourney(id: string, journey: "rotate_token" | "rotate_consumer" | "handoff"): void;
  onResumeJourney(): void;
  onRemove(card: HomeCard): void;
  onForgetOld(card: HomeCard): void;
  onRetry(): void;
  onResumeSetup(): void;
  onNew(): void;
}

export function renderHome(o: HomeOptions): Node[] {
  const out: Node[] = [
    el("header", { class: "screen-head" }, [
      el("p", { class: "eyebrow", testid: "eyebrow" }, [el("span", { class: "eyebrow-text", text: "tba-wizard" })]),
      el("h1", { class: "title", testid: "home-title", attrs: { id: "screen-title" }, text: "Saved connections" }),
      el("p", {
        class: "lead",
        text: "Test a connection, replace its token, or hand its values to the connector again. Secrets stay in your keyring; only fingerprints are shown.",
      }),
    ]),
  ];
  if (o.status) {
    const status = note(o.status.kind, [o.status.text], "home-status");
    status.tabIndex = -1; // focus lands here after an action removed the button that had it
    out.push(status);
  }
  if (o.home.problem) {
    out.push(
      note(
        "error",
        [
          el("p", { text: o.home.problem }),
          button("Try again", () => o.onRetry(), { testid: "home-retry", variant: "small" }),
        ],
        "home-problem",
      ),
    );
  }
  if (o.home.setup && !o.home.journey) {
    const s = o.home.setup;
    out.push(
      note(
        "info",
        [
          el("p", {
            text: `A setup of ${s.profile_name}${s.account ? ` for ${s.account}` : ""} is under way (${s.progress}).`,
          }),
          button("Resume setup", () => o.onResumeSetup(), { testid: "home-resume-setup", variant: "small" }),
        ],
        "home-setup",
      ),
    );
  }
  const list = el(
    "ul",
    { class: "home-cards", testid: "home-cards", attrs: { "aria-label": "Saved connections" } },
    o.home.cards.map((c) => el("li", {}, [card(c, o)])),
  );
  out.push(list);
  if (o.home.cards.length === 0) {
    out.push(el("p", { class: "muted", testid: "home-empty", text: "No connections are saved yet." }));
  }
  out.push(
    el("div", { class: "home-new" }, [
      button("Set up a new connection", () => o.onNew(), { testid: "home-new", variant: "primary" }),
    ]),
  );
  return out;
}

function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function lastTestLine(t: LastTest | null): { text: string; kind: "ok" | "bad" | "none" } {
  if (!t) return { text: "Not tested yet", kind: "none" };
  const words = t.outcome.replace(/_/g, " ");
  const code = [t.http_status !== null ? `HTTP ${t.http_status}` : "", t.error_code ?? ""].filter(Boolean).join(" ");
  return t.outcome === "success"
    ? { text: `Worked · ${when(t.at)}`, kind: "ok" }
    : { text: `Failed: ${words}${code ? ` (${code})` : ""} · ${when(t.at)}`, kind: "bad" };
}

function card(c: HomeCard, o: HomeOptions): HTMLElement {
  const id: TestId = `card-${c.id}`;
  const testing = o.testing?.id === c.id;
  const last = lastTestLine(c.last_test);
  const envKind = c.production ? "prod" : c.environment_label.startsWith("Sandbox") ? "sandbox" : "other";
  const busyElsewhere = o.testing !== null && !testing;
  const journeyHere = c.journey;
  const journeyElsewhere = o.home.journey !== null && !journeyHere;

  const actions: (HTMLElement | null)[] = journeyHere
    ? [
        button(`Resume: ${journeyHere.title.toLowerCase()}`, () => o.onResumeJourney(), {
          testid: `${id}-resume`,
          variant: "primary",
        }),
      ]
    : [
        c.can_test
          ? button(testing ? "Testing…" : "Test now", () => o.onTest(c.id), {
              testid: `${id}-test`,
              disabled: testing || busyElsewhere,
            })
          : null,
        testing ? button("Cancel", () => o.onCancelTest(), { testid: `${id}-cancel`, variant: "quiet" }) : null,
        button("Replace token", () => o.onJourney(c.id, "rotate_token"), {
          testid: `${id}-rotate`,
          disabled: o.testing !== null || journeyElsewhere || c.missing.length > 0,
        }),
        c.can_rotate_consumer
          ? button("Reset consumer key", () => o.onJourney(c.id, "rotate_consumer"), {
              testid: `${id}-rotate-consumer`,
              disabled: o.testing !== null || journeyElsewhere || c.missing.length > 0,
            })
          : null,
        button("Hand off again", () => o.onJourney(c.id, "handoff"), {
          testid: `${id}-handoff`,
          disabled: o.testing !== null || journeyElsewhere || c.missing.length > 0,
        }),
        button("Remove", () => o.onRemove(c), { testid: `${id}-remove`, variant: "danger", disabled: testing }),
      ];

  return el("article", { class: "home-card", testid: id, attrs: { "aria-labelledby": `${id}-label` } }, [
    el("div", { class: "card-head" }, [
      el("h2", { class: "card-title", attrs: { id: `${id}-label` }, testid: `${id}-label`, text: c.label }),
      el("span", { class: "card-connector", testid: `${id}-connector`, text: c.connector }),
    ]),
    el("dl", { class: "card-facts" }, [
      el("dt", { text: "Account" }),
      el("dd", {}, [
        el("code", { testid: `${id}-account`, text: c.account }),
        " ",
        el("span", { class: `env-badge env-${envKind}`, testid: `${id}-env` }, [
          c.production ? el("span", { class: "env-dot", attrs: { "aria-hidden": "true" } }) : null,
          c.environment_label,
        ]),
      ]),
      el("dt", { text: "Token" }),
      el("dd", { testid: `${id}-token` }, [
        c.token_name ?? "name not recorded",
        " ",
        c.token_fingerprint ? fingerprintChip(c.token_fingerprint) : el("span", { class: "muted", text: "no token saved" }),
      ]),
      el("dt", { text: "Last test" }),
      el("dd", { class: `last-test last-${last.kind}`, testid: `${id}-last-test` }, [
        testing
          ? el("span", { attrs: { role: "status" } }, [
              "Testing… ",
              el("span", {
                testid: `${id}-elapsed`,
                // Re-read every second otherwise.
                attrs: { "aria-hidden": "true" },
                text: `${Math.round((Date.now() - (o.testing?.startedAt ?? Date.now())) / 1000)} s`,
              }),
            ])
          : last.text,
      ]),
    ]),
    c.missing.length > 0
      ? note("warn", [`Missing from the keyring: ${c.missing.join(", ")}. Set the connection up again.`], `${id}-missing`)
      : null,
    c.hint ? note("warn", [c.hint], `${id}-hint`) : null,
    c.old_copy_kept && !journeyHere
      ? note(
          "warn",
          [
            el("p", {
              text: "A copy of the values this connection used before a replacement is still in your keyring: the replacement did not finish. Delete it once the old token is revoked in NetSuite.",
            }),
            button("Delete the old copy", () => o.onForgetOld(c), { testid: `${id}-forget-old`, variant: "small" }),
          ],
          `${id}-old-copy`,
        )
      : null,
    c.latest && !testing
      ? note(
          c.latest.passed ? "ok" : "error",
          [
            el("p", { text: c.latest.summary }),
            c.latest.causes.length > 0
              ? el("ul", { class: "card-causes" }, c.latest.causes.map((t) => el("li", { text: t })))
              : null,
          ],
          `${id}-latest`,
        )
      : null,
    journeyHere
      ? note("info", [`${journeyHere.title} is under way (${journeyHere.progress}).`], `${id}-journey`)
      : null,
    el("div", { class: "card-actions" }, actions),
  ]);
}
