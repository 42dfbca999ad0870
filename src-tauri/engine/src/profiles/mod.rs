//! Connector procedures as data: one JSON file per connector in `engine/profiles/`, compiled into the
//! binary, parsed once and validated by the tests below. A new connector is a new file, not new code.
//!
//! A profile is an ordered list of steps in the connector guide's own order and numbering. Each step
//! says where it happens (NetSuite or the connector's site), the NetSuite menu path and the page to
//! open, a checklist of the exact labels to tick or select, what the step collects (the account ID
//! or one of the four TBA values), and short tips. The profile also says whether the wizard can sign a
//! test call with what it collects, and what to hand over to the connector, field by field.

use crate::netsuite::account::Account;
use crate::netsuite::oauth1::Field;
use crate::netsuite::pages::Page;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::LazyLock;
use url::Url;

mod collect;
mod handoff;
mod id;
pub mod journeys;
mod validate;

pub use collect::Collect;
pub use handoff::{HandOff, HandOffField, HandOffValue, M2mValue, Resolved};
pub use id::ProfileId;

include!(concat!(env!("OUT_DIR"), "/profiles.rs"));

/// The embedded profiles, in the order the start screen offers them (their `order`).
static PROFILES: LazyLock<Vec<ConnectorProfile>> = LazyLock::new(|| {
    let mut all: Vec<ConnectorProfile> = EMBEDDED
        .iter()
        .map(|(file, text)| {
            ConnectorProfile::from_json(text)
                .and_then(|p| p.named_as(file))
                .unwrap_or_else(|errors| {
                    panic!(
                        "embedded profile {file} is invalid (the profile tests catch this): {}",
                        errors.join("; ")
                    )
                })
        })
        .collect();
    all.sort_by_key(|p| p.order);
    all
});

/// The permissions every role that signs in to REST web services with a token needs. A profile whose
/// signed test runs must list them in its role step as required (not selectable) permissions.
pub const REST_ESSENTIALS: [(&str, &str); 3] = [
    ("Setup", "Log in using Access Tokens"),
    ("Setup", "REST Web Services"),
    ("Reports", "SuiteAnalytics Workbook"),
];

/// The same for a role whose integration signs in with OAuth 2.0 client credentials.
pub const REST_ESSENTIALS_M2M: [(&str, &str); 3] = [
    ("Setup", "Log in using OAuth 2.0 Access Tokens"),
    ("Setup", "REST Web Services"),
    ("Reports", "SuiteAnalytics Workbook"),
];

/// The subtabs of a role's Permissions subtab.
pub const PERMISSION_SUBTABS: [&str; 5] = ["Lists", "Transactions", "Reports", "Setup", "Custom Records"];

/// One connector procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectorProfile {
    /// `celigo`, `aftership`, `own`: the file's name without `.json`, and what [`ProfileId`] holds.
    pub id: String,
    /// Where the start screen lists it, smallest first.
    pub order: u32,
    /// How the connection signs in: TBA's four values, or OAuth 2.0 client credentials (a key of its own).
    #[serde(default)]
    pub auth: AuthKind,
    /// A short mark on the start screen's card ("For new integrations").
    #[serde(default)]
    pub badge: Option<String>,
    pub name: String,
    /// For the rail heading.
    pub short_name: String,
    /// One line under the name on the start screen.
    pub summary: String,
    /// Step codes are `<prefix>-<A|1…>`: `C-A`, `AS-3`, `OI-5`.
    pub code_prefix: String,
    /// The connector's guide the steps follow; `None` for the own-integration procedure.
    #[serde(default)]
    pub guide: Option<Guide>,
    /// Whether the wizard can sign a test call with the values this profile collects.
    pub signed_test: bool,
    /// Shown to the user as is: what the signed test does, or plainly why it cannot run.
    pub signed_test_note: String,
    /// Where the connector's side of the work happens, as its users call it ("Celigo integrator.io");
    /// the profile's name when absent.
    #[serde(default)]
    pub connector_app: Option<String>,
    /// The connector's own page, opened from the hand-off. Its host is allow-listed for opening.
    #[serde(default)]
    pub connector_page: Option<ExternalLink>,
    pub hand_off: HandOff,
    pub steps: Vec<Step>,
    /// What a NetSuite release changes for this connector, shown on the start screen once it is chosen,
    /// before its first step (NetSuite 2027.1's end of new TBA integrations).
    #[serde(default)]
    pub release_notice: Option<ReleaseNotice>,
    /// The OAuth 2.0 profile a TBA connection of this profile can move to (`migrate`), by id. Absent
    /// where the connector's side speaks TBA only: such connections stay on TBA.
    #[serde(default)]
    pub moves_to: Option<String>,
}

