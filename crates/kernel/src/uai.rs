//! The UAI (ex-RNE): a school's national id, 7 digits and a check letter.

use std::fmt;
use std::str::FromStr;

/// The 23 letters of the check alphabet: A–Z without I, O and Q.
const CHECK_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPRSTUVWXYZ";

/// A valid UAI; it cannot hold a bad value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Uai(String);

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidUai {
    #[error("l'UAI « {0} » doit compter 8 caractères : 7 chiffres puis une lettre")]
    Shape(String),
    #[error("l'UAI « {0} » a une lettre de contrôle fausse (attendue : {1})")]
    CheckLetter(String, char),
}

impl Uai {
    /// Builds the UAI of a 7-digit number by computing its check letter.
    pub fn from_number(number: u32) -> Option<Uai> {
        if number > 9_999_999 {
            return None;
        }
        let letter = CHECK_LETTERS[(number % 23) as usize] as char;
        Some(Uai(format!("{number:07}{letter}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Uai {
    type Err = InvalidUai;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let s = raw.trim().to_ascii_uppercase();
        let bytes = s.as_bytes();
        if bytes.len() != 8 || !bytes[..7].iter().all(u8::is_ascii_digit) || !bytes[7].is_ascii_uppercase() {
            return Err(InvalidUai::Shape(raw.to_string()));
        }
        let number: u32 = s[..7].parse().map_err(|_| InvalidUai::Shape(raw.to_string()))?;
        let expected = CHECK_LETTERS[(number % 23) as usize] as char;
        if bytes[7] as char != expected {
            return Err(InvalidUai::CheckLetter(raw.to_string(), expected));
        }
        Ok(Uai(s))
    }
}

impl fmt::Display for Uai {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_uais_validate() {
        // Real, public UAIs: lycées Louis-le-Grand and Henri-IV (Paris).
        assert!("0750654D".parse::<Uai>().is_ok());
        assert!("0750699c".parse::<Uai>().is_ok());
        assert_eq!(
            "0750654A".parse::<Uai>(),
            Err(InvalidUai::CheckLetter("0750654A".into(), 'D'))
        );
        assert!(matches!("075065D".parse::<Uai>(), Err(InvalidUai::Shape(_))));
    }

    #[test]
    fn built_uais_parse_back() {
        for n in [0, 670_001, 880_123, 9_999_999] {
            let uai = Uai::from_number(n).unwrap();
            assert_eq!(uai.as_str().parse::<Uai>().unwrap(), uai);
        }
    }
}
