//! Validation of the `samlp:Response` an identity provider POSTs to our assertion consumer service.
//!
//! Order matters: the envelope is checked first (issuer, destination, status, signature), then the one
//! assertion is found, decrypted if need be, its signature checked, and only then read — from the very node
//! whose signature was verified.

use roxmltree::Node;

use crate::xml::{self, NS_ASSERTION, NS_PROTOCOL};
use crate::{Assertion, Attribute, Expect, IdpMetadata, SamlError, Sp, dsig, xmlenc};

/// A POSTed SAMLResponse longer than this (base64) is refused before decoding.
pub(crate) const MAX_RESPONSE_B64: usize = 256 * 1024;
const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

pub(crate) fn validate(
    sp: &Sp,
    idp: &IdpMetadata,
    saml_response_b64: &str,
    expect: &Expect,
) -> Result<Assertion, SamlError> {
    if saml_response_b64.len() > MAX_RESPONSE_B64 {
        return Err(SamlError::malformed("réponse trop grande"));
    }
    let bytes = xml::base64_decode(saml_response_b64)?;
    let text = String::from_utf8(bytes).map_err(|_| SamlError::malformed("réponse non UTF-8"))?;
    let doc = xml::parse(&text)?;
    let response = doc.root_element();
    if !xml::is(response, NS_PROTOCOL, "Response") {
        return Err(SamlError::malformed("samlp:Response attendu"));
    }
    if response.attribute("Version") != Some("2.0") {
        return Err(SamlError::malformed("version SAML 2.0 attendue"));
    }
    if let Some(issuer) = xml::opt_child(response, NS_ASSERTION, "Issuer")? {
        check_issuer(issuer, idp)?;
    }
    if response.attribute("Destination").is_some_and(|d| d != sp.acs_url) {
        return Err(SamlError::WrongDestination);
    }
    check_status(response)?;
    check_in_response_to(response.attribute("InResponseTo"), expect)?;
    let response_signed = dsig::is_signed(response);
    if response_signed {
        dsig::verify(response, &idp.signing_certs)?;
    }

    let mut found = response.children().filter(|c| {
        xml::is(*c, NS_ASSERTION, "Assertion") || xml::is(*c, NS_ASSERTION, "EncryptedAssertion")
    });
    let one = match (found.next(), found.next()) {
        (Some(one), None) => one,
        (None, _) => return Err(SamlError::malformed("aucune assertion")),
        (Some(_), Some(_)) => return Err(SamlError::malformed("plusieurs assertions")),
    };
    if one.tag_name().name() == "Assertion" {
        return trusted_assertion(one, response_signed, sp, idp, expect);
    }
    let plaintext = xmlenc::decrypt(one, &sp.keys.key)?;
    let wrapped = wrap_in_scope(one, &plaintext);
    // Parse errors in the plaintext would make a padding oracle: they get the same answer as a bad padding.
    let decrypted = xml::parse(&wrapped).map_err(|_| xmlenc::failure())?;
    let mut inside = decrypted.root_element().children().filter(|c| c.is_element());
    let assertion = match (inside.next(), inside.next()) {
        (Some(a), None) if xml::is(a, NS_ASSERTION, "Assertion") => a,
        _ => return Err(xmlenc::failure()),
    };
    trusted_assertion(assertion, response_signed, sp, idp, expect)
}

/// Decrypted content is parsed in the context of the encrypted element (XML Encryption §4.5): wrap it in an
/// element declaring the namespaces in scope there.
fn wrap_in_scope(encrypted: Node, plaintext: &str) -> String {
    let mut wrapper = String::from("<decrypted");
    for ns in encrypted.namespaces() {
        match ns.name() {
            Some("xml") => continue,
            Some(prefix) => wrapper.push_str(&format!(" xmlns:{prefix}=\"{}\"", xml::escape(ns.uri()))),
            None => wrapper.push_str(&format!(" xmlns=\"{}\"", xml::escape(ns.uri()))),
        }
    }
    format!("{wrapper}>{plaintext}</decrypted>")
}

/// Checks the assertion's signature (or relies on the verified response's), then its content.
fn trusted_assertion(
    assertion: Node,
    response_signed: bool,
    sp: &Sp,
    idp: &IdpMetadata,
    expect: &Expect,
) -> Result<Assertion, SamlError> {
    if dsig::is_signed(assertion) {
        dsig::verify(assertion, &idp.signing_certs)?;
    } else if !response_signed {
        return Err(SamlError::Unsigned);
    }
    read_assertion(assertion, sp, idp, expect)
}

