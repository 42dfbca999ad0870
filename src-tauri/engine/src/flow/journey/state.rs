//! A journey's saved state (`rotation.json`): in code its common fields and its kind's own state, in the
//! file today's flat shape, byte for byte (the golden files in `engine/tests/golden/`).

use super::certificate;
use super::kinds;
use super::JourneyScreen;
use crate::flow::view::{Journey, OldTokenCheck};
use crate::keep::secrets::Fingerprints;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Saved between runs; no secret is ever part of it. What only one kind of journey keeps is its
/// `kind`; the file keeps today's flat shape (`RotationFile`), byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "RotationFile", into = "RotationFile")]
pub struct RotationState {
    pub journey: Journey,
    pub connection_id: String,
    pub screen: JourneyScreen,
    pub done: BTreeSet<JourneyScreen>,
    pub ticks: BTreeMap<String, BTreeSet<String>>,
    pub promoted: bool,
    pub old_check: Option<OldTokenCheck>,
    pub started_at: String,
    pub updated_at: String,
    pub(crate) kind: kinds::KindState,
}

impl RotationState {
    pub(crate) fn token(&self) -> &kinds::token::TokenState {
        self.kind.token()
    }

    pub(crate) fn certificate(&self) -> &certificate::CertificateState {
        self.kind.certificate()
    }
}

impl From<RotationFile> for RotationState {
    fn from(f: RotationFile) -> RotationState {
        let token = kinds::token::TokenState {
            old: f.old,
            old_token_name: f.old_token_name,
            new_token_name: f.new_token_name,
            passed: f.passed,
        };
        let certificate = certificate::CertificateState {
            old_certificate: f.old_certificate,
            certificate_file: f.certificate_file,
            key_passed: f.key_passed,
            upload_sent: f.upload_sent,
            still_active: f.still_active,
            file_passed: None,
        };
        RotationState {
            kind: kinds::KindState::of_file(f.journey, token, certificate),
            journey: f.journey,
            connection_id: f.connection_id,
            screen: f.screen,
            done: f.done,
            ticks: f.ticks,
            promoted: f.promoted,
            old_check: f.old_check,
            started_at: f.started_at,
            updated_at: f.updated_at,
        }
    }
}

impl From<RotationState> for RotationFile {
    fn from(r: RotationState) -> RotationFile {
        let (token, certificate) = r.kind.into_file();
        RotationFile {
            journey: r.journey,
            connection_id: r.connection_id,
            screen: r.screen,
            done: r.done,
            ticks: r.ticks,
            old: token.old,
            old_token_name: token.old_token_name,
            new_token_name: token.new_token_name,
            passed: token.passed,
            promoted: r.promoted,
            old_check: r.old_check,
            old_certificate: certificate.old_certificate,
            certificate_file: certificate.certificate_file,
            key_passed: certificate.key_passed,
            upload_sent: certificate.upload_sent,
            still_active: certificate.still_active,
            started_at: r.started_at,
            updated_at: r.updated_at,
        }
    }
}

/// `rotation.json` as it always was: the journey's common fields with every kind's flat beside them.
#[derive(Serialize, Deserialize)]
struct RotationFile {
    journey: Journey,
    connection_id: String,
    screen: JourneyScreen,
    #[serde(default)]
    done: BTreeSet<JourneyScreen>,
    #[serde(default)]
    ticks: BTreeMap<String, BTreeSet<String>>,
    /// The active set's fingerprints when the journey began.
    #[serde(default)]
    old: Fingerprints,
    #[serde(default)]
    old_token_name: Option<String>,
    #[serde(default)]
    new_token_name: Option<String>,
    /// The staged set's fingerprints when its signed test passed: a value captured after the test
    /// invalidates it.
    #[serde(default)]
    passed: Option<Fingerprints>,
    #[serde(default)]
    promoted: bool,
    #[serde(default)]
    old_check: Option<OldTokenCheck>,
    /// A certificate replacement: the certificate and key in use when it began.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    old_certificate: Option<certificate::OldCertificate>,
    /// A certificate replacement: where the new certificate was saved, for the upload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    certificate_file: Option<String>,
    /// A certificate replacement: the new key and Certificate ID whose test passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key_passed: Option<certificate::TestedKey>,
    /// A certificate replacement: the fingerprint of the new certificate whose upload through NetSuite's
    /// API was sent and not yet answered with its Certificate ID. Kept across a crash, so that the next
    /// upload first looks for the mapping the lost answer would have named, and never makes a second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    upload_sent: Option<String>,
    /// After the old mapping's revoke through the API: the mappings still active for the same role and
    /// user, as NetSuite's list showed them then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    still_active: Option<Vec<String>>,
    started_at: String,
    updated_at: String,
}
