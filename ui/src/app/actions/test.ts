// The test screen: run the signed call (or the account check), cancel it.

import { api, messageOf } from "../../api";
import { announce, state, update, updateLocal } from "../store";
import { setView } from "../navigation";

export async function runTest(): Promise<void> {
  const s = state();
  if (s.busy || s.local.test.running) return;
  update({ busy: true, focus: "test-cancel" });
  updateLocal(() => ({
    error: null,
    test: { running: true, startedAt: Date.now(), cancelling: false, error: null, stage: null },
  }));
  announce(s.view.profile?.signed_test ? "Testing the connection…" : "Checking the account with NetSuite…");
  const screenId = s.local.screenId;
  try {
    const next = await api.runTest((stage) => {
      if (state().local.test.running) updateLocal((l) => ({ test: { ...l.test, stage } }));
    });
    updateLocal((l) => ({ test: { ...l.test, running: false, cancelling: false } }));
    setView(next, { focus: "run-test" });
    const v = state().view;
    const current = v.current;
    if (current?.id === screenId) {
      const last = current.kind === "test" ? current.test.last : null;
      if (last) announce(`${last.passed ? "It works." : "The test failed."} ${last.report.summary}`);
      else if (v.account?.datacenter) announce(v.account.datacenter.message);
    }
  } catch (e) {
    const error = messageOf(e);
    updateLocal((l) => ({ test: { ...l.test, running: false, cancelling: false, error } }));
    update({ focus: "run-test" });
    announce(error);
  } finally {
    update({ busy: false });
  }
}

export function cancelTest(): void {
  if (!state().local.test.running) return;
  updateLocal((l) => ({ test: { ...l.test, cancelling: true } }));
  void api.cancelTest().catch(() => undefined);
}
