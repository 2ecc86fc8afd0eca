//! AuthnRequests that service providers send our identity provider, over HTTP-Redirect (DEFLATE, base64,
//! signature over the query string) or HTTP-POST (base64, enveloped XML signature).
//!
//! The request's `Issuer` is read before any signature is checked, but only to find whose certificates to
//! check it with; nothing else is believed until the signature verifies (when there is one).

use std::io::Read as _;

use roxmltree::Node;

use super::{AuthnRequest, Idp, SpMetadata};
use crate::xml::{self, BINDING_POST, NS_ASSERTION, NS_PROTOCOL};
use crate::{SamlError, dsig};

/// Base64 (HTTP-POST) or URL-encoded base64 (HTTP-Redirect) longer than this is refused before decoding.
const MAX_ENCODED: usize = 64 * 1024;
/// Inflating stops here: a few hundred bytes of DEFLATE can claim gigabytes.
const MAX_XML: u64 = 128 * 1024;
/// The SAML bindings say 80 bytes, but service providers send longer ones and nothing breaks: we only
/// echo it back, escaped.
const MAX_RELAY_STATE: usize = 1024;
/// How long after its `IssueInstant` a request is still accepted (plus the clock skew): the browser
/// brings it at once, so this only has to cover slow networks.
pub(crate) const REQUEST_LIFETIME_SECS: i64 = 180;
const SIG_ALG_RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const DEFLATE_ENCODING: &str = "urn:oasis:names:tc:SAML:2.0:bindings:URL-Encoding:DEFLATE";

/// When the request is checked, and how far apart clocks may be.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Now {
    pub millis: i64,
    pub skew_secs: i64,
}

/// The four parameters of the HTTP-Redirect binding, raw (as received) and decoded.
struct RedirectQuery<'q> {
    saml_request: &'q str,
    relay_state: Option<&'q str>,
    sig_alg: Option<&'q str>,
    signature: Option<&'q str>,
}

pub(crate) fn from_redirect<'s>(
    idp: &Idp,
    raw_query: &str,
    find_sp: impl FnOnce(&str) -> Option<&'s SpMetadata>,
    now: Now,
) -> Result<(AuthnRequest, &'s SpMetadata), SamlError> {
    let query = split_query(raw_query)?;
    if query.saml_request.len() > MAX_ENCODED {
        return Err(SamlError::malformed("demande trop grande"));
    }
    let deflated = xml::base64_decode(&url_decode(query.saml_request)?)?;
    let text = inflate(&deflated)?;
    let relay_state = query.relay_state.map(url_decode).transpose()?;
    let doc = xml::parse(&text)?;
    let request = doc.root_element();
    let sp = find_issuer_sp(request, find_sp)?;

    match (query.sig_alg, query.signature) {
        (Some(raw_sig_alg), Some(signature)) => {
            let sig_alg = url_decode(raw_sig_alg)?;
            if sig_alg != SIG_ALG_RSA_SHA256 {
                let short = sig_alg.rsplit_once('#').map_or(sig_alg.as_str(), |(_, s)| s);
                return Err(SamlError::UnsupportedAlgorithm(short.chars().take(60).collect()));
            }
            // The signed octets are the parameters exactly as the service provider encoded them.
            let mut signed = format!("SAMLRequest={}", query.saml_request);
            if let Some(relay) = query.relay_state {
                signed.push_str("&RelayState=");
                signed.push_str(relay);
            }
            signed.push_str("&SigAlg=");
            signed.push_str(raw_sig_alg);
            let signature =
                xml::base64_decode(&url_decode(signature)?).map_err(|_| SamlError::BadRequestSignature)?;
            if !crate::keys::verify_with_any(&sp.signing_certs, signed.as_bytes(), &signature) {
                return Err(SamlError::BadRequestSignature);
            }
        }
        (None, None) if !signature_required(idp, sp) => {}
        (None, None) => return Err(SamlError::UnsignedRequest),
        _ => return Err(SamlError::malformed("SigAlg et Signature vont ensemble")),
    }
    let request = read_request(idp, request, sp, now, relay_state)?;
    Ok((request, sp))
}

