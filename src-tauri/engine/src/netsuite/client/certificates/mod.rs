//! NetSuite's OAuth 2.0 certificate endpoint (2026.1): rotation by API. Under the account's RESTlets host,
//! `/services/rest/auth/oauth2/v1/clients/<ClientID>/certificates`: `GET` lists the integration's
//! certificates (its mappings), `POST` `{"fileContent", "role", "entity"}` adds one, `POST
//! …/certificates/<CertificateID>/revoke` revokes one. It takes a Bearer token from the client credentials
//! grant (scope REST web services), got here with `m2m_token`, and the mapping's role needs the permission
//! "Manage own OAuth 2.0 Client Credentials certificates".
//!
//! The list is a bare JSON array of `{certificate_id, algorithm, created, valid_from, valid_until, revoked,
//! application, entity, role}` (the last three objects with `id`), as `application/vnd.oracle.resource+json`;
//! errors may come as plain text. The answers are still read defensively: a list may sit under `items`,
//! `certificates`, `data` or `results` and come in pages (`hasMore`, followed to a bound); an ID under
//! `certificateId`, `id` or `certId`; a role or entity as a number, a string or a reference object. What is
//! not recognised is skipped, and an answer with nothing recognisable is `Unreadable`, never a panic.
//! Whatever fails, the way out is the same: the mapping page, by hand.
//!
//! The Client ID is in every URL here, and is kept like a secret: it never reaches an error, a log line or
//! a `Debug`, nor does the token; NetSuite's own words in an error are cleaned of both.

use super::{Answer, Auth, NetSuiteClient, Run, Sending};
use crate::netsuite::oauth2::{ids, AccessToken, AssertionError, Certificate, CertificateError, M2mCredentials, Scope};
use crate::netsuite::outcome::{self, NetworkKind, Outcome, Report};
use secrecy::ExposeSecret;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::fmt;
use std::time::SystemTime;
use tokio_util::sync::CancellationToken;
use url::Url;

/// Where a certificate is managed by hand, the fallback of every failure here.
mod error;
mod parse;
pub use error::CertificateApiError;
use error::{plain_text_error, secrets, Secrets};
use parse::*;
pub use parse::{parse_certificate_list, parse_new_certificate_id};

pub const MAPPING_PAGE: &str = "Setup > Integration > Manage Authentication > OAuth 2.0 Client Credentials (M2M) Setup";
/// The role permission the endpoint needs, as NetSuite names it.
pub const MANAGE_PERMISSION: &str = "Manage own OAuth 2.0 Client Credentials certificates";
/// Longest ID taken from an answer: NetSuite's Certificate IDs are far shorter; beyond it the field is not one.
const MAX_ID_CHARS: usize = 256;
/// Pages of the certificate list followed at most: NetSuite allows 5 active certificates per integration,
/// so even with every revoked one kept, more pages than this is an answer going round in circles.
const MAX_LIST_PAGES: usize = 20;
/// Longest plain-text error shown: NetSuite's sentences are short; anything longer is not one.
const MAX_TEXT_ERROR_CHARS: usize = 300;

/// One certificate (mapping) of the integration, as far as NetSuite's list showed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateEntry {
    pub certificate_id: String,
    /// The internal ID of the user (entity) the mapping runs as.
    pub entity: Option<String>,
    /// The internal ID of the mapping's role.
    pub role: Option<String>,
    pub revoked: Option<bool>,
    /// The start and end of its validity, as NetSuite wrote them.
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    /// The algorithm NetSuite read from the certificate (`ES256`, `PS256`, …).
    pub algorithm: Option<String>,
}

impl NetSuiteClient {
    /// The integration's certificates (its mappings), with the Client ID and Certificate ID of `creds` to
    /// get a token.
    pub async fn list_certificates(
        &self,
        creds: &M2mCredentials,
        cancel: &CancellationToken,
    ) -> Result<Vec<CertificateEntry>, CertificateApiError> {
        let token = self.certificate_token(creds, cancel).await?;
        self.list_with(creds, &token, cancel).await
    }

