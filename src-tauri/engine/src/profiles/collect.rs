//! `Collect`: what a step takes from the user, by its name in the profile files.

use super::*;

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