fn check_issuer(issuer: Node, idp: &IdpMetadata) -> Result<(), SamlError> {
    if issuer
        .attribute("Format")
        .is_some_and(|f| f != xml::NAME_ID_ENTITY)
        || xml::text_of(issuer) != idp.entity_id
    {
        return Err(SamlError::WrongIssuer);
    }
    Ok(())
}

fn check_status(response: Node) -> Result<(), SamlError> {
    let code = xml::status_code(response)?;
    let value = code.attribute("Value").unwrap_or("");
    if value == xml::STATUS_SUCCESS {
        return Ok(());
    }
    let mut described = short_code(value);
    if let Some(sub) = xml::opt_child(code, NS_PROTOCOL, "StatusCode")?.and_then(|s| s.attribute("Value")) {
        described.push_str(" / ");
        described.push_str(&short_code(sub));
    }
    Err(SamlError::Status(described))
}

fn short_code(uri: &str) -> String {
    uri.rsplit(':').next().unwrap_or(uri).chars().take(60).collect()
}

/// `Some(id)`: the message must answer request `id`. `None`: an unsolicited response, which must not claim
/// to answer any request.
fn check_in_response_to(found: Option<&str>, expect: &Expect) -> Result<(), SamlError> {
    match (found, expect.in_response_to) {
        (None, _) => Ok(()),
        (Some(f), Some(e)) if f == e => Ok(()),
        _ => Err(SamlError::InResponseToMismatch),
    }
}

/// Reads a verified assertion, checking issuer, time window, audience and bearer confirmation.
fn read_assertion(a: Node, sp: &Sp, idp: &IdpMetadata, expect: &Expect) -> Result<Assertion, SamlError> {
    let id = a
        .attribute("ID")
        .filter(|i| !i.is_empty())
        .ok_or_else(|| SamlError::malformed("ID manquant"))?;
    if a.attribute("Version") != Some("2.0") {
        return Err(SamlError::malformed("version SAML 2.0 attendue"));
    }
    check_issuer(xml::only_child(a, NS_ASSERTION, "Issuer")?, idp)?;
    let window = Window::new(expect);
    let issued = xml::parse_instant(a.attribute("IssueInstant").unwrap_or(""))?;
    window.not_before(Some(issued))?;

    let conditions = xml::only_child(a, NS_ASSERTION, "Conditions")?;
    window.not_before(
        conditions
            .attribute("NotBefore")
            .map(xml::parse_instant)
            .transpose()?,
    )?;
    let conditions_end = conditions
        .attribute("NotOnOrAfter")
        .map(xml::parse_instant)
        .transpose()?;
    window.not_on_or_after(conditions_end)?;
    check_conditions(conditions, sp)?;

    let subject = xml::only_child(a, NS_ASSERTION, "Subject")?;
    let name_id = xml::text_of(xml::only_child(subject, NS_ASSERTION, "NameID")?);
    if name_id.is_empty() {
        return Err(SamlError::malformed("NameID vide"));
    }
    let (in_response_to, confirmation_end) = bearer_confirmation(subject, sp, expect, &window)?;

    let mut authn = xml::children(a, NS_ASSERTION, "AuthnStatement");
    let authn = authn
        .next()
        .ok_or_else(|| SamlError::malformed("AuthnStatement manquant"))?;
    let session_end = authn
        .attribute("SessionNotOnOrAfter")
        .map(xml::parse_instant)
        .transpose()?;
    window.not_on_or_after(session_end)?;

    let not_on_or_after_millis = [conditions_end, Some(confirmation_end)]
        .into_iter()
        .flatten()
        .min();
    Ok(Assertion {
        id: id.to_string(),
        issuer: idp.entity_id.clone(),
        in_response_to,
        name_id,
        session_index: authn.attribute("SessionIndex").map(str::to_string),
        not_on_or_after_millis: not_on_or_after_millis.unwrap_or(confirmation_end),
        attributes: attributes(a),
    })
}

/// `now` and the tolerated clock skew.
struct Window {
    now: i64,
    skew: i64,
}

