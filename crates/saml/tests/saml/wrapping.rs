//! Signature wrapping: a forged assertion placed around, beside or instead of a genuinely signed one.
//! Each attack starts from a response pysaml2 really signed.

use super::*;

/// Byte range of the first element `<prefix:local …>…</prefix:local>` in `xml`, and its prefix.
fn element(xml: &str, local: &str) -> Result<(usize, usize, String), Box<dyn Error>> {
    let open = xml.find(&format!(":{local} ")).ok_or(format!("no {local}"))?;
    let start = xml.get(..open).and_then(|s| s.rfind('<')).ok_or("no <")?;
    let prefix = xml.get(start + 1..open).ok_or("no prefix")?.to_string();
    let close = format!("</{prefix}:{local}>");
    let end = xml.find(&close).ok_or(format!("no </{local}>"))? + close.len();
    Ok((start, end, prefix))
}

struct Signed {
    xml: String,
    /// The genuine signed assertion, its range in `xml`, and the SAML assertion namespace prefix.
    assertion: String,
    range: (usize, usize),
    prefix: String,
    id: String,
}

fn signed_response(setup: &Setup, request_id: &str, option: &str) -> Result<Signed, Box<dyn Error>> {
    let xml = decode(&setup.response(request_id, &[option])?)?;
    let (start, end, prefix) = element(&xml, "Assertion")?;
    let assertion = xml.get(start..end).ok_or("range")?.to_string();
    let id_at = assertion.find(" ID=\"").ok_or("no ID")? + 5;
    let id_len = assertion
        .get(id_at..)
        .and_then(|s| s.find('"'))
        .ok_or("no ID end")?;
    let id = assertion.get(id_at..id_at + id_len).ok_or("ID")?.to_string();
    Ok(Signed {
        xml,
        assertion,
        range: (start, end),
        prefix,
        id,
    })
}

impl Signed {
    /// The genuine assertion with another subject (and, if given, another ID).
    fn forged(&self, new_id: Option<&str>) -> String {
        let forged = self
            .assertion
            .replace("F1234abcd-persistent", "victim-persistent");
        match new_id {
            Some(id) => forged.replace(&format!("ID=\"{}\"", self.id), &format!("ID=\"{id}\"")),
            None => forged,
        }
    }

    /// `forged` with the genuine assertion hidden in its `saml:Advice`.
    fn wrapping(&self, forged: &str) -> String {
        let close = format!("</{}:Assertion>", self.prefix);
        let inner = forged.strip_suffix(&close).unwrap_or(forged);
        format!(
            "{inner}<{p}:Advice>{}</{p}:Advice>{close}",
            self.assertion,
            p = self.prefix
        )
    }

    /// The response with `replacement` where the genuine assertion was.
    fn with_assertion(&self, replacement: &str) -> String {
        let (start, end) = self.range;
        format!("{}{replacement}{}", &self.xml[..start], &self.xml[end..])
    }
}

#[test]
fn a_forged_assertion_carrying_the_genuine_signature_and_assertion_is_refused() -> TestResult {
    let setup = Setup::new()?;
    let signed = signed_response(&setup, "_w1", "--sign-assertion")?;
    let attack = signed.with_assertion(&signed.wrapping(&signed.forged(Some("id-forged"))));
    refused(setup.validate(&encode(&attack), "_w1"), &SamlError::BadSignature)
}

#[test]
fn a_forged_assertion_reusing_the_genuine_id_is_refused() -> TestResult {
    let setup = Setup::new()?;
    let signed = signed_response(&setup, "_w2", "--sign-assertion")?;
    let attack = signed.with_assertion(&signed.wrapping(&signed.forged(None)));
    refused(setup.validate(&encode(&attack), "_w2"), &SamlError::BadSignature)
}

#[test]
fn a_forged_unsigned_assertion_with_the_genuine_one_moved_to_extensions_is_refused() -> TestResult {
    let setup = Setup::new()?;
    let signed = signed_response(&setup, "_w3", "--sign-assertion")?;
    let forged = signed.forged(Some("id-forged"));
    let (sig_start, sig_end, _) = element(&forged, "Signature")?;
    let unsigned = format!("{}{}", &forged[..sig_start], &forged[sig_end..]);
    let attack = signed.with_assertion(&unsigned);
    // The genuine assertion goes into samlp:Extensions, after the response's Issuer.
    let (_, issuer_end, _) = element(&attack, "Issuer")?;
    let protocol = attack
        .find(":Response ")
        .and_then(|at| attack.get(..at)?.rfind('<').map(|s| (s, at)));
    let (open, at) = protocol.ok_or("no Response")?;
    let p = &attack[open + 1..at];
    let attack = format!(
        "{}<{p}:Extensions>{}</{p}:Extensions>{}",
        &attack[..issuer_end],
        signed.assertion,
        &attack[issuer_end..]
    );
    refused(setup.validate(&encode(&attack), "_w3"), &SamlError::Unsigned)
}

#[test]
fn a_forged_assertion_beside_the_genuine_one_is_refused() -> TestResult {
    let setup = Setup::new()?;
    // Inside a signed response, the response's signature breaks.
    let signed = signed_response(&setup, "_w4", "--sign-response")?;
    let both = format!("{}{}", signed.forged(Some("id-forged")), signed.assertion);
    refused(
        setup.validate(&encode(&signed.with_assertion(&both)), "_w4"),
        &SamlError::BadSignature,
    )?;
    // In an unsigned response, two assertions are one too many.
    let signed = signed_response(&setup, "_w5", "--sign-assertion")?;
    let both = format!("{}{}", signed.forged(Some("id-forged")), signed.assertion);
    let result = setup.validate(&encode(&signed.with_assertion(&both)), "_w5");
    assert!(matches!(result, Err(SamlError::Malformed(_))), "{result:?}");
    Ok(())
}
