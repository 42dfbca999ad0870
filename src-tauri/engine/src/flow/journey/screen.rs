//! A journey's screens: their ids (saved, and sent to the window), their kinds and their order in the
//! saved `done` list. Which screens a journey shows, and in what order, is its kind's (`kinds/`).

use crate::flow::view::ScreenKind;
use serde::{Deserialize, Serialize};

/// A journey screen. Saved and sent to the window as its id (`why`, `new-token`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum JourneyScreen {
    Why,
    /// A move to OAuth 2.0: the integration record gains the M2M grant.
    Record,
    /// A move to OAuth 2.0: the role gains the OAuth 2.0 login permission.
    Role,
    NewToken,
    Reset,
    NewKey,
    Mapping,
    Test,
    Handoff,
    /// A move to OAuth 2.0: the new credentials tested again once the integration runs on them, then the
    /// switch.
    Switch,
    Revoke,
}

impl JourneyScreen {
    pub const ALL: [JourneyScreen; 11] = [
        JourneyScreen::Why,
        JourneyScreen::Record,
        JourneyScreen::Role,
        JourneyScreen::NewToken,
        JourneyScreen::Reset,
        JourneyScreen::NewKey,
        JourneyScreen::Mapping,
        JourneyScreen::Test,
        JourneyScreen::Handoff,
        JourneyScreen::Switch,
        JourneyScreen::Revoke,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JourneyScreen::Why => "why",
            JourneyScreen::Record => "record",
            JourneyScreen::Role => "role",
            JourneyScreen::NewToken => "new-token",
            JourneyScreen::Reset => "reset",
            JourneyScreen::NewKey => "new-key",
            JourneyScreen::Mapping => "mapping",
            JourneyScreen::Test => "test",
            JourneyScreen::Handoff => "handoff",
            JourneyScreen::Switch => "switch",
            JourneyScreen::Revoke => "revoke",
        }
    }

    pub(crate) fn kind(self) -> ScreenKind {
        match self {
            JourneyScreen::Why => ScreenKind::Info,
            JourneyScreen::NewToken
            | JourneyScreen::Reset
            | JourneyScreen::NewKey
            | JourneyScreen::Mapping
            | JourneyScreen::Record
            | JourneyScreen::Role => ScreenKind::Step,
            JourneyScreen::Test | JourneyScreen::Switch => ScreenKind::Test,
            JourneyScreen::Handoff => ScreenKind::Handoff,
            JourneyScreen::Revoke => ScreenKind::Revoke,
        }
    }

    pub(crate) fn parse(id: &str) -> Option<JourneyScreen> {
        JourneyScreen::ALL.into_iter().find(|s| s.as_str() == id)
    }
}

impl TryFrom<String> for JourneyScreen {
    type Error = String;
    fn try_from(id: String) -> Result<Self, String> {
        JourneyScreen::parse(&id).ok_or_else(|| format!("no journey screen is called {id}"))
    }
}

impl From<JourneyScreen> for String {
    fn from(s: JourneyScreen) -> String {
        s.as_str().to_string()
    }
}

// Ordered by id, so the saved `done` list is written as it always was.
impl Ord for JourneyScreen {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for JourneyScreen {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
