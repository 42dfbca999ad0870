// The frame around the wizard's screens: the profile's screens in the rail, the account, the footer.

import { act, toHome, toStart } from "../../app/navigation";
import { api } from "../../api";
import type { State } from "../../app/store";
import { connectorById } from "../../connectors";
import { EnvironmentBadge } from "../../components/widgets";
import type { Chrome, RailGroup } from "../shell/Shell";

/** The profile's screens in the rail; on the start screen none of them is the current one. */
export function profileGroup(s: State, clickable: boolean): RailGroup {
  const profile = s.view.profile;
  const short = profile ? (connectorById(profile.id)?.shortName ?? profile.name) : "";
  return {
    title: short,
    items: s.view.screens.map((sc) => ({
      code: sc.code ?? undefined,
      label: sc.short_title,
      // On the start screen no screen is on display: show each as done or to do.
      state: !clickable && sc.status === "current" ? (sc.done ? "done" : "todo") : sc.status,
      testid: `rail-${sc.id}`,
      onSelect:
        clickable && sc.status === "done" && !s.local.test.running ? () => void act(() => api.goto(sc.id)) : undefined,
    })),
  };
}

/** "Saved connections" at the top of the rail, once there are any. */
export function homeItem(s: State): RailGroup["items"] {
  if (!s.home || s.home.cards.length === 0) return [];
  return [{ label: "Saved connections", state: "done", testid: "rail-home", onSelect: () => void toHome() }];
}

function railAccount(s: State) {
  const account = s.view.account;
  if (!s.view.active || !account) return null;
  return (
    <>
      <span class="rail-account-label">Account</span>
      <span class="rail-account-line">
        <code class="rail-account-id" data-testid="rail-account-id">
          {account.id}
        </code>
        <EnvironmentBadge account={account} testid="rail-env-badge" />
      </span>
    </>
  );
}

export function wizardChrome(s: State): Chrome {
  const v = s.view;
  const journey = v.journey !== "setup";
  const first: RailGroup = journey
    ? { items: [{ label: "Saved connections", state: "done", testid: "rail-home", onSelect: () => void toHome() }] }
    : {
        items: [...homeItem(s), { label: "Choose a connector", state: "done", testid: "rail-start", onSelect: () => toStart() }],
      };
  const steps = profileGroup(s, true);
  if (journey) steps.title = `${steps.title ?? ""} · ${v.journey_title ?? ""}`;
  const last = v.screens.length > 0 && v.current?.id === v.screens[v.screens.length - 1]?.id;
  const running = s.local.test.running;
  return {
    rail: [first, steps],
    hint: "",
    account: railAccount(s),
    footer: {
      progress: v.progress,
      back: { enabled: !running },
      next: { label: v.next_label, enabled: !running && (v.can_next || (last && v.blocked_reason === null)) },
      blocked: v.blocked_reason ?? "",
    },
  };
}
