//! Demo content: the collège's parents' evening for demo.eleve's class, a school-wide open day and a
//! staff meeting, so the agenda and its feed have something to show.

use db::Db;
use directory::store as dir;
use jiff::civil::Time;
use kernel::{Context, Profile, Timestamp, UserId};

use crate::model;
use crate::store::{self, EventRow};

pub async fn seed_demo(db: &Db, now: Timestamp) -> db::Result<()> {
    let (Some(student), Some(direction)) = (
        dir::person_by_login(db, "demo.eleve").await?,
        dir::person_by_login(db, "demo.direction").await?,
    ) else {
        return Ok(());
    };
    let Some(school) = dir::contexts_of(db, UserId(student.id))
        .await?
        .into_iter()
        .find_map(|(c, _)| match c {
            Context::School {
                school,
                profile: Profile::Student,
            } => Some(school),
            _ => None,
        })
    else {
        return Ok(());
    };
    let class = dir::classes_of_student(db, school, UserId(student.id))
        .await?
        .into_iter()
        .find(|c| c.kind == "classe");
    let (today, _) = kernel::school_day_and_minute(now);
    let in_days = |n: i64| today.saturating_add(jiff::Span::new().days(n));
    // (title, place, day, start, end (None: all day), [students, parents, teachers, staff], class)
    let events = [
        (
            "Réunion parents-professeurs",
            "Salle polyvalente",
            in_days(8),
            Some((17, 30)),
            Some((20, 0)),
            [false, true, true, false],
            class.as_ref().map(|c| c.id),
        ),
        (
            "Journée portes ouvertes",
            "Collège",
            in_days(15),
            None,
            None,
            [true, true, true, true],
            None,
        ),
        (
            "Conseil pédagogique",
            "Salle des professeurs",
            in_days(3),
            Some((12, 30)),
            Some((13, 30)),
            [false, false, true, true],
            None,
        ),
    ];
    let mut tx = db.begin().await?;
    for (title, place, day, start, end, to, class) in events {
        let (starts_at, ends_at, all_day) = match (start, end) {
            (Some((h1, m1)), Some((h2, m2))) => (
                model::instant(day, Time::constant(h1, m1, 0, 0)),
                model::instant(day, Time::constant(h2, m2, 0, 0)),
                false,
            ),
            _ => (
                model::instant(day, Time::midnight()),
                model::instant(day.tomorrow().unwrap_or(day), Time::midnight()),
                true,
            ),
        };
        let row = EventRow {
            school_id: school.0,
            id: kernel::new_id(),
            author_id: direction.id,
            title: title.to_string(),
            description: String::new(),
            place: place.to_string(),
            all_day,
            starts_at: starts_at.0,
            ends_at: ends_at.0,
            first_day: day.to_string(),
            last_day: day.to_string(),
            to_students: to[0],
            to_guardians: to[1],
            to_teachers: to[2],
            to_staff: to[3],
            created_at: now.0,
        };
        let classes: Vec<uuid::Uuid> = class.into_iter().collect();
        store::insert(&mut tx, &row, &classes).await?;
    }
    tx.commit().await
}
