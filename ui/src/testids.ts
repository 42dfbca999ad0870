// Every data-testid the UI sets, in one place shared with the end-to-end tests: el() and the widgets
// accept only these (a typo is a type error), and tests/e2e/e2e_support.py reads this file, so a test
// that asks for an id the UI does not have fails at once with its name instead of as a WebDriver
// timeout. `${string}` in a pattern stands for a part that varies (a field, a connection, an index).

export const TEST_IDS = [
  "account",
  "account-error",
  "account-form",
  "account-id",
  "account-input",
  "account-result",
  "account-status",
  "account-submit",
  "announce",
  "app-link-notice",
  "app-link-notice-dismiss",
  "app-link-notice-text",
  "app-version",
  "base-url-banner",
  "audit-menu-path",
  "audit-toggle",
  "audit-trail",
  "back",
  "blocked-reason",
  "captures",
  "causes",
  "causes-block",
  "certificate-id",
  "certificate-id-certificate",
  "certificate-id-error",
  "certificate-id-form",
  "certificate-id-input",
  "certificate-id-api",
  "certificate-id-api-box",
  "certificate-id-api-message",
  "certificate-id-save",
  "certificate-id-status",
  "check-count",
  "checklist",
  "confirm-app-link",
  "confirm-discard",
  "confirm-export-key",
  "confirm-forget-old",
  "confirm-next",
  "confirm-renew",
  "home-summary",
  "confirm-new-key",
  "confirm-revoke",
  "confirm-remove",
  "confirm-replace",
  "confirm-start-over",
  "confirm-stop",
  "connector-choices",
  "continue",
  "dialog",
  "dialog-cancel",
  "dialog-confirm",
  "env-badge",
  "eyebrow",
  "handoff",
  "handoff-export-key",
  "handoff-export-key-result",
  "handoff-fields",
  "handoff-intro",
  "handoff-lede",
  "home-cards",
  "home-empty",
  "home-export",
  "home-import",
  "home-new",
  "home-problem",
  "home-resume-setup",
  "home-retry",
  "home-setup",
  "home-status",
  "home-title",
  "instructions",
  "journey-controls",
  "journey-discard",
  "journey-no-stop",
  "journey-stop",
  "key",
  "key-algorithm",
  "key-certificate",
  "key-folder-message",
  "key-form",
  "key-import",
  "key-import-files",
  "key-import-certificate",
  "key-import-form",
  "key-import-toggle",
  "key-import-toggle-box",
  "key-make",
  "key-message",
  "key-progress",
  "key-save-again",
  "key-save-as",
  "key-save-as-progress",
  "key-show-folder",
  "key-status",
  "menu-path",
  "notice",
  "open-connector",
  "open-later",
  "open-page",
  "probe-count",
  "probes",
  "probes-block",
  "prod-warning",
  "proven",
  "proven-block",
  "rail",
  "rail-account",
  "rail-account-id",
  "rail-env-badge",
  "rail-hint",
  "rail-home",
  "rail-start",
  "result-code",
  "result-summary",
  "result-title",
  "release-notice",
  "resume",
  "resume-continue",
  "resume-text",
  "revoke",
  "revoke-api",
  "revoke-api-box",
  "revoke-api-message",
  "revoke-check",
  "revoke-check-result",
  "revoke-new",
  "revoke-old",
  "revoke-still-active",
  "revoke-old-name",
  "run-test",
  "screen-code",
  "screen-error",
  "screen-title",
  "start-intro",
  "start-over",
  "start-title",
  "status",
  "step-code",
  "support",
  "support-copy",
  "support-save",
  "support-status",
  "support-toggle",
  "test-cancel",
  "test-clock",
  "test-elapsed",
  "test-env-badge",
  "test-error",
  "test-missing",
  "test-note",
  "test-outcome",
  "test-result",
  "test-running",
  "test-stage",
  "test-warnings",
  "tips",
  "token-name-form",
  "token-name-input",
  "token-name-save",
  "what-to-do",
  "where",
] as const;

export type TestIdPattern =
  | `${string}-account`
  | `${string}-cancel`
  | `${string}-certificate`
  | `${string}-certificate-algorithm`
  | `${string}-certificate-expires`
  | `${string}-certificate-file`
  | `${string}-certificate-fingerprint`
  | `${string}-connector`
  | `${string}-copied`
  | `${string}-copy`
  | `${string}-elapsed`
  | `${string}-env`
  | `${string}-fallback`
  | `${string}-forget-old`
  | `${string}-handoff`
  | `${string}-hint`
  | `${string}-move`
  | `${string}-move-oauth2`
  | `${string}-journey`
  | `${string}-label`
  | `${string}-last-test`
  | `${string}-latest`
  | `${string}-missing`
  | `${string}-remove`
  | `${string}-renew`
  | `${string}-renewal`
  | `${string}-renewal-handoff`
  | `${string}-renewing`
  | `${string}-resume`
  | `${string}-replace-certificate`
  | `${string}-rotate`
  | `${string}-rotate-consumer`
  | `${string}-status`
  | `${string}-test`
  | `${string}-token`
  | `${string}-url`
  | `capture-${string}`
  | `capture-${string}-keep`
  | `capture-${string}-message`
  | `capture-${string}-status`
  | `capture-${string}-warnings`
  | `card-${string}`
  | `cause-${string}`
  | `cause-${string}-goto`
  | `check-${string}`
  | `connector-${string}`
  | `connector-${string}-input`
  | `handoff-${string}`
  | `handoff-${string}-copied`
  | `handoff-${string}-change`
  | `handoff-${string}-copy`
  | `handoff-${string}-label`
  | `handoff-${string}-value`
  | `item-${string}`
  | `open-also-${number}`
  | `paste-${string}`
  | `pick-${string}`
  | `pick-${string}-switch`
  | `probe-${string}`
  | `probe-${string}-goto`
  | `rail-${string}`
  | `type-${string}`
  | `type-${string}-input`
  | `type-${string}-save`
  | `type-${string}-toggle`;

export type TestId = (typeof TEST_IDS)[number] | TestIdPattern;