pub(crate) fn from_post<'s>(
    idp: &Idp,
    saml_request_b64: &str,
    relay_state: Option<&str>,
    find_sp: impl FnOnce(&str) -> Option<&'s SpMetadata>,
    now: Now,
) -> Result<(AuthnRequest, &'s SpMetadata), SamlError> {
    if saml_request_b64.len() > MAX_ENCODED {
        return Err(SamlError::malformed("demande trop grande"));
    }
    let bytes = xml::base64_decode(saml_request_b64)?;
    let text = String::from_utf8(bytes).map_err(|_| SamlError::malformed("demande non UTF-8"))?;
    let doc = xml::parse(&text)?;
    let request = doc.root_element();
    let sp = find_issuer_sp(request, find_sp)?;
    if dsig::is_signed(request) {
        dsig::verify(request, &sp.signing_certs).map_err(|e| match e {
            SamlError::BadSignature => SamlError::BadRequestSignature,
            other => other,
        })?;
    } else if signature_required(idp, sp) {
        return Err(SamlError::UnsignedRequest);
    }
    let request = read_request(idp, request, sp, now, relay_state.map(str::to_string))?;
    Ok((request, sp))
}

fn signature_required(idp: &Idp, sp: &SpMetadata) -> bool {
    sp.authn_requests_signed || idp.want_authn_requests_signed
}

/// The service provider named by the (not yet trusted) `Issuer`; it must be the one whose metadata the
/// caller returns.
fn find_issuer_sp<'s>(
    request: Node,
    find_sp: impl FnOnce(&str) -> Option<&'s SpMetadata>,
) -> Result<&'s SpMetadata, SamlError> {
    if !xml::is(request, NS_PROTOCOL, "AuthnRequest") {
        return Err(SamlError::malformed("samlp:AuthnRequest attendu"));
    }
    let issuer = xml::only_child(request, NS_ASSERTION, "Issuer")?;
    let entity_format = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
    if issuer.attribute("Format").is_some_and(|f| f != entity_format) {
        return Err(SamlError::UnknownServiceProvider);
    }
    let issuer = xml::text_of(issuer);
    match find_sp(&issuer) {
        Some(sp) if sp.entity_id == issuer => Ok(sp),
        _ => Err(SamlError::UnknownServiceProvider),
    }
}

/// Reads the request once its signature (if any) is verified, checking it against our address, the clock
/// and the service provider's assertion consumers.
fn read_request(
    idp: &Idp,
    request: Node,
    sp: &SpMetadata,
    now: Now,
    relay_state: Option<String>,
) -> Result<AuthnRequest, SamlError> {
    if request.attribute("Version") != Some("2.0") {
        return Err(SamlError::malformed("version SAML 2.0 attendue"));
    }
    let id = request
        .attribute("ID")
        .filter(|id| crate::request::is_xml_id(id))
        .ok_or_else(|| SamlError::malformed("ID de la demande manquant ou invalide"))?;
    if request.attribute("Destination").is_some_and(|d| d != idp.sso_url) {
        return Err(SamlError::malformed(
            "la demande est adressée à un autre fournisseur d'identité",
        ));
    }
    let issue_instant_millis = xml::parse_instant(request.attribute("IssueInstant").unwrap_or(""))?;
    let skew = now.skew_secs.max(0).saturating_mul(1000);
    let oldest = now
        .millis
        .saturating_sub(skew.saturating_add(REQUEST_LIFETIME_SECS * 1000));
    if issue_instant_millis > now.millis.saturating_add(skew) || issue_instant_millis < oldest {
        return Err(SamlError::StaleRequest);
    }
    if relay_state.as_ref().is_some_and(|r| r.len() > MAX_RELAY_STATE) {
        return Err(SamlError::malformed("RelayState trop long"));
    }
    if request
        .attribute("ProtocolBinding")
        .is_some_and(|b| b != BINDING_POST)
    {
        return Err(SamlError::malformed(
            "seule la liaison HTTP-POST est proposée pour la réponse",
        ));
    }
    let acs_index = request
        .attribute("AssertionConsumerServiceIndex")
        .map(|i| i.trim().parse::<u16>())
        .transpose()
        .map_err(|_| SamlError::malformed("AssertionConsumerServiceIndex invalide"))?;
    let acs_url = request.attribute("AssertionConsumerServiceURL");
    if acs_url.is_some() && acs_index.is_some() {
        return Err(SamlError::malformed(
            "AssertionConsumerServiceURL et AssertionConsumerServiceIndex s'excluent",
        ));
    }
    let policy = xml::opt_child(request, NS_PROTOCOL, "NameIDPolicy")?;
    let parsed = AuthnRequest {
        id: id.to_string(),
        issuer: sp.entity_id.clone(),
        acs_url: acs_url.map(str::to_string),
        acs_index,
        force_authn: boolean(request, "ForceAuthn")?,
        is_passive: boolean(request, "IsPassive")?,
        name_id_policy_format: policy.and_then(|p| p.attribute("Format")).map(str::to_string),
        issue_instant_millis,
        relay_state,
    };
    sp.assertion_consumer_url(&parsed)?;
    Ok(parsed)
}

