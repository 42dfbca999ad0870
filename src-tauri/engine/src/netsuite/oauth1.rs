//! OAuth 1.0a request signing with HMAC-SHA256, as NetSuite's REST web services and RESTlets expect it.
//!
//! NetSuite answers every signing mistake with the same "Invalid login attempt", so the rules here are
//! followed to the letter and tested against Oracle's published vectors and an independent implementation:
//! realm only in the header; every query parameter signed (decoded, then RFC 3986-encoded, sorted);
//! `+` in a query is a space; scheme and host lower case; default ports dropped; the path exactly as sent.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::percent_decode;
use rand::Rng as _;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use url::Url;
use zeroize::Zeroizing;

pub const SIGNATURE_METHOD: &str = "HMAC-SHA256";
pub const OAUTH_VERSION: &str = "1.0";
const NONCE_LEN: usize = 20;

/// Percent-encodes per RFC 3986, the only encoding NetSuite accepts in signatures.
pub fn encode(input: impl AsRef<[u8]>) -> String {
    let input = input.as_ref();
    let mut out = Vec::with_capacity(input.len() + input.len() / 2);
    encode_into(&mut out, input);
    ascii(out)
}

/// Appends `input` percent-encoded per RFC 3986 (unreserved bytes as they are, every other byte as
/// `%XX` in upper case). Bytes rather than `fmt` or `String::push`: signing is mostly this, and a
/// secret encoded straight into a buffer sized for it is never copied into a temporary left unwiped.
fn encode_into(out: &mut Vec<u8>, input: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.reserve(3 * input.len());
    let mut rest = input;
    // Runs of unreserved bytes are copied whole: a key or token is one run, and the base string's
    // second encoding alternates short runs with escapes.
    while let Some(run) = rest.iter().position(|&b| !UNRESERVED[usize::from(b)]) {
        let b = rest[run];
        out.extend_from_slice(&rest[..run]);
        out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0x0f)]]);
        rest = &rest[run + 1..];
    }
    out.extend_from_slice(rest);
}

/// RFC 3986's unreserved bytes: ALPHA, DIGIT, `-`, `.`, `_`, `~`.
static UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~');
        b += 1;
    }
    table
};

/// Text built only from encoded bytes and ASCII punctuation.
fn ascii(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("percent-encoded text is ASCII")
}

/// One of the four values a TBA credential is made of, by NetSuite's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    ConsumerKey,
    ConsumerSecret,
    TokenId,
    TokenSecret,
}

impl Field {
    pub const ALL: [Field; 4] = [
        Field::ConsumerKey,
        Field::ConsumerSecret,
        Field::TokenId,
        Field::TokenSecret,
    ];

    /// NetSuite's label for the value, as on the page that shows it.
    pub fn label(self) -> &'static str {
        match self {
            Field::ConsumerKey => "Consumer Key",
            Field::ConsumerSecret => "Consumer Secret",
            Field::TokenId => "Token ID",
            Field::TokenSecret => "Token Secret",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Field::ConsumerKey => "consumer_key",
            Field::ConsumerSecret => "consumer_secret",
            Field::TokenId => "token_id",
            Field::TokenSecret => "token_secret",
        }
    }

    pub fn parse(code: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// The four values of a TBA connection. All four are treated as secrets: the key and token ID are not
/// enough to sign, but together with a leaked secret they are, and nobody needs to see them.
#[derive(Deserialize)]
pub struct Credentials {
    pub consumer_key: SecretString,
    pub consumer_secret: SecretString,
    pub token_id: SecretString,
    pub token_secret: SecretString,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("consumer_key", &Redacted)
            .field("consumer_secret", &Redacted)
            .field("token_id", &Redacted)
            .field("token_secret", &Redacted)
            .finish()
    }
}

