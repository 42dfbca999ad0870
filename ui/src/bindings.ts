// Generated from the Rust types by `cargo test -p tba-wizard bindings`; do not edit.
// Regenerate with: UPDATE_BINDINGS=1 cargo test -p tba-wizard bindings

export type View = { active: boolean, 
/**
 * A first setup, or a journey on a saved connection (token or consumer rotation, hand-off again).
 */
journey: Journey, journey_title: string | null, 
/**
 * In a rotation: the new values are the ones in use (so stopping keeps them).
 */
promoted: boolean, profile: ProfileInfo | null, account: AccountView | null, connection: Connection | null, screens: Array<ScreenInfo>, current: ScreenView | null, progress: string, can_back: boolean, can_next: boolean, next_label: string, blocked_reason: string | null, 
/**
 * Set when the saved progress could not be read and was moved aside.
 */
notice: string | null, 
/**
 * A journey's Stop and Discard controls, in its words; none for a setup.
 */
controls: JourneyControls | null, };

export type Journey = "setup" | "rotate_token" | "rotate_consumer" | "handoff" | "replace_certificate" | "move_to_oauth2";

export type RevokeView = { token_name: string | null, token_fingerprint: string | null, new_token_name: string | null, new_token_fingerprint: string | null, created_at: string, 
/**
 * The old set is still in the keyring, so a signed call can prove NetSuite refuses it.
 */
can_check: boolean, check: OldTokenCheck | null, 
/**
 * A certificate replacement: the mapping to revoke and the one that replaces it (the token fields
 * are then empty).
 */
certificates: RevokeCertificates | null, };

export type OldTokenCheck = { 
/**
 * `refused` (revoked, as it should be), `accepted` (still works) or `unknown` (no clear answer).
 */
result: "refused" | "accepted" | "unknown", summary: string, at: string, };

export type RevokeCertificates = { old: CertificateCard, new: CertificateCard | null, 
/**
 * The old mapping can be revoked through NetSuite's certificate endpoint with the new key.
 */
revoke_by_api: boolean, 
/**
 * After a revoke through the API: the Certificate IDs NetSuite's list still shows active for the
 * same role and user (the new one among them), so a forgotten mapping is seen. `None` when the
 * list was not read.
 */
still_active: Array<string> | null, };

export type JourneyInfo = { journey: Journey, title: string, connection_id: string, progress: string, promoted: boolean, };

export type HomeView = { 
/**
 * What needs attention first: failures, missing values, expired certificates, then those ending soon.
 */
cards: Array<HomeCard>, 
/**
 * One line on what needs a person ("1 certificate expires in 29 days"); none when nothing does.
 */
summary: string | null, setup: SetupSummary | null, journey: JourneyInfo | null, 
/**
 * Why the saved connections could not be listed, if they could not.
 */
problem: string | null, };

export type HomeCard = { id: string, label: string, account: string, environment_label: string, production: boolean, connector: string, profile: string, 
/**
 * How the connection signs in, as the card shows it.
 */
auth: AuthCard, last_test: LastTest | null, 
/**
 * This session's latest test of the card, with its diagnosis.
 */
latest: HomeTest | null, 
/**
 * Which secrets are missing from the keyring (none for a complete connection).
 */
missing: Array<string>, 
/**
 * A signed test can run (Celigo's consumer pair is Celigo's own).
 */
can_test: boolean, 
/**
 * The journeys this connection offers, in the card's order: each kind says whether it applies.
 */
offers: Array<JourneyOffer>, 
/**
 * A likely cause worth saying before anything is clicked, e.g. a refreshed sandbox.
 */
hint: string | null, journey: JourneyInfo | null, 
/**
 * Renew now applies: an OAuth 2.0 key in use with its mapping, and no old token kept beside it.
 */
can_renew: boolean, 
/**
 * This session's Renew now, how it ended.
 */
renewal: HomeRenewal | null, 
/**
 * A Renew now is running on this connection.
 */
renewing: boolean, 
/**
 * Where the connector tests the connection itself (Celigo's connector), what the card says instead of
 * "Not tested yet".
 */
tested_elsewhere: string | null, 
/**
 * For a TBA connection: how it moves to OAuth 2.0, or why it cannot.
 */
move_to_oauth2: MoveNotice | null, 
/**
 * A copy of the set a replacement retired is still in the keyring with no replacement under way
 * (the old consumer secret too): reported, and deleted once the user agrees.
 */
old_copy_kept: boolean, };

