//! Identifier newtypes over UUIDv7, so a school id can never be passed where a user id is expected.

use uuid::Uuid;

/// A fresh time-ordered identifier (UUIDv7): index-friendly on both engines.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            pub fn new() -> Self {
                Self(new_id())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }
    )*};
}

id_type!(
    /// A region (the top of the directory tree).
    RegionId,
    /// A school (établissement): the tenant key of every school-scoped table.
    SchoolId,
    /// A person's account; people span schools, so they are keyed by user, not by school.
    UserId,
    /// A class (division) or a teaching group inside one school.
    ClassId,
);
