//! Decoders for AAF values: single and multiple values, `$`-separated fields, dates, flags, UAI, INE.

use std::fmt;

use kernel::{InvalidUai, Uai};

use super::error::{Problem, RecordError};
use super::operation::{Attribute, Attributes};

/// A calendar date read from `jj/mm/aaaa`; it cannot hold an impossible day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        // Dates before 1900 in a school directory are typing errors, not people.
        let valid = (1900..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1;
        (valid && day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// Parses the AAF form `jj/mm/aaaa`, with exactly two, two and four digits.
    pub fn parse_fr(s: &str) -> Option<Date> {
        let mut parts = s.split('/');
        let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if parts.next().is_some() || !digits(day, 2) || !digits(month, 2) || !digits(year, 4) {
            return None;
        }
        Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// `aaaa-mm-jj`, the form databases store.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        _ => 31,
    }
}

/// The attribute, which must be there with a non-empty value.
pub(crate) fn required<'a>(attrs: &'a Attributes, name: &str) -> Result<&'a Attribute, RecordError> {
    attrs
        .get(name)
        .filter(|a| a.values.iter().any(|v| !v.trim().is_empty()))
        .ok_or_else(|| RecordError::missing(name))
}

/// The non-empty values, trimmed; `<value/>` means "none".
pub(crate) fn list(attr: &Attribute) -> Vec<String> {
    attr.values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// The value of a single-valued attribute, `None` when empty.
pub(crate) fn single(attr: &Attribute) -> Result<Option<String>, RecordError> {
    let mut values = list(attr);
    if values.len() > 1 {
        let joined = values.join(" | ");
        return Err(RecordError::new(
            &attr.name,
            Some(&joined),
            Problem::SeveralValues(values.len()),
        ));
    }
    Ok(values.pop())
}

/// The value of a single-valued attribute that must not be empty.
pub(crate) fn text(attr: &Attribute) -> Result<String, RecordError> {
    single(attr)?.ok_or_else(|| RecordError::missing(&attr.name))
}

pub(crate) fn date(attr: &Attribute) -> Result<Option<Date>, RecordError> {
    let Some(value) = single(attr)? else {
        return Ok(None);
    };
    match Date::parse_fr(&value) {
        Some(date) => Ok(Some(date)),
        None => Err(RecordError::new(&attr.name, Some(&value), Problem::Date)),
    }
}

pub(crate) fn uai(attr: &Attribute) -> Result<Uai, RecordError> {
    let value = text(attr)?;
    value.parse().map_err(|e| {
        let problem = match e {
            InvalidUai::Shape(_) => Problem::UaiShape,
            InvalidUai::CheckLetter(_, expected) => Problem::UaiCheckLetter(expected),
        };
        RecordError::new(&attr.name, Some(&value), problem)
    })
}

/// The national student id: 11 letters and digits (10 digits and a key letter, or 9 and 2).
pub(crate) fn ine(attr: &Attribute) -> Result<Option<String>, RecordError> {
    let Some(value) = single(attr)? else {
        return Ok(None);
    };
    if value.len() != 11 || !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(RecordError::new(&attr.name, Some(&value), Problem::Ine));
    }
    Ok(Some(value.to_ascii_uppercase()))
}

/// AAF yes/no: `O` (oui), `Y` or `1` for yes, `N` or `0` for no.
pub(crate) fn flag(attr: &Attribute) -> Result<Option<bool>, RecordError> {
    let Some(value) = single(attr)? else {
        return Ok(None);
    };
    match value.to_ascii_uppercase().as_str() {
        "O" | "Y" | "1" | "OUI" => Ok(Some(true)),
        "N" | "0" | "NON" => Ok(Some(false)),
        _ => Err(RecordError::new(&attr.name, Some(&value), Problem::Flag)),
    }
}

/// A display name from an AAF name: `$` joins parts (`COLLEGE$JEAN MOULIN` → `COLLEGE - JEAN MOULIN`).
pub fn display_name(value: &str) -> String {
    value
        .split('$')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" - ")
}

/// Splits a `$`-separated value into `N` trimmed fields, of which the first `required` must be there
/// and non-empty. Missing trailing fields are empty; surplus `$` stay in the last field, which in
/// AAF formats is a free label.
pub fn split_fields<const N: usize>(value: &str, required: usize) -> Result<[String; N], Problem> {
    let parts: Vec<&str> = value.splitn(N, '$').map(str::trim).collect();
    if parts.len() < required {
        return Err(Problem::Fields {
            expected: N,
            found: parts.len(),
        });
    }
    if let Some(empty) = parts.iter().take(required).position(|p| p.is_empty()) {
        return Err(Problem::EmptyField(empty + 1));
    }
    Ok(std::array::from_fn(|i| {
        parts.get(i).map_or_else(String::new, |p| p.to_string())
    }))
}

