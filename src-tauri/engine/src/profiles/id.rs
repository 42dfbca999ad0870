//! `ProfileId`: the id of a connector profile this build embeds, so every id has its profile.

use super::*;

/// The id of a connector profile this build knows. It can only be made from an embedded profile, so
/// every `ProfileId` has its profile, and a connection file naming an unknown one is refused on reading.
/// Stored and shown as the id's text (`celigo`, `aftership`, `own`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ts_rs::TS)]
#[ts(rename = "Profile")]
pub struct ProfileId(#[ts(type = "string")] pub(super) &'static str);

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
