// The connector choices on the start screen, one per profile file (src-tauri/engine/profiles/*.json),
// read by the build (ui/vite.config.ts). The procedures themselves (labels, menu paths, checklists)
// stay in Rust; this carries what the start screen shows before Rust has answered anything: a name,
// one line of description and the step codes that preview the rail.

import PROFILES from "virtual:profiles";

/** A profile's id: its file's name without `.json`. */
export type ConnectorId = string;

export interface StepPreview {
  code: string;
  /** Short label for the rail (the step screen shows the guide's full heading). */
  label: string;
}

export interface ConnectorChoice {
  id: ConnectorId;
  name: string;
  /** A short mark beside the name ("For new integrations"), or null. */
  badge: string | null;
  /** One line under the name on the choice card. */
  summary: string;
  /** What a NetSuite release changes for this connector, shown once it is chosen, or null. */
  notice: { title: string; points: readonly string[] } | null;
  /** Short name for the rail heading. */
  shortName: string;
  steps: readonly StepPreview[];
}

export const CONNECTORS: readonly ConnectorChoice[] = PROFILES;

export function connectorById(id: string): ConnectorChoice | undefined {
  return CONNECTORS.find((c) => c.id === id);
}

/** "AS-1 … AS-5" */
export function codeRange(c: ConnectorChoice): string {
  const first = c.steps[0];
  const last = c.steps[c.steps.length - 1];
  if (!first || !last) return "";
  return first === last ? first.code : `${first.code} … ${last.code}`;
}
