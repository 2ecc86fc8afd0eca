//! Audiences: the profiles of a school (and optionally some of its classes) a news item or an event is
//! for, and who a person reads as — for each school, their group of the audience and the classes that
//! bring them class items. A parent reads as the parent of each child, in each child's school and
//! classes (several children in one school make one key, so an item shows once).
//!
//! Features that address a school's people by profile keep their audience in four columns
//! (`to_students`, `to_guardians`, `to_teachers`, `to_staff`) and their classes in a link table with
//! `school_id` and `class_id` columns; the SQL rule here reads both.

use db::{Db, Tx};
use kernel::{Context, Profile, SchoolId, UserId};
use sea_query::{Alias, Cond, Expr, ExprTrait, Query, SelectStatement};
use uuid::Uuid;

use crate::store as dir;

/// The form values of the groups, in order: students, guardians, teachers, staff.
pub const CODES: [&str; 4] = ["eleves", "parents", "enseignants", "personnels"];

/// The columns an audience is stored in, in the order of `CODES`.
pub const COLUMNS: [&str; 4] = ["to_students", "to_guardians", "to_teachers", "to_staff"];

/// The profiles of a school an item may be for. Staff gathers direction, vie scolaire, documentalists,
/// administrative staff and the local authority's staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Audience {
    pub students: bool,
    pub guardians: bool,
    pub teachers: bool,
    pub staff: bool,
}

/// Which part of an audience a person reads as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Students,
    Guardians,
    Teachers,
    Staff,
}

impl Group {
    pub fn of(profile: Profile) -> Option<Group> {
        match profile {
            Profile::Student => Some(Group::Students),
            Profile::Guardian => Some(Group::Guardians),
            Profile::Teacher => Some(Group::Teachers),
            Profile::Guest => None,
            _ => Some(Group::Staff),
        }
    }

    /// The column saying whether an item is for this group.
    pub fn column(self) -> &'static str {
        COLUMNS[self as usize]
    }
}

impl Audience {
    /// From the stored columns, in the order of `COLUMNS`.
    pub fn from_flags([students, guardians, teachers, staff]: [bool; 4]) -> Audience {
        Audience {
            students,
            guardians,
            teachers,
            staff,
        }
    }

    /// From the form's `public` values (`CODES`).
    pub fn from_codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> Audience {
        let mut a = Audience::default();
        for c in codes {
            match c {
                "eleves" => a.students = true,
                "parents" => a.guardians = true,
                "enseignants" => a.teachers = true,
                "personnels" => a.staff = true,
                _ => {}
            }
        }
        a
    }

    fn flags(&self) -> [bool; 4] {
        [self.students, self.guardians, self.teachers, self.staff]
    }

    pub fn is_empty(&self) -> bool {
        !self.flags().contains(&true)
    }

    pub fn includes(&self, g: Group) -> bool {
        self.flags()[g as usize]
    }

