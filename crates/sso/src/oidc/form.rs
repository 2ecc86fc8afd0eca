//! The parameters of a token-endpoint call, however the client sends them: the query string (the
//! Skolengo app exchanges its code with a GET), an urlencoded body, or a `multipart/form-data` body
//! (Papillon refreshes with `FormData`); and HTTP Basic client credentials.

use std::collections::HashMap;

use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// Every parameter; the body's win over the query string's.
pub fn params(headers: &HeaderMap, query: Option<&str>, body: &[u8]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if let Some(q) = query {
        out.extend(url::form_urlencoded::parse(q.as_bytes()).into_owned());
    }
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        if let Some(boundary) = content_type
            .split(';')
            .map(str::trim)
            .find_map(|p| p.strip_prefix("boundary="))
        {
            // The boundary is case-sensitive: take it from the original header.
            let original = headers
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| {
                    v.split(';')
                        .map(str::trim)
                        .find_map(|p| p.strip_prefix("boundary="))
                })
                .unwrap_or(boundary)
                .trim_matches('"');
            out.extend(multipart(body, original));
        }
    } else if !body.is_empty() {
        out.extend(url::form_urlencoded::parse(body).into_owned());
    }
    out
}

/// The text fields of a multipart body (file parts are skipped).
fn multipart(body: &[u8], boundary: &str) -> Vec<(String, String)> {
    let Ok(body) = std::str::from_utf8(body) else {
        return vec![];
    };
    let delimiter = format!("--{boundary}");
    body.split(delimiter.as_str())
        .filter_map(|part| {
            let part = part.strip_prefix("\r\n")?;
            let (head, value) = part.split_once("\r\n\r\n")?;
            let disposition = head
                .lines()
                .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
            if disposition.contains("filename=") {
                return None;
            }
            let name = disposition
                .split(';')
                .map(str::trim)
                .find_map(|p| p.strip_prefix("name="))?
                .trim_matches('"');
            Some((
                name.to_string(),
                value.strip_suffix("\r\n").unwrap_or(value).to_string(),
            ))
        })
        .collect()
}

fn form_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// `Authorization: Basic` credentials (each part form-urlencoded, RFC 6749 §2.3.1).
pub fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((form_decode(id), form_decode(secret)))
}

/// `Authorization: Bearer` token.
pub fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn parameters_come_from_query_urlencoded_or_multipart_bodies() {
        let mut h = HeaderMap::new();
        let p = params(&h, Some("grant_type=authorization_code&code=a%2Bb"), b"");
        assert_eq!(p["code"], "a+b");
        h.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        let p = params(&h, Some("code=old"), b"code=new&client_id=app");
        assert_eq!((p["code"].as_str(), p["client_id"].as_str()), ("new", "app"));
        h.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("multipart/form-data; boundary=----AbC"),
        );
        let body = "------AbC\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nrefresh_token\r\n------AbC\r\nContent-Disposition: form-data; name=\"refresh_token\"\r\n\r\nr.t-1\r\n------AbC\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\nignored\r\n------AbC--\r\n";
        let p = params(&h, None, body.as_bytes());
        assert_eq!(p["grant_type"], "refresh_token");
        assert_eq!(p["refresh_token"], "r.t-1");
        assert!(!p.contains_key("f"));
    }

    #[test]
    fn basic_credentials_are_form_decoded() {
        let mut h = HeaderMap::new();
        let value = format!("Basic {}", STANDARD.encode("my%20app:s%3Acret"));
        h.insert(AUTHORIZATION, HeaderValue::from_str(&value).unwrap());
        assert_eq!(basic_credentials(&h), Some(("my app".into(), "s:cret".into())));
        h.insert(AUTHORIZATION, HeaderValue::from_static("Bearer abc"));
        assert_eq!(basic_credentials(&h), None);
        assert_eq!(bearer(&h).as_deref(), Some("abc"));
    }
}
