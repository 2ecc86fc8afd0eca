//! The HTTP-Redirect binding (SAML Bindings §3.4), both ways, for every message that travels in a URL
//! (AuthnRequests, LogoutRequests, LogoutResponses): DEFLATE, base64, URL-encoding, and the RSA-SHA256
//! signature over `SAMLRequest=…&RelayState=…&SigAlg=…` (or `SAMLResponse=…`) exactly as it appears in the
//! URL.

use std::io::{Read as _, Write as _};

use crate::{Keys, SamlError, xml};

pub(crate) const SIG_ALG_RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const DEFLATE_ENCODING: &str = "urn:oasis:names:tc:SAML:2.0:bindings:URL-Encoding:DEFLATE";
/// URL-encoded base64 longer than this is refused before decoding.
const MAX_ENCODED: usize = 64 * 1024;
/// Inflating stops here: a few hundred bytes of DEFLATE can claim gigabytes.
const MAX_XML: u64 = 128 * 1024;

/// Which query parameter carries the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Param {
    /// `SAMLRequest`: AuthnRequest, LogoutRequest.
    Request,
    /// `SAMLResponse`: LogoutResponse.
    Response,
}

impl Param {
    fn name(self) -> &'static str {
        match self {
            Param::Request => "SAMLRequest",
            Param::Response => "SAMLResponse",
        }
    }
}

/// `endpoint` with the DEFLATEd, base64 `xml` in `param`, `RelayState` (omitted when empty), `SigAlg`
/// rsa-sha256 and our `Signature` over the three as they appear in the URL.
pub(crate) fn signed_url(
    endpoint: &str,
    param: Param,
    xml: &str,
    relay_state: Option<&str>,
    keys: &Keys,
) -> Result<String, SamlError> {
    let mut query = format!(
        "{}={}",
        param.name(),
        url_encode(&xml::base64_encode(&deflate(xml)?))
    );
    if let Some(relay) = relay_state.filter(|r| !r.is_empty()) {
        query.push_str("&RelayState=");
        query.push_str(&url_encode(relay));
    }
    query.push_str("&SigAlg=");
    query.push_str(&url_encode(SIG_ALG_RSA_SHA256));
    let signature = keys.sign(query.as_bytes())?;
    query.push_str("&Signature=");
    query.push_str(&url_encode(&xml::base64_encode(&signature)));
    let separator = if endpoint.contains('?') { '&' } else { '?' };
    Ok(format!("{endpoint}{separator}{query}"))
}

fn deflate(xml: &str) -> Result<Vec<u8>, SamlError> {
    let mut deflater = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    deflater
        .write_all(xml.as_bytes())
        .and_then(|()| deflater.finish())
        .map_err(|e| SamlError::Malformed(format!("compression impossible ({e})")))
}

/// Form URL-encoding, as most peers re-encode the parameters to check the signature (pysaml2 with
/// Python's `urlencode`, Shibboleth from the raw query): unreserved characters kept, space as `+`.
pub(crate) fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3 / 2);
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(char::from(b)),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The binding's parameters of a received query string, raw (as the sender encoded them, which is what
/// the signature covers).
#[derive(Debug)]
pub(crate) struct Received<'q> {
    param: Param,
    message: &'q str,
    relay_state: Option<&'q str>,
    sig_alg: Option<&'q str>,
    signature: Option<&'q str>,
}

/// What the query's signature says, once checked against the sender's certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignatureCheck {
    /// Signed with RSA-SHA256 by one of the certificates.
    Verified,
    /// Neither `SigAlg` nor `Signature`.
    Absent,
    /// Signed, but by none of the certificates, or over other parameters.
    Invalid,
}

impl SignatureCheck {
    /// Ok when verified, or when absent and not `required`; else `unsigned` or `invalid`.
    pub(crate) fn enforce(
        self,
        required: bool,
        unsigned: SamlError,
        invalid: SamlError,
    ) -> Result<(), SamlError> {
        match self {
            SignatureCheck::Verified => Ok(()),
            SignatureCheck::Absent if !required => Ok(()),
            SignatureCheck::Absent => Err(unsigned),
            SignatureCheck::Invalid => Err(invalid),
        }
    }
}

