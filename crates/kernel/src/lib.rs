//! The vocabulary every Ardoise crate shares: typed identifiers, profiles, the tenancy context and the clock.

mod clock;
pub mod ics;
mod ids;
mod profile;
pub mod text;
mod uai;

pub mod school_time;

pub use clock::{Clock, ManualClock, ShiftedClock, SystemClock, Timestamp};
pub use ids::{ClassId, RegionId, SchoolId, UserId, new_id};
pub use profile::{Profile, UnknownProfile};
pub use school_time::{SCHOOL_TZ, school_day_and_minute, school_tz};
pub use uai::{InvalidUai, Uai};

/// Where a person is acting: one profile in one school, or the regional administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Context {
    School { school: SchoolId, profile: Profile },
    RegionAdmin { region: RegionId },
}

impl Context {
    pub fn school(&self) -> Option<SchoolId> {
        match self {
            Context::School { school, .. } => Some(*school),
            Context::RegionAdmin { .. } => None,
        }
    }

    pub fn profile(&self) -> Option<Profile> {
        match self {
            Context::School { profile, .. } => Some(*profile),
            Context::RegionAdmin { .. } => None,
        }
    }
}

impl Context {
    /// A compact form for cookies and form fields: `s.<school>.<profile>` or `r.<region>`.
    pub fn to_token(&self) -> String {
        match self {
            Context::School { school, profile } => format!("s.{school}.{}", profile.code()),
            Context::RegionAdmin { region } => format!("r.{region}"),
        }
    }

    pub fn from_token(token: &str) -> Option<Context> {
        let mut parts = token.split('.');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("s"), Some(school), Some(profile), None) => Some(Context::School {
                school: school.parse().ok()?,
                profile: profile.parse().ok()?,
            }),
            (Some("r"), Some(region), None, None) => Some(Context::RegionAdmin {
                region: region.parse().ok()?,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_tokens_round_trip_and_reject_junk() {
        let c = Context::School {
            school: SchoolId::new(),
            profile: Profile::Teacher,
        };
        assert_eq!(Context::from_token(&c.to_token()), Some(c));
        let r = Context::RegionAdmin {
            region: RegionId::new(),
        };
        assert_eq!(Context::from_token(&r.to_token()), Some(r));
        assert_eq!(Context::from_token("s.nope.ENS"), None);
        assert_eq!(Context::from_token("x"), None);
    }
}
