// The shapes the Rust commands send and take (src-tauri/src/app.rs, engine/src/wizard.rs).
//
// Written by hand from the Rust types: keep them in step with `View` and its parts. Fields Rust
// serialises as `Option<T>` arrive as `null`.

export type Field = "consumer_key" | "consumer_secret" | "token_id" | "token_secret";

export type Outcome =
  | "success"
  | "credentials_refused"
  | "permission_missing"
  | "concurrency_limit"
  | "server_error"
  | "network_error";

export type ScreenKind = "account" | "step" | "test" | "handoff";
export type ScreenStatus = "done" | "current" | "todo";
export type ItemKind = "feature" | "checkbox" | "permission" | "field" | "select" | "action";
export type Place = "netsuite" | "connector";

export interface ProfileInfo {
  id: string;
  name: string;
  summary: string;
  code_prefix: string;
  signed_test: boolean;
  signed_test_note: string;
  step_codes: string[];
}

export interface DatacenterCheck {
  status: "confirmed" | "not_found" | "offline";
  message: string;
  rest_domain: string | null;
  webservices_domain: string | null;
  system_domain: string | null;
}

export interface AccountView {
  id: string;
  /** production | sandbox | release_preview | test_drive | test_drive_release_preview */
  environment: string;
  environment_label: string;
  production: boolean;
  ui_host: string;
  datacenter: DatacenterCheck | null;
}

export interface Fingerprints {
  consumer_key?: string;
  consumer_secret?: string;
  token_id?: string;
  token_secret?: string;
}

export interface Connection {
  id: string;
  label: string;
  account: string;
  profile: string;
  token_name: string | null;
  fingerprints: Fingerprints;
  created_at: string;
  updated_at: string;
}

export interface ScreenInfo {
  id: string;
  kind: ScreenKind;
  code: string | null;
  short_title: string;
  status: ScreenStatus;
  /** Done, whether or not it is the screen on display. */
  done: boolean;
}

export interface PageLink {
  /** "page", "also:N" or "connector": what `wizard_open` takes. */
  id: string;
  title: string;
  url: string;
  hint: string | null;
}

export interface ItemView {
  key: string;
  label: string;
  kind: ItemKind;
  subtab: string | null;
  section: string | null;
  /** "on" | "off" for features and record checkboxes. */
  state: string | null;
  /** "View" | "Create" | "Edit" | "Full" for permissions. */
  level: string | null;
  value: string | null;
  tip: string | null;
  checked: boolean;
  selectable: boolean;
  picked: boolean;
}

export interface CaptureView {
  field: Field;
  label: string;
  fingerprint: string | null;
}

export interface Cause {
  id: string;
  step: string;
  message: string;
}

export interface AuditTrailHelp {
  menu_path: string;
  instructions: string[];
  columns: string[];
  detail_values: { value: string; meaning: string; step: string }[];
}

export interface Report {
  outcome: Outcome;
  summary: string;
  proven: string[];
  warnings: string[];
  causes: Cause[];
  http_status: number | null;
  error_code: string | null;
  error_detail: string | null;
  network: { kind: string; message: string } | null;
  clock: { offset_seconds: number; status: "ok" | "warning" | "likely_cause" } | null;
  attempts: number;
  elapsed_ms: number;
  audit_trail: AuditTrailHelp | null;
}

export interface CauseView {
  id: string;
  message: string;
  screen: string | null;
  screen_code: string | null;
}

export interface ProbeLine {
  permission: string;
  subtab: string;
  step: string;
  outcome: Outcome;
  summary: string;
}

export interface TestRun {
  report: Report;
  causes: CauseView[];
  probes: ProbeLine[];
  passed: boolean;
}

export interface TestView {
  signed_test: boolean;
  note: string;
  missing: string[];
  last: TestRun | null;
}

export interface HandOffFieldView {
  label: string;
  text: string | null;
  secret: Field | null;
  fingerprint: string | null;
  note: string | null;
}

export interface HandOffView {
  title: string;
  intro: string;
  fields: HandOffFieldView[];
  connector_page: PageLink | null;
}

export interface ScreenView {
  id: string;
  kind: ScreenKind;
  code: string | null;
  heading: string;
  short_title: string;
  place: Place | null;
  menu_path: string | null;
  page: PageLink | null;
  also_open: PageLink[];
  instructions: string[];
  tips: string[];
  checklist: ItemView[];
  captures: CaptureView[];
  collects_account: boolean;
  test: TestView | null;
  handoff: HandOffView | null;
}

export interface View {
  active: boolean;
  profile: ProfileInfo | null;
  account: AccountView | null;
  connection: Connection | null;
  screens: ScreenInfo[];
  current: ScreenView | null;
  progress: string;
  can_back: boolean;
  can_next: boolean;
  next_label: string;
  blocked_reason: string | null;
  notice: string | null;
}

export interface Captured {
  view: View;
  field: Field;
  fingerprint: string | null;
  warnings: string[];
}

export interface Opened {
  opened: boolean;
  url: string;
  message: string | null;
}

export type CopyWhat =
  | { kind: "secret"; field: Field }
  | { kind: "handoff"; label: string }
  | { kind: "link"; which: string };

export interface Copied {
  clears_in_seconds: number | null;
}
