//! The journey kinds, one file each, behind one trait and one dispatch point (`of`): what a kind's
//! screens are, which of them makes the new values active, what it replaces and where a refusal sends
//! the user back. A new kind is a new file here and one arm in `of`.

use crate::flow::journey::{JourneyRun, JourneyScreen, RotationState};
use crate::flow::plan::TestPlan;
use crate::flow::view::{Journey, ScreenView, WizardError};
use crate::keep::secrets::Field;
use crate::keep::store::Connection;
use crate::keep::vault::Slot;
use crate::netsuite::outcome::Step;
use crate::profiles::{AuthKind, ConnectorProfile};

mod handoff;
pub(crate) mod move_oauth2;
pub(crate) mod replace_certificate;
mod rotate_consumer;
mod rotate_token;
pub(crate) mod token;

pub(crate) trait JourneyKind: Sync {
    /// The auth method of the connections this kind runs on.
    fn auth(&self) -> AuthKind {
        AuthKind::Tba
    }
    /// Whether this kind runs on a connection signing in with `auth`.
    fn runs_on(&self, auth: AuthKind) -> bool {
        auth == self.auth()
    }
    /// The screens, in order, for a connection of `profile`.
    fn screens(&self, profile: &ConnectorProfile) -> Vec<JourneyScreen>;
    /// The screen whose Next makes the new values active; `None` where nothing new is made.
    fn promotion_screen(&self, _profile: &ConnectorProfile) -> Option<JourneyScreen> {
        None
    }
    /// The TBA pair this kind replaces, if it replaces one.
    fn pair(&self) -> Option<[Field; 2]> {
        None
    }
    /// Where "Discard and capture again" goes back to.
    fn capture_screen(&self) -> JourneyScreen {
        JourneyScreen::NewToken
    }
    /// Whether the user names the new token (NetSuite's list shows it; the revoke step finds the old by it).
    fn names_new_token(&self) -> bool {
        false
    }
    /// The screen to revisit for a refusal NetSuite blamed on `step`, where this kind has one.
    fn revisit(&self, _step: Step) -> Option<JourneyScreen> {
        None
    }
    /// Next's label on the promotion screen.
    fn promote_label(&self) -> &'static str {
        "Use the new values"
    }
    /// Whether the hand-off gives the values in use (else the staged ones over them).
    fn hands_over_active(&self) -> bool {
        false
    }
    /// The slot the key part keeps this kind's key in (`promoted`: after the promotion); `None` where
    /// the kind hosts no key part.
    fn key_slot(&self, _promoted: bool) -> Option<Slot> {
        None
    }
    /// A new journey's saved state on `connection`, or why it cannot begin there.
    fn start(
        &self,
        journey: Journey,
        connection: &Connection,
        profile: &ConnectorProfile,
    ) -> Result<RotationState, WizardError> {
        token::start_state(journey, connection, profile)
    }
    /// Whether the keyring shows the promotion done though the journey's file does not (a crash
    /// between the two): the journey then finishes it on reopening.
    fn promoted_meanwhile(&self, r: &RotationState, connection: &Connection) -> bool {
        token::promoted_meanwhile(r, connection)
    }
    /// Whether ticking `key` on `screen` asks for a new test (a move's switch wants one made after the
    /// integration runs on the new values).
    fn tick_voids_test(&self, _screen: &str, _key: &str) -> bool {
        false
    }
    /// The screen whose step in NetSuite stops the running integration at once (a consumer key reset):
    /// Next into it asks first.
    fn stops_integration(&self) -> Option<JourneyScreen> {
        None
    }
    /// Why Stop must not throw the new values away now, if it must not.
    fn refuse_stop(&self, _r: &RotationState, _connection: &Connection) -> Option<String> {
        None
    }
    /// Whether the kind stages new values (thrown away by a Stop before the promotion).
    fn stages(&self) -> bool {
        self.pair().is_some() || self.key_slot(false).is_some()
    }
    /// Whether the promotion keeps the replaced token (retired slot) for the check that NetSuite refuses it.
    fn retires_old_token(&self) -> bool {
        false
    }
    /// Whether the promotion moves the connection to another auth method (TBA to OAuth 2.0): the switch
    /// of `keep::m2m::migrate`, not a promotion of new values of the same kind.
    fn switches_method(&self) -> bool {
        false
    }
    /// Whether the hand-off gives the staged values before they are the connection's own: a move to
    /// OAuth 2.0 hands the new key over while the tokens still work, and switches once it runs.
    fn hands_over_staged(&self) -> bool {
        false
    }
    /// What the kind's old values are, for the signed check that NetSuite refuses them once replaced.
    fn old_values(&self) -> OldValues {
        OldValues::TokenSet
    }
    /// Why Next is refused on `screen`, if it is.
    fn blocked(
        &self,
        run: &JourneyRun,
        screen: JourneyScreen,
        connection: &Connection,
        profile: &ConnectorProfile,
    ) -> Option<String> {
        token::blocked(run, screen, connection, profile)
    }
    /// `screen` as the window draws it; `code` is its step code (RT-2).
    fn screen_view(
        &self,
        run: &JourneyRun,
        profile: &ConnectorProfile,
        connection: &Connection,
        screen: JourneyScreen,
        code: String,
    ) -> Option<ScreenView> {
        token::screen_view(run, profile, connection, screen, code)
    }
    /// The signed test of the new values, for a kind tested with TBA signatures.
    fn test_plan(
        &self,
        run: &JourneyRun,
        profile: &ConnectorProfile,
        connection: &Connection,
    ) -> Result<TestPlan, WizardError> {
        token::test_plan(run, profile, connection)
    }
    /// Whether a home card offers this journey for a connection like `facts`.
    fn offered(&self, facts: &CardFacts) -> bool {
        self.runs_on(facts.auth)
    }
    /// Whether the card shows the offer as the thing to do next (an expiring certificate).
    fn urgent(&self, _facts: &CardFacts) -> bool {
        false
    }
}

