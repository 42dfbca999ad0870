//! The journeys' wording (token and consumer replacement, hand-off again), as data beside the profiles:
//! `engine/journeys.json`, compiled in and parsed once. The flow decides which screen shows what; this
//! file says it in words, with `{name}` placeholders the flow fills in.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

const TEXT: &str = include_str!("../../journeys.json");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JourneyTexts {
    journeys: BTreeMap<String, JourneyName>,
    short_titles: BTreeMap<String, String>,
    screens: BTreeMap<String, ScreenText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JourneyName {
    title: String,
    code_prefix: String,
    /// The home card's button that starts it (none for the setup).
    #[serde(default)]
    offer: String,
    /// The words of its Stop and Discard controls (none for the setup).
    #[serde(default)]
    controls: Option<ControlWords>,
    /// Why it cannot run on a connection of another auth method, and what to do instead (`{label}`).
    #[serde(default)]
    other_method: String,
}

/// What a journey's Stop and Discard controls say, before the new values are in use and after
/// (`_promoted`): the window shows the pair the journey's state calls for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlWords {
    pub stop: String,
    pub stop_title: String,
    pub stop_body: String,
    pub stopped: String,
    pub stop_promoted: String,
    pub stop_title_promoted: String,
    pub stop_body_promoted: String,
    pub stopped_promoted: String,
    /// What a failed test of the new values leaves, over the Discard button.
    #[serde(default)]
    pub failed: String,
    pub discard: String,
    pub discard_title: String,
    pub discard_body: String,
    pub discard_keep: String,
    /// Said while the old values are tried.
    pub checking_old: String,
    /// Why Stop is not offered where the journey has to be finished.
    #[serde(default)]
    pub must_finish: String,
    /// Asked before Next leads to the step that stops the running integration (a consumer key reset):
    /// the question, what it means, and the button that goes on.
    #[serde(default)]
    pub stops_title: String,
    #[serde(default)]
    pub stops_body: String,
    #[serde(default)]
    pub stops_confirm: String,
}

/// One journey screen's words.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenText {
    #[serde(default)]
    pub heading: String,
    #[serde(default)]
    pub menu_path: Option<String>,
    #[serde(default)]
    pub instructions: Vec<String>,
    #[serde(default)]
    pub tips: Vec<String>,
    /// Pieces the flow puts together or places in checklists.
    #[serde(default)]
    phrases: BTreeMap<String, String>,
}

static TEXTS: LazyLock<JourneyTexts> =
    LazyLock::new(|| serde_json::from_str(TEXT).expect("journeys.json is checked by the tests"));

/// The embedded wording. A broken file fails `cargo test` (see the tests below) before it can ship.
pub fn texts() -> &'static JourneyTexts {
    &TEXTS
}

static EMPTY: LazyLock<ScreenText> = LazyLock::new(ScreenText::default);

impl JourneyTexts {
    /// A journey's title (`rotate_token`, …); empty for an unknown key, which the tests rule out.
    pub fn title(&self, journey: &str) -> &str {
        self.journeys.get(journey).map_or("", |j| j.title.as_str())
    }

    /// The prefix of a journey's step codes (`RT` in RT-2).
    pub fn code_prefix(&self, journey: &str) -> &str {
        self.journeys.get(journey).map_or("", |j| j.code_prefix.as_str())
    }

    /// Why a journey cannot run on a connection of another auth method (`{label}` to fill).
    pub fn other_method(&self, journey: &str) -> &str {
        self.journeys.get(journey).map_or("", |j| j.other_method.as_str())
    }

    /// The words of a journey's Stop and Discard controls.
    pub fn controls(&self, journey: &str) -> Option<&ControlWords> {
        self.journeys.get(journey)?.controls.as_ref()
    }

    /// The home card's button that starts a journey.
    pub fn offer(&self, journey: &str) -> &str {
        self.journeys.get(journey).map_or("", |j| j.offer.as_str())
    }

    /// The rail's name of a journey screen.
    pub fn short_title(&self, screen: &str) -> &str {
        self.short_titles.get(screen).map_or("", String::as_str)
    }

    pub fn screen(&self, key: &str) -> &ScreenText {
        self.screens.get(key).unwrap_or(&EMPTY)
    }
}

impl ScreenText {
    pub fn phrase(&self, name: &str) -> &str {
        self.phrases.get(name).map_or("", String::as_str)
    }
}

/// Fills `{name}` placeholders. Values are inserted as they are: never re-scanned for placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if values.iter().any(|(n, _)| *n == name) => {
                let value = values.iter().find(|(n, _)| *n == name).map_or("", |(_, v)| v);
                out.push_str(value);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_parses_and_names_every_journey_and_screen() {
        let t: JourneyTexts = serde_json::from_str(TEXT).expect("journeys.json parses");
        for j in ["setup", "rotate_token", "rotate_consumer", "handoff"] {
            assert!(!t.title(j).is_empty(), "{j} has a title");
        }
        for s in ["why", "new-token", "reset", "test", "handoff", "revoke"] {
            assert!(!t.short_title(s).is_empty(), "{s} has a short title");
        }
        for s in [
            "rotate_token/why",
            "rotate_consumer/why",
            "new-token",
            "reset",
            "test",
            "handoff",
            "revoke",
        ] {
            assert!(t.screens.contains_key(s), "journeys.json has the screen {s}");
        }
    }

    #[test]
    fn placeholders_are_filled_and_values_are_not_rescanned() {
        assert_eq!(fill("{a} and {b}", &[("a", "1"), ("b", "{a}")]), "1 and {a}");
        assert_eq!(fill("left {unknown} alone", &[("a", "1")]), "left {unknown} alone");
        assert_eq!(fill("open { brace", &[]), "open { brace");
    }
}