/// Splits the raw query string (with or without its `?`), keeping each parameter as received.
pub(crate) fn split_query(raw_query: &str, param: Param) -> Result<Received<'_>, SamlError> {
    let raw_query = raw_query.strip_prefix('?').unwrap_or(raw_query);
    let (mut message, mut relay_state, mut sig_alg, mut signature) = (None, None, None, None);
    for pair in raw_query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let slot = match name {
            _ if name == param.name() => &mut message,
            "RelayState" => &mut relay_state,
            "SigAlg" => &mut sig_alg,
            "Signature" => &mut signature,
            "SAMLEncoding" if url_decode(value)? == DEFLATE_ENCODING => continue,
            "SAMLEncoding" => return Err(SamlError::malformed("SAMLEncoding non pris en charge")),
            _ => continue,
        };
        if slot.replace(value).is_some() {
            return Err(SamlError::Malformed(format!("paramètre {name} en double")));
        }
    }
    let message =
        message.ok_or_else(|| SamlError::Malformed(format!("paramètre {} manquant", param.name())))?;
    if message.len() > MAX_ENCODED {
        return Err(SamlError::malformed("message trop grand"));
    }
    Ok(Received {
        param,
        message,
        relay_state,
        sig_alg,
        signature,
    })
}

impl Received<'_> {
    /// The message's XML: URL-decoded, base64-decoded, inflated (bounded).
    pub(crate) fn xml(&self) -> Result<String, SamlError> {
        inflate(&xml::base64_decode(&url_decode(self.message)?)?)
    }

    /// The decoded `RelayState`, if any.
    pub(crate) fn relay_state(&self) -> Result<Option<String>, SamlError> {
        self.relay_state.map(url_decode).transpose()
    }

    /// Checks the signature over the parameters as received. Only RSA-SHA256 is accepted; `SigAlg`
    /// without `Signature` (or the reverse) is malformed, never taken for an unsigned message.
    pub(crate) fn check_signature(&self, certs: &[Vec<u8>]) -> Result<SignatureCheck, SamlError> {
        let (raw_sig_alg, signature) = match (self.sig_alg, self.signature) {
            (Some(sig_alg), Some(signature)) => (sig_alg, signature),
            (None, None) => return Ok(SignatureCheck::Absent),
            _ => return Err(SamlError::malformed("SigAlg et Signature vont ensemble")),
        };
        let sig_alg = url_decode(raw_sig_alg)?;
        if sig_alg != SIG_ALG_RSA_SHA256 {
            let short = sig_alg.rsplit_once('#').map_or(sig_alg.as_str(), |(_, s)| s);
            return Err(SamlError::UnsupportedAlgorithm(short.chars().take(60).collect()));
        }
        let mut signed = format!("{}={}", self.param.name(), self.message);
        if let Some(relay) = self.relay_state {
            signed.push_str("&RelayState=");
            signed.push_str(relay);
        }
        signed.push_str("&SigAlg=");
        signed.push_str(raw_sig_alg);
        let Ok(signature) = xml::base64_decode(&url_decode(signature)?) else {
            return Ok(SignatureCheck::Invalid);
        };
        Ok(
            if crate::keys::verify_with_any(certs, signed.as_bytes(), &signature) {
                SignatureCheck::Verified
            } else {
                SignatureCheck::Invalid
            },
        )
    }
}

/// Decodes one `application/x-www-form-urlencoded` value.
fn url_decode(value: &str) -> Result<String, SamlError> {
    let bad = || SamlError::malformed("encodage d'URL invalide");
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or_else(bad)?;
                let hex = std::str::from_utf8(hex).map_err(|_| bad())?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| bad())?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| bad())
}

