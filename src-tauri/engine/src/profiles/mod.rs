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

pub mod journeys;

include!(concat!(env!("OUT_DIR"), "/profiles.rs"));

/// The id of a connector profile this build knows. It can only be made from an embedded profile, so
/// every `ProfileId` has its profile, and a connection file naming an unknown one is refused on reading.
/// Stored and shown as the id's text (`celigo`, `aftership`, `own`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ts_rs::TS)]
#[ts(rename = "Profile")]
pub struct ProfileId(#[ts(type = "string")] &'static str);

impl ProfileId {
    /// The id as a user may type it (any case, spaces around).
    pub fn parse(text: &str) -> Option<ProfileId> {
        let wanted = text.trim().to_ascii_lowercase();
        ConnectorProfile::get(&wanted).map(ConnectorProfile::profile_id)
    }

    pub fn code(self) -> &'static str {
        self.0
    }

    pub fn profile(self) -> &'static ConnectorProfile {
        ConnectorProfile::of(self)
    }

    /// Every id this build knows, in the start screen's order: for messages that list them.
    pub fn known() -> String {
        ConnectorProfile::all()
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl std::fmt::Debug for ProfileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for ProfileId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for ProfileId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ConnectorProfile::get(&text)
            .map(ConnectorProfile::profile_id)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "unknown connector profile `{}`: this version knows {}",
                    text.escape_debug(),
                    ProfileId::known()
                ))
            })
    }
}

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
    pub auth: ProfileAuth,
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
}

/// The auth method a profile's connections use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileAuth {
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

/// What to enter on the connector's side, in the form the connector expects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandOff {
    pub title: String,
    pub intro: String,
    /// The connector-side step where these values are entered (Celigo's `C-E`), or `None` when the
    /// hand-off is a screen of its own after the signed test.
    #[serde(default)]
    pub step: Option<String>,
    pub fields: Vec<HandOffField>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandOffField {
    /// The connector's own name for the field.
    pub label: String,
    pub value: HandOffValue,
    #[serde(default)]
    pub note: Option<String>,
}

/// Where a hand-off value comes from. Secrets are never resolved to text here: the UI shows a copy
/// button, and Rust takes the value from the keyring when it is pressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case", deny_unknown_fields)]
pub enum HandOffValue {
    /// The canonical account ID (upper case, underscore), which is also the realm.
    AccountId,
    /// `https://<label>.suitetalk.api.netsuite.com/services/rest`.
    RestBaseUrl,
    /// The account's environment in the connector's words, keyed by [`crate::Environment::code`];
    /// an environment missing from `names` is shown in NetSuite's words.
    Environment {
        names: BTreeMap<String, String>,
    },
    Secret {
        field: Field,
    },
    /// OAuth 2.0: `https://<label>.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token`.
    TokenUrl,
    /// OAuth 2.0: the integration record's Client ID, copied from the keyring like a secret.
    ClientId,
    /// OAuth 2.0: the mapping's Certificate ID (public).
    CertificateId,
    /// OAuth 2.0: the assertion's `alg`, fixed by the key's kind (public).
    Algorithm,
    /// OAuth 2.0: the assertion's `scope` claim, as the test sends it (public).
    Scope,
    /// OAuth 2.0: the private key, exported to a user-only file or copied, after a confirmation.
    PrivateKey,
    /// A value to type or select as is, e.g. Authentication Type "Token".
    Fixed {
        text: String,
    },
}

/// A hand-off value made concrete for one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Text(String),
    /// Copied from the keyring on request; never rendered.
    Secret(Field),
    /// An OAuth 2.0 connection's own value, known only with the connection (Certificate ID) or kept in
    /// the keyring (Client ID, private key).
    M2m(M2mValue),
}

/// The values of an OAuth 2.0 connection a hand-off gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum M2mValue {
    ClientId,
    CertificateId,
    Algorithm,
    Scope,
    PrivateKey,
}

