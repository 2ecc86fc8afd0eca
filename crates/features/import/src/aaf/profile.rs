//! The national profile (SDET `ENTPersonProfils`) that the ENT derives from AAF data.
//!
//! AAF files carry no profile: students and relatives get theirs from the file they are in, staff from
//! the function code of each `ENTPersonFonctions` value, one profile per structure.

use std::fmt;

use kernel::Profile;

/// The SDET national profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NationalProfile {
    /// Élève.
    Elv,
    /// Responsable d'élève.
    Tut,
    /// Enseignant.
    Ens,
    /// Direction.
    Dir,
    /// Vie scolaire.
    Evs,
    /// Personnel administratif, technique, d'orientation, de santé.
    Eta,
    /// Inspection (académie).
    Aca,
    /// Documentaliste.
    Doc,
    /// Personnel de collectivité territoriale.
    Col,
}

impl NationalProfile {
    /// The SDET value, `National_ENS` and so on.
    pub fn code(self) -> &'static str {
        match self {
            NationalProfile::Elv => "National_ELV",
            NationalProfile::Tut => "National_TUT",
            NationalProfile::Ens => "National_ENS",
            NationalProfile::Dir => "National_DIR",
            NationalProfile::Evs => "National_EVS",
            NationalProfile::Eta => "National_ETA",
            NationalProfile::Aca => "National_ACA",
            NationalProfile::Doc => "National_DOC",
            NationalProfile::Col => "National_COL",
        }
    }

    /// The Ardoise profile; `None` for inspectors, who have no place in a school yet.
    pub fn profile(self) -> Option<Profile> {
        match self {
            NationalProfile::Elv => Some(Profile::Student),
            NationalProfile::Tut => Some(Profile::Guardian),
            NationalProfile::Ens => Some(Profile::Teacher),
            NationalProfile::Dir => Some(Profile::Direction),
            NationalProfile::Evs => Some(Profile::SchoolLife),
            NationalProfile::Eta => Some(Profile::AdminStaff),
            NationalProfile::Doc => Some(Profile::Documentalist),
            NationalProfile::Col => Some(Profile::AuthorityStaff),
            NationalProfile::Aca => None,
        }
    }

    /// The profile of a staff function code (`ENTPersonFonctions`, 2nd field), after the table of the
    /// AC-Rennes GAR export; `None` for a code it does not list.
    pub fn from_function_code(code: &str) -> Option<NationalProfile> {
        use NationalProfile::*;
        let profile = match code.trim().to_ascii_uppercase().as_str() {
            "ENS" | "FIJ" | "EAP" | "BED" | "FCA" | "FCP" | "IS" | "ISES" | "PPA" | "RH1D" | "RPL"
            | "UPI" => Ens,
            "DOC" => Doc,
            "DIR" | "DEC" | "DECPR" | "DSES" => Dir,
            "EDU" | "AED" | "AES" | "SUR" => Evs,
            "ORI" | "ADM" | "ADA" | "ADF" | "ALB" | "ASE" | "ASH" | "CFC" | "CPD" | "CTR" | "LAB" | "MDS"
            | "OUV" | "PSY" | "TEC" => Eta,
            "ELE" => Elv,
            "COLTER" => Col,
            "INS" | "INJ" => Aca,
            _ => return None,
        };
        Some(profile)
    }
}

impl fmt::Display for NationalProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A profile held in one structure (by its join key).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StructureProfile {
    pub structure: String,
    pub profile: NationalProfile,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_codes_map_to_national_profiles() {
        let cases = [
            ("ENS", NationalProfile::Ens),
            ("FIJ", NationalProfile::Ens),
            ("EAP", NationalProfile::Ens),
            ("DOC", NationalProfile::Doc),
            ("DIR", NationalProfile::Dir),
            ("DEC", NationalProfile::Dir),
            ("EDU", NationalProfile::Evs),
            ("AED", NationalProfile::Evs),
            ("ORI", NationalProfile::Eta),
            ("ADM", NationalProfile::Eta),
            ("LAB", NationalProfile::Eta),
            ("ELE", NationalProfile::Elv),
            ("COLTER", NationalProfile::Col),
            ("INS", NationalProfile::Aca),
            (" ens ", NationalProfile::Ens),
        ];
        for (code, expected) in cases {
            assert_eq!(
                NationalProfile::from_function_code(code),
                Some(expected),
                "{code}"
            );
        }
        assert_eq!(NationalProfile::from_function_code("XYZ"), None);
        assert_eq!(NationalProfile::from_function_code(""), None);
    }

    #[test]
    fn national_profiles_match_kernel_codes() {
        for p in [
            NationalProfile::Elv,
            NationalProfile::Ens,
            NationalProfile::Eta,
            NationalProfile::Col,
        ] {
            let kernel = p.profile().unwrap();
            assert_eq!(kernel.national(), p.code());
        }
        assert_eq!(NationalProfile::Aca.profile(), None);
        assert_eq!(NationalProfile::Dir.to_string(), "National_DIR");
    }
}