    /// The profile codes (kernel::Profile) the audience reaches, for events.
    pub fn profile_codes(&self) -> Vec<&'static str> {
        let mut out = vec![];
        for (on, p) in [
            (self.students, Profile::Student),
            (self.guardians, Profile::Guardian),
            (self.teachers, Profile::Teacher),
        ] {
            if on {
                out.push(p.code());
            }
        }
        if self.staff {
            out.extend(
                Profile::ALL
                    .into_iter()
                    .filter(|p| p.is_staff() && *p != Profile::Teacher)
                    .map(Profile::code),
            );
        }
        out
    }

    /// The Fluent keys of the groups it reaches, to show who an item is for; `labels` names the four
    /// groups in the order of `CODES`.
    pub fn label_keys(&self, labels: &[&'static str; 4]) -> Vec<&'static str> {
        self.flags()
            .into_iter()
            .zip(labels)
            .filter(|(on, _)| *on)
            .map(|(_, k)| *k)
            .collect()
    }
}

/// The form's choices: each group's code with its Fluent label (`labels`, in the order of `CODES`).
pub fn choices(labels: &[&'static str; 4]) -> [(&'static str, &'static str); 4] {
    std::array::from_fn(|i| (CODES[i], labels[i]))
}

/// One reader's part of an audience in one school: their group, and the classes that bring them
/// class items (`None`: every class of the school, as direction and staff see).
#[derive(Debug, Clone, PartialEq)]
pub struct ReaderKey {
    pub school: Uuid,
    pub group: Group,
    pub classes: Option<Vec<Uuid>>,
}

impl ReaderKey {
    /// Whether an item reaches this reader, in SQL: `in_school`, the item (aliased `item`) being for
    /// the key's school; its column for the key's group; and the class rule — an item for no class
    /// reaches the reader's whole group, an item for some classes only the readers of one of them.
    /// `links` selects the item's rows of its class-link table, aliased `link` and correlated with
    /// the outer query.
    pub fn reaches(&self, item: &str, in_school: Expr, links: &SelectStatement, link: &str) -> Cond {
        let cond = Cond::all()
            .add(in_school)
            .add(Expr::col((Alias::new(item), Alias::new(self.group.column()))).eq(true));
        let Some(classes) = &self.classes else {
            return cond;
        };
        let link_col = |c: &str| Expr::col((Alias::new(link), Alias::new(c)));
        let mine = links
            .clone()
            .and_where(link_col("school_id").eq(self.school))
            .and_where(link_col("class_id").is_in(classes.clone()))
            .to_owned();
        cond.add(
            Cond::any()
                .add(Expr::exists(links.clone()).not())
                .add(Expr::exists(mine)),
        )
    }
}

/// Writes an item's classes in the caller's transaction: one `(school_id, item_col, class_id)` row
/// of `table` per class.
pub async fn insert_class_links(
    tx: &mut Tx,
    (table, item_col): (&str, &str),
    school: Uuid,
    item: Uuid,
    classes: &[Uuid],
) -> db::Result<()> {
    for class in classes {
        let q = Query::insert()
            .into_table(Alias::new(table))
            .columns([
                Alias::new("school_id"),
                Alias::new(item_col),
                Alias::new("class_id"),
            ])
            .values_panic([school.into(), item.into(), (*class).into()])
            .to_owned();
        tx.execute(&q).await?;
    }
    Ok(())
}

/// The keys of a person acting in `context`.
pub async fn keys(db: &Db, user: UserId, context: &Context) -> db::Result<Vec<ReaderKey>> {
    let Context::School { school, profile } = *context else {
        return Ok(vec![]);
    };
    let Some(group) = Group::of(profile) else {
        return Ok(vec![]);
    };
    let classes = match profile {
        Profile::Student => Some(
            dir::classes_of_student(db, school, user)
                .await?
                .into_iter()
                .map(|c| c.id)
                .collect(),
        ),
        Profile::Guardian => return guardian_keys(db, user).await,
        Profile::Teacher => Some(taught(db, school, user).await?),
        _ => None,
    };
    Ok(vec![ReaderKey {
        school: school.0,
        group,
        classes,
    }])
}

/// A parent's keys: one per school of their children, with the children's classes there.
async fn guardian_keys(db: &Db, user: UserId) -> db::Result<Vec<ReaderKey>> {
    let mut keys: Vec<ReaderKey> = vec![];
    for child in dir::children_of(db, user).await? {
        let classes: Vec<Uuid> = dir::classes_of_student(db, SchoolId(child.school_id), UserId(child.id))
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        match keys.iter_mut().find(|k| k.school == child.school_id) {
            Some(k) => {
                if let Some(cs) = k.classes.as_mut() {
                    cs.extend(classes);
                    cs.sort();
                    cs.dedup();
                }
            }
            None => keys.push(ReaderKey {
                school: child.school_id,
                group: Group::Guardians,
                classes: Some(classes),
            }),
        }
    }
    Ok(keys)
}

/// Every key of a person across all their memberships (a calendar feed, which has no context).
pub async fn all_keys(db: &Db, user: UserId) -> db::Result<Vec<ReaderKey>> {
    let mut out: Vec<ReaderKey> = vec![];
    for (context, _) in dir::contexts_of(db, user).await? {
        for k in keys(db, user, &context).await? {
            if !out.contains(&k) {
                out.push(k);
            }
        }
    }
    Ok(out)
}

/// The classes a teacher teaches or is head teacher of.
pub async fn taught(db: &Db, school: SchoolId, teacher: UserId) -> db::Result<Vec<Uuid>> {
    let mut ids: Vec<Uuid> = dir::classes_taught(db, school, teacher)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    ids.extend(dir::head_teacher_classes(db, school, teacher).await?);
    ids.sort();
    ids.dedup();
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_stands_for_every_staff_profile_but_teachers() {
        let a = Audience::from_codes(["personnels", "eleves"]);
        let codes = a.profile_codes();
        assert!(codes.contains(&"ELV") && codes.contains(&"DIR") && codes.contains(&"COL"));
        assert!(!codes.contains(&"ENS") && !codes.contains(&"TUT"));
        assert_eq!(Group::of(Profile::Documentalist), Some(Group::Staff));
        assert_eq!(Group::of(Profile::Guest), None);
    }

    #[test]
    fn each_group_reads_its_own_column_and_label() {
        let a = Audience::from_codes(["parents", "personnels"]);
        assert!(a.includes(Group::Guardians) && a.includes(Group::Staff));
        assert!(!a.includes(Group::Students) && !a.includes(Group::Teachers));
        assert_eq!(Group::Guardians.column(), "to_guardians");
        assert_eq!(Group::Staff.column(), "to_staff");
        assert_eq!(a.label_keys(&["e", "p", "n", "s"]), ["p", "s"]);
        assert_eq!(Audience::from_flags([false, true, false, true]), a);
        assert!(Audience::from_codes(["inconnu"]).is_empty());
        assert_eq!(choices(&["e", "p", "n", "s"])[2], ("enseignants", "n"));
    }
}