    /// Adds a certificate (PEM) to the integration for `role` and `entity` (internal IDs). Only the
    /// certificate of `pem` is sent, whatever else the text holds (a private key pasted along never is).
    /// The new Certificate ID when the answer shows it; `Ok(None)` when NetSuite accepted the upload but
    /// its answer does not say the ID (list the certificates to find it).
    pub async fn upload_certificate(
        &self,
        creds: &M2mCredentials,
        pem: &str,
        role: &str,
        entity: &str,
        cancel: &CancellationToken,
    ) -> Result<Option<String>, CertificateApiError> {
        let certificate = checked_certificate(pem)?;
        let token = self.certificate_token(creds, cancel).await?;
        self.upload_with(creds, &token, &certificate.pem, role, entity, cancel)
            .await
    }

    /// Revokes one of the integration's certificates: assertions signed for it are refused from then on.
    pub async fn revoke_certificate(
        &self,
        creds: &M2mCredentials,
        certificate_id: &str,
        cancel: &CancellationToken,
    ) -> Result<(), CertificateApiError> {
        let certificate_id = ids::certificate_id(certificate_id)
            .map_err(|e| CertificateApiError::Unreadable(format!("Nothing was revoked. {e}")))?;
        let token = self.certificate_token(creds, cancel).await?;
        let url = self.certificates_url(creds, Some(certificate_id));
        let run = self
            .run(
                reqwest::Method::POST,
                &url,
                Sending::Api(Auth::Bearer(&token), None),
                cancel,
            )
            .await;
        let secrets = secrets(creds, &token);
        let answer = answered(run)?;
        accepted(&answer, &secrets, self)?;
        tracing::info!(status = answer.status, "certificate revoked");
        Ok(())
    }

    /// The Certificate IDs NetSuite lists as active for the role and entity of `creds`' own mapping, that
    /// mapping first: what is left after a revoke, so that a mapping nobody meant to keep is seen.
    pub async fn active_like(
        &self,
        creds: &M2mCredentials,
        cancel: &CancellationToken,
    ) -> Result<Vec<String>, CertificateApiError> {
        let list = self.list_certificates(creds, cancel).await?;
        let own = list
            .iter()
            .find(|e| e.certificate_id == creds.certificate_id)
            .ok_or_else(|| {
                CertificateApiError::Unreadable(format!(
                    "NetSuite's list does not show the Certificate ID in use, {}.",
                    creds.certificate_id
                ))
            })?;
        let same = |e: &&CertificateEntry| {
            e.revoked != Some(true) && e.role.is_some() && e.role == own.role && e.entity == own.entity
        };
        let mut ids = vec![own.certificate_id.clone()];
        ids.extend(
            list.iter()
                .filter(same)
                .filter(|e| e.certificate_id != own.certificate_id)
                .map(|e| e.certificate_id.clone()),
        );
        Ok(ids)
    }

    /// Uploads `new_pem` as a mapping like the current one: the same role and entity, read from NetSuite's
    /// list of the integration's certificates with a token of the `current` credentials. The new
    /// Certificate ID: from the answer, or, when the answer does not say it, the one ID the list has after
    /// the upload that it did not have before.
    ///
    /// With `adopt_first` (an upload of this certificate was sent before and its answer lost), the list is
    /// read first: a mapping for the same role and entity whose validity starts when the new certificate's
    /// does is the one that upload made, and is taken instead of uploading again.
    pub async fn upload_like_current(
        &self,
        current: &M2mCredentials,
        new_pem: &str,
        adopt_first: bool,
        cancel: &CancellationToken,
    ) -> Result<String, CertificateApiError> {
        let certificate = checked_certificate(new_pem)?;
        let token = self.certificate_token(current, cancel).await?;
        let before = self.list_with(current, &token, cancel).await?;
        let Some(mapping) = before.iter().find(|e| e.certificate_id == current.certificate_id) else {
            return Err(CertificateApiError::Unreadable(format!(
                "NetSuite's list of the integration's certificates does not show the current Certificate ID {}, so \
                 the role and entity of the new mapping are not known.",
                current.certificate_id
            )));
        };
        let (Some(role), Some(entity)) = (mapping.role.clone(), mapping.entity.clone()) else {
            return Err(CertificateApiError::Unreadable(format!(
                "NetSuite's list shows the current Certificate ID {} but not its role and entity, so the new mapping \
                 cannot be made like it.",
                current.certificate_id
            )));
        };
        if adopt_first {
            match earlier_upload(&before, current, &role, &entity, &certificate) {
                Earlier::Found(id) => {
                    tracing::info!("the mapping of an earlier upload whose answer was lost was found and kept");
                    return Ok(id);
                }
                Earlier::Unsure(n) => {
                    return Err(CertificateApiError::Unreadable(format!(
                        "An earlier upload's answer was lost, and NetSuite's list shows {n} mappings for the same \
                         role and entity that could be the one it made, so nothing was uploaded again. On the \
                         mapping page, find the new certificate's mapping and paste its Certificate ID here."
                    )))
                }
                Earlier::None => {}
            }
        }
        let known: HashSet<&str> = before.iter().map(|e| e.certificate_id.as_str()).collect();
        let answered_id = self
            .upload_with(current, &token, &certificate.pem, &role, &entity, cancel)
            .await?;
        // An ID the list already had is not the new one, whatever the answer meant by it.
        if let Some(id) = answered_id.filter(|id| !known.contains(id.as_str())) {
            return Ok(id);
        }
        let after = self.list_with(current, &token, cancel).await?;
        let new: Vec<&CertificateEntry> = after
            .iter()
            .filter(|e| !known.contains(e.certificate_id.as_str()))
            .collect();
        match new.as_slice() {
            [one] => Ok(one.certificate_id.clone()),
            [] => Err(CertificateApiError::Unreadable(
                "NetSuite accepted the new certificate but its answer did not give the new Certificate ID, and the \
                 list shows no new certificate. Look for it on the mapping page."
                    .into(),
            )),
            _ => Err(CertificateApiError::Unreadable(format!(
                "NetSuite accepted the new certificate but its answer did not give the new Certificate ID, and the \
                 list now shows {} new certificates (someone else may be adding them). Look for yours on the \
                 mapping page.",
                new.len()
            ))),
        }
    }