export type AuthCard = { "method": "tba", token_name: string | null, token_fingerprint: string | null, } | { "method": "m2m", certificate: CertificateCard | null, };

export type JourneyOffer = { 
/**
 * Never the setup, which no card offers.
 */
journey: Exclude<Journey, "setup">, label: string, urgent: boolean, };

export type HomeTest = { passed: boolean, summary: string, causes: Array<string>, };

export type HomeRenewal = { 
/**
 * The new key and certificate are in use: the card offers to hand the new key over.
 */
renewed: boolean, message: string, };

export type MoveNotice = { 
/**
 * Whether the connection can move (or is moving) to OAuth 2.0.
 */
can_move: boolean, 
/**
 * The line that says which case it is, with the rest folded under it.
 */
summary: string, text: string, 
/**
 * Commands to paste, one per line, shown as code.
 */
commands: Array<string>, };

export type CertificateCard = { algorithm: string, 
/**
 * SHA-256 of the certificate, as NetSuite's mapping page and openssl show it.
 */
fingerprint: string, 
/**
 * The mapping's Certificate ID, once NetSuite gave one.
 */
certificate_id: string | null, 
/**
 * The last day it is valid (YYYY-MM-DD).
 */
expires: string, days_left: number, 
/**
 * `ok`, `soon` (at most `EXPIRY_WARNING_DAYS` left) or `expired`.
 */
status: "ok" | "soon" | "expired", };

export type SetupSummary = { profile: string, profile_name: string, progress: string, account: string | null, };

export type ProfileInfo = { id: string, name: string, summary: string, code_prefix: string, signed_test: boolean, signed_test_note: string, step_codes: Array<string>, 
/**
 * Where the connector's side of the work happens ("Celigo integrator.io", "AfterShip").
 */
connector_side: string, };

export type AccountView = { id: string, environment: string, environment_label: string, production: boolean, ui_host: string, datacenter: DatacenterCheck | null, };

export type ScreenInfo = { id: ScreenId, kind: ScreenKind, code: string | null, short_title: string, status: "done" | "current" | "todo", 
/**
 * Done, whether or not it is the screen on display.
 */
done: boolean, };

export type ScreenKind = "account" | "step" | "test" | "handoff" | "info" | "revoke";

export type ScreenView = { id: ScreenId, code: string | null, heading: string, short_title: string, place: Place | null, menu_path: string | null, page: PageLink | null, also_open: Array<PageLink>, instructions: Array<string>, tips: Array<string>, checklist: Array<ItemView>, captures: Array<CaptureView>, collects_account: boolean, 
/**
 * OAuth 2.0: the key and certificate step.
 */
key: KeyView | null, 
/**
 * OAuth 2.0: the mapping step's Certificate ID.
 */
certificate_id: CertificateIdView | null, 
/**
 * The parts the window draws, in order (set by `ScreenView::with_parts` once the screen is filled).
 */
parts: Array<ScreenPart>, } & ({ "kind": "account" } | { "kind": "step", handoff: HandOffView | null, } | { "kind": "test", test: TestView, } | { "kind": "handoff", handoff: HandOffView | null, } | { "kind": "info" } | { "kind": "revoke", revoke: RevokeView, });

export type ScreenPart = "account" | "handoff" | "revoke" | "checklist" | "token_name" | "captures" | "key" | "certificate_id";

export type JourneyControls = { stop: string, stop_title: string, stop_body: string, 
/**
 * Stopping throws new values away: the dialog's button says so.
 */
stop_discards: boolean, 
/**
 * What the home screen says once stopped.
 */
stopped: string, 
/**
 * What a failed test of the new values leaves (empty where the journey has no test).
 */
failed: string, discard: string, discard_title: string, discard_body: string, discard_keep: string, checking_old: string, 
/**
 * Set where the journey has to be finished: why Stop is not offered.
 */
must_finish: string | null, 
/**
 * Set where Next leads to the step that stops the running integration: asked first.
 */
next_warning: NextWarning | null, };

export type NextWarning = { title: string, body: string, confirm: string, };

export type PageLink = { id: string, title: string, url: string, hint: string | null, };

export type ItemView = { key: string, label: string, kind: ItemKind, subtab: string | null, section: string | null, state: string | null, level: string | null, value: string | null, tip: string | null, checked: boolean, selectable: boolean, picked: boolean, };

