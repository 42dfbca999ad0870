// The start screen: choose a connector, pick up a setup left half-way, or start over.

import { api, messageOf } from "../../api";
import { connectorById, type ConnectorId } from "../../connectors";
import { confirmDialog } from "../../components/dialog";
import { state, update } from "../store";
import { enterWizard, resume } from "../navigation";

export function selectConnector(id: ConnectorId): void {
  update({ startSelected: id, startStatus: "" });
}

export async function startOver(): Promise<void> {
  const v = state().view;
  const name = v.profile?.name ?? "this connector";
  const ok = await confirmDialog({
    title: "Start over?",
    body: `The wizard forgets where you are in ${name} (${v.progress}) and the ticks you made. Connections already saved, and the values in your keyring, stay.`,
    confirm: "Start over",
    cancel: "Keep my progress",
    danger: true,
    testid: "confirm-start-over",
  });
  if (!ok) return;
  try {
    const reset = await api.reset();
    // The resume offer and its buttons are gone: focus goes to the first choice.
    update({
      view: reset,
      startSelected: null,
      startStatus: "Started over. Choose a connector.",
      mode: "start",
      focus: "connector-choices",
    });
  } catch (e) {
    update({ startStatus: messageOf(e) });
  }
}

export async function startContinue(): Promise<void> {
  const s = state();
  if (s.busy) return;
  if (!s.startSelected) {
    if (s.view.active) resume();
    return;
  }
  const chosen = connectorById(s.startSelected);
  if (!chosen) return;
  const v = s.view;
  if (v.active && v.profile) {
    const ok = await confirmDialog({
      title: v.profile.id === chosen.id ? `Start ${chosen.name} from the beginning?` : `Start ${chosen.name} instead?`,
      body: `The wizard forgets where you are in ${v.profile.name} (${v.progress}) and the ticks you made. Connections already saved, and the values in your keyring, stay.`,
      confirm: "Start over",
      cancel: "Keep my progress",
      danger: true,
      testid: "confirm-replace",
    });
    if (!ok) return;
  }
  update({ busy: true });
  try {
    enterWizard(await api.start(chosen.id));
  } catch (e) {
    update({ startStatus: messageOf(e) });
  } finally {
    update({ busy: false });
  }
}
