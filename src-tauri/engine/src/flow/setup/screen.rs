//! A setup's screens: their ids (saved, and sent to the window), their kinds, and their order for a
//! profile.

use crate::flow::view::ScreenKind;
use crate::profiles::{Collect, ConnectorProfile, Place};
use serde::{Deserialize, Serialize};

/// A setup screen. Saved and sent to the window as its id: `account`, a step's code, `test`, `handoff`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum SetupScreen {
    Account,
    Step(String),
    Test,
    Handoff,
}

impl SetupScreen {
    /// The ids of the screens that are not a profile's steps.
    pub const FIXED_IDS: [&'static str; 3] = ["account", "test", "handoff"];

    pub fn as_str(&self) -> &str {
        match self {
            SetupScreen::Account => "account",
            SetupScreen::Step(code) => code,
            SetupScreen::Test => "test",
            SetupScreen::Handoff => "handoff",
        }
    }

    pub(crate) fn kind(&self) -> ScreenKind {
        match self {
            SetupScreen::Account => ScreenKind::Account,
            SetupScreen::Step(_) => ScreenKind::Step,
            SetupScreen::Test => ScreenKind::Test,
            SetupScreen::Handoff => ScreenKind::Handoff,
        }
    }
}

impl From<String> for SetupScreen {
    fn from(id: String) -> Self {
        match id.as_str() {
            "account" => SetupScreen::Account,
            "test" => SetupScreen::Test,
            "handoff" => SetupScreen::Handoff,
            _ => SetupScreen::Step(id),
        }
    }
}

impl From<SetupScreen> for String {
    fn from(s: SetupScreen) -> String {
        s.as_str().to_string()
    }
}

// Ordered by id, so the saved `done` list is written as it always was.
impl Ord for SetupScreen {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for SetupScreen {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The screens of a profile, in order.
pub fn screens(profile: &ConnectorProfile) -> Vec<SetupScreen> {
    let mut out = Vec::new();
    if profile.step_collecting(Collect::AccountId).is_none() {
        out.push(SetupScreen::Account);
    }
    let last_netsuite = profile.steps.iter().rposition(|s| s.place == Place::Netsuite);
    for (i, step) in profile.steps.iter().enumerate() {
        out.push(SetupScreen::Step(step.code.clone()));
        if Some(i) == last_netsuite {
            out.push(SetupScreen::Test);
        }
    }
    if profile.hand_off.step.is_none() {
        out.push(SetupScreen::Handoff);
    }
    out
}