export type CaptureView = { field: CaptureField, label: string, fingerprint: string | null, 
/**
 * Why the saved value does not look like NetSuite's, until it is pasted again or kept as it is.
 */
doubt: string | null, };

export type CaptureField = "consumer_key" | "consumer_secret" | "token_id" | "token_secret" | "client_id";

export type AlgorithmChoice = { 
/**
 * `ES256`…`PS512`, as the command line's `--algorithm` takes it.
 */
name: string, 
/**
 * "EC P-256", "RSA 3072 bits"…
 */
key: string, default: boolean, };

export type KeyView = { algorithms: Array<AlgorithmChoice>, certificate: CertificateCard | null, 
/**
 * The fingerprint of the private key in the keyring (never the key).
 */
key_fingerprint: string | null, 
/**
 * Where the certificate file was saved, to upload in the mapping step.
 */
file: string | null, };

export type CertificateIdView = { value: string | null, certificate: CertificateCard | null, file: string | null, 
/**
 * A replacement can upload through NetSuite's certificate endpoint with the key in use.
 */
upload_by_api: boolean, };

export type M2mValue = "client_id" | "certificate_id" | "algorithm" | "scope" | "private_key";

export type TestView = { signed_test: boolean, note: string, missing: Array<string>, last: TestRun | null, };

export type TestRun = { report: Report, causes: Array<CauseView>, probes: Array<ProbeLine>, passed: boolean, };

export type CauseView = { id: string, message: string, 
/**
 * The screen that fixes it, if the procedure has one.
 */
screen: ScreenId | null, screen_code: string | null, };

export type ProbeLine = { permission: string, subtab: string, step: string, outcome: Outcome, summary: string, };

export type HandOffView = { title: string, intro: string, fields: Array<HandOffFieldView>, connector_page: PageLink | null, };

export type HandOffFieldView = { label: string, text: string | null, secret: Field | null, 
/**
 * An OAuth 2.0 value kept in the keyring (Client ID, private key): copied or exported by Rust.
 */
m2m: M2mValue | null, fingerprint: string | null, note: string | null, 
/**
 * After a replacement: whether the connector must take this value anew or keeps the one it has.
 */
change: HandOffChange | null, };

export type HandOffChange = "new" | "unchanged";

export type ItemKind = "feature" | "checkbox" | "permission" | "field" | "select" | "action";

export type Place = "netsuite" | "connector" | "wizard";

export type DatacenterCheck = { status: DatacenterStatus, message: string, rest_domain: string | null, webservices_domain: string | null, system_domain: string | null, };

export type DatacenterStatus = "confirmed" | "not_found" | "offline";

export type Connection = { id: string, label: string, account: string, profile: Profile, token_name: string | null, fingerprints: Fingerprints, 
/**
 * Fingerprints of values staged for rotation, if any.
 */
pending_fingerprints?: Fingerprints, created_at: string, updated_at: string, last_test: LastTest | null, 
/**
 * When a signed test last passed: a sandbox whose token worked before and is refused now was most
 * likely refreshed from production, which deletes the sandbox's tokens.
 */
last_success_at: string | null, };

export type LastTest = { at: string, outcome: Outcome, http_status: number | null, error_code: string | null, };

export type Profile = string;

export type Field = "consumer_key" | "consumer_secret" | "token_id" | "token_secret";

export type Fingerprints = { consumer_key: string | null, consumer_secret: string | null, token_id: string | null, token_secret: string | null, };

export type Report = { outcome: Outcome, summary: string, proven: Array<string>, warnings: Array<string>, causes: Array<Cause>, http_status: number | null, error_code: string | null, error_detail: string | null, network: NetworkProblem | null, clock: ClockCheck | null, attempts: number, elapsed_ms: number, audit_trail: AuditTrailHelp | null, };

export type Outcome = "success" | "credentials_refused" | "permission_missing" | "concurrency_limit" | "server_error" | "network_error";

export type Cause = { id: string, step: DiagnosisStep, message: string, };

export type DiagnosisStep = "account" | "features" | "integration_record" | "role" | "user_role" | "access_token" | "key_certificate" | "mapping" | "clock" | "network";

export type NetworkProblem = { kind: NetworkKind, message: string, };

