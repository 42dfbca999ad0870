//! The TLS set-up of every call to NetSuite: rustls with the operating system's store (where a company's
//! TLS-inspecting proxy's CA is added, or `SSL_CERT_FILE` points) and Mozilla's bundled roots (a machine
//! with no store), as reqwest's own set-up has them, behind a verifier that notes who issued a
//! certificate it refuses. reqwest's error says only "UnknownIssuer"; the person behind a company proxy
//! needs the name of the CA to ask for or to add.
//!
//! The verifier decides nothing itself: every answer is webpki's, and a refusal stays a refusal.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Hosts whose refused issuer is remembered at once: a `test --all` reaches a few hundred accounts at
/// most, and an entry is read right after its handshake fails.
const MAX_REMEMBERED: usize = 256;
/// Longest issuer name shown: real ones are far shorter, and the text comes from the network.
const MAX_ISSUER_CHARS: usize = 200;

/// The shared client configuration: the system's store is read once per process, not per client (a
/// `test --all` makes one client per connection).
pub(super) fn client_config() -> Result<rustls::ClientConfig, String> {
    static VERIFIER: OnceLock<Result<Arc<NamingVerifier>, String>> = OnceLock::new();
    let verifier = VERIFIER.get_or_init(|| NamingVerifier::new().map(Arc::new)).clone()?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS set-up: {e}"))?
        // Not a way around verification: the verifier below is webpki's, with a note taken on refusal.
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// Who issued the certificate `host` showed in its last refused handshake, if one was refused since its
/// last accepted one.
pub(super) fn refused_issuer(host: &str) -> Option<String> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    refused().lock().ok()?.get(host).cloned()
}

fn provider() -> Arc<CryptoProvider> {
    // As reqwest does: a provider the program installed, else ring (the one already built for reqwest).
    CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()))
}

fn refused() -> &'static Mutex<HashMap<String, String>> {
    static REFUSED: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    REFUSED.get_or_init(Default::default)
}

#[derive(Debug)]
struct NamingVerifier {
    inner: Arc<WebPkiServerVerifier>,
}

impl NamingVerifier {
    fn new() -> Result<Self, String> {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let native = rustls_native_certs::load_native_certs();
        let (added, _ignored) = roots.add_parsable_certificates(native.certs);
        if !native.errors.is_empty() {
            // The bundled roots still stand; a proxy's CA missing from them is then named in the refusal.
            tracing::warn!(
                errors = native.errors.len(),
                added,
                "part of the system's certificate store could not be read"
            );
        }
        let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
            .build()
            .map_err(|e| format!("TLS set-up: {e}"))?;
        Ok(NamingVerifier { inner })
    }
}

impl ServerCertVerifier for NamingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now);
        let host = server_name.to_str().into_owned();
        if let Ok(mut refused) = refused().lock() {
            match &verdict {
                Ok(_) => {
                    refused.remove(&host);
                }
                Err(_) => {
                    // The top of the chain shown: its issuer is the authority this computer lacks.
                    let top = intermediates.last().unwrap_or(end_entity);
                    if let Some(issuer) = issuer_of(top) {
                        if refused.len() >= MAX_REMEMBERED && !refused.contains_key(&host) {
                            refused.clear();
                        }
                        refused.insert(host, issuer);
                    }
                }
            }
        }
        verdict
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }

    fn root_hint_subjects(&self) -> Option<&[rustls::DistinguishedName]> {
        self.inner.root_hint_subjects()
    }
}

/// The issuer's distinguished name (`CN=…, O=…`), printable characters only and bounded: it is text a
/// server chose.
fn issuer_of(der: &CertificateDer<'_>) -> Option<String> {
    use x509_cert::der::Decode;
    let certificate = x509_cert::Certificate::from_der(der.as_ref()).ok()?;
    let name = certificate.tbs_certificate.issuer.to_string();
    let shown: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_ISSUER_CHARS)
        .collect();
    (!shown.trim().is_empty()).then_some(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issuer_is_read_from_the_certificate_and_kept_printable() {
        let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Example Corp\u{7} Inspection CA");
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationName, "Example Corp");
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let issuer = issuer_of(cert.der()).unwrap();
        // The BEL written as RFC 4514 writes it, so nothing reaches a terminal raw.
        assert!(issuer.contains("CN=Example Corp\\07 Inspection CA"), "{issuer}");
        assert!(issuer.contains("O=Example Corp"), "{issuer}");
        assert!(!issuer.chars().any(char::is_control), "{issuer}");
        assert_eq!(issuer_of(&CertificateDer::from(vec![1, 2, 3])), None);
    }

    #[test]
    fn a_refusal_is_remembered_by_host_until_an_accepted_handshake() {
        refused().lock().unwrap().insert("::1".into(), "CN=Someone".into());
        assert_eq!(refused_issuer("[::1]").as_deref(), Some("CN=Someone"));
        assert_eq!(refused_issuer("example.com"), None);
    }
}
