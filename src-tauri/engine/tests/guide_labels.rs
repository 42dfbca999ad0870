//! Every label the two connector guides name, held here as this test's own data (copied from the
//! guides, not read from the profiles), checked against the embedded profiles. A profile that loses or
//! misspells one fails this test, and the failure names each label that is missing.
//!
//! Sources: Celigo's BigCommerce SmartConnector guide (NetSuite Steps A–D, then Celigo Steps) and
//! AfterShip's "Guide to NetSuite Token-Based Authentication" (steps 1–5), plus, where a guide leaves
//! something out that NetSuite requires, NetSuite's own rule (marked as such below).

use tba_engine::profiles::{CheckState, ChecklistItem, ConnectorProfile, HandOffValue, ItemKind, Level, Place, Step};

// ---------------------------------------------------------------------------------------------
// Celigo BigCommerce SmartConnector
// ---------------------------------------------------------------------------------------------

/// The guide's headings, in order, with their letters.
const CELIGO_HEADINGS: &[&str] = &[
    "A. Enable your NetSuite account with Token-Based Auth (TBA)",
    "B. Create custom NetSuite Role",
    "C. Select NetSuite User and assign Role",
    "D. Generate NetSuite Access Tokens",
    "Change NetSuite connection to Token-Based Authentication",
];

/// "NetSuite Steps" for A–D, "Celigo Steps" for the connection.
const CELIGO_PARTS: &[(&str, &str)] = &[
    ("C-A", "NetSuite Steps"),
    ("C-B", "NetSuite Steps"),
    ("C-C", "NetSuite Steps"),
    ("C-D", "NetSuite Steps"),
    ("C-E", "Celigo Steps"),
];

/// (step, menu path as the guide gives it).
const CELIGO_MENU_PATHS: &[(&str, &str)] = &[
    ("C-A", "Setup > Company > Enable Features"),
    ("C-B", "Setup > Users/Roles > Manage Roles"),
    ("C-C", "Setup > Users/Roles > Manage Users"),
    ("C-D", "Setup > Users/Roles > Access Tokens > New"),
];

/// (feature, subtab, section).
const CELIGO_FEATURES: &[(&str, &str, &str)] = &[("TOKEN-BASED AUTHENTICATION", "SuiteCloud", "Manage Authentication")];

const CELIGO_ROLE: &str = "Celigo eTail SmartConnectors";
const CELIGO_APPLICATION: &str = "eTail Connectors (Token-Based Auth)";
const CELIGO_ICLIENT: &str = "eTail NetSuite";

/// The Access Token form as the guide shows it (step D).
const CELIGO_TOKEN_FORM: &[&str] = &["APPLICATION NAME", "USER", "ROLE", "TOKEN NAME"];

/// (step, subtab, list): "Go to Access > Roles" on the user's Employee page.
const CELIGO_ASSIGN_ROLE: (&str, &str, &str) = ("C-C", "Access", "Roles");

/// The Celigo connection's fields, with the value the guide gives where it gives one.
const CELIGO_CONNECTION_FIELDS: &[(&str, Option<&str>)] = &[
    ("Authentication Type", Some("Token")),
    ("Environment", None),
    ("Account ID", None),
    ("Token ID", None),
    ("Token Secret", None),
    ("iClient", Some(CELIGO_ICLIENT)),
];

/// What the guide has you click in integrator.io.
const CELIGO_CONNECTION_ACTIONS: &[&str] = &["Settings", "Connections", "Edit pencil", "Test", "Save"];

// ---------------------------------------------------------------------------------------------
// AfterShip
// ---------------------------------------------------------------------------------------------

/// The guide's headings ("1️⃣ Get the account ID" …), as number and text.
const AFTERSHIP_HEADINGS: &[&str] = &[
    "1. Get the account ID",
    "2. Enable Token Based Authentication (TBA)",
    "3. Create an Integration Record",
    "4. Create a role and assign users",
    "5. Create an Access Token for the Integration record, User, and Role",
];

