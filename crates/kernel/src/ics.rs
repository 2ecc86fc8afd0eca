//! Writing iCalendar (RFC 5545) content lines, for every feed calendar apps subscribe to (the
//! timetable's, the agenda's): TEXT escapes, folding at 75 octets, UTC and all-day dates.

use std::fmt::Write;

/// A TEXT value escaped for a content line.
pub fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets (never inside a UTF-8 character), ended by CRLF.
pub fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// `20260907T060000Z`: an instant in UTC.
pub fn utc(ts: jiff::Timestamp) -> String {
    let mut s = String::new();
    let dt = ts.to_zoned(jiff::tz::TimeZone::UTC).datetime();
    let _ = write!(
        s,
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    s
}

/// `20260907`: a DATE value (all-day events).
pub fn date(d: jiff::civil::Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_without_cutting_a_character() {
        let mut out = String::new();
        push_line(&mut out, &format!("SUMMARY:{}", "é".repeat(60)));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        assert_eq!(escape("a,b;c\\d\ne\r"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(date(jiff::civil::date(2026, 9, 7)), "20260907");
    }
}
