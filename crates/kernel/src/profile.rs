//! The profiles a person holds in a school, with their national SDET codes (ENTPersonProfils).

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Profile {
    /// Élève.
    Student,
    /// Responsable légal (or person in charge) of a student.
    Guardian,
    /// Enseignant.
    Teacher,
    /// Vie scolaire: CPE and assistants d'éducation.
    SchoolLife,
    /// Direction: principal, proviseur and their deputies.
    Direction,
    /// Professeur documentaliste.
    Documentalist,
    /// Administrative and technical staff of the school.
    AdminStaff,
    /// Staff of the local authority (région, département).
    AuthorityStaff,
    /// Invited person (partner, inspector).
    Guest,
}

impl Profile {
    pub const ALL: [Profile; 9] = [
        Profile::Student,
        Profile::Guardian,
        Profile::Teacher,
        Profile::SchoolLife,
        Profile::Direction,
        Profile::Documentalist,
        Profile::AdminStaff,
        Profile::AuthorityStaff,
        Profile::Guest,
    ];

    /// The short code stored in the database and used in URLs.
    pub fn code(self) -> &'static str {
        match self {
            Profile::Student => "ELV",
            Profile::Guardian => "TUT",
            Profile::Teacher => "ENS",
            Profile::SchoolLife => "EVS",
            Profile::Direction => "DIR",
            Profile::Documentalist => "DOC",
            Profile::AdminStaff => "ETA",
            Profile::AuthorityStaff => "COL",
            Profile::Guest => "INV",
        }
    }

    /// The SDET attribute value released to connected services (ENTPersonProfils).
    pub fn national(self) -> &'static str {
        match self {
            Profile::Student => "National_ELV",
            Profile::Guardian => "National_TUT",
            Profile::Teacher => "National_ENS",
            Profile::SchoolLife => "National_EVS",
            Profile::Direction => "National_DIR",
            Profile::Documentalist => "National_DOC",
            Profile::AdminStaff => "National_ETA",
            Profile::AuthorityStaff => "National_COL",
            Profile::Guest => "National_INV",
        }
    }

    /// Staff of the school (anyone who is neither a student, a guardian nor a guest).
    pub fn is_staff(self) -> bool {
        !matches!(self, Profile::Student | Profile::Guardian | Profile::Guest)
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("profil inconnu : « {0} »")]
pub struct UnknownProfile(pub String);

impl FromStr for Profile {
    type Err = UnknownProfile;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Profile::ALL
            .into_iter()
            .find(|p| p.code() == s || p.national() == s)
            .ok_or_else(|| UnknownProfile(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for p in Profile::ALL {
            assert_eq!(p.code().parse::<Profile>().unwrap(), p);
            assert_eq!(p.national().parse::<Profile>().unwrap(), p);
        }
        assert!("XYZ".parse::<Profile>().is_err());
    }
}