    /// `…/clients/<ClientID>/certificates[/<CertificateID>/revoke]` on the RESTlets host (or the base URL),
    /// each ID one encoded path segment.
    fn certificates_url(&self, creds: &M2mCredentials, revoke: Option<&str>) -> Url {
        let mut url = self.restlets_url("");
        {
            let mut segments = url.path_segments_mut().expect("an http URL has path segments");
            segments.pop_if_empty().extend([
                "auth",
                "oauth2",
                "v1",
                "clients",
                creds.client_id.expose_secret().trim(),
                "certificates",
            ]);
            if let Some(id) = revoke {
                segments.extend([id, "revoke"]);
            }
        }
        url
    }

    /// A token for the endpoint with `creds`, through `m2m_token` and its checks; its failures as this
    /// module's errors.
    async fn certificate_token(
        &self,
        creds: &M2mCredentials,
        cancel: &CancellationToken,
    ) -> Result<AccessToken, CertificateApiError> {
        if !creds.scopes.contains(&Scope::RestWebservices) {
            return Err(CertificateApiError::NoRestScope);
        }
        let answer = self
            .m2m_token(creds, cancel)
            .await
            .map_err(CertificateApiError::Credentials)?;
        if let Some(token) = answer.token {
            return Ok(token);
        }
        let report = answer.report;
        Err(match (&report.network, report.outcome) {
            (Some(problem), _) if problem.kind == NetworkKind::Cancelled => CertificateApiError::Cancelled,
            (Some(problem), Outcome::NetworkError) => CertificateApiError::Network(problem.message.clone()),
            _ => CertificateApiError::TokenRefused(Box::new(report)),
        })
    }

    async fn list_with(
        &self,
        creds: &M2mCredentials,
        token: &AccessToken,
        cancel: &CancellationToken,
    ) -> Result<Vec<CertificateEntry>, CertificateApiError> {
        let secrets = secrets(creds, token);
        let mut list: Vec<CertificateEntry> = Vec::new();
        let mut offset = 0usize;
        for page in 0..MAX_LIST_PAGES {
            let mut url = self.certificates_url(creds, None);
            if page > 0 {
                url.query_pairs_mut().append_pair("offset", &offset.to_string());
            }
            let run = self
                .run(
                    reqwest::Method::GET,
                    &url,
                    Sending::Api(Auth::Bearer(token), None),
                    cancel,
                )
                .await;
            let answer = answered(run)?;
            accepted(&answer, &secrets, self)?;
            let found = parse_certificate_page(&answer.body).ok_or_else(|| {
                CertificateApiError::Unreadable(format!(
                    "NetSuite's list of the integration's certificates (HTTP {}) held no list this app could read.",
                    answer.status
                ))
            })?;
            let before = list.len();
            for entry in found.entries {
                if !list.iter().any(|e| e.certificate_id == entry.certificate_id) {
                    list.push(entry);
                }
            }
            offset += found.count;
            // A page that says there is more but adds nothing would be asked for again and again.
            if !found.has_more || list.len() == before {
                tracing::info!(certificates = list.len(), pages = page + 1, "certificate list read");
                return Ok(list);
            }
        }
        Err(CertificateApiError::Unreadable(format!(
            "NetSuite's list of the integration's certificates went on for more than {MAX_LIST_PAGES} pages, far more \
             than an integration can hold, so it was not read to its end."
        )))
    }

