// The Support control in the frame: copy or save the diagnostics report. Rust builds it; the window only
// hears where it went.

import { api, messageOf } from "../../api";
import type { TestId } from "../../testids";
import { update } from "../store";

async function run(pressed: TestId, work: () => Promise<string>): Promise<void> {
  update({ support: { busy: true, text: "Gathering diagnostics…", error: false } });
  let text: string;
  let error = false;
  try {
    text = await work();
  } catch (e) {
    text = messageOf(e);
    error = true;
  }
  // Disabling the pressed button dropped focus to the page's body; it goes back to that button.
  update({ support: { busy: false, text, error }, focus: pressed });
}

export function copyDiagnostics(): void {
  void run("support-copy", async () => {
    await api.copyDiagnostics();
    return "Diagnostics copied — no secrets are included.";
  });
}

export function saveDiagnostics(): void {
  void run("support-save", async () => {
    const saved = await api.saveDiagnostics();
    return `Saved to ${saved.path}`;
  });
}