/// What a journey replaced, as the check that NetSuite refuses it signs: the values are the kind's, the
/// check is the auth method's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OldValues {
    /// The TBA set in the retired slot (refused with a message where the kind retires no token).
    TokenSet,
    /// The retired OAuth 2.0 key, with the old mapping's Certificate ID.
    KeyAndMapping,
    /// The TBA token a connection used before its move to OAuth 2.0 (the retired slot).
    MovedToken,
}

/// What a home card knows of a connection, for the kinds to say whether they apply.
pub(crate) struct CardFacts {
    pub auth: AuthKind,
    /// The wizard runs the signed test (Celigo's connector runs its own).
    pub signed: bool,
    /// Nothing is missing from the keyring.
    pub complete: bool,
    /// An OAuth 2.0 connection's certificate has its mapping's Certificate ID.
    pub mapped: bool,
    /// `ok`, `soon` or `expired`, for an OAuth 2.0 connection's certificate.
    pub certificate_status: Option<&'static str>,
    /// A TBA connection whose connector can sign in with OAuth 2.0 (its profile moves to one).
    pub can_move: bool,
}

/// The order the home card offers journeys in.
pub(crate) const OFFERED: [Journey; 5] = [
    Journey::MoveToOauth2,
    Journey::RotateToken,
    Journey::RotateConsumer,
    Journey::ReplaceCertificate,
    Journey::Handoff,
];

/// Nothing to do: a setup is not a journey on a saved connection (a progress file never holds one).
struct NotAJourney;

impl JourneyKind for NotAJourney {
    fn screens(&self, _: &ConnectorProfile) -> Vec<JourneyScreen> {
        vec![]
    }
}

/// A checklist item of a journey screen, ticked as `ticks` (the screen's saved ticks) say.
pub(crate) fn item(
    ticks: Option<&std::collections::BTreeSet<String>>,
    key: &str,
    label: impl Into<String>,
    kind: crate::profiles::ItemKind,
    value: Option<String>,
    tip: Option<String>,
) -> crate::flow::view::ItemView {
    crate::flow::view::ItemView {
        checked: ticks.is_some_and(|t| t.contains(key)),
        key: key.to_string(),
        label: label.into(),
        kind,
        subtab: None,
        section: None,
        state: None,
        level: None,
        value,
        tip,
        selectable: false,
        picked: true,
    }
}

/// What a journey keeps of its own kind between runs: a token journey its old and new token's
/// fingerprints and names, a certificate replacement its certificates and the API calls it made. In
/// `rotation.json` both sit flat beside the journey's common fields, as they always did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KindState {
    Token(token::TokenState),
    Certificate(replace_certificate::CertificateState),
}

static NO_TOKEN: token::TokenState = token::TokenState {
    old: crate::keep::secrets::Fingerprints::NONE,
    old_token_name: None,
    new_token_name: None,
    passed: None,
};

static NO_CERTIFICATE: replace_certificate::CertificateState = replace_certificate::CertificateState {
    old_certificate: None,
    certificate_file: None,
    key_passed: None,
    upload_sent: None,
    still_active: None,
    file_passed: None,
};

impl KindState {
    /// The kind's state from the file's parts: the one kind `journey` keeps.
    pub(crate) fn of_file(
        journey: Journey,
        token: token::TokenState,
        certificate: replace_certificate::CertificateState,
    ) -> KindState {
        if of(journey).key_slot(false).is_some() {
            KindState::Certificate(replace_certificate::CertificateState {
                file_passed: token.passed,
                ..certificate
            })
        } else {
            KindState::Token(token)
        }
    }

    /// Both parts, for the file: the one this kind does not keep stays empty.
    pub(crate) fn into_file(self) -> (token::TokenState, replace_certificate::CertificateState) {
        match self {
            KindState::Token(t) => (t, Default::default()),
            KindState::Certificate(c) => (
                token::TokenState {
                    passed: c.file_passed.clone(),
                    ..Default::default()
                },
                c,
            ),
        }
    }

    /// A token journey's state; empty for another kind.
    pub(crate) fn token(&self) -> &token::TokenState {
        match self {
            KindState::Token(t) => t,
            _ => &NO_TOKEN,
        }
    }