export type NetworkKind = "dns" | "refused" | "tls" | "timeout" | "connection_closed" | "cancelled" | "other";

export type ClockCheck = { offset_seconds: number, status: ClockStatus, };

export type ClockStatus = "ok" | "warning" | "likely_cause";

export type AuditTrailHelp = { menu_path: string, instructions: Array<string>, columns: [string, string, string], detail_values: Array<DetailValue>, };

export type DetailValue = { value: string, meaning: string, step: DiagnosisStep, };

export type UiError = { code: ErrorCode, message: string, step: string | null, };

export type ErrorCode = "bad_input" | "secret_like" | "bad_link" | "not_now" | "not_allowed" | "refused" | "unreachable" | "keyring" | "storage" | "clipboard_empty" | "clipboard_unavailable" | "internal";

export type AppInfo = { name: string, version: string, 
/**
 * Where NetSuite calls go instead of NetSuite (`TBA_WIZARD_BASE_URL`), as scheme, host and port: the
 * window shows it for as long as it runs, so no one takes a stand-in's answers for NetSuite's.
 */
base_url: string | null, };

export type Captured = { view: View, field: CaptureField, fingerprint: string | null, warnings: Array<string>, };

export type Opened = { opened: boolean, url: string, message: string | null, };

export type CopyWhat = { "kind": "secret", field: Field, } | { "kind": "m2m", value: M2mValue, } | { "kind": "handoff", label: string, } | { "kind": "link", which: string, };

export type Copied = { clears_in_seconds: number | null, 
/**
 * Where the platform cannot promise that clipboard history tools skip a copied secret, what to know.
 */
history_note: string | null, };

export type DiagnosticsSaved = { 
/**
 * Where the file went, so the window can say it.
 */
path: string, };

export type KeyMade = { view: View, 
/**
 * Where the certificate was saved.
 */
path: string, warnings: Array<string>, };

export type KeyFilesImported = { view: View, 
/**
 * What was imported; none when the dialog was closed without a file (not an error).
 */
made: KeyMade | null, };

export type FileSaved = { view: View, path: string, };

export type SavedAs = { view: View, 
/**
 * The file the certificate was saved as; none when the dialog was closed without choosing one.
 */
path: string | null, };

export type FolderShown = { opened: boolean, folder: string, message: string | null, };

export type KeyExported = { path: string, };

export type Moved = { home: HomeView, 
/**
 * What was done, for the home screen's status line; none when the dialog was closed without a file.
 */
message: string | null, };

export type LinkEvent = { "kind": "opened", message: string, } | { "kind": "confirm", id: number, title: string, message: string, 
/**
 * Said once the link is open.
 */
opened: string, } | { "kind": "refused", message: string, };

/** A screen's id: a setup or journey screen, or a profile step's code ("AS-3"). */
export type ScreenId = "account" | "test" | "handoff" | "why" | "record" | "role" | "new-token" | "reset" | "new-key" | "mapping" | "switch" | "revoke" | StepCode;

/** A profile step's code; `string & {}` keeps the named ids above visible to the editor. */
export type StepCode = string & {};

/** Every window command, from src-tauri/src/registry.rs. */
export const COMMANDS = [
  "app_info",
  "wizard_view",
  "wizard_start",
  "wizard_reset",
  "wizard_set_account",
  "wizard_check_account",
  "wizard_tick",
  "wizard_pick",
  "wizard_next",
  "wizard_back",
  "wizard_goto",
  "wizard_capture_paste",
  "wizard_capture_typed",
  "wizard_keep_value",
  "wizard_open",
  "wizard_copy",
  "wizard_run_test",
  "wizard_cancel_test",
  "wizard_make_key",
  "wizard_import_key",
  "wizard_import_key_files",
  "wizard_save_certificate",
  "wizard_save_certificate_as",
  "wizard_show_certificate",
  "wizard_set_certificate_id",
  "wizard_export_key",
  "journey_upload_certificate",
  "journey_revoke_old_mapping",
  "home_view",
  "home_test",
  "home_renew",
  "connection_remove",
  "connection_forget_old",
  "home_export",
  "home_import",
  "journey_start",
  "journey_end",
  "journey_discard_new",
  "journey_set_token_name",
  "journey_check_old",
  "support_copy_diagnostics",
  "support_save_diagnostics",
  "link_ready",
  "link_apply",
] as const;

export type Command = (typeof COMMANDS)[number];
