// A wizard screen: the header, where to go in NetSuite and the button that opens it, what to do,
// the checklist with NetSuite's exact labels, and whatever the screen collects or shows.

import type { TestId } from "./testids";
import { renderAccountEntry } from "./account";
import { renderCaptures } from "./capture";
import { el, srOnly, type Child } from "./dom";
import { renderHandoff } from "./handoff";
import type { Actions, Local } from "./local";
import { renderTest } from "./test-screen";
import type { ItemView, PageLink, RevokeView, ScreenView, View } from "./types";
import { button, fingerprintChip, linkNote, menuPath, note, section } from "./widgets";

export function renderScreen(view: View, local: Local, actions: Actions): Node[] {
  const screen = view.current;
  if (!screen) return [];
  const out: Node[] = [header(view, screen)];
  if (local.error) out.push(note("error", [local.error], "screen-error"));

  if (screen.kind === "test") {
    out.push(...renderTest(view, screen, local, actions));
    out.push(...journeyControls(view, local, actions));
    return out;
  }
  if (screen.kind === "handoff" && screen.handoff) {
    if (screen.instructions.length > 0) {
      out.push(el("p", { class: "lede", testid: "handoff-lede", text: screen.instructions.join(" ") }));
    }
    out.push(...renderHandoff(screen.handoff, local, actions, { nested: false, connectorButton: true }));
    if (screen.checklist.length > 0) out.push(checklist(screen, actions));
    out.push(...journeyControls(view, local, actions));
    return out;
  }

  const where = whereBlock(screen, local, actions);
  if (where) out.push(where);
  if (screen.instructions.length > 0) {
    out.push(
      section(
        screen.kind === "info" ? "What happens" : "What to do",
        [el("ol", { class: "steps-list", testid: "instructions" }, screen.instructions.map((t) => el("li", { text: t })))],
        { testid: "what-to-do" },
      ),
    );
  }
  if (screen.kind === "account" || screen.collects_account) {
    out.push(renderAccountEntry(view, local, actions));
  }
  if (screen.kind === "step" && screen.handoff) {
    // On the connector's own step its page button is already at the top.
    out.push(...renderHandoff(screen.handoff, local, actions, { nested: true, connectorButton: screen.place !== "connector" }));
  }
  if (screen.kind === "revoke") out.push(revokeBlock(screen.revoke, local, actions));
  if (screen.checklist.length > 0) out.push(checklist(screen, actions));
  const makesToken =
    (view.journey === "rotate_token" && screen.id === "new-token") ||
    (view.journey === "setup" && screen.captures.some((c) => c.field === "token_id"));
  if (makesToken) {
    // In a rotation the connection's name is the old token's; the new one's is the checklist's value.
    const form = tokenNameForm(screen, view.journey === "setup" ? (view.connection?.token_name ?? null) : null, actions);
    if (form) out.push(form);
  }
  if (screen.captures.length > 0) out.push(renderCaptures(screen, local, actions));
  if (screen.tips.length > 0) {
    out.push(
      section("Good to know", [el("ul", { class: "tips" }, screen.tips.map((t) => el("li", { text: t })))], {
        testid: "tips",
        class: "block-tips",
      }),
    );
  }
  out.push(...journeyControls(view, local, actions));
  return out;
}