/// A short notice on the start screen: a title and a few plain points, in the profile's own words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseNotice {
    pub title: String,
    pub points: Vec<String>,
}

/// The auth method a connector's connections sign with: the one enum for profiles and saved connections.
/// Its names and what each method means for profiles are in `keep/connections/method`, beside `of`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// Token-based authentication (OAuth 1.0a): consumer and token pairs.
    #[default]
    Tba,
    /// OAuth 2.0 client credentials (machine to machine): a private key, a certificate, a Client ID.
    M2m,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    pub publisher: String,
    pub title: String,
    /// Only where a stable https address is known.
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalLink {
    /// Button text, e.g. "Open integrator.io".
    pub label: String,
    pub url: String,
    /// One line beside the button.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    Netsuite,
    Connector,
    /// In the wizard itself, on this computer (an OAuth 2.0 key and certificate).
    Wizard,
}

/// One step of a procedure: one screen of the wizard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// `C-A`, `AS-3`, …: short enough to read aloud.
    pub code: String,
    /// The guide's own number or letter (`"3"`, `"A"`), or `None` where the guide gives none.
    #[serde(default)]
    pub number: Option<String>,
    /// The guide's step title, word for word (without its number).
    pub title: String,
    /// For the rail.
    pub short_title: String,
    /// The part of the guide the step is in, where it has parts ("NetSuite Steps", "Celigo Steps").
    #[serde(default)]
    pub guide_part: Option<String>,
    #[serde(rename = "where")]
    pub place: Place,
    /// The NetSuite menu path, e.g. "Setup > Company > Enable Features". Required in NetSuite.
    #[serde(default)]
    pub menu_path: Option<String>,
    /// The page "Open … in NetSuite" goes to. Where the exact place has no address (the SuiteCloud
    /// subtab), this is the nearest page and `open_hint` says where to click.
    #[serde(default)]
    pub page: Option<Page>,
    #[serde(default)]
    pub open_hint: Option<String>,
    /// Further pages the step needs (e.g. the employee record after the role).
    #[serde(default)]
    pub also_open: Vec<AlsoOpen>,
    /// Two to four short sentences.
    pub instructions: Vec<String>,
    pub checklist: Vec<ChecklistItem>,
    #[serde(default)]
    pub collects: Vec<Collect>,
    #[serde(default)]
    pub tips: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlsoOpen {
    pub label: String,
    pub menu_path: String,
    pub page: Page,
    #[serde(default)]
    pub hint: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A box on Enable Features.
    Feature,
    /// A box on a record (the integration record's authentication boxes).
    Checkbox,
    /// A role permission, on one of the role's permission subtabs, at a level.
    Permission,
    /// A field to fill in.
    Field,
    /// A drop-down or list to pick from.
    Select,
    /// A button or link to click.
    Action,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckState {
    On,
    Off,
}

/// NetSuite's permission levels, named as on the role page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Level {
    View,
    Create,
    Edit,
    Full,
}

