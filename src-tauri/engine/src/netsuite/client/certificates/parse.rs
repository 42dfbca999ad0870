//! Reading NetSuite's certificate endpoint's answers, which are not documented: a list in one of several
//! shapes (or pages of one), a new certificate's ID in the body or the `Location`, each ID checked
//! before it is used.

use super::*;

/// An ID as an answer may give it: a string (trimmed) or a whole number, of a plausible length and
/// without spaces or control characters.
pub(super) fn id_text(v: &Value) -> Option<String> {
    let text = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) if n.is_u64() || n.is_i64() => n.to_string(),
        _ => return None,
    };
    plausible_id(&text).then_some(text)
}

/// A Certificate ID in an answer: NetSuite's alphabet only, so that a value that is not one never reaches
/// a record, a screen or the revoke URL.
pub(super) fn certificate_id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => ids::certificate_id(s).ok().map(str::to_string),
        Value::Number(n) if n.is_u64() => Some(n.to_string()),
        _ => None,
    }
}

pub(super) fn plausible_id(text: &str) -> bool {
    !text.is_empty()
        && text.chars().count() <= MAX_ID_CHARS
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A role or entity: an ID, or a reference object holding one (`{"id": "5", "refName": …}`).
pub(super) fn reference(v: &Value) -> Option<String> {
    match v {
        Value::Object(o) => field(o, &["id", "internalid", "value"]).and_then(id_text),
        other => id_text(other),
    }
}

/// A key's comparable form: lower case, without `_` and `-` (`certificate_id` = `certificateId`).
pub(super) fn normalized(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The value of the first of `names` (normalized) that the object has.
pub(super) fn field<'a>(o: &'a Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    names
        .iter()
        .find_map(|name| o.iter().find(|(k, _)| normalized(k) == *name).map(|(_, v)| v))
}

pub(super) const ID_KEYS: [&str; 3] = ["certificateid", "id", "certid"];

pub(super) const LIST_KEYS: [&str; 4] = ["items", "certificates", "data", "results"];

/// The list in an answer: the body itself if an array, else the first array under one of `LIST_KEYS`,
/// looked for a few levels down (`{"data": {"items": […]}}`).
pub(super) fn find_list(v: &Value, depth: u8) -> Option<&Vec<Value>> {
    match v {
        Value::Array(a) => Some(a),
        Value::Object(o) if depth > 0 => LIST_KEYS
            .iter()
            .filter_map(|k| field(o, &[*k]))
            .find_map(|inner| find_list(inner, depth - 1)),
        _ => None,
    }
}

pub(super) fn entry(v: &Value) -> Option<CertificateEntry> {
    let o = v.as_object()?;
    let certificate_id = field(o, &ID_KEYS).and_then(certificate_id_text)?;
    let revoked = match field(o, &["revoked", "isrevoked"]) {
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
    .or_else(|| match field(o, &["active", "isactive"]) {
        Some(Value::Bool(b)) => Some(!b),
        _ => None,
    })
    .or_else(|| {
        let status = field(o, &["status", "state"])?;
        let word = match status {
            Value::Object(s) => field(s, &["id", "value", "refname"])?.as_str()?.to_ascii_lowercase(),
            other => other.as_str()?.to_ascii_lowercase(),
        };
        match word.trim() {
            "revoked" | "inactive" | "disabled" => Some(true),
            "active" | "enabled" | "valid" => Some(false),
            _ => None,
        }
    });
    let text = |v: &Value| match v {
        Value::String(s) if !s.trim().is_empty() => Some(
            s.trim()
                .chars()
                .filter(|c| !c.is_control())
                .take(64)
                .collect::<String>(),
        ),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let valid_until = field(
        o,
        &[
            "validuntil",
            "validto",
            "notvalidafter",
            "expiresat",
            "expirationdate",
            "expires",
            "enddate",
        ],
    )
    .and_then(text);
    let valid_from = field(o, &["validfrom", "notvalidbefore", "startdate"]).and_then(text);
    let algorithm = field(o, &["algorithm", "alg"])
        .and_then(text)
        .filter(|a| a.chars().all(|c| c.is_ascii_alphanumeric()) && a.len() <= 16);
    Some(CertificateEntry {
        certificate_id,
        entity: field(o, &["entity", "entityid"]).and_then(reference),
        role: field(o, &["role", "roleid"]).and_then(reference),
        revoked,
        valid_from,
        valid_until,
        algorithm,
    })
}

/// The certificates in a list answer, each entry read as far as it can be and the unreadable ones
/// skipped. `None` when the body is not JSON or holds no list at all.
pub fn parse_certificate_list(body: &str) -> Option<Vec<CertificateEntry>> {
    parse_certificate_page(body).map(|p| p.entries)
}

/// One page of the list: its entries, how many the page held (readable or not, for the next offset),
/// and whether it says more follow (`hasMore`; a bare array is the whole list).
pub struct CertificatePage {
    pub entries: Vec<CertificateEntry>,
    pub count: usize,
    pub has_more: bool,
}

pub fn parse_certificate_page(body: &str) -> Option<CertificatePage> {
    let json: Value = serde_json::from_str(body).ok()?;
    let list = find_list(&json, 3)?;
    let has_more = match &json {
        Value::Object(o) => matches!(field(o, &["hasmore"]), Some(Value::Bool(true))),
        _ => false,
    };
    Some(CertificatePage {
        entries: list.iter().filter_map(entry).collect(),
        count: list.len(),
        has_more,
    })
}

/// The new Certificate ID in an upload's answer: an ID at the top of the JSON body or in an object
/// nested under a usual key (`certificate`, `data`, `item`, `result`, or a list of one), else the last
/// segment of a `Location` pointing at `…/certificates/<ID>`.
pub fn parse_new_certificate_id(body: &str, location: Option<&str>) -> Option<String> {
    fn id_in(v: &Value, depth: u8) -> Option<String> {
        match v {
            Value::Object(o) => field(o, &ID_KEYS).and_then(certificate_id_text).or_else(|| {
                (depth > 0)
                    .then(|| {
                        [
                            "certificate",
                            "data",
                            "item",
                            "result",
                            "items",
                            "certificates",
                            "results",
                        ]
                        .iter()
                        .filter_map(|k| field(o, &[*k]))
                        .find_map(|inner| id_in(inner, depth - 1))
                    })
                    .flatten()
            }),
            Value::Array(a) if a.len() == 1 && depth > 0 => id_in(&a[0], depth - 1),
            _ => None,
        }
    }
    let from_body = match serde_json::from_str::<Value>(body) {
        Ok(Value::String(s)) => certificate_id_text(&Value::String(s)),
        Ok(json) => id_in(&json, 3),
        Err(_) => None,
    };
    from_body.or_else(|| location.and_then(id_from_location))
}

pub(super) fn id_from_location(location: &str) -> Option<String> {
    let path = location.split(['?', '#']).next()?.trim().trim_end_matches('/');
    let mut segments = path.rsplit('/');
    let last = segments.next()?;
    let parent = segments.next()?;
    if !parent.eq_ignore_ascii_case("certificates") {
        return None;
    }
    let id = percent_encoding::percent_decode_str(last).decode_utf8().ok()?;
    certificate_id_text(&Value::String(id.into_owned()))
}