/** A journey on a saved connection can be stopped on any screen; a failed new token can be thrown away. */
function journeyControls(view: View, local: Local, actions: Actions): Node[] {
  if (view.journey === "setup") return [];
  if (view.journey === "handoff") {
    return [
      el("div", { class: "journey-controls", testid: "journey-controls" }, [
        button("Close", () => actions.endJourney(), { testid: "journey-stop", variant: "quiet" }),
      ]),
    ];
  }
  const consumer = view.journey === "rotate_consumer";
  const pending = view.connection?.pending_fingerprints;
  const captured = consumer ? Boolean(pending?.consumer_key && pending.consumer_secret) : false;
  const failed = view.current?.kind === "test" && view.current.test?.last?.passed === false;
  const children: Child[] = [];
  if (failed) {
    children.push(
      el("p", {
        text: consumer
          ? "The saved values are unchanged. Fix the cause and run the test again; if the new values were pasted wrong, discard them and paste the newest ones NetSuite showed."
          : "The token in use is unchanged and still works. Fix the cause and run the test again, or throw the new values away and capture fresh ones.",
      }),
      button("Discard the new values", () => actions.discardNew(), { testid: "journey-discard", disabled: local.test.running }),
    );
  }
  if (consumer && captured && !view.promoted) {
    // NetSuite stopped accepting the old consumer key at the reset: stopping now could leave nothing that works.
    children.push(
      el("p", {
        class: "muted small",
        testid: "journey-no-stop",
        text: "NetSuite stopped accepting the old consumer key when you reset it, so this replacement has to be finished.",
      }),
    );
  } else {
    children.push(
      button(view.promoted ? "Stop here" : "Stop and keep the values in use", () => actions.endJourney(), {
        testid: "journey-stop",
        variant: "quiet",
        disabled: local.test.running,
      }),
    );
  }
  return [el("div", { class: "journey-controls", testid: "journey-controls" }, children)];
}

/** The new token's name as typed in NetSuite, so the next replacement can find it to revoke. */
function tokenNameForm(screen: ScreenView, saved: string | null, actions: Actions): HTMLElement | null {
  const item = screen.checklist.find((i) => i.label === "TOKEN NAME");
  if (!item) return null;
  const input = el("input", {
    class: "text-input",
    testid: "token-name-input",
    attrs: { id: "token-name-input", type: "text", autocomplete: "off", spellcheck: "false", maxlength: 100 },
  });
  input.value = saved ?? item.value ?? "";
  const form = el("form", { class: "type-form", testid: "token-name-form", attrs: { novalidate: true } }, [
    el("label", { class: "field-label", attrs: { for: "token-name-input" }, text: "The token's name, as you typed it in NetSuite" }),
    el("div", { class: "input-row" }, [
      input,
      el("button", { class: "btn", testid: "token-name-save", attrs: { type: "submit" }, text: "Save name" }),
    ]),
    el("p", { class: "muted small", text: "The wizard keeps it to find this token in NetSuite's list when it is time to replace it." }),
  ]);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    actions.setTokenName(input.value);
  });
  return form;
}

function revokeBlock(r: RevokeView, local: Local, actions: Actions): HTMLElement {
  const check = r.check;
  const children: Child[] = [
    el("dl", { class: "revoke-facts" }, [
      el("dt", { text: "Revoke this one (the old token)" }),
      el("dd", { testid: "revoke-old" }, [
        el("strong", { testid: "revoke-old-name", text: r.token_name ?? "name not recorded" }),
        " ",
        r.token_fingerprint ? fingerprintChip(r.token_fingerprint) : null,
        el("span", { class: "muted small revoke-when", text: ` · saved here on ${r.created_at.slice(0, 10)}` }),
      ]),
      el("dt", { text: "Keep this one (the new token, now in use)" }),
      el("dd", { testid: "revoke-new" }, [
        r.new_token_name ?? "name not recorded",
        " ",
        r.new_token_fingerprint ? fingerprintChip(r.new_token_fingerprint) : null,
      ]),
    ]),
  ];
  if (r.can_check) {
    children.push(
      el("p", {
        class: "muted small",
        text: "Optional: after revoking, the wizard can sign a call with the old token to prove NetSuite refuses it.",
      }),
      el("div", { class: "card-actions" }, [
        button(local.oldCheckRunning ? "Checking…" : "Check that the old token is refused", () => actions.checkOld(), {
          testid: "revoke-check",
          disabled: local.oldCheckRunning,
        }),
      ]),
    );
    if (check) {
      children.push(
        note(check.result === "refused" ? "ok" : check.result === "accepted" ? "warn" : "info", [check.summary], "revoke-check-result"),
      );
    }
  }
  return section("The token to revoke", children, { testid: "revoke" });
}