impl HandOffField {
    pub fn resolve(&self, account: &Account) -> Resolved {
        match &self.value {
            HandOffValue::AccountId => Resolved::Text(account.id().to_owned()),
            HandOffValue::RestBaseUrl => Resolved::Text(format!("https://{}/services/rest", account.rest_host())),
            HandOffValue::Environment { names } => {
                let env = account.environment();
                Resolved::Text(names.get(env.code()).cloned().unwrap_or_else(|| env.to_string()))
            }
            HandOffValue::Secret { field } => Resolved::Secret(*field),
            HandOffValue::TokenUrl => Resolved::Text(crate::netsuite::oauth2::token_url(account)),
            HandOffValue::ClientId => Resolved::M2m(M2mValue::ClientId),
            HandOffValue::CertificateId => Resolved::M2m(M2mValue::CertificateId),
            HandOffValue::Algorithm => Resolved::M2m(M2mValue::Algorithm),
            HandOffValue::Scope => Resolved::M2m(M2mValue::Scope),
            HandOffValue::PrivateKey => Resolved::M2m(M2mValue::PrivateKey),
            HandOffValue::Fixed { text } => Resolved::Text(text.clone()),
        }
    }
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

/// What a step takes from the user: the account ID, or one of the four TBA values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Collect {
    AccountId,
    Secret(Field),
    /// OAuth 2.0: the integration record's Client ID, kept in the keyring like a secret.
    ClientId,
    /// OAuth 2.0: a key pair made in the keyring (or imported) and its certificate, saved for upload.
    KeyCertificate,
    /// OAuth 2.0: the mapping's Certificate ID, typed or pasted.
    CertificateId,
}

impl Collect {
    /// What only an OAuth 2.0 profile collects.
    pub const M2M: [Collect; 3] = [Collect::ClientId, Collect::KeyCertificate, Collect::CertificateId];

    pub fn code(self) -> &'static str {
        match self {
            Collect::AccountId => "account_id",
            Collect::Secret(f) => f.code(),
            Collect::ClientId => "client_id",
            Collect::KeyCertificate => "key_certificate",
            Collect::CertificateId => "certificate_id",
        }
    }

    pub fn parse(code: &str) -> Option<Collect> {
        match code {
            "account_id" => Some(Collect::AccountId),
            "client_id" => Some(Collect::ClientId),
            "key_certificate" => Some(Collect::KeyCertificate),
            "certificate_id" => Some(Collect::CertificateId),
            _ => Field::parse(code).map(Collect::Secret),
        }
    }
}