    pub(crate) fn token_mut(&mut self) -> Option<&mut token::TokenState> {
        match self {
            KindState::Token(t) => Some(t),
            _ => None,
        }
    }

    /// A certificate replacement's state; empty for another kind.
    pub(crate) fn certificate(&self) -> &replace_certificate::CertificateState {
        match self {
            KindState::Certificate(c) => c,
            _ => &NO_CERTIFICATE,
        }
    }

    pub(crate) fn certificate_mut(&mut self) -> Option<&mut replace_certificate::CertificateState> {
        match self {
            KindState::Certificate(c) => Some(c),
            _ => None,
        }
    }

    /// The new values changed (captured again): a test of the earlier ones no longer counts.
    pub(crate) fn forget_test(&mut self) {
        match self {
            KindState::Token(t) => t.passed = None,
            KindState::Certificate(c) => {
                c.key_passed = None;
                c.file_passed = None;
            }
        }
    }

    /// The new values were thrown away: their test, and a new certificate's file, go with them.
    pub(crate) fn forget_new(&mut self) {
        self.forget_test();
        if let KindState::Certificate(c) = self {
            c.certificate_file = None;
        }
    }

    /// What the new values' test was about, once it passed (`passed` false: it did not).
    pub(crate) fn tested(&mut self, connection: &Connection, passed: bool) {
        match self {
            KindState::Token(t) => t.passed = passed.then(|| connection.pending_fingerprints().clone()),
            KindState::Certificate(c) => {
                c.key_passed = passed.then(|| replace_certificate::TestedKey::of(connection)).flatten();
                c.file_passed = passed.then(Default::default);
            }
        }
    }
}

/// Whether `journey` runs on a saved connection (a setup does not; a progress file never holds one).
pub(crate) fn is_journey(journey: Journey) -> bool {
    journey != Journey::Setup
}

/// The one place that turns a journey's name into its behaviour.
pub(crate) fn of(journey: Journey) -> &'static dyn JourneyKind {
    match journey {
        Journey::RotateToken => &rotate_token::RotateToken,
        Journey::RotateConsumer => &rotate_consumer::RotateConsumer,
        Journey::Handoff => &handoff::Handoff,
        Journey::ReplaceCertificate => &replace_certificate::ReplaceCertificate,
        Journey::MoveToOauth2 => &move_oauth2::MoveToOauth2,
        Journey::Setup => &NotAJourney,
    }
}

/// A journey's names: on the wire, in `journeys.json`, and its words. Here, beside `of`, so the kinds'
/// names and their behaviour are listed in one file.
impl Journey {
    pub fn parse(text: &str) -> Option<Journey> {
        match text {
            "rotate_token" => Some(Journey::RotateToken),
            "rotate_consumer" => Some(Journey::RotateConsumer),
            "handoff" => Some(Journey::Handoff),
            "replace_certificate" => Some(Journey::ReplaceCertificate),
            "move_to_oauth2" => Some(Journey::MoveToOauth2),
            _ => None,
        }
    }

    /// The journey's name in `journeys.json` (and on the wire).
    pub fn key(self) -> &'static str {
        match self {
            Journey::Setup => "setup",
            Journey::RotateToken => "rotate_token",
            Journey::RotateConsumer => "rotate_consumer",
            Journey::Handoff => "handoff",
            Journey::ReplaceCertificate => "replace_certificate",
            Journey::MoveToOauth2 => "move_to_oauth2",
        }
    }

    /// The home card's button that starts it.
    pub fn offer(self) -> &'static str {
        crate::profiles::journeys::texts().offer(self.key())
    }

    pub fn title(self) -> &'static str {
        crate::profiles::journeys::texts().title(self.key())
    }

    /// The prefix of the journey's step codes (`RT` in RT-2).
    pub fn code_prefix(self) -> &'static str {
        crate::profiles::journeys::texts().code_prefix(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::journeys::texts;

    /// Each kind reads its own state from the one flat file: a token journey's old token, a certificate
    /// replacement's old certificate, and nothing of the other kind.
    #[test]
    fn a_progress_file_gives_each_kind_its_own_state() {
        let read = |name: &str| -> RotationState {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/golden")
                .join(name);
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
        };
        let token = read("rotation-rotate_token.json");
        assert!(matches!(token.kind, KindState::Token(_)));
        assert_eq!(token.token().old_token_name.as_deref(), Some("AfterShip token 2025"));
        assert!(token.certificate().old_certificate.is_none());
        let certificate = read("rotation-replace_certificate.json");
        assert!(matches!(certificate.kind, KindState::Certificate(_)));
        assert!(certificate.certificate().old_certificate.is_some());
        assert_eq!(certificate.token(), &NO_TOKEN);
    }

    /// A kind's words are data: a new kind without them in `journeys.json` fails here, not in front of a
    /// user.
    #[test]
    fn every_kind_has_its_words() {
        for j in OFFERED {
            let key = j.key();
            assert!(!j.title().is_empty() && !j.offer().is_empty(), "{key}: title and offer");
            assert!(texts().controls(key).is_some(), "{key}: controls");
            assert!(texts().other_method(key).contains("{label}"), "{key}: other_method");
        }
    }
}
