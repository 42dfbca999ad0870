// The checklist: NetSuite's exact labels, what each must be, a tick per line, and for optional
// permissions a switch that includes them in the role.

import { pick, tick } from "../../app/actions/step";
import type { Local } from "../../app/local";
import { Section, SrOnly } from "../../components/widgets";
import type { ItemView, ScreenView, View } from "../../types";

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

/** What the checklist's lead says a line is ticked after, from where the step's data says it is done:
 * NetSuite (whose labels the lines quote), the connector's own app, or this wizard. */
function doneWhere(view: View, screen: ScreenView): string {
  if (screen.place === "wizard") return "Tick each line here once it is done on this computer.";
  if (screen.place === "connector") {
    const app = view.profile?.connector_side ?? "the connector";
    return `Tick each line here once it is done in ${app}. The labels are ${app}'s own.`;
  }
  return "Tick each line here once it is done in NetSuite. The labels are NetSuite's own.";
}

export function Checklist({ view, screen, local }: { view: View; screen: ScreenView; local: Local }) {
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
    ? `${doneWhere(view, screen)} Switch “Include in role” on for each optional permission your integration needs: the test checks those.`
    : doneWhere(view, screen);
  return (
    <Section title="Checklist" testid="checklist" lead={lead}>
      <p class="check-count" data-testid="check-count" aria-live="off">
        {`${done} of ${screen.checklist.length} done`}
      </p>
      {groups.map((g) => (
        <div class="check-group">
          {g.title ? <h3 class="check-group-title">{g.title}</h3> : null}
          <ul class="checklist">
            {g.items.map(({ item, index }) => (
              <CheckItem key={item.key} item={item} index={index} pending={local.pending[item.key]} />
            ))}
          </ul>
        </div>
      ))}
    </Section>
  );
}

function CheckItem({ item, index, pending }: { item: ItemView; index: number; pending: Local["pending"][string] | undefined }) {
  const checked = pending?.checked ?? item.checked;
  const picked = pending?.picked ?? item.picked;
  const id = `chk-${index}`;
  const tipId = `chk-${index}-tip`;
  const pickId = `pick-${index}`;
  const req = requirement(item);
  const excluded = item.selectable && !picked;
  const meta: string[] = [];
  if (item.kind === "feature" && item.section) meta.push(item.section);
  if (item.kind === "checkbox" && item.subtab) meta.push(`${item.subtab} subtab`);
  const cls = ["check-item", `kind-${item.kind}`, checked ? "is-checked" : "", excluded ? "is-excluded" : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <li class={cls} data-testid={`item-${index}`}>
      <input
        class="check-input"
        data-testid={`check-${index}`}
        type="checkbox"
        id={id}
        data-key={item.key}
        disabled={excluded}
        aria-describedby={item.tip ? tipId : undefined}
        checked={checked}
        onChange={(ev) => tick(item.key, ev.currentTarget.checked)}
      />
      <div class="check-text">
        <label class="check-label" for={id}>
          <span class="check-name">{item.label}</span>
          {req ? (
            <span class={`req ${req.cls}`}>
              <span class="req-sep">{" — "}</span>
              {req.text}
            </span>
          ) : null}
          {excluded ? <SrOnly text=" (not included in the role)" /> : null}
        </label>
        {meta.length ? <span class="check-meta">{meta.join(" · ")}</span> : null}
        {item.tip ? (
          <p class="check-tip" id={tipId}>
            {item.tip}
          </p>
        ) : null}
      </div>
      {item.selectable ? (
        <label class="switch" data-testid={`pick-${index}-switch`} for={pickId}>
          <input
            class="switch-input"
            data-testid={`pick-${index}`}
            type="checkbox"
            role="switch"
            id={pickId}
            data-key={item.key}
            checked={picked}
            onChange={(ev) => pick(item.key, ev.currentTarget.checked)}
          />
          <span class="switch-track" aria-hidden="true" />
          <span class="switch-text">
            Include in role
            <SrOnly text={`: ${item.label}`} />
          </span>
        </label>
      ) : null}
    </li>
  );
}