impl fmt::Display for Collect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Collect {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Collect {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Collect::parse(&code).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{code}` is not something a step can collect (account_id, consumer_key, consumer_secret, token_id, \
                 token_secret, client_id, key_certificate or certificate_id)"
            ))
        })
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

    /// The secrets a connection of this profile holds: those its steps collect, in `Field` order. A
    /// Celigo connection holds the token pair only (the consumer pair is Celigo's own), so promotion,
    /// hand-off and the home screen ask for these and no more.
    pub fn secrets(&self) -> Vec<Field> {
        Field::ALL
            .into_iter()
            .filter(|f| self.steps.iter().any(|s| s.collects.contains(&Collect::Secret(*f))))
            .collect()
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

    /// Every rule a profile file must keep. Each problem is one line naming the profile and step.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        let who = if self.id.is_empty() {
            "(no id)"
        } else {
            self.id.as_str()
        };
        let mut err = |at: &str, msg: String| {
            errors.push(if at.is_empty() {
                format!("{who}: {msg}")
            } else {
                format!("{who} {at}: {msg}")
            })
        };

        // The profile itself.
        if self.id.is_empty()
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            err("", format!("id `{}` must be lower-case letters, digits or _", self.id));
        }
        for (what, text) in [
            ("name", &self.name),
            ("short_name", &self.short_name),
            ("summary", &self.summary),
            ("signed_test_note", &self.signed_test_note),
            ("hand_off.title", &self.hand_off.title),
            ("hand_off.intro", &self.hand_off.intro),
        ] {
            if text.trim().is_empty() {
                err("", format!("{what} is empty"));
            }
        }
        if self.code_prefix.is_empty() || !self.code_prefix.chars().all(|c| c.is_ascii_uppercase()) {
            err(
                "",
                format!("code_prefix `{}` must be upper-case letters", self.code_prefix),
            );
        }
        if let Some(g) = &self.guide {
            if g.publisher.trim().is_empty() || g.title.trim().is_empty() {
                err("", "guide needs a publisher and a title".into());
            }
        }
        for (what, url) in self.external_urls() {
            match Url::parse(url) {
                Ok(u)
                    if u.scheme() == "https"
                        && u.host_str().is_some_and(|h| h.contains('.'))
                        && u.username().is_empty()
                        && u.password().is_none() => {}
                _ => err("", format!("{what} `{url}` must be a plain https address")),
            }
        }
        if let Some(link) = &self.connector_page {
            if link.label.trim().is_empty() {
                err("", "connector_page.label is empty".into());
            }
        }

        // Step codes: unique, in order, with the prefix.
        if self.steps.is_empty() {
            err("", "has no steps".into());
        }
        let mut seen_codes = BTreeSet::new();
        let letters = self
            .steps
            .first()
            .and_then(|s| s.code.rsplit('-').next())
            .is_some_and(|s| s.chars().all(|c| c.is_ascii_uppercase()));
        for (i, step) in self.steps.iter().enumerate() {
            let expected_suffix = if letters {
                u8::try_from(i)
                    .ok()
                    .and_then(|i| b'A'.checked_add(i))
                    .map(|b| char::from(b).to_string())
                    .unwrap_or_default()
            } else {
                (i + 1).to_string()
            };
            let expected = format!("{}-{expected_suffix}", self.code_prefix);
            if !seen_codes.insert(step.code.as_str()) {
                err(&step.code, "step code used twice".into());
            }
            if step.code != expected {
                err(&step.code, format!("step {} should have the code {expected}", i + 1));
            }
            if let Some(n) = &step.number {
                if step.code.rsplit('-').next() != Some(n.as_str()) {
                    err(&step.code, format!("the guide's number `{n}` does not match the code"));
                }
            }
            self.validate_step(step, &mut err);
        }

        // What is collected, and where.
        let mut collected: BTreeMap<Collect, usize> = BTreeMap::new();
        for step in &self.steps {
            for c in &step.collects {
                *collected.entry(*c).or_default() += 1;
            }
        }
        let m2m = self.auth == ProfileAuth::M2m;
        let required: &[Field] = if m2m {
            &[]
        } else if self.signed_test {
            &Field::ALL
        } else {
            &[Field::TokenId, Field::TokenSecret]
        };
        for field in Field::ALL {
            let n = collected.get(&Collect::Secret(field)).copied().unwrap_or(0);
            let want = usize::from(required.contains(&field));
            if n != want {
                err(
                    "",
                    format!(
                        "{} is collected {n} times; a profile that {} collects it {want} time{}",
                        field.code(),
                        if m2m {
                            "uses OAuth 2.0"
                        } else if self.signed_test {
                            "signs"
                        } else {
                            "does not sign"
                        },
                        if want == 1 { "" } else { "s" }
                    ),
                );
            }
        }
        if collected.get(&Collect::AccountId).copied().unwrap_or(0) > 1 {
            err("", "account_id is collected more than once".into());
        }
        for what in Collect::M2M {
            let n = collected.get(&what).copied().unwrap_or(0);
            let want = usize::from(m2m);
            if n != want {
                err(
                    "",
                    format!(
                        "{what} is collected {n} times; a profile that uses {} collects it {want} time{}",
                        if m2m { "OAuth 2.0" } else { "TBA" },
                        if want == 1 { "" } else { "s" }
                    ),
                );
            }
        }
        if m2m && !self.signed_test {
            err(
                "",
                "an OAuth 2.0 profile makes its own key, so its test signs (signed_test: true)".into(),
            );
        }
        if let (Some(k), Some(m)) = (
            self.step_index_collecting(Collect::KeyCertificate),
            self.step_index_collecting(Collect::CertificateId),
        ) {
            if k > m {
                err(
                    "",
                    "the key and certificate are made before the mapping that uploads the certificate".into(),
                );
            }
        }

        // The signed test needs a role that can sign in to REST web services.
        if self.signed_test {
            let essentials = if m2m { REST_ESSENTIALS_M2M } else { REST_ESSENTIALS };
            for (subtab, label) in essentials {
                let present = self
                    .steps
                    .iter()
                    .flat_map(Step::permissions)
                    .any(|i| i.label == label && i.subtab.as_deref() == Some(subtab) && !i.selectable);
                if !present {
                    err(
                        "",
                        format!(
                            "the signed test runs, so the role needs the permission {subtab} > {label} (required, not selectable)"
                        ),
                    );
                }
            }
        }

        // The hand-off.
        if let Some(code) = &self.hand_off.step {
            match self.step(code) {
                Some(s) if s.place == Place::Connector => {}
                Some(_) => err("", format!("hand_off.step {code} is not a connector step")),
                None => err("", format!("hand_off.step {code} is not a step")),
            }
        }
        if self.hand_off.fields.is_empty() {
            err("", "hand_off has no fields".into());
        }
        let mut labels = BTreeSet::new();
        for f in &self.hand_off.fields {
            if f.label.trim().is_empty() {
                err("", "a hand_off field has no label".into());
            } else if !labels.insert(f.label.as_str()) {
                err("", format!("hand_off field `{}` appears twice", f.label));
            }
            match &f.value {
                HandOffValue::Secret { field } if !collected.contains_key(&Collect::Secret(*field)) => {
                    err(
                        "",
                        format!(
                            "hand_off field `{}` hands over {} but no step collects it",
                            f.label,
                            field.code()
                        ),
                    );
                }
                HandOffValue::TokenUrl
                | HandOffValue::ClientId
                | HandOffValue::CertificateId
                | HandOffValue::Algorithm
                | HandOffValue::Scope
                | HandOffValue::PrivateKey
                    if !m2m =>
                {
                    err(
                        "",
                        format!(
                            "hand_off field `{}` gives an OAuth 2.0 value, but this profile uses TBA",
                            f.label
                        ),
                    );
                }
                HandOffValue::Fixed { text } if text.trim().is_empty() => {
                    err("", format!("hand_off field `{}` has an empty text", f.label));
                }
                _ => {}
            }
        }

        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn validate_step(&self, step: &Step, err: &mut impl FnMut(&str, String)) {
        let at = step.code.as_str();
        for (what, text) in [("title", &step.title), ("short_title", &step.short_title)] {
            if text.trim().is_empty() {
                err(at, format!("{what} is empty"));
            }
        }
        if step.short_title.chars().count() > 24 {
            err(
                at,
                "short_title is longer than 24 characters (it goes in the rail)".into(),
            );
        }
        if step.instructions.is_empty() || step.instructions.len() > 4 {
            err(
                at,
                format!(
                    "has {} instruction sentences; 1 to 4 are allowed",
                    step.instructions.len()
                ),
            );
        }
        if step.instructions.iter().chain(&step.tips).any(|t| t.trim().is_empty()) {
            err(at, "an instruction or tip is empty".into());
        }

        match step.place {
            Place::Netsuite => {
                match &step.menu_path {
                    Some(path) => check_menu_path(at, path, err),
                    None => err(at, "a NetSuite step needs its menu path".into()),
                }
                if step.page.is_none() {
                    err(at, "a NetSuite step needs a page to open".into());
                }
            }
            Place::Wizard => {
                if step.page.is_some()
                    || step.menu_path.is_some()
                    || step.open_hint.is_some()
                    || !step.also_open.is_empty()
                {
                    err(at, "a step in the wizard opens no NetSuite page".into());
                }
                if step.collects != [Collect::KeyCertificate] {
                    err(
                        at,
                        "a step in the wizard makes the key and certificate (collects key_certificate), and only that"
                            .into(),
                    );
                }
            }
            Place::Connector => {
                if step.page.is_some() || step.menu_path.is_some() || step.open_hint.is_some() {
                    err(
                        at,
                        "a connector step has no NetSuite page, menu path or open hint".into(),
                    );
                }
                if !step.also_open.is_empty() {
                    err(at, "a connector step opens no NetSuite pages".into());
                }
                if !step.collects.is_empty() {
                    err(at, "a connector step collects nothing".into());
                }
                if self.connector_page.is_none() {
                    err(at, "a connector step needs the profile's connector_page".into());
                }
            }
        }
        for extra in &step.also_open {
            if extra.label.trim().is_empty() {
                err(at, "an also_open entry has no label".into());
            }
            check_menu_path(at, &extra.menu_path, err);
        }

        let mut seen = BTreeSet::new();
        for c in &step.collects {
            if !seen.insert(*c) {
                err(at, format!("collects {c} twice"));
            }
        }

        if step.checklist.is_empty() {
            err(at, "has an empty checklist".into());
        }
        let mut keys = BTreeSet::new();
        for item in &step.checklist {
            let key = item.key();
            let what = format!("item `{key}`");
            if item.label.trim().is_empty() {
                err(at, "a checklist item has no label".into());
            }
            if !keys.insert(key.clone()) {
                err(at, format!("{what} appears twice"));
            }
            let boxed = matches!(item.kind, ItemKind::Feature | ItemKind::Checkbox);
            match (boxed, item.state) {
                (true, None) => err(at, format!("{what} needs a state (on or off)")),
                (false, Some(_)) => err(at, format!("{what} is not a box and cannot have a state")),
                _ => {}
            }
            let permission = item.kind == ItemKind::Permission;
            match (permission, item.level) {
                (true, None) => err(at, format!("{what} needs a level (View, Create, Edit or Full)")),
                (false, Some(_)) => err(at, format!("{what} is not a permission and cannot have a level")),
                _ => {}
            }
            if permission && !item.subtab.as_deref().is_some_and(|s| PERMISSION_SUBTABS.contains(&s)) {
                err(
                    at,
                    format!("{what} needs its role subtab, one of {}", PERMISSION_SUBTABS.join(", ")),
                );
            }
            if item.selectable && !permission {
                err(at, format!("{what}: only permissions can be selectable"));
            }
            if let Some(q) = &item.probe {
                if !permission {
                    err(at, format!("{what}: only permissions have probes"));
                }
                let upper = q.trim_start().to_ascii_uppercase();
                if !upper.starts_with("SELECT ") || q.contains(';') {
                    err(
                        at,
                        format!("{what}: a probe is one read-only SuiteQL SELECT without `;`"),
                    );
                }
            }
            if item.added && item.tip.as_deref().is_none_or(|t| t.trim().is_empty()) {
                err(at, format!("{what} is added by the wizard and needs a tip saying why"));
            }
        }
    }
}

fn check_menu_path(at: &str, path: &str, err: &mut impl FnMut(&str, String)) {
    let parts: Vec<&str> = path.split(" > ").collect();
    if parts.len() < 2 || parts.iter().any(|p| p.trim().is_empty() || *p != p.trim()) {
        err(at, format!("menu path `{path}` must be menu names joined by \" > \""));
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
        let ids: Vec<&str> = ConnectorProfile::all().iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["celigo", "aftership", "own_m2m", "own"]);
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
