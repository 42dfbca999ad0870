//! What one keyring item holds, by kind: a TBA set (`SecretSet`) or an OAuth 2.0 connection's key and
//! Client ID (`M2mSecrets`). The vault's slots, promotion and recovery are written once for any `Item`.

use super::*;

/// What one keyring item holds: a TBA set or an M2M connection's secrets. A new kind of secret is a
/// new `impl Item`, not new vault methods.
pub trait Item: Default {
    /// What the connection file keeps of the values: their fingerprints, never the values.
    type Fingerprints;
    /// What a promotion's result must hold beyond `complete` (a TBA set: the profile's fields).
    type Required: ?Sized;
    fn to_json(&self) -> Zeroizing<String>;
    fn from_json(text: &str) -> Option<Self>;
    fn is_empty(&self) -> bool;
    /// These values with `other`'s present ones over them.
    fn overlay(&self, other: &Self) -> Self;
    fn same_values(&self, other: &Self) -> bool;
    fn fingerprints(&self) -> Self::Fingerprints;
    /// Refused (`Incomplete`, naming what is missing) unless these values are enough to sign with.
    fn complete(&self) -> Result<(), VaultError>;
    /// Refused unless these pending values may be promoted: the ones `tested` saw, never half a pair.
    fn promotable(&self, tested: Option<&Self::Fingerprints>) -> Result<(), VaultError>;
    /// Refused unless the values a promotion would make active hold what `required` names.
    fn holds(&self, required: &Self::Required) -> Result<(), VaultError>;
}

impl Item for SecretSet {
    type Fingerprints = Fingerprints;
    type Required = [Field];
    fn to_json(&self) -> Zeroizing<String> {
        SecretSet::to_json(self)
    }
    fn from_json(text: &str) -> Option<Self> {
        SecretSet::from_json(text)
    }
    fn is_empty(&self) -> bool {
        SecretSet::is_empty(self)
    }
    fn overlay(&self, other: &Self) -> Self {
        SecretSet::overlay(self, other)
    }
    fn same_values(&self, other: &Self) -> bool {
        SecretSet::same_values(self, other)
    }
    fn fingerprints(&self) -> Fingerprints {
        SecretSet::fingerprints(self)
    }
    fn complete(&self) -> Result<(), VaultError> {
        match self.to_credentials() {
            Some(_) => Ok(()),
            None => Err(VaultError::Incomplete(missing_list(self))),
        }
    }
    fn promotable(&self, tested: Option<&Fingerprints>) -> Result<(), VaultError> {
        if let Some(tested) = tested {
            let now = self.fingerprints();
            if self.present().iter().any(|f| now.get(*f) != tested.get(*f)) {
                return Err(VaultError::NotTested);
            }
        }
        // A new token ID with the old token secret would be a mix that works nowhere: pairs move together.
        let half_pairs: Vec<_> = [
            (Field::ConsumerKey, Field::ConsumerSecret),
            (Field::TokenId, Field::TokenSecret),
        ]
        .into_iter()
        .filter(|(a, b)| self.get(*a).is_some() != self.get(*b).is_some())
        .map(|(a, b)| if self.get(a).is_none() { a.label() } else { b.label() })
        .collect();
        if half_pairs.is_empty() {
            Ok(())
        } else {
            Err(VaultError::Incomplete(format!(
                "the new {}",
                half_pairs.join(", the new ")
            )))
        }
    }
    fn holds(&self, required: &[Field]) -> Result<(), VaultError> {
        let missing: Vec<_> = required
            .iter()
            .filter(|f| self.get(**f).is_none())
            .map(|f| f.label())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(VaultError::Incomplete(missing.join(", ")))
        }
    }
}

impl Item for M2mSecrets {
    type Fingerprints = M2mFingerprints;
    /// Both the key and the Client ID, always: `complete` says so.
    type Required = ();
    fn to_json(&self) -> Zeroizing<String> {
        M2mSecrets::to_json(self)
    }
    fn from_json(text: &str) -> Option<Self> {
        M2mSecrets::from_json(text)
    }
    fn is_empty(&self) -> bool {
        M2mSecrets::is_empty(self)
    }
    fn overlay(&self, other: &Self) -> Self {
        M2mSecrets::overlay(self, other)
    }
    fn same_values(&self, other: &Self) -> bool {
        M2mSecrets::same_values(self, other)
    }
    fn fingerprints(&self) -> M2mFingerprints {
        M2mSecrets::fingerprints(self)
    }
    fn complete(&self) -> Result<(), VaultError> {
        m2m_complete(self)
    }
    fn promotable(&self, tested: Option<&M2mFingerprints>) -> Result<(), VaultError> {
        if let Some(tested) = tested {
            let now = self.fingerprints();
            let differs = |staged: &Option<String>, seen: &Option<String>| staged.is_some() && staged != seen;
            if differs(&now.private_key, &tested.private_key) || differs(&now.client_id, &tested.client_id) {
                return Err(VaultError::NotTested);
            }
        }
        Ok(())
    }
    fn holds(&self, _: &()) -> Result<(), VaultError> {
        m2m_complete(self)
    }
}

/// Whether a keyring item's text holds values of any kind (the retired slot may hold either).
pub(super) fn any_kind_held(text: &str) -> bool {
    SecretSet::from_json(text).is_some_and(|s| !s.is_empty())
        || M2mSecrets::from_json(text).is_some_and(|s| !s.is_empty())
}

pub(super) fn parse_item<T: Item>(text: Option<Zeroizing<String>>) -> Result<T, VaultError> {
    match text {
        None => Ok(T::default()),
        Some(text) => T::from_json(&text).ok_or(VaultError::Damaged),
    }
}

fn m2m_complete(secrets: &M2mSecrets) -> Result<(), VaultError> {
    let missing: Vec<&str> = [
        (!secrets.has_private_key(), "the private key"),
        (secrets.client_id().is_none(), "the Client ID"),
    ]
    .into_iter()
    .filter_map(|(gone, name)| gone.then_some(name))
    .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(VaultError::Incomplete(missing.join(", ")))
    }
}

pub(super) fn missing_list(set: &SecretSet) -> String {
    let missing: Vec<_> = Field::ALL
        .into_iter()
        .filter(|f| set.get(*f).is_none())
        .map(|f| f.label())
        .collect();
    missing.join(", ")
}