/// Raw DEFLATE (no zlib header), as the HTTP-Redirect binding carries it, bounded.
fn inflate(deflated: &[u8]) -> Result<String, SamlError> {
    let mut text = String::new();
    flate2::read::DeflateDecoder::new(deflated)
        .take(MAX_XML + 1)
        .read_to_string(&mut text)
        .map_err(|_| SamlError::malformed("message compressé illisible"))?;
    if text.len() as u64 > MAX_XML {
        return Err(SamlError::malformed("message trop grand"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_encoding_matches_form_encoding() {
        assert_eq!(url_encode("a+b/c= d~"), "a%2Bb%2Fc%3D+d~");
        assert_eq!(url_encode("é"), "%C3%A9");
    }

    #[test]
    fn form_values_decode_and_bad_escapes_are_refused() -> Result<(), SamlError> {
        assert_eq!(url_decode("a%2Bb%2fc+d%C3%A9")?, "a+b/c dé");
        assert_eq!(url_decode(&url_encode("a+b/c= d~é"))?, "a+b/c= d~é");
        assert!(url_decode("%").is_err());
        assert!(url_decode("%4").is_err());
        assert!(url_decode("%zz").is_err());
        assert!(url_decode("%C3").is_err());
        Ok(())
    }

    #[test]
    fn the_query_keeps_raw_values_and_refuses_duplicates() -> Result<(), SamlError> {
        let q = split_query(
            "?foo=1&SAMLRequest=a%2B&RelayState=&SigAlg=x&Signature=y",
            Param::Request,
        )?;
        assert_eq!(q.message, "a%2B");
        assert_eq!(q.relay_state, Some(""));
        assert_eq!((q.sig_alg, q.signature), (Some("x"), Some("y")));
        assert!(split_query("SAMLRequest=a&SAMLRequest=b", Param::Request).is_err());
        assert!(split_query("RelayState=a", Param::Request).is_err());
        assert!(split_query("SAMLRequest=a", Param::Response).is_err());
        assert_eq!(split_query("SAMLResponse=b", Param::Response)?.message, "b");
        assert!(split_query("SAMLRequest=a&SAMLEncoding=urn%3Aother", Param::Request).is_err());
        let deflate_encoding = format!("SAMLRequest=a&SAMLEncoding={}", url_encode(DEFLATE_ENCODING));
        assert!(split_query(&deflate_encoding, Param::Request).is_ok());
        Ok(())
    }

    #[test]
    fn inflating_stops_at_the_size_limit() -> Result<(), SamlError> {
        let bomb = "a".repeat(4 * 1024 * 1024);
        let deflated = deflate(&bomb)?;
        assert!(deflated.len() < 10_000);
        assert_eq!(
            inflate(&deflated),
            Err(SamlError::malformed("message trop grand"))
        );
        assert!(inflate(b"not deflate at all").is_err());
        assert_eq!(inflate(&deflate("<x/>")?)?, "<x/>");
        Ok(())
    }

    #[test]
    fn a_signed_url_verifies_and_any_change_does_not() -> Result<(), SamlError> {
        let keys = Keys::from_pem(
            include_str!("../tests/peer/test-only-sp.key"),
            include_str!("../tests/peer/test-only-sp.crt"),
        )?;
        let certs = [keys.cert_der.clone()];
        let url = signed_url(
            "https://x.test/slo?a=1",
            Param::Response,
            "<x/>",
            Some("r é"),
            &keys,
        )?;
        let query = url
            .strip_prefix("https://x.test/slo?a=1&")
            .ok_or_else(|| SamlError::malformed("préfixe"))?;
        let received = split_query(query, Param::Response)?;
        assert_eq!(received.check_signature(&certs)?, SignatureCheck::Verified);
        assert_eq!(
            (received.xml()?, received.relay_state()?),
            ("<x/>".into(), Some("r é".into()))
        );
        let changed = query.replace("RelayState=r", "RelayState=s");
        let received = split_query(&changed, Param::Response)?;
        assert_eq!(received.check_signature(&certs)?, SignatureCheck::Invalid);
        let no_relay = signed_url("https://x.test/slo", Param::Request, "<x/>", Some(""), &keys)?;
        assert!(no_relay.starts_with("https://x.test/slo?SAMLRequest=") && !no_relay.contains("RelayState"));
        Ok(())
    }
}
