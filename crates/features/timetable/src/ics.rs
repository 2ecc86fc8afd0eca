//! iCalendar (RFC 5545), the part timetables need: reading the VEVENTs of a file exported by a
//! timetable program, and writing a person's feed that calendar apps subscribe to.

/// A content line: name, parameters (upper-cased names), value (still escaped), and where it started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub name: String,
    pub params: Vec<(String, String)>,
    pub value: String,
    pub line: usize,
}

impl Property {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The TEXT value with its escapes read (`\n`, `\,`, `\;`, `\\`).
    pub fn text(&self) -> String {
        unescape(&self.value)
    }
}

/// One VEVENT: its properties in order, and the line of its BEGIN.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    pub line: usize,
    pub props: Vec<Property>,
}

impl Event {
    pub fn get(&self, name: &str) -> Option<&Property> {
        self.props.iter().find(|p| p.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ligne {line} : {message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

fn err(line: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}

/// Unfolds the lines (a line starting with a space or a tab continues the previous one), keeping the
/// number of the line each logical line started on.
fn unfold(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = vec![];
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t'])
            && let Some(last) = out.last_mut()
        {
            last.1.push_str(rest);
        } else if !raw.is_empty() {
            out.push((i + 1, raw.to_string()));
        }
    }
    out
}

/// `NAME;P1=V1;P2="V,2":value`, with quoted parameter values that may hold `:` and `;`.
fn content_line(line: usize, s: &str) -> Result<Property, ParseError> {
    let mut in_quotes = false;
    let mut colon = None;
    for (i, c) in s.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ':' if !in_quotes => {
                colon = Some(i);
                break;
            }
            _ => {}
        }
    }
    let colon = colon.ok_or_else(|| err(line, "ligne sans « : » (ce n'est pas un fichier iCalendar)"))?;
    let (head, value) = (&s[..colon], &s[colon + 1..]);
    let mut parts = vec![];
    let mut cur = String::new();
    let mut quoted = false;
    for c in head.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    parts.push(cur);
    let mut parts = parts.into_iter();
    let name = parts.next().unwrap_or_default().trim().to_ascii_uppercase();
    if name.is_empty() {
        return Err(err(line, "nom de propriété vide"));
    }
    let params = parts
        .filter_map(|p| {
            let (n, v) = p.split_once('=')?;
            Some((n.trim().to_ascii_uppercase(), v.to_string()))
        })
        .collect();
    Ok(Property {
        name,
        params,
        value: value.to_string(),
        line,
    })
}

/// The VEVENTs of a calendar file. Other components (VTIMEZONE, VALARM inside events) are skipped.
pub fn parse(text: &str) -> Result<Vec<Event>, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = unfold(text);
    if !lines
        .first()
        .is_some_and(|(_, l)| l.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
    {
        return Err(err(1, "le fichier ne commence pas par BEGIN:VCALENDAR"));
    }
    let mut events = vec![];
    let mut current: Option<Event> = None;
    // Depth of components nested in the current event (VALARM) whose properties are not the event's.
    let mut nested = 0usize;
    let mut ended = false;
    for (n, raw) in lines {
        let p = content_line(n, &raw)?;
        match (p.name.as_str(), p.value.to_ascii_uppercase().as_str()) {
            ("BEGIN", "VEVENT") => {
                if current.is_some() {
                    return Err(err(n, "BEGIN:VEVENT dans un autre VEVENT"));
                }
                current = Some(Event {
                    line: n,
                    props: vec![],
                });
            }
            ("END", "VEVENT") => {
                let e = current
                    .take()
                    .ok_or_else(|| err(n, "END:VEVENT sans BEGIN:VEVENT"))?;
                events.push(e);
            }
            ("BEGIN", _) if current.is_some() => nested += 1,
            ("END", "VCALENDAR") => ended = true,
            ("END", _) if current.is_some() => nested = nested.saturating_sub(1),
            _ => {
                if let Some(e) = current.as_mut()
                    && nested == 0
                {
                    e.props.push(p);
                }
            }
        }
    }
    if let Some(e) = current {
        return Err(err(e.line, "VEVENT non terminé (END:VEVENT manquant)"));
    }
    if !ended {
        return Err(err(1, "END:VCALENDAR manquant : le fichier est incomplet"));
    }
    Ok(events)
}

fn unescape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(c) => out.push(c),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

pub use kernel::ics::{escape, push_line, utc};

/// An instant from a DTSTART/DTEND property: UTC (`…Z`), with a TZID, or floating (school time).
pub fn instant_of(p: &Property) -> Result<jiff::Timestamp, ParseError> {
    let v = p.value.trim();
    let bad = || {
        err(
            p.line,
            format!("date « {v} » illisible (attendu AAAAMMJJTHHMMSS)"),
        )
    };
    let (body, is_utc) = match v.strip_suffix(['Z', 'z']) {
        Some(b) => (b, true),
        None => (v, false),
    };
    let dt = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%S", body).map_err(|_| bad())?;
    let tz = if is_utc {
        jiff::tz::TimeZone::UTC
    } else {
        let name = p
            .param("TZID")
            .unwrap_or(crate::calendar::SCHOOL_TZ)
            .trim_matches('"');
        jiff::tz::TimeZone::get(name)
            .map_err(|_| err(p.line, format!("fuseau horaire « {name} » inconnu")))?
    };
    dt.to_zoned(tz).map(|z| z.timestamp()).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const SAMPLE: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1@edt\r\nDTSTART;TZID=Europe/Paris:20260907T080000\r\nDTEND;TZID=Europe/Paris:20260907T085500\r\nSUMMARY:Math\\, groupe 1\r\nLOCATION;ALTREP=\"http://x:y\":B 12\r\nDESCRIPTION:Première ligne\\nsuite qui con\r\n tinue\r\nBEGIN:VALARM\r\nDESCRIPTION:rappel\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn reads_events_with_folded_lines_escapes_and_quoted_params() {
        let events = parse(SAMPLE).unwrap();
        assert_eq!(events.len(), 1);
        let e = &events[0];
        assert_eq!(e.line, 3);
        assert_eq!(e.get("SUMMARY").unwrap().text(), "Math, groupe 1");
        assert_eq!(e.get("LOCATION").unwrap().text(), "B 12");
        assert_eq!(
            e.get("DESCRIPTION").unwrap().text(),
            "Première ligne\nsuite qui continue"
        );
        let start = instant_of(e.get("DTSTART").unwrap()).unwrap();
        assert_eq!(
            utc(start),
            "20260907T060000Z",
            "08:00 in Paris in September is 06:00 UTC"
        );
    }

    #[test]
    fn says_which_line_is_wrong() {
        let e = parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY sans deux-points\nEND:VEVENT\nEND:VCALENDAR")
            .unwrap_err();
        assert_eq!(e.line, 3);
        assert!(
            parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\n")
                .unwrap_err()
                .message
                .contains("END:VEVENT")
        );
        assert_eq!(parse("hello").unwrap_err().line, 1);
    }

    #[test]
    fn folds_at_75_octets_without_cutting_a_character() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "é".repeat(60));
        push_line(&mut out, &long);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let back = parse(&format!(
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n{out}END:VEVENT\r\nEND:VCALENDAR\r\n"
        ))
        .unwrap();
        assert_eq!(back[0].get("SUMMARY").unwrap().text(), "é".repeat(60));
        assert_eq!(unescape(&escape("a,b;c\\d\ne")), "a,b;c\\d\ne");
    }
}