/// One line of a step's checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    /// NetSuite's (or the connector's) label, as the guide writes it.
    pub label: String,
    pub kind: ItemKind,
    /// The guide's own wording where it differs from the label ("Lists - Customers").
    #[serde(default)]
    pub guide_label: Option<String>,
    #[serde(default)]
    pub subtab: Option<String>,
    #[serde(default)]
    pub section: Option<String>,
    /// Required state of a feature or checkbox.
    #[serde(default)]
    pub state: Option<CheckState>,
    /// Level of a permission.
    #[serde(default)]
    pub level: Option<Level>,
    /// What to type or pick (a field's or select's value), or what an action applies to.
    #[serde(default)]
    pub value: Option<String>,
    /// A read-only SuiteQL query that succeeds only if the role has this permission; the signed test
    /// runs it with `?limit=1`.
    #[serde(default)]
    pub probe: Option<String>,
    /// A permission the user may pick or leave out (own integration). Others are required.
    #[serde(default)]
    pub selectable: bool,
    /// Not in the connector's guide: the wizard adds it, and `tip` says why.
    #[serde(default)]
    pub added: bool,
    #[serde(default)]
    pub tip: Option<String>,
}

impl ChecklistItem {
    /// Stable within a step; the wizard's saved ticks refer to items by it.
    pub fn key(&self) -> String {
        let kind = crate::serde_name(&self.kind);
        let mut key = format!("{kind}:");
        if let Some(subtab) = &self.subtab {
            key.push_str(subtab);
            key.push('/');
        }
        key.push_str(&self.label);
        if let Some(value) = &self.value {
            key.push('=');
            key.push_str(value);
        }
        key
    }
}

/// A permission the signed test can check, and the query that checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Probe<'a> {
    pub step: &'a str,
    pub subtab: &'a str,
    pub permission: &'a str,
    pub query: &'a str,
}

impl Step {
    /// The guide's heading: "A. Enable your NetSuite account…", "3. Create an Integration Record".
    pub fn heading(&self) -> String {
        match &self.number {
            Some(n) => format!("{n}. {}", self.title),
            None => self.title.clone(),
        }
    }

    pub fn permissions(&self) -> impl Iterator<Item = &ChecklistItem> {
        self.checklist.iter().filter(|i| i.kind == ItemKind::Permission)
    }
}