fn boolean(node: Node, name: &'static str) -> Result<bool, SamlError> {
    match node.attribute(name).map(str::trim) {
        None | Some("false" | "0") => Ok(false),
        Some("true" | "1") => Ok(true),
        Some(_) => Err(SamlError::Malformed(format!("{name} n'est pas un booléen"))),
    }
}

/// Splits the raw query string, keeping each binding parameter as received (for the signature).
fn split_query(raw_query: &str) -> Result<RedirectQuery<'_>, SamlError> {
    let raw_query = raw_query.strip_prefix('?').unwrap_or(raw_query);
    let (mut saml_request, mut relay_state, mut sig_alg, mut signature) = (None, None, None, None);
    for pair in raw_query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let slot = match name {
            "SAMLRequest" => &mut saml_request,
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
    Ok(RedirectQuery {
        saml_request: saml_request.ok_or_else(|| SamlError::malformed("paramètre SAMLRequest manquant"))?,
        relay_state,
        sig_alg,
        signature,
    })
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
        .map_err(|_| SamlError::malformed("demande compressée illisible"))?;
    if text.len() as u64 > MAX_XML {
        return Err(SamlError::malformed("demande trop grande"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_decode_and_bad_escapes_are_refused() -> Result<(), SamlError> {
        assert_eq!(url_decode("a%2Bb%2fc+d%C3%A9")?, "a+b/c dé");
        assert!(url_decode("%").is_err());
        assert!(url_decode("%4").is_err());
        assert!(url_decode("%zz").is_err());
        assert!(url_decode("%C3").is_err());
        Ok(())
    }

    #[test]
    fn the_query_keeps_raw_values_and_refuses_duplicates() -> Result<(), SamlError> {
        let q = split_query("?foo=1&SAMLRequest=a%2B&RelayState=&SigAlg=x&Signature=y")?;
        assert_eq!(q.saml_request, "a%2B");
        assert_eq!(q.relay_state, Some(""));
        assert_eq!((q.sig_alg, q.signature), (Some("x"), Some("y")));
        assert!(split_query("SAMLRequest=a&SAMLRequest=b").is_err());
        assert!(split_query("RelayState=a").is_err());
        assert!(split_query("SAMLRequest=a&SAMLEncoding=urn%3Aother").is_err());
        assert!(
            split_query("SAMLRequest=a&SAMLEncoding=urn%3Aoasis%3Anames%3Atc%3ASAML%3A2.0%3Abindings%3AURL-Encoding%3ADEFLATE")
                .is_ok()
        );
        Ok(())
    }

    #[test]
    fn inflating_stops_at_the_size_limit() -> Result<(), SamlError> {
        use std::io::Write as _;
        let mut deflater = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        let bomb = vec![b'a'; 4 * 1024 * 1024];
        deflater
            .write_all(&bomb)
            .map_err(|e| SamlError::Malformed(e.to_string()))?;
        let deflated = deflater
            .finish()
            .map_err(|e| SamlError::Malformed(e.to_string()))?;
        assert!(deflated.len() < 10_000);
        assert_eq!(
            inflate(&deflated),
            Err(SamlError::malformed("demande trop grande"))
        );
        assert!(inflate(b"not deflate at all").is_err());
        Ok(())
    }
}