/// (step, menu path). The guide writes the integration menu as "Integrations"; NetSuite's Setup menu
/// says "Integration", which is what the user sees, so that is the form held here. The guide's
/// "Enable Features > SuiteCloud > Manage Authentication" is the menu path plus the subtab and
/// section, checked with the features below.
const AFTERSHIP_MENU_PATHS: &[(&str, &str)] = &[
    ("AS-1", "Setup > Company > Company Information"),
    ("AS-2", "Setup > Company > Enable Features"),
    ("AS-3", "Setup > Integration > Manage Integrations > New"),
    ("AS-4", "Setup > Users/Roles > Manage Roles > New"),
    ("AS-5", "Setup > Users/Roles > Access Tokens > New"),
];

/// "Lists > Employees > Employees > Edit user > Access > Roles": the second page of step 4.
const AFTERSHIP_ASSIGN: (&str, &str, &str, &str) = ("AS-4", "Lists > Employees > Employees", "Access", "Roles");

/// Step 1's field.
const AFTERSHIP_ACCOUNT_FIELD: (&str, &str) = ("AS-1", "Account ID");

/// (feature, subtab, section).
const AFTERSHIP_FEATURES: &[(&str, &str, &str)] = &[
    ("Client SuiteScript", "SuiteCloud", "SuiteScript"),
    ("Server SuiteScript", "SuiteCloud", "SuiteScript"),
    ("REST Web Services", "SuiteCloud", "SuiteTalk (Web Services)"),
    ("Token-Based Authentication", "SuiteCloud", "Manage Authentication"),
];

const AFTERSHIP_INTEGRATION_NAME: &str = "AfterShip Integration";

/// The integration record's boxes and the state the guide requires.
const AFTERSHIP_CHECKBOXES: &[(&str, bool)] = &[
    ("Token-Based Authentication", true),
    ("TBA: AUTHORIZATION FLOW", false),
    ("AUTHORIZATION CODE GRANT", false),
    ("TBA: ISSUETOKEN ENDPOINT", true),
];

/// The guide's permission list, line for line (it lists Sales Order twice), with the role subtab and
/// NetSuite's name for each.
const AFTERSHIP_PERMISSIONS: &[(&str, &str, &str)] = &[
    ("Lists - Customers", "Lists", "Customers"),
    ("Lists - Contacts", "Lists", "Contacts"),
    ("Lists - Currency", "Lists", "Currency"),
    ("Lists - Items", "Lists", "Items"),
    ("Lists - Perform Search", "Lists", "Perform Search"),
    ("Lists - Persist Search", "Lists", "Persist Search"),
    (
        "Reports - SuiteAnalytics Workbook",
        "Reports",
        "SuiteAnalytics Workbook",
    ),
    ("Transactions - Find Transactions", "Transactions", "Find Transactions"),
    ("Transactions - Sales Order", "Transactions", "Sales Order"),
    ("Transactions - Item Fulfillment", "Transactions", "Item Fulfillment"),
    (
        "Transactions - Fulfill Sales Orders",
        "Transactions",
        "Fulfill Sales Orders",
    ),
    (
        "Transactions - Return Authorization (for RMA creation feature)",
        "Transactions",
        "Return Authorization",
    ),
    ("Transactions - Sales Order", "Transactions", "Sales Order"),
    ("Setup - SOAP Web Services", "Setup", "SOAP Web Services"),
    ("Setup - Rest Web Services", "Setup", "REST Web Services"),
    (
        "Setup - User Access Token (for Token-Based Authentication)",
        "Setup",
        "User Access Tokens",
    ),
];

/// "Make sure each created role has the "User Access Tokens" permission".
const AFTERSHIP_MUST_HAVE: (&str, &str) = ("Setup", "User Access Tokens");

/// Not in AfterShip's list but required by NetSuite for any token sign-in to REST web services, with
/// the level NetSuite's setup permissions come at.
const NETSUITE_REST_ESSENTIALS: &[(&str, &str, Level)] = &[
    ("Setup", "Log in using Access Tokens", Level::Full),
    ("Setup", "REST Web Services", Level::Full),
];

