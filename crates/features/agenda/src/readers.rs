//! Who a person reads as: for each school, their group of the audience and the classes that bring
//! them class events. A parent reads as the parent of each child, in each child's school and classes
//! (several children in one school make one key, so an event shows once).

use db::Db;
use directory::store as dir;
use kernel::{Context, Profile, SchoolId, UserId};
use uuid::Uuid;

use crate::model::Group;
use crate::store::ReaderKey;

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

/// Every key of a person across all their memberships (the calendar feed, which has no context).
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