struct Redacted;
impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Credentials {
    pub fn new(consumer_key: &str, consumer_secret: &str, token_id: &str, token_secret: &str) -> Self {
        Credentials {
            consumer_key: SecretString::from(consumer_key),
            consumer_secret: SecretString::from(consumer_secret),
            token_id: SecretString::from(token_id),
            token_secret: SecretString::from(token_secret),
        }
    }

    /// Returns the name of the first empty field, so a caller can say which one is missing.
    pub fn first_empty_field(&self) -> Option<&'static str> {
        [
            ("consumer_key", &self.consumer_key),
            ("consumer_secret", &self.consumer_secret),
            ("token_id", &self.token_id),
            ("token_secret", &self.token_secret),
        ]
        .into_iter()
        .find(|(_, v)| v.expose_secret().trim().is_empty())
        .map(|(name, _)| name)
    }

    /// Every value, for leak checks.
    pub fn secret_values(&self) -> [&str; 4] {
        [
            self.consumer_key.expose_secret(),
            self.consumer_secret.expose_secret(),
            self.token_id.expose_secret(),
            self.token_secret.expose_secret(),
        ]
    }
}

/// A short identifier of a secret value that does not reveal it: the first 8 hex digits of its SHA-256.
pub fn fingerprint(value: &SecretString) -> String {
    let digest = Sha256::digest(value.expose_secret().as_bytes());
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// What signing produced: the base string (for debugging), the bare signature and the header value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Signed {
    pub base_string: String,
    pub signature: String,
    pub authorization: String,
}

/// 20 alphanumerics from the thread-local CSPRNG (ChaCha, seeded by the OS).
pub fn new_nonce() -> String {
    rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(NONCE_LEN)
        .map(char::from)
        .collect()
}

pub fn now_timestamp() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `scheme://host[:port]/path` with scheme and host in lower case and the default port left out.
/// `url::Url` has already lower-cased the host and dropped a default port, and its path is what
/// reqwest sends, so signing and sending cannot disagree.
fn base_string_uri(url: &Url) -> String {
    let mut out = format!(
        "{}://{}",
        url.scheme().to_ascii_lowercase(),
        url.host_str().unwrap_or_default()
    );
    if let Some(port) = url.port() {
        out.push(':');
        out.push_str(&port.to_string());
    }
    out.push_str(url.path());
    out
}

/// Query parameters as `(name, value)`, decoded the way form data is: `+` is a space, then percent-decoding.
/// Bytes, not strings, so a value that is not UTF-8 is still re-encoded exactly.
fn query_params(url: &Url) -> Vec<(Vec<u8>, Vec<u8>)> {
    let Some(query) = url.query() else {
        return Vec::new();
    };
    let decode = |s: &str| -> Vec<u8> {
        if s.contains('+') {
            percent_decode(s.replace('+', " ").as_bytes()).collect()
        } else {
            percent_decode(s.as_bytes()).collect()
        }
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(pair), Vec::new()),
        })
        .collect()
}

/// The signature base string of RFC 5849 §3.4.1 (without realm, as NetSuite computes it).
pub fn base_string(method: &str, url: &Url, oauth_params: &[(&str, &str)]) -> String {
    let encoded = |k: &[u8], v: &[u8]| {
        let (mut ek, mut ev) = (Vec::with_capacity(k.len() + 8), Vec::with_capacity(v.len() + 8));
        encode_into(&mut ek, k);
        encode_into(&mut ev, v);
        (ek, ev)
    };
    let query = query_params(url);
    let mut params: Vec<(Vec<u8>, Vec<u8>)> = Vec::with_capacity(query.len() + oauth_params.len());
    params.extend(query.iter().map(|(k, v)| encoded(k, v)));
    params.extend(oauth_params.iter().map(|(k, v)| encoded(k.as_bytes(), v.as_bytes())));
    params.sort_unstable();
    let mut normalized = Vec::with_capacity(params.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            normalized.push(b'&');
        }
        normalized.extend_from_slice(k);
        normalized.push(b'=');
        normalized.extend_from_slice(v);
    }
    let uri = base_string_uri(url);
    let mut out = Vec::with_capacity(method.len() + 2 + (uri.len() + normalized.len()) * 3 / 2);
    out.extend_from_slice(method.to_ascii_uppercase().as_bytes());
    out.push(b'&');
    encode_into(&mut out, uri.as_bytes());
    out.push(b'&');
    encode_into(&mut out, &normalized);
    ascii(out)
}