    async fn upload_with(
        &self,
        creds: &M2mCredentials,
        token: &AccessToken,
        pem: &str,
        role: &str,
        entity: &str,
        cancel: &CancellationToken,
    ) -> Result<Option<String>, CertificateApiError> {
        let (role, entity) = (role.trim(), entity.trim());
        if !plausible_id(role) || !plausible_id(entity) {
            return Err(CertificateApiError::Unreadable(
                "The role or entity for the new certificate is empty or not an internal ID.".into(),
            ));
        }
        let body = serde_json::json!({
            "fileContent": pem,
            "role": internal_id(role),
            "entity": internal_id(entity),
        })
        .to_string();
        let url = self.certificates_url(creds, None);
        let run = self
            .run(
                reqwest::Method::POST,
                &url,
                Sending::Api(Auth::Bearer(token), Some(&body)),
                cancel,
            )
            .await;
        let secrets = secrets(creds, token);
        let answer = answered(run)?;
        accepted(&answer, &secrets, self)?;
        let id = parse_new_certificate_id(&answer.body, answer.location.as_deref());
        tracing::info!(status = answer.status, id_given = id.is_some(), "certificate uploaded");
        Ok(id)
    }
}

/// What the list says of an earlier upload of `certificate` whose answer was lost.
enum Earlier {
    Found(String),
    /// That many mappings could be it, and nothing tells which.
    Unsure(usize),
    None,
}

/// The mapping an earlier upload of `certificate` made: not the current one, not revoked, for the same
/// role and entity, its validity starting (or, if the list gives no start, ending) at the certificate's
/// own second (NetSuite reads the dates from the certificate). A candidate with neither date cannot be
/// ruled out, so it makes the answer unsure.
fn earlier_upload(
    list: &[CertificateEntry],
    current: &M2mCredentials,
    role: &str,
    entity: &str,
    certificate: &Certificate,
) -> Earlier {
    let near = |text: Option<&String>, at: SystemTime| {
        text.and_then(|t| humantime::parse_rfc3339_weak(t.trim()).ok())
            .map(|t| {
                t.duration_since(at)
                    .or_else(|_| at.duration_since(t))
                    .unwrap_or_default()
            })
            .map(|d| d.as_secs() <= 1)
    };
    let candidates: Vec<&CertificateEntry> = list
        .iter()
        .filter(|e| {
            e.certificate_id != current.certificate_id
                && e.revoked != Some(true)
                && e.role.as_deref() == Some(role)
                && e.entity.as_deref() == Some(entity)
        })
        .collect();
    let mut found = Vec::new();
    let mut undated = 0;
    for e in &candidates {
        match near(e.valid_from.as_ref(), certificate.not_before)
            .or_else(|| near(e.valid_until.as_ref(), certificate.not_after))
        {
            Some(true) => found.push(e.certificate_id.clone()),
            Some(false) => {}
            None => undated += 1,
        }
    }
    match (found.len(), undated) {
        (1, 0) => Earlier::Found(found.remove(0)),
        (0, 0) => Earlier::None,
        (n, u) => Earlier::Unsure(n + u),
    }
}

/// The new certificate as NetSuite would take it; only its certificate block is ever sent.
fn checked_certificate(pem: &str) -> Result<Certificate, CertificateApiError> {
    let certificate = Certificate::from_pem(pem).map_err(CertificateApiError::Certificate)?;
    certificate
        .check_valid_at(SystemTime::now())
        .map_err(CertificateApiError::Certificate)?;
    Ok(certificate)
}

/// An internal ID as NetSuite's example sends it: a number when it is one.
fn internal_id(id: &str) -> Value {
    match id.parse::<u64>() {
        Ok(n) => Value::from(n),
        Err(_) => Value::from(id),
    }
}

