// The three connector choices on the start screen.
//
// The real procedures (labels, menu paths, checklists) are profiles in Rust;
// this list only carries what the start screen shows before the wizard asks
// Rust for anything: a name, one line of description and the step codes used
// to preview the rail. When the profiles are exposed through a command, the
// preview should come from there instead.

export type ConnectorId = "celigo" | "aftership" | "own";

export interface StepPreview {
  code: string;
  /** Short label for the rail (the step screen shows the guide's full heading). */
  label: string;
}

export interface ConnectorChoice {
  id: ConnectorId;
  name: string;
  /** One line under the name on the choice card. */
  summary: string;
  /** Short name for the rail heading. */
  shortName: string;
  steps: readonly StepPreview[];
}

export const CONNECTORS: readonly ConnectorChoice[] = [
  {
    id: "celigo",
    name: "Celigo BigCommerce SmartConnector",
    shortName: "Celigo SmartConnector",
    summary:
      "NetSuite sections A to D, then the token goes into your Celigo connection for Celigo's own test.",
    steps: [
      { code: "C-A", label: "Enable TBA" },
      { code: "C-B", label: "Create a role" },
      { code: "C-C", label: "Assign the role" },
      { code: "C-D", label: "Access token" },
      { code: "C-E", label: "Celigo connection" },
    ],
  },
  {
    id: "aftership",
    name: "AfterShip",
    shortName: "AfterShip",
    summary:
      "Five NetSuite steps, a signed test call from this computer, then the hand-off to AfterShip.",
    steps: [
      { code: "AS-1", label: "Account ID" },
      { code: "AS-2", label: "Enable features" },
      { code: "AS-3", label: "Integration record" },
      { code: "AS-4", label: "Role and users" },
      { code: "AS-5", label: "Access token" },
    ],
  },
  {
    id: "own",
    name: "Your own integration",
    shortName: "Your own integration",
    summary:
      "The same NetSuite steps for your own integration record, with a role and permissions you choose.",
    steps: [
      { code: "OI-1", label: "Account ID" },
      { code: "OI-2", label: "Enable features" },
      { code: "OI-3", label: "Integration record" },
      { code: "OI-4", label: "Role and user" },
      { code: "OI-5", label: "Access token" },
    ],
  },
];

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