/// Every non-empty value of a compound attribute, split by [`split_fields`].
pub(crate) fn compound<const N: usize>(
    attr: &Attribute,
    required: usize,
) -> Result<Vec<[String; N]>, RecordError> {
    list(attr)
        .iter()
        .map(|value| {
            split_fields::<N>(value, required).map_err(|p| RecordError::new(&attr.name, Some(value), p))
        })
        .collect()
}

/// An empty string as `None`.
pub(crate) fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn attr(values: &[&str]) -> Attribute {
        Attribute {
            name: "X".into(),
            values: values.iter().map(|v| v.to_string()).collect(),
            line: 1,
        }
    }

    #[test]
    fn dollar_fields_split_pad_and_keep_labels_whole() {
        let f: [String; 5] = split_fields("1$ENS$ENSEIGNEMENT$L1500$PHYSIQUE$CHIMIE", 2).unwrap();
        assert_eq!(f, ["1", "ENS", "ENSEIGNEMENT", "L1500", "PHYSIQUE$CHIMIE"]);
        let f: [String; 5] = split_fields("1$DIR", 2).unwrap();
        assert_eq!(f, ["1", "DIR", "", "", ""]);
        let f: [String; 2] = split_fields(" 0670001M $ 6A ", 2).unwrap();
        assert_eq!(f, ["0670001M", "6A"]);
        assert_eq!(
            split_fields::<2>("6A", 2),
            Err(Problem::Fields {
                expected: 2,
                found: 1
            })
        );
        assert_eq!(split_fields::<3>("1$$061300", 3), Err(Problem::EmptyField(2)));
    }

    #[test]
    fn compound_errors_name_the_attribute_and_value() {
        let err = compound::<6>(&attr(&["2000$10$1$1"]), 6).unwrap_err();
        assert_eq!(
            err.to_string(),
            "attribut X : valeur « 2000$10$1$1 » : 6 champs séparés par $ attendus, 4 trouvé(s)"
        );
        assert_eq!(compound::<2>(&attr(&[""]), 2).unwrap(), Vec::<[String; 2]>::new());
    }

    #[test]
    fn names_lose_their_dollars() {
        assert_eq!(display_name("NOM$STRUCTURE$COURANT"), "NOM - STRUCTURE - COURANT");
        assert_eq!(display_name("CLG-JEAN MOULIN$"), "CLG-JEAN MOULIN");
    }

    #[test]
    fn dates_are_real_days() {
        assert_eq!(
            Date::parse_fr("29/02/2012").map(Date::iso).as_deref(),
            Some("2012-02-29")
        );
        for bad in [
            "31/02/2010",
            "29/02/2100",
            "1/02/2010",
            "01/13/2010",
            "2010-02-01",
            "00/01/2010",
            "",
        ] {
            assert_eq!(Date::parse_fr(bad), None, "{bad}");
        }
        let err = date(&attr(&["31/02/2010"])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "attribut X : date « 31/02/2010 » invalide (jj/mm/aaaa)"
        );
    }

    #[test]
    fn single_values_flags_and_ines() {
        assert_eq!(single(&attr(&["", " A "])).unwrap().as_deref(), Some("A"));
        assert_eq!(
            single(&attr(&["A", "B"])).unwrap_err().problem,
            Problem::SeveralValues(2)
        );
        assert_eq!(flag(&attr(&["O"])).unwrap(), Some(true));
        assert_eq!(flag(&attr(&["N"])).unwrap(), Some(false));
        assert_eq!(flag(&attr(&["peut-être"])).unwrap_err().problem, Problem::Flag);
        assert_eq!(
            ine(&attr(&["123456789ab"])).unwrap().as_deref(),
            Some("123456789AB")
        );
        assert_eq!(ine(&attr(&["12345"])).unwrap_err().problem, Problem::Ine);
    }

    #[test]
    fn uai_check_letter_is_verified() {
        assert_eq!(uai(&attr(&["0670001M"])).unwrap().as_str(), "0670001M");
        let err = uai(&attr(&["0670001A"])).unwrap_err();
        assert_eq!(err.problem, Problem::UaiCheckLetter('M'));
        assert_eq!(
            err.to_string(),
            "attribut X : UAI « 0670001A » : lettre de contrôle fausse (attendue : M)"
        );
        assert_eq!(uai(&attr(&["670001M"])).unwrap_err().problem, Problem::UaiShape);
    }

    proptest! {
        #[test]
        fn joined_fields_split_back(fields in proptest::collection::vec("[^$]{0,12}", 4)) {
            let trimmed: Vec<String> = fields.iter().map(|f| f.trim().to_string()).collect();
            let parsed: [String; 4] = split_fields(&fields.join("$"), 0).unwrap();
            prop_assert_eq!(parsed.to_vec(), trimmed);
        }

        #[test]
        fn a_date_prints_and_parses_back(year in 1900u16..2200, month in 1u8..=12, day in 1u8..=31) {
            match Date::new(year, month, day) {
                Some(d) => prop_assert_eq!(Date::parse_fr(&d.to_string()), Some(d)),
                None => prop_assert!(day > days_in_month(year, month)),
            }
        }
    }
}