/// Signs one request. `nonce` and `timestamp` are parameters so that tests and the `sign` command can
/// reproduce published vectors; the client always passes fresh ones.
pub fn sign(method: &str, url: &Url, realm: &str, creds: &Credentials, nonce: &str, timestamp: u64) -> Signed {
    let timestamp = timestamp.to_string();
    let consumer_key = creds.consumer_key.expose_secret();
    let token = creds.token_id.expose_secret();
    let oauth = [
        ("oauth_consumer_key", consumer_key),
        ("oauth_nonce", nonce),
        ("oauth_signature_method", SIGNATURE_METHOD),
        ("oauth_timestamp", timestamp.as_str()),
        ("oauth_token", token),
        ("oauth_version", OAUTH_VERSION),
    ];
    let base = base_string(method, url, &oauth);
    let (consumer_secret, token_secret) = (
        creds.consumer_secret.expose_secret(),
        creds.token_secret.expose_secret(),
    );
    // Room for the worst case (every byte encoded), so the buffer never moves and leaves a copy behind.
    let mut key = Zeroizing::new(Vec::with_capacity(3 * (consumer_secret.len() + token_secret.len()) + 1));
    encode_into(&mut key, consumer_secret.as_bytes());
    key.push(b'&');
    encode_into(&mut key, token_secret.as_bytes());
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC accepts keys of any length");
    mac.update(base.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let mut authorization =
        Vec::with_capacity(200 + 3 * (realm.len() + token.len() + consumer_key.len() + nonce.len() + signature.len()));
    for (i, (name, value)) in [
        ("realm", realm),
        ("oauth_token", token),
        ("oauth_consumer_key", consumer_key),
        ("oauth_nonce", nonce),
        ("oauth_timestamp", timestamp.as_str()),
        ("oauth_signature_method", SIGNATURE_METHOD),
        ("oauth_version", OAUTH_VERSION),
        ("oauth_signature", signature.as_str()),
    ]
    .into_iter()
    .enumerate()
    {
        authorization.extend_from_slice(if i == 0 { b"OAuth " } else { b", " });
        authorization.extend_from_slice(name.as_bytes());
        authorization.extend_from_slice(b"=\"");
        encode_into(&mut authorization, value.as_bytes());
        authorization.push(b'"');
    }
    let authorization = ascii(authorization);
    Signed {
        base_string: base,
        signature,
        authorization,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CK: &str = "ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4";
    const CS: &str = "d26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5";
    const TK: &str = "2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc";
    const TS: &str = "c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295";
    const NONCE: &str = "fjaLirsIcCGVZWzBX0pg";
    const TIME: u64 = 1508242306;

    fn oracle() -> Credentials {
        Credentials::new(CK, CS, TK, TS)
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn vector_a_rest_web_services() {
        let s = sign(
            "GET",
            &url("https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/employee/40"),
            "123456",
            &oracle(),
            NONCE,
            TIME,
        );
        assert_eq!(
            s.base_string,
            format!(
                "GET&https%3A%2F%2F123456.suitetalk.api.netsuite.com%2Fservices%2Frest%2Frecord%2Fv1%2Femployee%2F40&\
                 oauth_consumer_key%3D{CK}%26oauth_nonce%3DfjaLirsIcCGVZWzBX0pg%26oauth_signature_method%3DHMAC-SHA256%26\
                 oauth_timestamp%3D1508242306%26oauth_token%3D{TK}%26oauth_version%3D1.0"
            )
        );
        assert_eq!(s.signature, "B5OIWznZ2YP0OB7VrJrGkYsTh+8H+5T9Hag+o92q0zY=");
        assert_eq!(
            s.authorization,
            format!(
                "OAuth realm=\"123456\", oauth_token=\"{TK}\", oauth_consumer_key=\"{CK}\", \
                 oauth_nonce=\"fjaLirsIcCGVZWzBX0pg\", oauth_timestamp=\"1508242306\", \
                 oauth_signature_method=\"HMAC-SHA256\", oauth_version=\"1.0\", \
                 oauth_signature=\"B5OIWznZ2YP0OB7VrJrGkYsTh%2B8H%2B5T9Hag%2Bo92q0zY%3D\""
            )
        );
    }

    #[test]
    fn vector_b_and_c_restlet_with_query() {
        let path = "/app/site/hosting/restlet.nl?script=6&deploy=1&customParam=someValue&testParam=someOtherValue";
        let b = sign(
            "POST",
            &url(&format!("https://123456.restlets.api.netsuite.com{path}")),
            "123456",
            &oracle(),
            NONCE,
            TIME,
        );
        assert_eq!(b.signature, "+KK4SKNgz4ZiILGLwOMtfYlgcXSy1eis8ldE9X90azQ=");
        let c = sign(
            "POST",
            &url(&format!("https://1234567.restlets.api.netsuite.com{path}")),
            "1234567",
            &oracle(),
            NONCE,
            TIME,
        );
        assert_eq!(c.signature, "i7MEtGwhCTIZbTsTrNGw9LdcERn4wsjt5C7TxmKWIfU=");
    }

    #[test]
    fn vector_d_sandbox_with_query() {
        let creds = Credentials::new(
            "CONSUMER_KEY_VALUE",
            "CONSUMER_SECRET_VALUE",
            "TOKEN_ID_VALUE",
            "TOKEN_SECRET_VALUE",
        );
        let s = sign(
            "GET",
            &url("https://9876543-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/123?expandSubResources=true"),
            "9876543_SB1",
            &creds,
            "asdfasdf",
            1234567890,
        );
        assert_eq!(s.signature, "cId0B3hP0sFVQw/gjQ/P6YiOSx76u0WfyO8umOlq3gg=");
        assert!(s.authorization.starts_with("OAuth realm=\"9876543_SB1\", "));
        assert!(!s.base_string.contains("realm"), "realm is not signed");
    }

    /// RFC 5849 §3.4.1.1's worked example. Its form body (`c2&a3=2+q`) is moved into the query, where it is
    /// signed identically; NetSuite itself accepts only JSON bodies, which are never signed.
    #[test]
    fn rfc5849_worked_example() {
        let u = url("http://EXAMPLE.COM:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b&c2&a3=2+q");
        let base = base_string(
            "post",
            &u,
            &[
                ("oauth_consumer_key", "9djdj82h48djs9d2"),
                ("oauth_token", "kkk9d7dh3k39sjv7"),
                ("oauth_signature_method", "HMAC-SHA1"),
                ("oauth_timestamp", "137131201"),
                ("oauth_nonce", "7d8f3e4a"),
            ],
        );
        assert_eq!(
            base,
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26\
             c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26\
             oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7"
        );
    }

    #[test]
    fn awkward_queries() {
        let u = url("https://Host.Example:8443/a%20b/c%2Fd?z=1&a=x+y&a=x%20y&k&e=&%C3%A9=%E2%82%AC&r=%21%2A%27%28%29");
        let base = base_string("get", &u, &[]);
        assert_eq!(
            base,
            "GET&https%3A%2F%2Fhost.example%3A8443%2Fa%2520b%2Fc%252Fd&\
             %25C3%25A9%3D%25E2%2582%25AC%26a%3Dx%2520y%26a%3Dx%2520y%26e%3D%26k%3D%26r%3D%2521%252A%2527%2528%2529%26z%3D1"
        );
        let default_port = base_string("GET", &url("https://h.example:443/p"), &[]);
        assert_eq!(default_port, "GET&https%3A%2F%2Fh.example%2Fp&");
    }

    #[test]
    fn nonces_are_fresh_alphanumerics() {
        let a = new_nonce();
        let b = new_nonce();
        assert_eq!(a.len(), 20);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }

    #[test]
    fn debug_never_shows_secrets() {
        let shown = format!("{:?}", oracle());
        for v in [CK, CS, TK, TS] {
            assert!(!shown.contains(v));
        }
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn fingerprint_is_short_and_stable() {
        let f = fingerprint(&SecretString::from(CS));
        assert_eq!(f.len(), 8);
        assert_eq!(f, fingerprint(&SecretString::from(CS)));
        assert_ne!(f, fingerprint(&SecretString::from(TS)));
        assert!(!CS.contains(&f));
    }
}