impl ConnectorProfile {
    /// Every embedded profile, parsed once.
    pub fn all() -> &'static [ConnectorProfile] {
        &PROFILES
    }

    pub fn get(id: &str) -> Option<&'static ConnectorProfile> {
        Self::all().iter().find(|p| p.id == id)
    }

    /// The profile a saved connection was set up with.
    pub fn of(profile: ProfileId) -> &'static ConnectorProfile {
        Self::get(profile.code()).expect("a ProfileId is made only from an embedded profile")
    }

    /// The OAuth 2.0 profile a connection of this profile moves to, if it can move.
    pub fn moves_to(&self) -> Option<ProfileId> {
        self.moves_to.as_deref().and_then(ProfileId::parse)
    }

    /// The secrets a connection of this profile holds: those its steps collect, in `Field` order. A
    /// Celigo connection holds the token pair only (the consumer pair is Celigo's own), so promotion,
    /// hand-off and the home screen ask for these and no more.
    pub fn secrets(&self) -> Vec<Field> {
        Field::ALL
            .into_iter()
            .filter(|f| self.steps.iter().any(|s| s.collects.contains(&Collect::Secret(*f))))
            .collect()
    }

    /// What a connection of this profile keeps in the keyring, by the names the command line uses.
    pub fn held(&self) -> Vec<&'static str> {
        self.auth.held(self)
    }

    pub fn profile_id(&'static self) -> ProfileId {
        ProfileId(self.id.as_str())
    }

    /// Checks that the file's name is the profile's id, so that a connector is found by its file.
    fn named_as(self, file: &str) -> Result<ConnectorProfile, Vec<String>> {
        if file.strip_suffix(".json") == Some(self.id.as_str()) {
            Ok(self)
        } else {
            Err(vec![format!(
                "its id `{}` must be its file's name without .json",
                self.id
            )])
        }
    }

    /// Parses and validates one profile file.
    pub fn from_json(text: &str) -> Result<ConnectorProfile, Vec<String>> {
        let profile: ConnectorProfile =
            serde_json::from_str(text).map_err(|e| vec![format!("not a valid profile: {e}")])?;
        profile.validate()?;
        Ok(profile)
    }

    pub fn step(&self, code: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.code == code)
    }

    pub fn step_index(&self, code: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.code == code)
    }

    /// "AS-3 of 5".
    pub fn progress(&self, code: &str) -> Option<String> {
        self.step_index(code).map(|_| format!("{code} of {}", self.steps.len()))
    }

    fn step_index_collecting(&self, what: Collect) -> Option<usize> {
        self.steps.iter().position(|s| s.collects.contains(&what))
    }

    /// The step that collects `what`, if any.
    pub fn step_collecting(&self, what: Collect) -> Option<&Step> {
        self.steps.iter().find(|s| s.collects.contains(&what))
    }

    /// Every permission the signed test can check, in checklist order. The caller leaves out
    /// selectable permissions the user did not pick.
    pub fn probes(&self) -> Vec<(Probe<'_>, &ChecklistItem)> {
        self.steps
            .iter()
            .flat_map(|s| s.permissions().map(move |i| (s, i)))
            .filter_map(|(s, i)| {
                Some((
                    Probe {
                        step: &s.code,
                        subtab: i.subtab.as_deref().unwrap_or_default(),
                        permission: &i.label,
                        query: i.probe.as_deref()?,
                    },
                    i,
                ))
            })
            .collect()
    }

    /// The hosts of the connector's pages (connector page and guide), which the app may open.
    pub fn allowed_hosts(&self) -> Vec<String> {
        let mut hosts: Vec<String> = self
            .external_urls()
            .into_iter()
            .filter_map(|(_, u)| Url::parse(u).ok()?.host_str().map(str::to_owned))
            .collect();
        hosts.sort();
        hosts.dedup();
        hosts
    }

    fn external_urls(&self) -> Vec<(&'static str, &str)> {
        let mut urls = Vec::new();
        if let Some(url) = self.guide.as_ref().and_then(|g| g.url.as_deref()) {
            urls.push(("guide.url", url));
        }
        if let Some(link) = &self.connector_page {
            urls.push(("connector_page.url", link.url.as_str()));
        }
        urls
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn embedded(id: &str) -> Value {
        let text = EMBEDDED
            .iter()
            .find(|(file, _)| file.strip_suffix(".json") == Some(id))
            .map(|(_, t)| *t)
            .expect("embedded file");
        serde_json::from_str(text).unwrap()
    }

    /// Errors for a profile given as JSON: parse errors and validation errors alike.
    fn problems(value: Value) -> Vec<String> {
        match ConnectorProfile::from_json(&value.to_string()) {
            Ok(_) => Vec::new(),
            Err(e) => e,
        }
    }

    /// `edit` breaks a copy of an embedded profile; the result must be refused with a message
    /// containing `expect`.
    fn refused(id: &str, expect: &str, edit: impl FnOnce(&mut Value)) {
        let mut v = embedded(id);
        assert!(problems(v.clone()).is_empty(), "the base profile must be valid");
        edit(&mut v);
        let errors = problems(v);
        assert!(
            errors.iter().any(|e| e.contains(expect)),
            "expected an error containing {expect:?}, got {errors:#?}"
        );
    }

    fn step_mut<'a>(v: &'a mut Value, code: &str) -> &'a mut Value {
        v["steps"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|s| s["code"] == code)
            .unwrap_or_else(|| panic!("no step {code}"))
    }

    fn item_mut<'a>(v: &'a mut Value, code: &str, label: &str) -> &'a mut Value {
        step_mut(v, code)["checklist"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|i| i["label"] == label)
            .unwrap_or_else(|| panic!("no item {label} in {code}"))
    }

    #[test]
    fn every_embedded_profile_validates() {
        for (file, text) in EMBEDDED {
            if let Err(errors) = ConnectorProfile::from_json(text) {
                panic!("{file}:\n  {}", errors.join("\n  "));
            }
        }
        // Every file in profiles/ is a connector, with no list of ids to keep up anywhere.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".json").map(str::to_owned))
            .collect();
        files.sort();
        let mut ids: Vec<&str> = ConnectorProfile::all().iter().map(|p| p.id.as_str()).collect();
        ids.sort();
        assert_eq!(ids, files);
        // A profile moves only from TBA, and only to an OAuth 2.0 profile this build has.
        for p in ConnectorProfile::all() {
            let Some(to) = &p.moves_to else { continue };
            assert_eq!(p.auth, AuthKind::Tba, "{}: only a TBA profile moves", p.id);
            let target = ConnectorProfile::get(to).unwrap_or_else(|| panic!("{}: moves_to {to} is no profile", p.id));
            assert_eq!(target.auth, AuthKind::M2m, "{}: moves_to {to} is not OAuth 2.0", p.id);
        }
        // The connectors whose side speaks TBA only cannot move.
        for id in ["celigo", "aftership"] {
            assert!(ConnectorProfile::get(id).unwrap().moves_to().is_none(), "{id}");
        }
    }

    #[test]
    fn the_profiles_match_the_saved_connection_kinds_and_the_ui_codes() {
        for p in ConnectorProfile::all().iter().map(ConnectorProfile::profile_id) {
            assert_eq!(ConnectorProfile::of(p).profile_id(), p);
        }
        let codes = |id: &str| -> Vec<String> {
            ConnectorProfile::get(id)
                .unwrap()
                .steps
                .iter()
                .map(|s| s.code.clone())
                .collect()
        };
        assert_eq!(codes("celigo"), ["C-A", "C-B", "C-C", "C-D", "C-E"]);
        assert_eq!(codes("aftership"), ["AS-1", "AS-2", "AS-3", "AS-4", "AS-5"]);
        assert_eq!(codes("own"), ["OI-1", "OI-2", "OI-3", "OI-4", "OI-5"]);
        assert!(ConnectorProfile::get("nope").is_none());
        let aftership = ConnectorProfile::get("aftership").unwrap();
        assert_eq!(aftership.progress("AS-3").as_deref(), Some("AS-3 of 5"));
        assert_eq!(
            aftership.step("AS-3").unwrap().heading(),
            "3. Create an Integration Record"
        );
        assert_eq!(
            ConnectorProfile::get("celigo").unwrap().steps[0].heading(),
            "A. Enable your NetSuite account with Token-Based Auth (TBA)"
        );
    }

    #[test]
    fn only_celigo_cannot_sign_and_says_why() {
        let celigo = ConnectorProfile::get("celigo").unwrap();
        assert!(!celigo.signed_test);
        assert!(celigo.signed_test_note.contains("Celigo"));
        assert!(ConnectorProfile::get("aftership").unwrap().signed_test);
        assert!(ConnectorProfile::get("own").unwrap().signed_test);
        assert_eq!(celigo.step_collecting(Collect::Secret(Field::ConsumerKey)), None);
        assert_eq!(
            celigo
                .step_collecting(Collect::Secret(Field::TokenSecret))
                .map(|s| s.code.as_str()),
            Some("C-D")
        );
    }

    #[test]
    fn connector_hosts_are_exactly_the_known_ones() {
        assert_eq!(
            ConnectorProfile::get("celigo").unwrap().allowed_hosts(),
            ["integrator.io"]
        );
        assert_eq!(
            ConnectorProfile::get("aftership").unwrap().allowed_hosts(),
            ["support.aftership.com"]
        );
        assert!(ConnectorProfile::get("own").unwrap().allowed_hosts().is_empty());
    }

    #[test]
    fn hand_off_values_resolve_for_an_account_and_secrets_stay_secret() {
        let account = Account::parse("1234567_sb1").unwrap();
        let celigo = ConnectorProfile::get("celigo").unwrap();
        let resolved: Vec<(String, Resolved)> = celigo
            .hand_off
            .fields
            .iter()
            .map(|f| (f.label.clone(), f.resolve(&account)))
            .collect();
        let text = |s: &str| Resolved::Text(s.to_owned());
        assert_eq!(
            resolved,
            [
                ("Authentication Type".to_owned(), text("Token")),
                ("Environment".to_owned(), text("Sandbox")),
                ("Account ID".to_owned(), text("1234567_SB1")),
                ("Token ID".to_owned(), Resolved::Secret(Field::TokenId)),
                ("Token Secret".to_owned(), Resolved::Secret(Field::TokenSecret)),
                ("iClient".to_owned(), text("eTail NetSuite")),
            ]
        );
        let production = Account::parse("1234567").unwrap();
        let env = celigo
            .hand_off
            .fields
            .iter()
            .find(|f| f.label == "Environment")
            .unwrap();
        assert_eq!(env.resolve(&production), text("Production"));
        let rp = Account::parse("1234567_RP").unwrap();
        assert_eq!(env.resolve(&rp), text("Release Preview"));

        let own = ConnectorProfile::get("own").unwrap();
        let base = own.hand_off.fields.iter().find(|f| f.label == "REST base URL").unwrap();
        assert_eq!(
            base.resolve(&account),
            text("https://1234567-sb1.suitetalk.api.netsuite.com/services/rest")
        );
    }

    #[test]
    fn probes_are_read_only_selects_on_permissions() {
        let aftership = ConnectorProfile::get("aftership").unwrap();
        let probes: Vec<(&str, &str)> = aftership
            .probes()
            .into_iter()
            .map(|(p, _)| (p.permission, p.query))
            .collect();
        assert!(probes.contains(&("Customers", "SELECT id FROM customer")));
        assert!(probes.contains(&("Sales Order", "SELECT id FROM transaction WHERE type = 'SalesOrd'")));
        assert!(probes.iter().all(|(_, q)| q.starts_with("SELECT ")));
        let own = ConnectorProfile::get("own").unwrap();
        assert!(own.probes().iter().all(|(_, item)| item.selectable));
    }

    #[test]
    fn own_integration_permissions_are_picked_from_a_list_around_the_rest_essentials() {
        let own = ConnectorProfile::get("own").unwrap();
        let perms: Vec<&ChecklistItem> = own.steps.iter().flat_map(Step::permissions).collect();
        let required: Vec<&str> = perms
            .iter()
            .filter(|i| !i.selectable)
            .map(|i| i.label.as_str())
            .collect();
        assert_eq!(
            required,
            [
                "Log in using Access Tokens",
                "REST Web Services",
                "SuiteAnalytics Workbook"
            ]
        );
        assert!(perms.iter().filter(|i| i.selectable).count() >= 10);
    }

    #[test]
    fn profiles_serialize_for_the_ui_and_read_back_the_same() {
        for p in ConnectorProfile::all() {
            let v = serde_json::to_value(p).unwrap();
            assert!(v["steps"][0]["where"].is_string());
            let back: ConnectorProfile = serde_json::from_value(v).unwrap();
            assert_eq!(&back, p);
        }
    }

    // One test per rule: a copy of a good profile, broken in one way, is refused with that reason.

    #[test]
    fn refuses_duplicate_step_codes() {
        refused("aftership", "step code used twice", |v| {
            step_mut(v, "AS-2")["code"] = json!("AS-1");
        });
    }

    #[test]
    fn refuses_steps_out_of_order_or_without_the_prefix() {
        refused("celigo", "should have the code C-B", |v| {
            let steps = v["steps"].as_array_mut().unwrap();
            steps.swap(1, 2);
        });
        refused("aftership", "should have the code AS-5", |v| {
            step_mut(v, "AS-5")["code"] = json!("AF-5");
        });
        refused("aftership", "does not match the code", |v| {
            step_mut(v, "AS-3")["number"] = json!("4");
        });
    }

    #[test]
    fn refuses_a_netsuite_step_without_a_menu_path_or_page() {
        refused("aftership", "needs its menu path", |v| {
            step_mut(v, "AS-3")["menu_path"] = Value::Null;
        });
        refused("aftership", "must be menu names joined", |v| {
            step_mut(v, "AS-3")["menu_path"] = json!("Setup/Integration");
        });
        refused("celigo", "needs a page to open", |v| {
            step_mut(v, "C-A")["page"] = Value::Null;
        });
        refused("celigo", "no NetSuite page", |v| {
            step_mut(v, "C-E")["page"] = json!("enable_features");
        });
    }

    #[test]
    fn refuses_a_page_that_does_not_exist() {
        refused("aftership", "unknown variant `enable_feature`", |v| {
            step_mut(v, "AS-2")["page"] = json!("enable_feature");
        });
    }

    #[test]
    fn refuses_an_unknown_collected_field() {
        refused(
            "aftership",
            "`consumer_keys` is not something a step can collect",
            |v| {
                step_mut(v, "AS-3")["collects"] = json!(["consumer_keys", "consumer_secret"]);
            },
        );
    }

    #[test]
    fn refuses_an_oauth2_profile_that_misses_a_step_or_mixes_in_tba() {
        assert_eq!(
            ConnectorProfile::get("own_m2m")
                .unwrap()
                .steps
                .iter()
                .map(|s| s.code.as_str())
                .collect::<Vec<_>>(),
            ["OM-1", "OM-2", "OM-3", "OM-4", "OM-5", "OM-6"]
        );
        refused("own_m2m", "client_id is collected 0 times", |v| {
            step_mut(v, "OM-3")["collects"] = json!([]);
        });
        refused("own_m2m", "consumer_key is collected 1 times", |v| {
            step_mut(v, "OM-3")["collects"] = json!(["client_id", "consumer_key"]);
        });
        refused("own_m2m", "certificate_id is collected 0 times", |v| {
            step_mut(v, "OM-6")["collects"] = json!([]);
        });
        refused("own_m2m", "made before the mapping", |v| {
            let steps = v["steps"].as_array_mut().unwrap();
            steps[4]["collects"] = json!(["certificate_id"]);
            steps[4]["where"] = json!("netsuite");
            steps[4]["menu_path"] = json!("Setup > Integration > Manage Integrations");
            steps[4]["page"] = json!("manage_integrations");
            steps[5]["collects"] = json!(["key_certificate"]);
            steps[5]["where"] = json!("wizard");
            for k in ["menu_path", "page", "open_hint"] {
                steps[5].as_object_mut().unwrap().remove(k);
            }
        });
        refused("own_m2m", "Log in using OAuth 2.0 Access Tokens", |v| {
            step_mut(v, "OM-4")["checklist"][1]["label"] = json!("Log in using Access Tokens");
        });
        refused("own_m2m", "a step in the wizard opens no NetSuite page", |v| {
            step_mut(v, "OM-5")["page"] = json!("new_role");
        });
        refused("own", "client_id is collected 1 times; a profile that uses TBA", |v| {
            step_mut(v, "OI-3")["collects"] = json!(["consumer_key", "consumer_secret", "client_id"]);
        });
        refused("own", "gives an OAuth 2.0 value, but this profile uses TBA", |v| {
            v["hand_off"]["fields"][0]["value"] = json!({ "source": "private_key" });
        });
    }

    #[test]
    fn refuses_a_signing_profile_that_misses_or_repeats_a_value() {
        refused("aftership", "consumer_secret is collected 0 times", |v| {
            step_mut(v, "AS-3")["collects"] = json!(["consumer_key"]);
        });
        refused("aftership", "token_id is collected 2 times", |v| {
            step_mut(v, "AS-3")["collects"] = json!(["consumer_key", "consumer_secret", "token_id"]);
        });
        refused("aftership", "collects token_id twice", |v| {
            step_mut(v, "AS-5")["collects"] = json!(["token_id", "token_id", "token_secret"]);
        });
        refused("own", "account_id is collected more than once", |v| {
            step_mut(v, "OI-2")["collects"] = json!(["account_id"]);
        });
    }

    #[test]
    fn refuses_a_celigo_profile_that_collects_the_consumer_pair() {
        // Celigo's consumer pair is Celigo's: a non-signing profile collects only the token pair.
        refused("celigo", "consumer_key is collected 1 times", |v| {
            step_mut(v, "C-D")["collects"] = json!(["consumer_key", "token_id", "token_secret"]);
        });
        refused("celigo", "token_secret is collected 0 times", |v| {
            step_mut(v, "C-D")["collects"] = json!(["token_id"]);
        });
    }

    #[test]
    fn refuses_a_checkbox_or_feature_without_a_state() {
        refused("aftership", "`checkbox:TBA: AUTHORIZATION FLOW` needs a state", |v| {
            item_mut(v, "AS-3", "TBA: AUTHORIZATION FLOW")
                .as_object_mut()
                .unwrap()
                .remove("state");
        });
        refused("celigo", "needs a state", |v| {
            item_mut(v, "C-A", "TOKEN-BASED AUTHENTICATION")
                .as_object_mut()
                .unwrap()
                .remove("state");
        });
        refused("aftership", "unknown variant `maybe`", |v| {
            item_mut(v, "AS-3", "TBA: ISSUETOKEN ENDPOINT")["state"] = json!("maybe");
        });
    }

    #[test]
    fn refuses_a_permission_without_a_level_or_subtab() {
        refused("aftership", "`permission:Lists/Customers` needs a level", |v| {
            item_mut(v, "AS-4", "Customers")
                .as_object_mut()
                .unwrap()
                .remove("level");
        });
        refused("aftership", "needs its role subtab", |v| {
            item_mut(v, "AS-4", "Items")["subtab"] = json!("Listz");
        });
        refused("aftership", "cannot have a level", |v| {
            item_mut(v, "AS-3", "NAME")["level"] = json!("Full");
        });
    }

    #[test]
    fn refuses_a_signing_profile_whose_role_cannot_use_rest() {
        refused("aftership", "Setup > Log in using Access Tokens", |v| {
            let items = step_mut(v, "AS-4")["checklist"].as_array_mut().unwrap();
            items.retain(|i| i["label"] != "Log in using Access Tokens");
        });
        refused("own", "Setup > REST Web Services (required, not selectable)", |v| {
            item_mut(v, "OI-4", "REST Web Services")["selectable"] = json!(true);
        });
    }

    #[test]
    fn refuses_bad_probes_and_misplaced_options() {
        refused("aftership", "read-only SuiteQL SELECT", |v| {
            item_mut(v, "AS-4", "Customers")["probe"] = json!("DELETE FROM customer");
        });
        refused("aftership", "only permissions have probes", |v| {
            item_mut(v, "AS-3", "NAME")["probe"] = json!("SELECT id FROM customer");
        });
        refused("aftership", "only permissions can be selectable", |v| {
            item_mut(v, "AS-3", "NAME")["selectable"] = json!(true);
        });
        refused("aftership", "needs a tip saying why", |v| {
            item_mut(v, "AS-4", "Log in using Access Tokens")
                .as_object_mut()
                .unwrap()
                .remove("tip");
        });
        refused("aftership", "appears twice", |v| {
            let items = step_mut(v, "AS-3")["checklist"].as_array_mut().unwrap();
            let first = items[1].clone();
            items.push(first);
        });
    }

    #[test]
    fn refuses_a_broken_hand_off_or_connector_link() {
        refused("aftership", "no step collects it", |v| {
            v["hand_off"]["fields"]
                .as_array_mut()
                .unwrap()
                .push(json!({"label": "Password", "value": {"source": "secret", "field": "token_secret"}}));
            step_mut(v, "AS-5")["collects"] = json!(["token_id"]);
        });
        refused("celigo", "is not a step", |v| {
            v["hand_off"]["step"] = json!("C-F");
        });
        refused("celigo", "is not a connector step", |v| {
            v["hand_off"]["step"] = json!("C-D");
        });
        refused("celigo", "plain https address", |v| {
            v["connector_page"]["url"] = json!("http://integrator.io");
        });
        refused("celigo", "needs the profile's connector_page", |v| {
            v["connector_page"] = Value::Null;
        });
        refused("celigo", "signed_test_note is empty", |v| {
            v["signed_test_note"] = json!(" ");
        });
    }

    #[test]
    fn refuses_unknown_keys_and_bad_instructions() {
        refused("own", "unknown field `menupath`", |v| {
            step_mut(v, "OI-1")["menupath"] = json!("Setup > Company");
        });
        refused("own", "1 to 4 are allowed", |v| {
            step_mut(v, "OI-1")["instructions"] = json!(["a", "b", "c", "d", "e"]);
        });
        refused("own", "has an empty checklist", |v| {
            step_mut(v, "OI-1")["checklist"] = json!([]);
        });
    }
}