/// The answer of a run, or the network problem as this module's error.
fn answered(run: Run) -> Result<Answer, CertificateApiError> {
    run.result.map_err(|problem| match problem.kind {
        NetworkKind::Cancelled => CertificateApiError::Cancelled,
        _ => CertificateApiError::Network(problem.message),
    })
}

/// `Ok` for a 2xx answer that was read in full; else what the refusal means.
fn accepted(answer: &Answer, secrets: &Secrets<'_>, client: &NetSuiteClient) -> Result<(), CertificateApiError> {
    if let Some(summary) = client.refused_answer(answer) {
        return Err(CertificateApiError::Unreadable(secrets.clean(&summary)));
    }
    let status = answer.status;
    if (200..300).contains(&status) {
        return Ok(());
    }
    let err = outcome::parse_error_body(&answer.body);
    let code = err.code.as_deref().unwrap_or_default().to_ascii_uppercase();
    let detail = err
        .detail
        .clone()
        .or_else(|| plain_text_error(&answer.body))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let permission = code.contains("PERMISSION")
        || code == "ACCESS_DENIED"
        || detail.contains("permission violation")
        || detail.contains(&MANAGE_PERMISSION.to_ascii_lowercase());
    tracing::info!(status, permission, "certificate endpoint refused");
    if status == 401 || status == 403 || permission {
        return Err(CertificateApiError::NotPermitted);
    }
    let detail = err
        .detail
        .or(err.code)
        .or_else(|| plain_text_error(&answer.body))
        .map(|d| secrets.clean(&d))
        .filter(|d| !d.trim().is_empty());
    Err(CertificateApiError::Server { status, detail })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[CertificateEntry]) -> Vec<&str> {
        list.iter().map(|e| e.certificate_id.as_str()).collect()
    }

    #[test]
    fn lists_are_found_in_several_shapes() {
        let entry = r#"{"certificateId":"C1","entity":7,"role":"1013"}"#;
        for body in [
            format!("[{entry}]"),
            format!(r#"{{"items":[{entry}],"hasMore":false}}"#),
            format!(r#"{{"certificates":[{entry}]}}"#),
            format!(r#"{{"data":[{entry}]}}"#),
            format!(r#"{{"Results":[{entry}]}}"#),
            format!(r#"{{"data":{{"items":[{entry}]}},"links":[]}}"#),
        ] {
            let list = parse_certificate_list(&body).unwrap_or_else(|| panic!("{body}"));
            assert_eq!(
                list,
                vec![CertificateEntry {
                    certificate_id: "C1".into(),
                    entity: Some("7".into()),
                    role: Some("1013".into()),
                    revoked: None,
                    valid_from: None,
                    valid_until: None,
                    algorithm: None,
                }],
                "{body}"
            );
        }
        assert_eq!(parse_certificate_list(r#"{"items":[]}"#), Some(vec![]));
    }

    #[test]
    fn netsuites_own_list_and_its_pages_are_read() {
        // The shape NetSuite sends: a bare array, the references as objects.
        let body = r#"[{"certificate_id":"-QjavVtnzeAPA_QdffgnTh9yPy6LbSGOYqNeJqtbKgU","algorithm":"ES256",
            "created":"2026-11-01T10:00:00Z","valid_from":"2026-11-01T09:59:00Z","valid_until":"2028-10-31T09:59:00Z",
            "revoked":false,"application":{"id":"2","name":"Shop","url":"/app/x","application_id":"8C2D1F4E-1A2B-4C3D-9E8F-0A1B2C3D4E5F"},
            "entity":{"id":"7","name":"Jo","url":"/app/e"},"role":{"id":"1013","name":"Integrator","url":"/app/r"}}]"#;
        let page = parse_certificate_page(body).unwrap();
        assert!(!page.has_more);
        assert_eq!(
            page.entries,
            vec![CertificateEntry {
                certificate_id: "-QjavVtnzeAPA_QdffgnTh9yPy6LbSGOYqNeJqtbKgU".into(),
                entity: Some("7".into()),
                role: Some("1013".into()),
                revoked: Some(false),
                valid_from: Some("2026-11-01T09:59:00Z".into()),
                valid_until: Some("2028-10-31T09:59:00Z".into()),
                algorithm: Some("ES256".into()),
            }],
            "the application's ID is not the certificate's"
        );
        // A page that says more follow, counted with the entries that could not be read.
        let page =
            parse_certificate_page(r#"{"items":[{"certificate_id":"A"},{"certificate_id":"."}],"hasMore":true}"#)
                .unwrap();
        assert_eq!((ids(&page.entries), page.count, page.has_more), (vec!["A"], 2, true));
    }

    #[test]
    fn plain_text_errors_are_shown_cleaned_markup_and_json_are_not() {
        assert_eq!(
            plain_text_error("  No certificate\u{1b}[31m of this\nintegration.  ").as_deref(),
            Some("No certificate [31m of this integration.")
        );
        let long = plain_text_error(&"word ".repeat(200)).unwrap();
        assert!(long.ends_with('…') && long.chars().count() == MAX_TEXT_ERROR_CHARS + 1);
        for not_text in ["", "  ", "<html>Portal</html>", r#"{"a":1}"#, "[1]"] {
            assert_eq!(plain_text_error(not_text), None, "{not_text}");
        }
    }

    #[test]
    fn entries_are_read_from_their_various_spellings() {
        let body = r#"{"items":[
            {"id":"A","entity":{"id":"5","refName":"Jo"},"role":{"id":1013,"refName":"Integrator"},"status":"ACTIVE","validUntil":"2027-01-01T00:00:00+00:00"},
            {"certificate_id":"B","entity_id":"6","roleId":3,"revoked":true},
            {"certId":12345,"entity":{"internalId":"8"},"role":{"value":"9"},"isActive":false,"expirationDate":"2026-12-31"},
            {"certificateId":"D","id":"internal-1","status":{"id":"REVOKED","refName":"Revoked"}},
            {"certificateID":"E","revoked":"false","state":"whatever"}
        ]}"#;
        let list = parse_certificate_list(body).unwrap();
        assert_eq!(ids(&list), ["A", "B", "12345", "D", "E"]);
        assert_eq!(list[0].entity.as_deref(), Some("5"));
        assert_eq!(list[0].role.as_deref(), Some("1013"));
        assert_eq!(list[0].revoked, Some(false));
        assert_eq!(list[0].valid_until.as_deref(), Some("2027-01-01T00:00:00+00:00"));
        assert_eq!(
            (list[1].entity.as_deref(), list[1].role.as_deref()),
            (Some("6"), Some("3"))
        );
        assert_eq!(list[1].revoked, Some(true));
        assert_eq!(
            (list[2].entity.as_deref(), list[2].role.as_deref()),
            (Some("8"), Some("9"))
        );
        assert_eq!(list[2].revoked, Some(true));
        assert_eq!(list[2].valid_until.as_deref(), Some("2026-12-31"));
        assert_eq!(list[3].revoked, Some(true), "certificateId is preferred to id");
        assert_eq!(list[4].revoked, Some(false));
    }

    #[test]
    fn what_is_not_understood_is_skipped_or_refused_never_a_panic() {
        let list = parse_certificate_list(
            r#"[1, "x", null, {"name":"no id"}, {"id":""}, {"id":"has space"}, {"id":{"deep":1}}, {"id":1.5},
                {"id":"OK","entity":[1],"role":{"refName":"no id"},"revoked":"maybe","validUntil":{}}]"#,
        )
        .unwrap();
        assert_eq!(ids(&list), ["OK"]);
        assert_eq!(
            list[0],
            CertificateEntry {
                certificate_id: "OK".into(),
                entity: None,
                role: None,
                revoked: None,
                valid_from: None,
                valid_until: None,
                algorithm: None,
            }
        );
        let long = format!(r#"[{{"id":"{}"}}]"#, "x".repeat(MAX_ID_CHARS + 1));
        assert_eq!(parse_certificate_list(&long), Some(vec![]));
        for body in [
            "",
            "<html>Hotel WiFi</html>",
            "{}",
            r#"{"items":"garbled"}"#,
            r#"{"items":{"id":"A"}}"#,
            r#"{"weird":[{"id":"A"}]}"#,
            "null",
            "42",
            r#"{"items": [{"id":"A"}"#,
            r#"{"a":{"b":{"c":{"items":[]}}}}"#,
        ] {
            assert_eq!(parse_certificate_list(body), None, "{body}");
        }
    }

    #[test]
    fn a_new_id_is_read_from_the_body_or_the_location() {
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            (r#"{"certificateId":"N1"}"#, None, Some("N1")),
            (r#"{"id":42,"entity":{"id":"7"}}"#, None, Some("42")),
            (r#"{"data":{"certificate":{"certId":"N2"}}}"#, None, Some("N2")),
            (r#"{"items":[{"id":"N3"}]}"#, None, Some("N3")),
            (r#"{"result":{"certificate_id":"N4"}}"#, None, Some("N4")),
            (r#""N5""#, None, Some("N5")),
            // Nothing in the body: the Location, if it points at a certificate.
            (
                "",
                Some("https://x/services/rest/auth/oauth2/v1/clients/CID/certificates/N6"),
                Some("N6"),
            ),
            ("", Some("/certificates/-N%5F7/?x=1"), Some("-N_7")),
            (r#"{"ok":true}"#, Some("https://x/certificates/N8"), Some("N8")),
            // An entity's ID is not the certificate's; a list of two says nothing.
            (r#"{"entity":{"id":"7"},"role":{"id":"3"}}"#, None, None),
            (r#"{"items":[{"id":"A"},{"id":"B"}]}"#, None, None),
            ("", Some("https://x/services/rest/auth/oauth2/v1/clients/CID"), None),
            ("", Some("https://x/certificates/"), None),
            ("<html>", None, None),
            ("", None, None),
            (r#"{"id":"two words"}"#, None, None),
            // Only NetSuite's alphabet: what would change a URL path or hide on screen is not an ID.
            (r#"{"id":"."}"#, None, None),
            (r#"{"certificate_id":".."}"#, None, None),
            (r#"{"id":"a/b"}"#, None, None),
            ("\"a\\u202eb\"", None, None),
            ("", Some("https://x/certificates/.."), None),
            ("", Some("https://x/certificates/%2e%2e"), None),
            ("", Some("https://x/certificates/a%2Fb"), None),
        ];
        for (body, location, want) in cases {
            assert_eq!(
                parse_new_certificate_id(body, *location).as_deref(),
                *want,
                "{body} {location:?}"
            );
        }
    }

    #[test]
    fn errors_say_what_to_do_and_clean_netsuites_words() {
        let secrets = Secrets {
            client_id: "CLIENTIDVALUE",
            token: "TOKENVALUE".into(),
        };
        assert_eq!(
            secrets.clean("no client CLIENTIDVALUE\u{7} with TOKENVALUE"),
            "no client (the Client ID) with (the token)"
        );
        let all = [
            CertificateApiError::NotPermitted,
            CertificateApiError::NoRestScope,
            CertificateApiError::Unreadable("Odd.".into()),
            CertificateApiError::Server {
                status: 400,
                detail: Some("Bad.".into()),
            },
            CertificateApiError::Server {
                status: 404,
                detail: None,
            },
            CertificateApiError::Server {
                status: 503,
                detail: None,
            },
            CertificateApiError::Network("No answer.".into()),
            CertificateApiError::Cancelled,
            CertificateApiError::Certificate(CertificateError::NoCertificate),
        ];
        for e in &all {
            let text = e.to_string();
            assert!(
                text.contains(MAPPING_PAGE) || matches!(e, CertificateApiError::Certificate(_)),
                "{text}"
            );
        }
        assert!(CertificateApiError::NotPermitted
            .to_string()
            .contains(MANAGE_PERMISSION));
        use crate::ErrorCode;
        assert_eq!(CertificateApiError::NotPermitted.error_code(), ErrorCode::Refused);
        assert_eq!(all[3].error_code(), ErrorCode::Refused);
        assert_eq!(all[5].error_code(), ErrorCode::Unreachable);
        assert_eq!(
            CertificateApiError::Server {
                status: 429,
                detail: None
            }
            .error_code(),
            ErrorCode::Unreachable
        );
        assert_eq!(all[2].error_code(), ErrorCode::Unreachable);
        assert_eq!(all[8].error_code(), ErrorCode::BadInput);
    }

    #[test]
    fn internal_ids_go_as_numbers_when_they_are() {
        assert_eq!(internal_id("1013"), serde_json::json!(1013));
        assert_eq!(internal_id("-5"), serde_json::json!("-5"));
        assert_eq!(internal_id("ABC"), serde_json::json!("ABC"));
    }
}
