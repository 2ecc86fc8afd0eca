//! Directory types and the rules about who may see whom. No I/O here.

use kernel::{ClassId, Context, Profile, SchoolId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchoolKind {
    College,
    Lycee,
    LyceeAgricole,
}

impl SchoolKind {
    pub fn code(self) -> &'static str {
        match self {
            SchoolKind::College => "college",
            SchoolKind::Lycee => "lycee",
            SchoolKind::LyceeAgricole => "lycee_agricole",
        }
    }

    pub fn parse(s: &str) -> Option<SchoolKind> {
        [SchoolKind::College, SchoolKind::Lycee, SchoolKind::LyceeAgricole]
            .into_iter()
            .find(|k| k.code() == s)
    }

    /// Word used in school names ("Collège Jean Moulin").
    pub fn label(self) -> &'static str {
        match self {
            SchoolKind::College => "Collège",
            SchoolKind::Lycee => "Lycée",
            SchoolKind::LyceeAgricole => "Lycée agricole",
        }
    }
}

/// Public, or private under contract with the State (sous contrat).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sector {
    Public,
    PrivateUnderContract,
}

impl Sector {
    pub fn code(self) -> &'static str {
        match self {
            Sector::Public => "public",
            Sector::PrivateUnderContract => "prive_sous_contrat",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClassKind {
    /// A class (division): every student belongs to exactly one.
    Division,
    /// A teaching group cutting across classes (options, languages, half-classes).
    Group,
}

impl ClassKind {
    pub fn code(self) -> &'static str {
        match self {
            ClassKind::Division => "classe",
            ClassKind::Group => "groupe",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct School {
    pub id: uuid::Uuid,
    pub uai: String,
    pub name: String,
    pub kind: String,
    pub sector: String,
    pub city: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Person {
    pub id: uuid::Uuid,
    pub login: String,
    pub first_name: String,
    pub last_name: String,
}

impl Person {
    pub fn user_id(&self) -> UserId {
        UserId(self.id)
    }

    /// "NOM Prénom", the order school lists use.
    pub fn list_name(&self) -> String {
        format!("{} {}", self.last_name.to_uppercase(), self.first_name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Class {
    pub id: uuid::Uuid,
    pub kind: String,
    pub code: String,
    pub name: String,
    pub mef_code: Option<String>,
}

impl Class {
    pub fn class_id(&self) -> ClassId {
        ClassId(self.id)
    }
}

/// What a person reading the directory may see of a class, decided from facts the store gathered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClassLink {
    /// The viewer is a student of the class.
    pub member: bool,
    /// The viewer teaches the class or is its head teacher.
    pub teaches: bool,
    /// One of the viewer's children is in the class.
    pub child_in_it: bool,
}

/// The single rule for opening a class page: staff who run the school see every class of their school;
/// teachers see the classes they teach; students their own classes; parents their children's.
/// Nobody sees a class of another school than the one they are acting in.
pub fn may_view_class(viewer: &Context, class_school: SchoolId, link: ClassLink) -> bool {
    match viewer {
        Context::RegionAdmin { .. } => false,
        Context::School { school, profile } => {
            if *school != class_school {
                return false;
            }
            match profile {
                Profile::Direction | Profile::SchoolLife | Profile::Documentalist | Profile::AdminStaff => {
                    true
                }
                Profile::Teacher => link.teaches,
                Profile::Student => link.member,
                Profile::Guardian => link.child_in_it,
                Profile::AuthorityStaff | Profile::Guest => false,
            }
        }
    }
}

/// Whether the viewer sees the list of students of a class they may view (contact details never shown).
/// Students see their classmates, parents do not see other families' children.
pub fn may_list_students(viewer: &Context) -> bool {
    !matches!(viewer.profile(), Some(Profile::Guardian) | None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(profile: Profile, school: SchoolId) -> Context {
        Context::School { school, profile }
    }

    #[test]
    fn nobody_sees_a_class_of_another_school() {
        let (a, b) = (SchoolId::new(), SchoolId::new());
        let all = ClassLink {
            member: true,
            teaches: true,
            child_in_it: true,
        };
        for p in Profile::ALL {
            assert!(!may_view_class(&ctx(p, a), b, all), "{p:?} crossed schools");
        }
        assert!(!may_view_class(
            &Context::RegionAdmin {
                region: kernel::RegionId::new()
            },
            a,
            all
        ));
    }

    #[test]
    fn each_profile_sees_only_its_own_classes() {
        let s = SchoolId::new();
        let none = ClassLink::default();
        assert!(may_view_class(&ctx(Profile::Direction, s), s, none));
        assert!(may_view_class(&ctx(Profile::SchoolLife, s), s, none));
        assert!(!may_view_class(&ctx(Profile::Teacher, s), s, none));
        assert!(may_view_class(
            &ctx(Profile::Teacher, s),
            s,
            ClassLink {
                teaches: true,
                ..none
            }
        ));
        assert!(!may_view_class(
            &ctx(Profile::Student, s),
            s,
            ClassLink {
                teaches: true,
                ..none
            }
        ));
        assert!(may_view_class(
            &ctx(Profile::Student, s),
            s,
            ClassLink { member: true, ..none }
        ));
        assert!(!may_view_class(
            &ctx(Profile::Guardian, s),
            s,
            ClassLink { member: true, ..none }
        ));
        assert!(may_view_class(
            &ctx(Profile::Guardian, s),
            s,
            ClassLink {
                child_in_it: true,
                ..none
            }
        ));
        assert!(!may_list_students(&ctx(Profile::Guardian, s)));
        assert!(may_list_students(&ctx(Profile::Student, s)));
    }
}
