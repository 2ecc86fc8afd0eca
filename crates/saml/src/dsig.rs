//! XML-DSig of one enveloped signature, the way SAML uses it — and no other way: verifying the identity
//! providers' (and, as identity provider, the service providers'), and making ours.
//!
//! Accepted: a `ds:Signature` child of the signed element, one `ds:Reference` whose URI is `#` + that
//! element's `ID`, the enveloped-signature transform then Exclusive C14N, SHA-256 digests and RSA-SHA256
//! signatures. Anything else is refused rather than interpreted: each extra option of XML-DSig has been the
//! door of some past attack. The key is always one of the identity provider's metadata certificates; a
//! `ds:KeyInfo` in the message is ignored.
//!
//! Ours are of that one accepted shape, with the `xs` prefix (used inside `xsi:type` values, where exclusive
//! C14N cannot see it) kept by an `InclusiveNamespaces` list, as Shibboleth writes them.

use roxmltree::Node;
use sha2::{Digest, Sha256};

use crate::c14n::{self, Options};
use crate::xml::{self, NS_DSIG};
use crate::{Keys, SamlError};

const ALG_EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ALG_EXC_C14N_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
const ALG_ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const ALG_RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const ALG_SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
/// The prefix our documents bind to XML Schema, for `xsi:type="xs:string"`.
pub(crate) const INCLUSIVE_PREFIX: &str = "xs";

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

/// Signs an element we wrote, whose text is `head` followed by `tail`: the enveloped signature, with our
/// certificate in its `ds:KeyInfo`, goes between the two (right after the element's `Issuer`, as the schema
/// orders it). `id` is the element's `ID`. `head` + `tail` must be one element, standalone (declaring every
/// namespace it uses, `xs` included when its `xsi:type` values name it), with no text between its children
/// where the signature goes: its canonical form is then the same once embedded in a larger document.
pub(crate) fn sign_enveloped(head: &str, tail: &str, id: &str, keys: &Keys) -> Result<String, SamlError> {
    let unsigned = format!("{head}{tail}");
    let doc = xml::parse(&unsigned)?;
    let content = Options {
        inclusive_prefixes: vec![INCLUSIVE_PREFIX.to_string()],
        ..Options::default()
    };
    let digest = Sha256::digest(c14n::canonicalize(doc.root_element(), &content).as_bytes());
    let signed_info = format!(
        concat!(
            r#"<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="{c14n}"/>"#,
            r##"<ds:SignatureMethod Algorithm="{rsa}"/><ds:Reference URI="#{id}"><ds:Transforms>"##,
            r#"<ds:Transform Algorithm="{enveloped}"/><ds:Transform Algorithm="{c14n}">"#,
            r#"<ec:InclusiveNamespaces xmlns:ec="{c14n}" PrefixList="{prefix}"/></ds:Transform>"#,
            r#"</ds:Transforms><ds:DigestMethod Algorithm="{sha256}"/>"#,
            r#"<ds:DigestValue>{digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>"#
        ),
        c14n = ALG_EXC_C14N,
        rsa = ALG_RSA_SHA256,
        id = xml::escape(id),
        enveloped = ALG_ENVELOPED,
        prefix = INCLUSIVE_PREFIX,
        sha256 = ALG_SHA256,
        digest = xml::base64_encode(&digest),
    );
    // SignedInfo is canonicalized where it will stand: inside a ds:Signature declaring ds.
    let open = format!(r#"<ds:Signature xmlns:ds="{NS_DSIG}">"#);
    let alone = format!("{open}{signed_info}</ds:Signature>");
    let alone_doc = xml::parse(&alone)?;
    let signed_info_node = alone_doc
        .root_element()
        .first_element_child()
        .ok_or_else(|| SamlError::malformed("ds:SignedInfo"))?;
    let signature = keys.sign(c14n::canonicalize(signed_info_node, &Options::default()).as_bytes())?;
    Ok(format!(
        concat!(
            "{head}{open}{signed_info}<ds:SignatureValue>{value}</ds:SignatureValue><ds:KeyInfo><ds:X509Data>",
            "<ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>{tail}"
        ),
        head = head,
        open = open,
        signed_info = signed_info,
        value = xml::base64_encode(&signature),
        cert = xml::base64_encode(&keys.cert_der),
        tail = tail,
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = include_str!("../tests/peer/test-only-idp.key");
    const CERT: &str = include_str!("../tests/peer/test-only-idp.crt");
    const OTHER_CERT: &str = include_str!("../tests/peer/test-only-sp.crt");

    fn cert_der(pem: &str) -> Result<Vec<u8>, SamlError> {
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        xml::base64_decode(&body)
    }

    const HEAD: &str = r#"<a:E xmlns:a="urn:a" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="_e1"><a:Issuer>me</a:Issuer>"#;
    const TAIL: &str = r#"<a:V xsi:type="xs:string">1 &lt; 2</a:V></a:E>"#;

    #[test]
    fn our_signature_verifies_and_sits_after_the_issuer() -> Result<(), SamlError> {
        let keys = Keys::from_pem(KEY, CERT)?;
        let signed = sign_enveloped(HEAD, TAIL, "_e1", &keys)?;
        assert!(signed.starts_with(&format!("{HEAD}<ds:Signature")));
        assert!(signed.ends_with(TAIL));
        // Embedded in a larger document, with namespaces declared above it, it still verifies.
        let embedded = format!(r#"<o:Outer xmlns:o="urn:o" xmlns:a="urn:a">{signed}</o:Outer>"#);
        let doc = xml::parse(&embedded)?;
        let element = doc
            .root_element()
            .first_element_child()
            .ok_or_else(|| SamlError::malformed("E"))?;
        assert!(is_signed(element));
        verify(element, &[cert_der(CERT)?])?;
        assert_eq!(
            verify(element, &[cert_der(OTHER_CERT)?]),
            Err(SamlError::BadSignature)
        );
        Ok(())
    }

    #[test]
    fn a_value_changed_after_signing_breaks_our_signature() -> Result<(), SamlError> {
        let keys = Keys::from_pem(KEY, CERT)?;
        let signed = sign_enveloped(HEAD, TAIL, "_e1", &keys)?.replace("1 &lt; 2", "1 &lt; 3");
        let doc = xml::parse(&signed)?;
        assert_eq!(
            verify(doc.root_element(), &[cert_der(CERT)?]),
            Err(SamlError::BadSignature)
        );
        Ok(())
    }
}
