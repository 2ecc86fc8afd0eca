//! `multipart/form-data` bodies (forms with files), read whole: the request body limit bounds them.
//! Url-encoded bodies are read by the same entry point, so a handler serves both kinds of form.

use axum::http::HeaderMap;

/// One part of a form: a field (no file name) or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    pub name: String,
    /// The file's name as the browser sent it (without its directories), for file fields.
    pub file_name: Option<String>,
    /// The type the browser declared, if any (not to be trusted).
    pub content_type: Option<String>,
    pub data: &'a [u8],
}

impl Part<'_> {
    /// The part as text (fields), invalid UTF-8 replaced.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(self.data).into_owned()
    }
}

/// The boundary of a `multipart/form-data` request, if it is one.
pub fn boundary(headers: &HeaderMap) -> Option<String> {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|ct| ct.starts_with("multipart/form-data"))
        .and_then(|ct| ct.split_once("boundary="))
        .map(|(_, b)| {
            b.split(';')
                .next()
                .unwrap_or(b)
                .trim()
                .trim_matches('"')
                .to_string()
        })
        .filter(|b| !b.is_empty())
}

/// Every text field of a form body (multipart or url-encoded), in order, as (name, value) pairs.
pub fn fields(headers: &HeaderMap, body: &[u8]) -> Vec<(String, String)> {
    match boundary(headers) {
        Some(b) => parts(body, &b)
            .into_iter()
            .filter(|p| p.file_name.is_none())
            .map(|p| (p.name.clone(), p.text()))
            .collect(),
        None => form_urlencoded(body),
    }
}

/// The file parts of a multipart body (none for url-encoded ones), empty file inputs left out.
pub fn files<'a>(headers: &HeaderMap, body: &'a [u8]) -> Vec<Part<'a>> {
    match boundary(headers) {
        Some(b) => parts(body, &b)
            .into_iter()
            .filter(|p| p.file_name.is_some())
            .filter(|p| !(p.file_name.as_deref() == Some("") && p.data.is_empty()))
            .collect(),
        None => vec![],
    }
}

/// The parts of a `multipart/form-data` body.
pub fn parts<'a>(body: &'a [u8], boundary: &str) -> Vec<Part<'a>> {
    let delimiter = format!("\r\n--{boundary}");
    let mut out = vec![];
    // The body starts with the first boundary without the leading CRLF.
    let first = format!("--{boundary}");
    let Some(mut rest) = body.strip_prefix(first.as_bytes()) else {
        return out;
    };
    while let Some(after) = rest.strip_prefix(b"\r\n") {
        let Some(head_end) = find(after, b"\r\n\r\n") else {
            break;
        };
        let head = String::from_utf8_lossy(&after[..head_end]);
        let content_start = head_end + 4;
        let Some(len) = find(&after[content_start..], delimiter.as_bytes()) else {
            break;
        };
        let mut name = None;
        let mut file_name = None;
        let mut content_type = None;
        for line in head.split("\r\n") {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            if key.trim().eq_ignore_ascii_case("content-type") {
                content_type = Some(value.trim().to_string());
            } else if key.trim().eq_ignore_ascii_case("content-disposition") {
                for param in value.split(';') {
                    let param = param.trim();
                    if let Some(v) = param.strip_prefix("name=") {
                        name = Some(v.trim_matches('"').to_string());
                    } else if let Some(v) = param.strip_prefix("filename=") {
                        file_name = Some(base_name(v.trim_matches('"')));
                    }
                }
            }
        }
        if let Some(name) = name {
            out.push(Part {
                name,
                file_name,
                content_type,
                data: &after[content_start..content_start + len],
            });
        }
        rest = &after[content_start + len + delimiter.len()..];
    }
    out
}

/// The last path component (old browsers send `C:\Users\…\copie.pdf`).
fn base_name(name: &str) -> String {
    name.rsplit(['/', '\\']).next().unwrap_or(name).to_string()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, tail) = needle.split_first()?;
    let mut from = 0;
    while from + needle.len() <= haystack.len() {
        let at = from + haystack[from..].iter().position(|&b| b == first)?;
        if haystack.get(at + 1..at + needle.len()) == Some(tail) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// `application/x-www-form-urlencoded` pairs.
fn form_urlencoded(body: &[u8]) -> Vec<(String, String)> {
    body.split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut it = pair.splitn(2, |&b| b == b'=');
            let name = percent_decode(it.next().unwrap_or_default());
            let value = percent_decode(it.next().unwrap_or_default());
            (name, value)
        })
        .collect()
}

fn percent_decode(input: &[u8]) -> String {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < input.len() => {
                let hex = std::str::from_utf8(&input[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn multipart_headers(boundary: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}")
                .parse()
                .unwrap(),
        );
        h
    }

    #[test]
    fn fields_and_files_of_a_multipart_body() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\Docs\\\\copie.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1\r\n\r\nend\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--XyZ--\r\n";
        let h = multipart_headers("XyZ");
        assert_eq!(
            fields(&h, body),
            vec![("csrf_token".to_string(), "abc".to_string())]
        );
        let files = files(&h, body);
        assert_eq!(files.len(), 1, "the empty file input is left out");
        assert_eq!(files[0].file_name.as_deref(), Some("copie.pdf"));
        assert_eq!(files[0].content_type.as_deref(), Some("application/pdf"));
        assert_eq!(files[0].data, b"%PDF-1\r\n\r\nend");
    }

    #[test]
    fn url_encoded_bodies_give_their_fields() {
        let h = HeaderMap::new();
        assert_eq!(
            fields(&h, b"a=1+2&b=%C3%A9t%C3%A9&c=%zz"),
            vec![
                ("a".to_string(), "1 2".to_string()),
                ("b".to_string(), "été".to_string()),
                ("c".to_string(), "%zz".to_string())
            ]
        );
        assert!(files(&h, b"a=1").is_empty());
    }
}