/// The Access Token form: "Select the Integration record, User, and Role".
const AFTERSHIP_TOKEN_FORM: &[(&str, Option<&str>)] = &[
    ("APPLICATION NAME", Some(AFTERSHIP_INTEGRATION_NAME)),
    ("USER", None),
    ("ROLE", None),
];

/// The values the guide has you copy and paste into AfterShip.
const AFTERSHIP_HAND_OFF: &[&str] = &[
    "Account ID",
    "Consumer Key",
    "Consumer Secret",
    "Token ID",
    "Token Secret",
];

// ---------------------------------------------------------------------------------------------

struct Check {
    profile: &'static ConnectorProfile,
    missing: Vec<String>,
}

impl Check {
    fn new(id: &str) -> Check {
        Check {
            profile: ConnectorProfile::get(id).unwrap_or_else(|| panic!("no embedded profile `{id}`")),
            missing: Vec::new(),
        }
    }

    fn require(&mut self, ok: bool, what: String) {
        if !ok {
            self.missing.push(format!("{}: {what}", self.profile.id));
        }
    }

    fn step(&self, code: &str) -> Option<&'static Step> {
        self.profile.step(code)
    }

    fn items(&self, code: &str) -> Vec<&'static ChecklistItem> {
        self.step(code)
            .map(|s| s.checklist.iter().collect())
            .unwrap_or_default()
    }

    fn all_items(&self) -> Vec<&'static ChecklistItem> {
        self.profile.steps.iter().flat_map(|s| s.checklist.iter()).collect()
    }

    fn headings(&mut self, expected: &[&str]) {
        let actual: Vec<String> = self.profile.steps.iter().map(Step::heading).collect();
        for (i, h) in expected.iter().enumerate() {
            self.require(
                actual.get(i).map(String::as_str) == Some(*h),
                format!("step {} heading {h:?} (found {:?})", i + 1, actual.get(i)),
            );
        }
        self.require(
            actual.len() == expected.len(),
            format!("{} steps, as in the guide (found {})", expected.len(), actual.len()),
        );
    }

    fn menu_paths(&mut self, expected: &[(&str, &str)]) {
        for (code, path) in expected {
            let found = self.step(code).and_then(|s| s.menu_path.as_deref());
            self.require(
                found == Some(*path),
                format!("{code} menu path {path:?} (found {found:?})"),
            );
        }
    }

    fn features(&mut self, code: &str, expected: &[(&str, &str, &str)]) {
        for (label, subtab, section) in expected {
            let ok = self.items(code).iter().any(|i| {
                i.kind == ItemKind::Feature
                    && i.label == *label
                    && i.subtab.as_deref() == Some(*subtab)
                    && i.section.as_deref() == Some(*section)
                    && i.state == Some(CheckState::On)
            });
            self.require(
                ok,
                format!("{code} feature {label:?} on, on the {subtab} subtab, {section} section"),
            );
        }
    }

    fn item(&mut self, code: &str, kind: ItemKind, label: &str, value: Option<&str>) {
        let ok = self
            .items(code)
            .iter()
            .any(|i| i.kind == kind && i.label == label && value.is_none_or(|v| i.value.as_deref() == Some(v)));
        let with = value.map(|v| format!(" = {v:?}")).unwrap_or_default();
        self.require(ok, format!("{code} {kind:?} {label:?}{with}"));
    }

    fn permission(&mut self, guide_text: &str, subtab: &str, label: &str) {
        let ok = self.all_items().iter().any(|i| {
            i.kind == ItemKind::Permission
                && i.subtab.as_deref() == Some(subtab)
                && i.label == label
                && i.level.is_some()
                && !i.selectable
                && (i.guide_label.as_deref() == Some(guide_text) || format!("{subtab} - {label}") == guide_text)
        });
        self.require(
            ok,
            format!(
                "permission {guide_text:?} (role subtab {subtab}, NetSuite label {label:?}, required, with a level)"
            ),
        );
    }
}

