//! The vocabulary every Ardoise crate shares: typed identifiers, profiles, the tenancy context and the clock.

mod clock;
mod ids;
mod profile;
mod uai;

pub use clock::{Clock, ManualClock, SystemClock, Timestamp};
pub use ids::{ClassId, RegionId, SchoolId, UserId, new_id};
pub use profile::{Profile, UnknownProfile};
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
