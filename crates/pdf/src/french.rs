//! French typography: the narrow no-break space before ; : ! ? and inside « », the decimal comma, and
//! dates written out (« lundi 14 décembre 2026 »).

use jiff::civil::{Date, Weekday};

/// U+202F, the narrow no-break space of French typography.
pub const NNBSP: char = '\u{202F}';

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{A0}' || c == NNBSP || c == '\t'
}

/// Puts the narrow no-break space where French typography wants it, whatever the writer typed: before
/// `;` `!` `?` and a `:` that ends a clause (not the one in 10:30 or https://), after `«` and before
/// `»`. Spaces typed before `,` and `.` go, so that no line can start with either.
pub fn typography(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_space(c) {
            // A run of spaces: look at what follows it to decide what the run becomes.
            let mut j = i;
            while j < chars.len() && is_space(chars[j]) {
                j += 1;
            }
            let next = chars.get(j).copied();
            let previous = out.chars().last();
            match next {
                Some(n) if wants_space_before(n, chars.get(j + 1).copied()) => {
                    if previous.is_some() {
                        out.push(NNBSP);
                    }
                }
                Some(',' | '.') if previous.is_some_and(|p| p.is_alphanumeric()) => {}
                _ if previous == Some('«') => out.push(NNBSP),
                _ => out.push(chars[i..j].iter().copied().find(|&s| s != ' ').unwrap_or(' ')),
            }
            i = j;
            continue;
        }
        let previous = out.chars().last();
        if wants_space_before(c, chars.get(i + 1).copied())
            && previous.is_some_and(|p| p.is_alphanumeric() || p == '»' || p == ')' || p == '"')
        {
            out.push(NNBSP);
        }
        out.push(c);
        if c == '«' && chars.get(i + 1).is_some_and(|&n| !is_space(n)) {
            out.push(NNBSP);
        }
        i += 1;
    }
    out
}

/// Whether `c`, followed by `next`, takes a narrow no-break space before it.
fn wants_space_before(c: char, next: Option<char>) -> bool {
    match c {
        ';' | '!' | '?' | '»' => true,
        ':' => next.is_none_or(|n| n.is_whitespace() || n == '»'),
        _ => false,
    }
}

/// A number with `digits` decimals, a decimal comma and narrow spaces between thousands:
/// `decimal(1234.5, 2)` is « 1 234,50 ». A value that is not a number prints as « — ».
pub fn decimal(value: f64, digits: usize) -> String {
    if !value.is_finite() {
        return "—".to_string();
    }
    // Half away from zero, as a teacher rounds (12,125 → 12,13), not the formatter's half to even.
    let scale = 10f64.powi(i32::try_from(digits.min(12)).unwrap_or(12));
    let rounded = (value.abs() * scale).round() / scale;
    let magnitude = if rounded.is_finite() { rounded } else { value.abs() };
    let formatted = format!("{:.*}", digits, magnitude);
    let (int, frac) = formatted.split_once('.').unwrap_or((&formatted, ""));
    let mut out = String::new();
    // -0,00 reads oddly: the sign only when something non-zero is left after rounding.
    if value < 0.0 && formatted.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    let len = int.len();
    for (k, d) in int.chars().enumerate() {
        if k > 0 && (len - k) % 3 == 0 {
            out.push(NNBSP);
        }
        out.push(d);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

fn weekday_index(w: Weekday) -> usize {
    usize::from(w.to_monday_zero_offset().unsigned_abs())
}

/// « lundi 14 décembre 2026 » (« 1er » for the first of the month, as French writes it).
pub fn long_date(date: Date) -> String {
    format!(
        "{} {}",
        WEEKDAYS[weekday_index(date.weekday())],
        day_month_year(date)
    )
}

/// « 14 décembre 2026 », « 1er mars 2027 ».
pub fn day_month_year(date: Date) -> String {
    let day = if date.day() == 1 {
        "1er".to_string()
    } else {
        date.day().to_string()
    };
    let month = MONTHS[usize::from(date.month().unsigned_abs()).saturating_sub(1) % 12];
    format!("{day} {month} {}", date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_before_high_punctuation() {
        assert_eq!(typography("Bravo !"), "Bravo\u{202F}!");
        assert_eq!(typography("Bravo!"), "Bravo\u{202F}!");
        assert_eq!(typography("Pourquoi ?!"), "Pourquoi\u{202F}?!");
        assert_eq!(typography("Note : 12"), "Note\u{202F}: 12");
        assert_eq!(typography("Note: 12"), "Note\u{202F}: 12");
        assert_eq!(
            typography("à 10:30, voir https://x.fr"),
            "à 10:30, voir https://x.fr"
        );
        assert_eq!(typography("oui ; non"), "oui\u{202F}; non");
    }

    #[test]
    fn guillemets_take_narrow_spaces_inside() {
        assert_eq!(typography("« bien »"), "«\u{202F}bien\u{202F}»");
        assert_eq!(typography("«bien»"), "«\u{202F}bien\u{202F}»");
        assert_eq!(typography("«  bien  »."), "«\u{202F}bien\u{202F}».");
    }

    #[test]
    fn no_space_before_comma_or_full_stop() {
        assert_eq!(typography("Bien , très bien ."), "Bien, très bien.");
        assert_eq!(typography("Élève sérieux."), "Élève sérieux.");
    }

    #[test]
    fn decimal_comma_and_thousands() {
        assert_eq!(decimal(12.5, 2), "12,50");
        assert_eq!(decimal(9.0, 1), "9,0");
        assert_eq!(decimal(1234.567, 2), "1\u{202F}234,57");
        assert_eq!(decimal(-0.001, 2), "0,00");
        assert_eq!(decimal(-3.25, 1), "-3,3");
        assert_eq!(decimal(12.125, 2), "12,13");
        assert_eq!(decimal(20.0, 0), "20");
        assert_eq!(decimal(f64::NAN, 2), "—");
    }

    #[test]
    fn dates_written_out() {
        let d = jiff::civil::date(2026, 12, 14);
        assert_eq!(long_date(d), "lundi 14 décembre 2026");
        assert_eq!(long_date(jiff::civil::date(2027, 3, 1)), "lundi 1er mars 2027");
        assert_eq!(day_month_year(jiff::civil::date(2027, 8, 15)), "15 août 2027");
        assert_eq!(
            long_date(jiff::civil::date(2027, 1, 3)),
            "dimanche 3 janvier 2027"
        );
    }
}
