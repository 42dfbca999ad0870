import "./styles.css";

import { loadAppInfo } from "./app-info";
import { trackInputModality } from "./focus";
import { connectorById, type ConnectorId } from "./connectors";
import { Shell, type RailGroup } from "./shell";
import { renderStart } from "./start";

interface StartState {
  selected: ConnectorId | null;
  /** Continue was pressed for the selected connector. */
  confirmed: boolean;
}

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");

trackInputModality(document.documentElement);

const shell = new Shell(root);
const state: StartState = { selected: null, confirmed: false };

function railFor(s: StartState): { groups: RailGroup[]; hint: string } {
  const first: RailGroup = {
    items: [{ label: "Choose a connector", state: s.confirmed ? "done" : "current" }],
  };
  const chosen = s.selected ? connectorById(s.selected) : undefined;
  if (!chosen) return { groups: [first], hint: "Choose a connector to see its steps here." };
  return {
    groups: [
      first,
      {
        title: chosen.shortName,
        items: chosen.steps.map((step, i) => ({
          code: step.code,
          label: step.label,
          state: s.confirmed && i === 0 ? "current" : "todo",
        })),
      },
    ],
    hint: "",
  };
}

function progressFor(s: StartState): string {
  const chosen = s.selected ? connectorById(s.selected) : undefined;
  const first = chosen?.steps[0];
  if (!chosen || !first) return "Start";
  return `${s.confirmed ? "" : "Next: "}${first.code} of ${chosen.steps.length}`;
}

function refreshChrome(): void {
  const rail = railFor(state);
  shell.setRail(rail.groups, rail.hint);
  shell.setFooter({
    progress: progressFor(state),
    back: { enabled: false },
    next: { enabled: state.selected !== null, label: "Continue" },
  });
}

function continueFromStart(): void {
  const chosen = state.selected ? connectorById(state.selected) : undefined;
  if (!chosen) return;
  // Later: hand the choice to Rust (invoke) and render the step view it returns.
  state.confirmed = true;
  refreshChrome();
  const first = chosen.steps[0];
  start.setStatus(
    first ? `${chosen.name} chosen. First step: ${first.code}, ${first.label}.` : `${chosen.name} chosen.`,
  );
}

const start = renderStart({
  selected: state.selected,
  onSelect(id) {
    state.selected = id;
    state.confirmed = false;
    start.setStatus("");
    refreshChrome();
  },
  onSubmit: continueFromStart,
});

shell.setMain(start.nodes);
shell.onNext(continueFromStart);
shell.onBack(() => {});
refreshChrome();
shell.setVersion("");

void loadAppInfo().then((info) => {
  if (info) shell.setVersion(`${info.name} ${info.version}`);
});