function header(view: View, screen: ScreenView): HTMLElement {
  const profile = view.profile?.name ?? "";
  const place =
    screen.place === "connector"
      ? `In ${profile === "" ? "the connector" : connectorSide(view)}`
      : screen.kind === "step"
        ? "In NetSuite"
        : screen.kind === "test"
          ? "Test from this computer"
          : screen.kind === "handoff"
            ? "Hand-off"
            : screen.kind === "revoke"
              ? "In NetSuite"
              : screen.kind === "info"
                ? "Before you start"
                : "Before the NetSuite steps";
  const journey = view.journey !== "setup" && view.journey_title ? ` · ${view.journey_title}` : "";
  return el("header", { class: "screen-head" }, [
    el("p", { class: "eyebrow", testid: "eyebrow" }, [
      screen.code ? el("span", { class: "code-chip", testid: "screen-code", text: screen.code }) : null,
      el("span", { class: "eyebrow-text" }, [profile, journey, profile ? " · " : "", place]),
    ]),
    el("h1", { class: "title", testid: "screen-title", attrs: { id: "screen-title" }, text: screen.heading }),
  ]);
}

function connectorSide(view: View): string {
  return view.profile?.connector_side ?? "the connector";
}

// ------------------------------------------------------------------ where to go

function whereBlock(screen: ScreenView, local: Local, actions: Actions): HTMLElement | null {
  const children: Child[] = [];
  if (screen.menu_path) {
    children.push(
      el("p", { class: "where-label", text: screen.place === "connector" ? "Go to" : "In NetSuite, go to" }),
      menuPath(screen.menu_path),
    );
  }
  const links: Child[] = [];
  const connector = screen.place === "connector" && screen.kind === "step" ? screen.handoff?.connector_page : null;
  if (connector) links.push(linkRow(connector, connector.title, "open-connector", local, actions, true));
  if (screen.page) links.push(linkRow(screen.page, `Open ${screen.page.title} in NetSuite`, "open-page", local, actions, true));
  screen.also_open.forEach((l, i) =>
    links.push(linkRow(l, `Open ${l.title} in NetSuite`, `open-also-${i}`, local, actions, false)),
  );
  if (links.length === 0 && screen.place !== "connector" && (screen.kind === "account" || screen.collects_account)) {
    links.push(
      el("p", {
        class: "muted small",
        testid: "open-later",
        text: "Once the account ID is entered, the wizard opens each NetSuite page of your account for you.",
      }),
    );
  }
  children.push(...links);
  if (children.length === 0) return null;
  return el("div", { class: "where", testid: "where" }, children);
}

function linkRow(link: PageLink, text: string, testid: TestId, local: Local, actions: Actions, main: boolean): HTMLElement {
  const which = link.id;
  const hintId = `${testid}-hint`;
  const fallback = local.links[which];
  const row = el("div", { class: `link-row ${main ? "is-main" : ""}`.trim() }, [
    button(text, () => actions.open(which), {
      testid,
      variant: main ? "primary" : "secondary",
      icon: "open",
      describedBy: link.hint ? hintId : undefined,
    }),
    link.hint ? el("p", { class: "link-hint", attrs: { id: hintId }, text: link.hint }) : null,
  ]);
  if (fallback) row.appendChild(linkNote(which, fallback, testid, actions));
  return row;
}

// ------------------------------------------------------------------ the checklist

function requirement(item: ItemView): { text: string; cls: string } | null {
  switch (item.kind) {
    case "feature":
    case "checkbox":
      if (item.state === "on") return { text: "must be checked", cls: "req-on" };
      if (item.state === "off") return { text: "leave unchecked", cls: "req-off" };
      return null;
    case "permission":
      return item.level ? { text: `Level: ${item.level}`, cls: "req-level" } : null;
    case "field":
      return { text: item.value ? `enter “${item.value}”` : "fill in", cls: "req-field" };
    case "select":
      return { text: item.value ? `choose “${item.value}”` : "choose", cls: "req-field" };
    case "action":
      return { text: item.value ? `click (${item.value})` : "click", cls: "req-action" };
  }
}

