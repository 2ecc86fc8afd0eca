//! XML plumbing shared by the modules: hardened parsing, namespaces, lookups, escaping and xs:dateTime.

use roxmltree::{Document, Node, ParsingOptions};

use crate::SamlError;

pub(crate) const NS_PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
pub(crate) const NS_ASSERTION: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
pub(crate) const NS_METADATA: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
pub(crate) const NS_DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
pub(crate) const NS_XMLENC: &str = "http://www.w3.org/2001/04/xmlenc#";
pub(crate) const NS_XMLENC11: &str = "http://www.w3.org/2009/xmlenc11#";
pub(crate) const BINDING_REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
pub(crate) const BINDING_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
/// The `Format` of an `Issuer` naming an entity (the default when absent).
pub(crate) const NAME_ID_ENTITY: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
pub(crate) const STATUS_SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";

/// Deeper than any honest SAML message; keeps the recursive canonicalizer far from the stack's end.
const MAX_DEPTH: usize = 64;
/// Far more than any honest message of the accepted size has.
const MAX_NODES: u32 = 20_000;

/// Parses outside XML: no DTD at all (so no entity expansion), bounded node count and depth.
pub(crate) fn parse(text: &str) -> Result<Document<'_>, SamlError> {
    if text.contains("<!DOCTYPE") || text.contains("<!ENTITY") {
        return Err(SamlError::malformed("DTD refusée"));
    }
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
    };
    let doc = Document::parse_with_options(text, options)
        .map_err(|e| SamlError::Malformed(format!("XML illisible ({e})")))?;
    let mut depths = vec![0usize; doc.descendants().count() + 1];
    for node in doc.descendants() {
        let depth = node
            .parent()
            .map_or(0, |p| depths.get(p.id().get_usize()).copied().unwrap_or(0) + 1);
        if depth > MAX_DEPTH {
            return Err(SamlError::malformed("imbrication trop profonde"));
        }
        if let Some(slot) = depths.get_mut(node.id().get_usize()) {
            *slot = depth;
        }
    }
    Ok(doc)
}

/// Is `node` the element `{ns}name`?
pub(crate) fn is(node: Node, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(ns) && node.tag_name().name() == name
}

/// The element children named `{ns}name`.
pub(crate) fn children<'a, 'i>(
    node: Node<'a, 'i>,
    ns: &'static str,
    name: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(move |c| is(*c, ns, name))
}

/// The one child `{ns}name`, refusing zero or several.
pub(crate) fn only_child<'a, 'i>(
    node: Node<'a, 'i>,
    ns: &'static str,
    name: &'static str,
) -> Result<Node<'a, 'i>, SamlError> {
    let mut found = children(node, ns, name);
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one),
        (None, _) => Err(SamlError::Malformed(format!("élément {name} manquant"))),
        (Some(_), Some(_)) => Err(SamlError::Malformed(format!("élément {name} en double"))),
    }
}

/// The optional child `{ns}name`, refusing several.
pub(crate) fn opt_child<'a, 'i>(
    node: Node<'a, 'i>,
    ns: &'static str,
    name: &'static str,
) -> Result<Option<Node<'a, 'i>>, SamlError> {
    let mut found = children(node, ns, name);
    match (found.next(), found.next()) {
        (one, None) => Ok(one),
        (_, Some(_)) => Err(SamlError::Malformed(format!("élément {name} en double"))),
    }
}

/// The top-level `Status/StatusCode` of a response (its `Value` says whether it succeeded).
pub(crate) fn status_code<'a, 'i>(response: Node<'a, 'i>) -> Result<Node<'a, 'i>, SamlError> {
    only_child(
        only_child(response, NS_PROTOCOL, "Status")?,
        NS_PROTOCOL,
        "StatusCode",
    )
}

/// All the text inside an element, trimmed.
pub(crate) fn text_of(node: Node) -> String {
    let text: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    text.trim().to_string()
}

/// Base64 as XML carries it: line breaks and spaces allowed anywhere.
pub(crate) fn base64_decode(text: &str) -> Result<Vec<u8>, SamlError> {
    use base64::Engine as _;
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|_| SamlError::malformed("base64 invalide"))
}

pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Escapes text for an attribute value or element content of XML we write.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // As character references they survive attribute-value and line-end normalization.
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
    out
}

/// Parses an xs:dateTime (`2026-03-01T08:15:00Z`, optional fraction and offset) into Unix milliseconds.
pub(crate) fn parse_instant(text: &str) -> Result<i64, SamlError> {
    let bad = || {
        SamlError::Malformed(format!(
            "date invalide « {} »",
            text.chars().take(40).collect::<String>()
        ))
    };
    let t = text.trim();
    let (date, time) = t.split_once('T').ok_or_else(bad)?;
    let mut d = date.splitn(3, '-');
    let year: i64 = d.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let month: i64 = d.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let day: i64 = d.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let (clock, offset_secs) = if let Some(c) = time.strip_suffix('Z') {
        (c, 0)
    } else if time.len() > 6 && matches!(time.as_bytes()[time.len() - 6], b'+' | b'-') {
        let (c, off) = time.split_at(time.len() - 6);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let h: i64 = off.get(1..3).and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        let m: i64 = off.get(4..6).and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        (c, sign * (h * 3600 + m * 60))
    } else {
        (time, 0)
    };
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut parts = hms.splitn(3, ':');
    let hour: i64 = parts.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let minute: i64 = parts.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let second: i64 = parts.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    // Years are bounded so that the arithmetic below cannot overflow on an attacker's date.
    if !(1..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || !(0..=24).contains(&hour)
        || !(0..=59).contains(&minute)
        || !(0..=60).contains(&second)
    {
        return Err(bad());
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let millis: i64 = format!("{:0<3}", fraction.get(..3).unwrap_or(fraction))
        .parse()
        .map_err(|_| bad())?;
    let secs = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    Ok(secs * 1000 + millis)
}

/// Formats Unix milliseconds as the xs:dateTime SAML wants (UTC, `Z`).
pub(crate) fn format_instant(millis: i64) -> String {
    let secs = millis.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

// Howard Hinnant's algorithms for the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_round_trip_and_accept_fractions_and_offsets() -> Result<(), SamlError> {
        assert_eq!(parse_instant("1970-01-01T00:00:00Z")?, 0);
        assert_eq!(parse_instant("2026-03-01T08:15:00.5Z")?, 1_772_352_900_500);
        assert_eq!(parse_instant("2026-03-01T09:15:00+01:00")?, 1_772_352_900_000);
        assert_eq!(format_instant(1_772_352_900_500), "2026-03-01T08:15:00Z");
        assert_eq!(parse_instant(&format_instant(951_782_400_000))?, 951_782_400_000);
        assert!(parse_instant("2026-13-01T00:00:00Z").is_err());
        assert!(parse_instant("demain").is_err());
        assert!(parse_instant("9999999999999999-01-01T00:00:00Z").is_err());
        assert!(parse_instant("2026-01-01T-9223372036854775808:00:00Z").is_err());
        Ok(())
    }

    #[test]
    fn dtds_are_refused() {
        let xml = "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>";
        assert!(matches!(parse(xml), Err(SamlError::Malformed(_))));
    }
}
