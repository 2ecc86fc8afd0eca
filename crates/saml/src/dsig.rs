//! XML-DSig verification of one enveloped signature, the way SAML uses it — and no other way.
//!
//! Accepted: a `ds:Signature` child of the signed element, one `ds:Reference` whose URI is `#` + that
//! element's `ID`, the enveloped-signature transform then Exclusive C14N, SHA-256 digests and RSA-SHA256
//! signatures. Anything else is refused rather than interpreted: each extra option of XML-DSig has been the
//! door of some past attack. The key is always one of the identity provider's metadata certificates; a
//! `ds:KeyInfo` in the message is ignored.

use roxmltree::Node;
use sha2::{Digest, Sha256};

use crate::SamlError;
use crate::c14n::{self, Options};
use crate::xml::{self, NS_DSIG};

const ALG_EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ALG_EXC_C14N_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
const ALG_ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const ALG_RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const ALG_SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";

/// Does `element` carry a signature of its own (a `ds:Signature` child)?
pub(crate) fn is_signed(element: Node) -> bool {
    xml::children(element, NS_DSIG, "Signature").next().is_some()
}

/// Verifies the enveloped signature of `element` against the identity provider's certificates.
///
/// On success the signature covers exactly `element` — the node the caller holds — so the caller can read
/// from it: a look-up by ID that could land on another copy is never made.
pub(crate) fn verify(element: Node, certs: &[Vec<u8>]) -> Result<(), SamlError> {
    let signature = xml::only_child(element, NS_DSIG, "Signature").map_err(|_| SamlError::BadSignature)?;
    let signed_info = signature
        .first_element_child()
        .filter(|n| xml::is(*n, NS_DSIG, "SignedInfo"));
    let signed_info = signed_info.ok_or_else(|| SamlError::malformed("ds:SignedInfo manquant"))?;

    let method = xml::only_child(signed_info, NS_DSIG, "CanonicalizationMethod")?;
    let signed_info_c14n = c14n_options(method)?.ok_or_else(|| unsupported(method))?;
    let signature_method = xml::only_child(signed_info, NS_DSIG, "SignatureMethod")?;
    if algorithm(signature_method) != ALG_RSA_SHA256 {
        return Err(unsupported(signature_method));
    }
    let reference = xml::only_child(signed_info, NS_DSIG, "Reference")?;
    check_reference_targets(element, reference)?;
    let mut content_c14n = reference_transforms(reference)?;
    content_c14n.exclude = Some(signature.id());
    let digest_method = xml::only_child(reference, NS_DSIG, "DigestMethod")?;
    if algorithm(digest_method) != ALG_SHA256 {
        return Err(unsupported(digest_method));
    }
    let digest_value = xml::base64_decode(&xml::text_of(xml::only_child(reference, NS_DSIG, "DigestValue")?))
        .map_err(|_| SamlError::BadSignature)?;
    let signature_value = xml::base64_decode(&xml::text_of(xml::only_child(
        signature,
        NS_DSIG,
        "SignatureValue",
    )?))
    .map_err(|_| SamlError::BadSignature)?;

    let canonical_signed_info = c14n::canonicalize(signed_info, &signed_info_c14n);
    if !crate::keys::verify_with_any(certs, canonical_signed_info.as_bytes(), &signature_value) {
        return Err(SamlError::BadSignature);
    }
    let canonical_content = c14n::canonicalize(element, &content_c14n);
    if Sha256::digest(canonical_content.as_bytes())[..] != digest_value[..] {
        return Err(SamlError::BadSignature);
    }
    Ok(())
}

/// The reference must name `element` itself, and nothing else in the document may bear its ID: otherwise
/// a verifier and a reader could each find "their" element (signature wrapping).
fn check_reference_targets(element: Node, reference: Node) -> Result<(), SamlError> {
    let id = element
        .attribute("ID")
        .filter(|id| !id.is_empty())
        .ok_or(SamlError::BadSignature)?;
    let uri = reference.attribute("URI").ok_or(SamlError::BadSignature)?;
    if uri.strip_prefix('#') != Some(id) {
        return Err(SamlError::BadSignature);
    }
    let bearers = element
        .document()
        .descendants()
        .filter(|n| n.is_element())
        .flat_map(|n| n.attributes())
        .filter(|a| matches!(a.name(), "ID" | "Id" | "id" | "AssertionID") && a.value() == id)
        .count();
    if bearers != 1 {
        return Err(SamlError::BadSignature);
    }
    Ok(())
}

/// The reference's transforms: enveloped-signature then Exclusive C14N, as every SAML signer writes them.
fn reference_transforms(reference: Node) -> Result<Options, SamlError> {
    let transforms = xml::only_child(reference, NS_DSIG, "Transforms")?;
    let list: Vec<Node> = xml::children(transforms, NS_DSIG, "Transform").collect();
    match list.as_slice() {
        [enveloped, c14n] if algorithm(*enveloped) == ALG_ENVELOPED => {
            c14n_options(*c14n)?.ok_or_else(|| unsupported(*c14n))
        }
        [one, ..] if algorithm(*one) != ALG_ENVELOPED => Err(unsupported(*one)),
        _ => Err(SamlError::UnsupportedAlgorithm(
            "transformations autres que enveloped-signature puis exc-c14n".into(),
        )),
    }
}

/// Exclusive C14N options from a `ds:Transform` or `ds:CanonicalizationMethod`, None if another algorithm.
fn c14n_options(method: Node) -> Result<Option<Options>, SamlError> {
    let with_comments = match algorithm(method) {
        ALG_EXC_C14N => false,
        ALG_EXC_C14N_COMMENTS => true,
        _ => return Ok(None),
    };
    let mut options = Options {
        with_comments,
        ..Options::default()
    };
    let list = method
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == "InclusiveNamespaces")
        .filter(|c| c.tag_name().namespace() == Some(ALG_EXC_C14N));
    if let Some(list) = list {
        options.inclusive_prefixes = list
            .attribute("PrefixList")
            .unwrap_or("")
            .split_ascii_whitespace()
            .map(|p| {
                if p == "#default" {
                    String::new()
                } else {
                    p.to_string()
                }
            })
            .collect();
    }
    Ok(Some(options))
}

fn algorithm<'a>(node: Node<'a, '_>) -> &'a str {
    node.attribute("Algorithm").unwrap_or("")
}

fn unsupported(node: Node) -> SamlError {
    let name = algorithm(node);
    let short = name.rsplit_once('#').map_or(name, |(_, s)| s);
    SamlError::UnsupportedAlgorithm(short.chars().take(60).collect())
}