fn finish(checks: Vec<Check>) {
    let missing: Vec<String> = checks.into_iter().flat_map(|c| c.missing).collect();
    assert!(
        missing.is_empty(),
        "the profiles miss {} label(s) the guides name:\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
}

#[test]
fn celigo_profile_has_every_label_of_celigos_guide() {
    let mut c = Check::new("celigo");
    c.headings(CELIGO_HEADINGS);
    for (code, part) in CELIGO_PARTS {
        let found = c.step(code).and_then(|s| s.guide_part.as_deref());
        c.require(
            found == Some(*part),
            format!("{code} is under {part:?} (found {found:?})"),
        );
    }
    c.menu_paths(CELIGO_MENU_PATHS);
    c.features("C-A", CELIGO_FEATURES);

    c.item("C-B", ItemKind::Action, "Customize", Some(CELIGO_ROLE));
    c.require(
        c.step("C-B")
            .is_some_and(|s| s.tips.iter().any(|t| t.contains(CELIGO_ROLE) && t.contains("locked"))),
        format!("C-B tip that {CELIGO_ROLE:?} is a locked role, so Customize makes a copy"),
    );

    let (code, subtab, list) = CELIGO_ASSIGN_ROLE;
    let ok = c
        .items(code)
        .iter()
        .any(|i| i.label == list && i.subtab.as_deref() == Some(subtab));
    c.require(ok, format!("{code} {subtab} > {list}"));

    for label in CELIGO_TOKEN_FORM {
        let value = (*label == "APPLICATION NAME").then_some(CELIGO_APPLICATION);
        let kind = if *label == "TOKEN NAME" {
            ItemKind::Field
        } else {
            ItemKind::Select
        };
        c.item("C-D", kind, label, value);
    }

    let connection = c.step("C-E");
    c.require(
        connection.is_some_and(|s| s.place == Place::Connector),
        "C-E happens on Celigo's side".into(),
    );
    for (label, value) in CELIGO_CONNECTION_FIELDS {
        let ok = c.items("C-E").iter().any(|i| {
            i.label == *label
                && matches!(i.kind, ItemKind::Field | ItemKind::Select)
                && value.is_none_or(|v| i.value.as_deref() == Some(v))
        });
        c.require(
            ok,
            format!(
                "C-E connection field {label:?}{}",
                value.map(|v| format!(" = {v:?}")).unwrap_or_default()
            ),
        );
        let handed = c.profile.hand_off.fields.iter().any(|f| {
            f.label == *label
                && match (value, &f.value) {
                    (Some(v), HandOffValue::Fixed { text }) => text == v,
                    (Some(_), _) => false,
                    (None, HandOffValue::Fixed { .. }) => false,
                    (None, _) => true,
                }
        });
        c.require(handed, format!("hand-off field {label:?}"));
    }
    for action in CELIGO_CONNECTION_ACTIONS {
        c.item("C-E", ItemKind::Action, action, None);
    }
    c.require(
        c.profile.hand_off.step.as_deref() == Some("C-E"),
        "the hand-off happens in C-E".into(),
    );

    // Celigo's consumer pair is Celigo's: the wizard cannot sign, and says so naming the application.
    c.require(!c.profile.signed_test, "no signed test".into());
    c.require(
        c.profile.signed_test_note.contains(CELIGO_APPLICATION),
        format!("the note on the signed test names {CELIGO_APPLICATION:?}"),
    );
    finish(vec![c]);
}

#[test]
fn aftership_profile_has_every_label_of_aftership_guide() {
    let mut c = Check::new("aftership");
    c.headings(AFTERSHIP_HEADINGS);
    c.menu_paths(AFTERSHIP_MENU_PATHS);

    let (code, label) = AFTERSHIP_ACCOUNT_FIELD;
    c.item(code, ItemKind::Field, label, None);

    c.features("AS-2", AFTERSHIP_FEATURES);

    c.item("AS-3", ItemKind::Field, "NAME", Some(AFTERSHIP_INTEGRATION_NAME));
    for (label, on) in AFTERSHIP_CHECKBOXES {
        let state = if *on { CheckState::On } else { CheckState::Off };
        let ok = c
            .items("AS-3")
            .iter()
            .any(|i| i.kind == ItemKind::Checkbox && i.label == *label && i.state == Some(state));
        c.require(
            ok,
            format!("AS-3 checkbox {label:?} {}", if *on { "checked" } else { "unchecked" }),
        );
    }

    for (guide_text, subtab, label) in AFTERSHIP_PERMISSIONS {
        c.permission(guide_text, subtab, label);
    }
    let (subtab, label) = AFTERSHIP_MUST_HAVE;
    let ok = c
        .items("AS-4")
        .iter()
        .any(|i| i.kind == ItemKind::Permission && i.subtab.as_deref() == Some(subtab) && i.label == label);
    c.require(ok, format!("AS-4 permission {subtab} > {label}"));
    for (subtab, label, level) in NETSUITE_REST_ESSENTIALS {
        let ok = c.items("AS-4").iter().any(|i| {
            i.kind == ItemKind::Permission
                && i.subtab.as_deref() == Some(*subtab)
                && i.label == *label
                && i.level == Some(*level)
        });
        c.require(
            ok,
            format!("AS-4 permission {subtab} > {label} at {level:?} (NetSuite requires it)"),
        );
    }

    let (code, menu, subtab, list) = AFTERSHIP_ASSIGN;
    let second_page = c
        .step(code)
        .is_some_and(|s| s.also_open.iter().any(|a| a.menu_path == menu));
    c.require(second_page, format!("{code} also opens {menu:?}"));
    let ok = c
        .items(code)
        .iter()
        .any(|i| i.label == list && i.subtab.as_deref() == Some(subtab));
    c.require(ok, format!("{code} {subtab} > {list}"));

    for (label, value) in AFTERSHIP_TOKEN_FORM {
        c.item("AS-5", ItemKind::Select, label, *value);
    }

    for label in AFTERSHIP_HAND_OFF {
        let ok = c.profile.hand_off.fields.iter().any(|f| f.label == *label);
        c.require(ok, format!("hand-off field {label:?}"));
    }
    c.require(c.profile.signed_test, "the signed test runs".into());
    let host_ok = c
        .profile
        .connector_page
        .as_ref()
        .is_some_and(|l| l.url.starts_with("https://support.aftership.com/"));
    c.require(
        host_ok,
        "the connector page is AfterShip's guide on support.aftership.com".into(),
    );
    finish(vec![c]);
}

#[test]
fn own_integration_uses_the_same_netsuite_pages() {
    // Not from a guide: the own-integration procedure mirrors AfterShip's NetSuite steps.
    let mut c = Check::new("own");
    c.menu_paths(&[
        ("OI-1", "Setup > Company > Company Information"),
        ("OI-2", "Setup > Company > Enable Features"),
        ("OI-3", "Setup > Integration > Manage Integrations > New"),
        ("OI-4", "Setup > Users/Roles > Manage Roles > New"),
        ("OI-5", "Setup > Users/Roles > Access Tokens > New"),
    ]);
    for (label, on) in [
        ("TOKEN-BASED AUTHENTICATION", true),
        ("TBA: AUTHORIZATION FLOW", false),
        ("AUTHORIZATION CODE GRANT", false),
    ] {
        let state = if on { CheckState::On } else { CheckState::Off };
        let ok = c
            .items("OI-3")
            .iter()
            .any(|i| i.kind == ItemKind::Checkbox && i.label == label && i.state == Some(state));
        c.require(
            ok,
            format!("OI-3 checkbox {label:?} {}", if on { "checked" } else { "unchecked" }),
        );
    }
    for (subtab, label, level) in NETSUITE_REST_ESSENTIALS {
        let ok = c.items("OI-4").iter().any(|i| {
            i.kind == ItemKind::Permission
                && i.subtab.as_deref() == Some(*subtab)
                && i.label == *label
                && i.level == Some(*level)
                && !i.selectable
        });
        c.require(ok, format!("OI-4 required permission {subtab} > {label} at {level:?}"));
    }
    finish(vec![c]);
}
