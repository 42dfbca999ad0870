// The footer's Back and Next, which act for whichever screen is on display, and the journey's end.

import { api } from "../api";
import { confirmDialog } from "../components/dialog";
import { startContinue } from "./actions/start";
import { act, showError, toHome, toStart } from "./navigation";
import { state, update } from "./store";

export function next(): void {
  const s = state();
  if (s.mode === "home") {
    toStart();
    return;
  }
  if (s.mode === "start" || !s.view.active) {
    void startContinue();
    return;
  }
  if (s.local.test.running) return;
  const last = s.view.current?.id === s.view.screens[s.view.screens.length - 1]?.id;
  if (last) {
    void finish();
    return;
  }
  const warning = s.view.controls?.next_warning;
  if (warning) {
    void (async () => {
      // The next step stops the running integration: asked first, in the journey's words.
      const go = await confirmDialog({
        title: warning.title,
        body: warning.body,
        confirm: warning.confirm,
        cancel: "Not yet",
        danger: true,
        testid: "confirm-next",
      });
      if (go) await act(() => api.next());
    })();
    return;
  }
  void act(() => api.next());
}

export function back(): void {
  const s = state();
  if (s.mode === "start" || s.mode === "home" || s.local.test.running) return;
  if (!s.view.can_back) {
    if (s.view.journey !== "setup") void toHome();
    else toStart();
    return;
  }
  void act(() => api.back());
}

async function finish(): Promise<void> {
  const s = state();
  if (s.busy) return;
  if (s.view.journey !== "setup") {
    const title = s.view.journey_title ?? "The journey";
    const label = s.view.connection?.label ?? "";
    update({ busy: true });
    try {
      const done = await api.next();
      update({ view: done, busy: false });
      await toHome(`${title}: done for “${label}”.`);
    } catch (e) {
      showError(e);
    } finally {
      update({ busy: false });
    }
    return;
  }
  update({ busy: true });
  try {
    const finished = await api.next();
    const who = finished.profile?.name ?? "The connector";
    const account = finished.account ? ` for account ${finished.account.id}` : "";
    const done = `${who} is set up${account}.`;
    // The connection is saved: its card on the home screen offers the hand-off again, so the
    // finished setup is not kept as something to resume.
    const reset = await api.reset();
    update({ view: reset, startStatus: "", startSelected: null, busy: false });
    await toHome(done);
  } catch (e) {
    showError(e);
  } finally {
    update({ busy: false });
  }
}