function groupOf(item: ItemView): string | null {
  if (item.kind === "permission" && item.subtab) return `Permissions · ${item.subtab} subtab`;
  if (item.kind === "feature" && item.subtab) return `${item.subtab} subtab`;
  return null;
}

function checklist(screen: ScreenView, actions: Actions): HTMLElement {
  const groups: { title: string | null; items: { item: ItemView; index: number }[] }[] = [];
  screen.checklist.forEach((item, index) => {
    const title = groupOf(item);
    const last = groups[groups.length - 1];
    if (!last || last.title !== title) groups.push({ title, items: [{ item, index }] });
    else last.items.push({ item, index });
  });
  const selectable = screen.checklist.some((i) => i.selectable);
  const done = screen.checklist.filter((i) => i.checked).length;
  const lead = selectable
    ? "Tick each line here once it is done in NetSuite. The labels are NetSuite's own. Switch “Include in role” on for each optional permission your integration needs: the test checks those."
    : "Tick each line here once it is done in NetSuite. The labels are NetSuite's own.";
  const children: Child[] = [
    el("p", { class: "check-count", testid: "check-count", attrs: { "aria-live": "off" } }, [
      `${done} of ${screen.checklist.length} done`,
    ]),
  ];
  for (const g of groups) {
    const list = el(
      "ul",
      { class: "checklist" },
      g.items.map(({ item, index }) => checkItem(item, index, actions)),
    );
    children.push(
      g.title
        ? el("div", { class: "check-group" }, [el("h3", { class: "check-group-title", text: g.title }), list])
        : el("div", { class: "check-group" }, [list]),
    );
  }
  return section("Checklist", children, { testid: "checklist", lead });
}

function checkItem(item: ItemView, index: number, actions: Actions): HTMLElement {
  const id = `chk-${index}`;
  const tipId = `chk-${index}-tip`;
  const req = requirement(item);
  const excluded = item.selectable && !item.picked;
  const box = el("input", {
    class: "check-input",
    testid: `check-${index}`,
    attrs: {
      type: "checkbox",
      id,
      "data-key": item.key,
      disabled: excluded,
      "aria-describedby": item.tip ? tipId : null,
    },
  });
  box.checked = item.checked;
  box.addEventListener("change", () => actions.tick(item.key, box.checked));

  const meta: string[] = [];
  if (item.kind === "feature" && item.section) meta.push(item.section);
  if (item.kind === "checkbox" && item.subtab) meta.push(`${item.subtab} subtab`);

  const label = el("label", { class: "check-label", attrs: { for: id } }, [
    el("span", { class: "check-name", text: item.label }),
    req ? el("span", { class: `req ${req.cls}` }, [el("span", { class: "req-sep", text: " — " }), req.text]) : null,
    excluded ? srOnly(" (not included in the role)") : null,
  ]);

  const row: Child[] = [
    box,
    el("div", { class: "check-text" }, [
      label,
      meta.length ? el("span", { class: "check-meta", text: meta.join(" · ") }) : null,
      item.tip ? el("p", { class: "check-tip", attrs: { id: tipId }, text: item.tip }) : null,
    ]),
  ];
  if (item.selectable) {
    const pickId = `pick-${index}`;
    const toggle = el("input", {
      class: "switch-input",
      testid: `pick-${index}`,
      attrs: { type: "checkbox", role: "switch", id: pickId, "data-key": item.key },
    });
    toggle.checked = item.picked;
    toggle.addEventListener("change", () => actions.pick(item.key, toggle.checked));
    row.push(
      el("label", { class: "switch", testid: `pick-${index}-switch`, attrs: { for: pickId } }, [
        toggle,
        el("span", { class: "switch-track", attrs: { "aria-hidden": "true" } }),
        el("span", { class: "switch-text" }, ["Include in role", srOnly(`: ${item.label}`)]),
      ]),
    );
  }
  return el(
    "li",
    {
      class: ["check-item", `kind-${item.kind}`, item.checked ? "is-checked" : "", excluded ? "is-excluded" : ""]
        .filter(Boolean)
        .join(" "),
      testid: `item-${index}`,
    },
    row,
  );
}
