//! The home screen: the saved connections, what is known about each, and the journeys that start from
//! them (test now, replace the token, reset the consumer pair, hand off again, remove).

pub use crate::flow::cards::AuthCard;
use crate::flow::cards::{auth_card, certificate_card};
use crate::flow::journey::kinds::{self, CardFacts};
use crate::flow::plan::{Plan, Purpose, Stamp};
use crate::flow::view::{bad, Journey, JourneyInfo, WizardError};
use crate::keep::connections::{method, Connections};
use crate::keep::store::{Connection, LastTest};
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::account::{Account, Environment};
use crate::netsuite::outcome::{self, Outcome, Report};
use crate::profiles::ConnectorProfile;
use serde::Serialize;
use std::collections::BTreeMap;

/// A journey a home card offers: which, its button's words, and whether it is the thing to do next.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct JourneyOffer {
    /// Never the setup, which no card offers.
    #[ts(type = "Exclude<Journey, \"setup\">")]
    pub journey: Journey,
    pub label: String,
    pub urgent: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct HomeCard {
    pub id: String,
    pub label: String,
    pub account: String,
    pub environment_label: String,
    pub production: bool,
    pub connector: String,
    pub profile: String,
    /// How the connection signs in, as the card shows it.
    pub auth: AuthCard,
    pub last_test: Option<LastTest>,
    /// This session's latest test of the card, with its diagnosis.
    pub latest: Option<HomeTest>,
    /// Which secrets are missing from the keyring (none for a complete connection).
    pub missing: Vec<&'static str>,
    /// A signed test can run (Celigo's consumer pair is Celigo's own).
    pub can_test: bool,
    /// The journeys this connection offers, in the card's order: each kind says whether it applies.
    pub offers: Vec<JourneyOffer>,
    /// A likely cause worth saying before anything is clicked, e.g. a refreshed sandbox.
    pub hint: Option<String>,
    pub journey: Option<JourneyInfo>,
    /// Renew now applies: an OAuth 2.0 key in use with its mapping, and no old token kept beside it.
    pub can_renew: bool,
    /// This session's Renew now, how it ended.
    pub renewal: Option<HomeRenewal>,
    /// A Renew now is running on this connection.
    pub renewing: bool,
    /// Where the connector tests the connection itself (Celigo's connector), what the card says instead of
    /// "Not tested yet".
    pub tested_elsewhere: Option<String>,
    /// For a TBA connection: how it moves to OAuth 2.0, or why it cannot.
    pub move_to_oauth2: Option<crate::keep::m2m::migrate::MoveNotice>,
    /// A copy of the set a replacement retired is still in the keyring with no replacement under way
    /// (the old consumer secret too): reported, and deleted once the user agrees.
    pub old_copy_kept: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct HomeTest {
    pub passed: bool,
    pub summary: String,
    pub causes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SetupSummary {
    pub profile: String,
    pub profile_name: String,
    pub progress: String,
    pub account: Option<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct HomeView {
    /// What needs attention first: failures, missing values, expired certificates, then those ending soon.
    pub cards: Vec<HomeCard>,
    /// One line on what needs a person ("1 certificate expires in 29 days"); none when nothing does.
    pub summary: Option<String>,
    pub setup: Option<SetupSummary>,
    pub journey: Option<JourneyInfo>,
    /// Why the saved connections could not be listed, if they could not.
    pub problem: Option<String>,
}

/// How this session's Renew now of a card ended.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct HomeRenewal {
    /// The new key and certificate are in use: the card offers to hand the new key over.
    pub renewed: bool,
    pub message: String,
}

/// This session's home-screen tests and renewals, by connection ID.
#[derive(Debug, Default)]
pub struct Home {
    runs: BTreeMap<String, HomeTest>,
    renewals: BTreeMap<String, HomeRenewal>,
    /// The connection a Renew now is running on.
    pub(crate) renewing: Option<String>,
}

impl Home {
    pub(crate) fn view<S: SecretStore>(
        &self,
        connections: &Connections<S>,
        journey: Option<JourneyInfo>,
        setup: Option<SetupSummary>,
    ) -> HomeView {
        // Without the keyring the records alone are still worth showing, with the reason beside them.
        // One search of the keyring for every card (their old copies too), not reads per connection.
        let (list, _batch, problem) = match connections.list_in_batch() {
            Ok((list, batch)) => (list, batch, None),
            Err(e) => (connections.store.load().unwrap_or_default(), None, Some(e.to_string())),
        };
        let mut cards: Vec<HomeCard> = list
            .iter()
            .map(|c| self.card(connections, c, journey.as_ref()))
            .collect();
        // Stable: within one level of attention, the saved order.
        cards.sort_by_key(attention);
        HomeView {
            summary: summary(&cards),
            cards,
            setup,
            journey,
            problem,
        }
    }

    fn card<S: SecretStore>(
        &self,
        connections: &Connections<S>,
        c: &Connection,
        journey: Option<&JourneyInfo>,
    ) -> HomeCard {
        let profile = ConnectorProfile::get(c.profile.code());
        let account = Account::parse(&c.account).ok();
        let signed = profile.is_some_and(|p| p.signed_test);
        let refused = c
            .last_test
            .as_ref()
            .is_some_and(|t| t.outcome == Outcome::CredentialsRefused);
        let sandbox = account
            .as_ref()
            .is_some_and(|a| matches!(a.environment(), Environment::Sandbox { .. }));
        // This session's test already names the refresh among its causes; saying it twice is noise.
        let tested_now = self.runs.contains_key(&c.id);
        let certificate = certificate_card(c, std::time::SystemTime::now());
        let missing = method::of::<S>(c.kind()).missing(c);
        let facts = CardFacts {
            auth: c.kind(),
            signed,
            complete: missing.is_empty(),
            mapped: certificate.as_ref().is_some_and(|c| c.certificate_id.is_some()),
            certificate_status: certificate.as_ref().map(|c| c.status),
            can_move: c.tba().is_some() && crate::keep::m2m::migrate::moves_to(c).is_ok(),
        };
        let (auth, hint) = auth_card(c, certificate, refused && sandbox && !tested_now);
        let offers = kinds::OFFERED
            .into_iter()
            .filter(|j| kinds::of(*j).offered(&facts))
            .map(|j| JourneyOffer {
                journey: j,
                label: j.offer().to_string(),
                urgent: kinds::of(j).urgent(&facts),
            })
            .collect();
        HomeCard {
            offers,
            id: c.id.clone(),
            label: c.label.clone(),
            account: c.account.clone(),
            environment_label: account
                .as_ref()
                .map(|a| a.environment().to_string())
                .unwrap_or_default(),
            production: account.as_ref().is_some_and(|a| a.environment().is_production()),
            connector: profile
                .map(|p| p.short_name.clone())
                .unwrap_or_else(|| c.profile.code().into()),
            profile: c.profile.code().into(),
            auth,
            last_test: c.last_test.clone(),
            latest: self.runs.get(&c.id).cloned(),
            missing,
            can_test: signed,
            tested_elsewhere: (!signed).then(|| {
                let connector = profile.map_or(c.profile.code(), |p| p.short_name.as_str());
                format!("Tested in {connector}: its own Test checks the connection")
            }),
            hint,
            can_renew: facts.complete && crate::flow::renew::renewable(c),
            renewal: self.renewals.get(&c.id).cloned(),
            renewing: self.renewing.as_deref() == Some(c.id.as_str()),
            move_to_oauth2: crate::keep::m2m::migrate::move_notice(c),
            journey: journey.filter(|j| j.connection_id == c.id).cloned(),
            old_copy_kept: journey.is_none_or(|j| j.connection_id != c.id) && connections.vault.holds_retired(&c.id),
        }
    }

    pub(crate) fn record_test<S: SecretStore>(
        &mut self,
        connections: &Connections<S>,
        id: &str,
        mut report: Report,
    ) -> Result<(), WizardError> {
        let c = connections.get(id)?;
        if let Ok(account) = Account::parse(&c.account) {
            let clears = method::describe(c.kind()).refresh_clears();
            outcome::recognise_sandbox_refresh(&mut report, &account, c.last_success_at.as_deref(), clears);
        }
        connections.explain_m2m_refusal(&c, &mut report);
        connections.record_test_id(&c.id, &report)?;
        self.runs.insert(
            c.id.clone(),
            HomeTest {
                passed: report.outcome == Outcome::Success,
                summary: report.summary.clone(),
                causes: report.causes.iter().take(3).map(|c| c.message.clone()).collect(),
            },
        );
        Ok(())
    }

    /// Forgets this session's test of a removed connection.
    pub(crate) fn forget(&mut self, id: &str) {
        self.runs.remove(id);
        self.renewals.remove(id);
    }

    pub(crate) fn record_renewal(
        &mut self,
        id: &str,
        ended: Result<crate::flow::renew::Renewal, crate::keep::connections::ConnectionError>,
    ) {
        let renewal = match ended {
            Ok(r) => HomeRenewal {
                renewed: r.result == crate::flow::renew::RenewResult::Renewed,
                message: r.message,
            },
            Err(e) => HomeRenewal {
                renewed: false,
                message: e.to_string(),
            },
        };
        // The test shown before no longer says anything about the key now in use.
        self.runs.remove(id);
        self.renewals.insert(id.to_string(), renewal);
    }
}

/// How soon a card needs a person: 0 now (values missing, the last test failed, the certificate ended),
/// 1 soon (the certificate ends within the warning), 2 not.
fn attention(card: &HomeCard) -> u8 {
    let certificate = match &card.auth {
        AuthCard::M2m { certificate } => certificate.as_ref().map(|c| c.status),
        AuthCard::Tba { .. } => None,
    };
    if !card.missing.is_empty() || failed(card) || certificate == Some("expired") {
        0
    } else if certificate == Some("soon") {
        1
    } else {
        2
    }
}

/// The card's latest test failed: this session's, else the one saved.
fn failed(card: &HomeCard) -> bool {
    match (&card.latest, &card.last_test) {
        (Some(latest), _) => !latest.passed,
        (None, Some(last)) => last.outcome != Outcome::Success,
        (None, None) => false,
    }
}

/// The home screen's line on what needs a person, in counts.
fn summary(cards: &[HomeCard]) -> Option<String> {
    let certificates: Vec<&crate::flow::cards::CertificateCard> = cards
        .iter()
        .filter_map(|c| match &c.auth {
            AuthCard::M2m { certificate } => certificate.as_ref(),
            AuthCard::Tba { .. } => None,
        })
        .collect();
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut parts = vec![];
    let ended = certificates.iter().filter(|c| c.status == "expired").count();
    if ended > 0 {
        parts.push(plural(ended, "certificate has ended", "certificates have ended"));
    }
    let soon: Vec<i64> = certificates
        .iter()
        .filter(|c| c.status == "soon")
        .map(|c| c.days_left)
        .collect();
    match soon.as_slice() {
        [] => {}
        [days] => parts.push(format!(
            "1 certificate expires in {days} day{}",
            if *days == 1 { "" } else { "s" }
        )),
        many => parts.push(format!(
            "{} certificates expire within {} days",
            many.len(),
            many.iter().max().copied().unwrap_or_default()
        )),
    }
    let failed = cards.iter().filter(|c| failed(c)).count();
    if failed > 0 {
        parts.push(plural(
            failed,
            "connection failed its last test",
            "connections failed their last test",
        ));
    }
    let missing = cards.iter().filter(|c| !c.missing.is_empty()).count();
    if missing > 0 {
        parts.push(plural(
            missing,
            "connection is missing values",
            "connections are missing values",
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// The test of a saved connection's values in use, signed as its auth method signs.
pub(crate) fn plan<S: SecretStore>(connections: &Connections<S>, id: &str) -> Result<Plan, WizardError> {
    let c = connections.sync(id)?;
    let profile = ConnectorProfile::get(c.profile.code()).ok_or_else(|| bad("This connector is not known."))?;
    if !profile.signed_test {
        return Err(bad(format!(
            "{}'s consumer key and secret are {}'s own, so the wizard cannot sign a call with this token: run \
             the Test in {} instead.",
            profile.short_name, profile.short_name, profile.short_name
        )));
    }
    let account = Account::parse(&c.account).map_err(|e| bad(e.to_string()))?;
    let signer = method::of::<S>(c.kind()).signer(connections, &c, Slot::Active)?;
    Ok(Plan {
        account,
        purpose: Purpose::Home(c.id),
        check_account: false,
        signer: Some(signer),
        probes: vec![],
        stamp: Stamp::Unkept,
    })
}

/// Deletes the copy of a replaced set that a replacement left behind (the caller checks no journey
/// still needs it).
pub(crate) fn forget_old_copy<S: SecretStore>(connections: &Connections<S>, id: &str) -> Result<(), WizardError> {
    let connection = connections.get(id)?;
    connections
        .vault
        .forget_retired(&connection.id)
        .map_err(crate::keep::connections::ConnectionError::from)?;
    Ok(())
}