impl Window {
    fn new(expect: &Expect) -> Self {
        Window {
            now: expect.now_millis,
            skew: expect.clock_skew_secs.max(0).saturating_mul(1000),
        }
    }

    fn not_before(&self, start: Option<i64>) -> Result<(), SamlError> {
        match start {
            Some(s) if self.now.saturating_add(self.skew) < s => Err(SamlError::NotYetValid),
            _ => Ok(()),
        }
    }

    fn not_on_or_after(&self, end: Option<i64>) -> Result<(), SamlError> {
        match end {
            Some(e) if self.now.saturating_sub(self.skew) >= e => Err(SamlError::Expired),
            _ => Ok(()),
        }
    }
}

/// Every `AudienceRestriction` must name us (they are ANDed); at least one must be present.
fn check_conditions(conditions: Node, sp: &Sp) -> Result<(), SamlError> {
    let mut restrictions = 0;
    for condition in conditions.children().filter(|c| c.is_element()) {
        if xml::is(condition, NS_ASSERTION, "AudienceRestriction") {
            restrictions += 1;
            let mut audiences = xml::children(condition, NS_ASSERTION, "Audience");
            if !audiences.any(|au| xml::text_of(au) == sp.entity_id) {
                return Err(SamlError::WrongAudience);
            }
        } else if !xml::is(condition, NS_ASSERTION, "OneTimeUse")
            && !xml::is(condition, NS_ASSERTION, "ProxyRestriction")
        {
            // An unknown condition cannot be evaluated: the assertion is then not valid (Core §2.5.1).
            return Err(SamlError::malformed("condition inconnue"));
        }
    }
    if restrictions == 0 {
        return Err(SamlError::WrongAudience);
    }
    Ok(())
}

/// A bearer `SubjectConfirmation` for us, in time, answering the expected request. Returns its
/// InResponseTo and NotOnOrAfter. If none fits, the first one's reason is the refusal.
fn bearer_confirmation(
    subject: Node,
    sp: &Sp,
    expect: &Expect,
    window: &Window,
) -> Result<(Option<String>, i64), SamlError> {
    let mut first_error = None;
    for confirmation in xml::children(subject, NS_ASSERTION, "SubjectConfirmation") {
        if confirmation.attribute("Method") != Some(BEARER) {
            continue;
        }
        match check_bearer(confirmation, sp, expect, window) {
            Ok(found) => return Ok(found),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| SamlError::malformed("aucune confirmation bearer")))
}

fn check_bearer(
    confirmation: Node,
    sp: &Sp,
    expect: &Expect,
    window: &Window,
) -> Result<(Option<String>, i64), SamlError> {
    let data = xml::only_child(confirmation, NS_ASSERTION, "SubjectConfirmationData")?;
    if data.attribute("Recipient") != Some(sp.acs_url.as_str()) {
        return Err(SamlError::WrongRecipient);
    }
    // Web SSO profile §4.1.4.2: NotOnOrAfter required, NotBefore forbidden on a bearer confirmation.
    if data.has_attribute("NotBefore") {
        return Err(SamlError::malformed(
            "NotBefore interdit sur une confirmation bearer",
        ));
    }
    let end = xml::parse_instant(data.attribute("NotOnOrAfter").unwrap_or(""))?;
    window.not_on_or_after(Some(end))?;
    let in_response_to = data.attribute("InResponseTo");
    check_in_response_to(in_response_to, expect)?;
    // Inside the signed assertion, the answered request must be named: the response's own InResponseTo
    // may be outside any signature.
    if expect.in_response_to.is_some() && in_response_to.is_none() {
        return Err(SamlError::InResponseToMismatch);
    }
    Ok((in_response_to.map(str::to_string), end))
}

fn attributes(a: Node) -> Vec<Attribute> {
    xml::children(a, NS_ASSERTION, "AttributeStatement")
        .flat_map(|s| xml::children(s, NS_ASSERTION, "Attribute"))
        .filter_map(|attr| {
            Some(Attribute {
                name: attr.attribute("Name")?.to_string(),
                friendly_name: attr.attribute("FriendlyName").map(str::to_string),
                values: xml::children(attr, NS_ASSERTION, "AttributeValue")
                    .map(xml::text_of)
                    .collect(),
            })
        })
        .collect()
}
