//! Timetables for a generated region (`ardoise gen`, the demo): every teaching of the directory gets
//! its weekly hours, placed so that no class and no teacher of a school has two lessons at once.
//! Option groups take the late afternoon slots, which classes leave free.

use std::collections::HashSet;

use db::{Cell, Db};
use sea_query::{Alias, Expr, ExprTrait, Order, Query};
use uuid::Uuid;

use crate::calendar::Calendar;

/// Lesson start times (minutes): four in the morning, four in the afternoon; 55-minute lessons.
const SLOTS: [i32; 8] = [480, 540, 605, 665, 810, 870, 935, 995];
/// Wednesday afternoon is free; the last slot of the other days is for option groups.
const GROUP_SLOT: usize = 7;

/// Weekly hours by subject code (collège programmes, rounded); two for the others.
fn hours(subject: &str) -> u32 {
    match subject {
        "020700" | "061200" => 4,
        "040600" | "030201" | "030101" | "100100" => 3,
        "040700" => 1,
        _ => 2,
    }
}

fn a(n: &str) -> Alias {
    Alias::new(n)
}

/// Writes the timetables of every school that has none yet; returns the number of lessons.
pub async fn generate(db: &Db, calendar: &Calendar) -> Result<u64, db::Error> {
    let q = Query::select()
        .column(a("id"))
        .from(a("schools"))
        .and_where(
            Expr::col(a("id")).not_in_subquery(
                Query::select()
                    .distinct()
                    .column(a("school_id"))
                    .from(a("lessons"))
                    .to_owned(),
            ),
        )
        .order_by(a("uai"), Order::Asc)
        .to_owned();
    let schools: Vec<(Uuid,)> = db.fetch_all(&q).await?;
    let mut total = 0;
    for (school,) in schools {
        total += school_timetable(db, school, calendar).await?;
    }
    // After a bulk load the planner still believes the tables empty (PostgreSQL; SQLite keeps to the
    // indexes without statistics).
    if db.engine() == db::Engine::Postgres {
        db.execute_raw("ANALYZE lessons; ANALYZE lesson_teachers").await?;
    }
    Ok(total)
}

async fn school_timetable(db: &Db, school: Uuid, calendar: &Calendar) -> Result<u64, db::Error> {
    let q = Query::select()
        .column((a("t"), a("class_id")))
        .column((a("t"), a("teacher_id")))
        .column((a("t"), a("subject_code")))
        .column((a("c"), a("kind")))
        .from_as(a("teachings"), a("t"))
        .join_as(
            sea_query::JoinType::InnerJoin,
            a("classes"),
            a("c"),
            Expr::col((a("c"), a("school_id")))
                .equals((a("t"), a("school_id")))
                .and(Expr::col((a("c"), a("id"))).equals((a("t"), a("class_id")))),
        )
        .and_where(Expr::col((a("t"), a("school_id"))).eq(school))
        .order_by((a("c"), a("code")), Order::Asc)
        .order_by((a("t"), a("subject_code")), Order::Asc)
        .order_by((a("t"), a("teacher_id")), Order::Asc)
        .to_owned();
    let teachings: Vec<(Uuid, Uuid, String, String)> = db.fetch_all(&q).await?;
    let mut busy: HashSet<(Uuid, i8, usize)> = HashSet::new();
    let mut lessons: Vec<Vec<Cell>> = vec![];
    let mut teachers: Vec<Vec<Cell>> = vec![];
    let mut seen: HashSet<(Uuid, String)> = HashSet::new();
    for (n, (class, teacher, subject, kind)) in teachings.iter().enumerate() {
        // One teacher per class and subject (co-teaching is not generated).
        if !seen.insert((*class, subject.clone())) {
            continue;
        }
        let group = kind == "groupe";
        let room = if subject == "100100" {
            "Gymnase".to_string()
        } else {
            format!("{}{:02}", ['A', 'B', 'C'][n % 3], 1 + n % 24)
        };
        let mut left = if group { 2 } else { hours(subject) };
        let mut days: HashSet<i8> = HashSet::new();
        'place: for pass in 0..2 {
            for weekday in [1i8, 2, 4, 5, 3] {
                for (slot, _) in SLOTS.iter().enumerate() {
                    if left == 0 {
                        break 'place;
                    }
                    let allowed = if group {
                        slot == GROUP_SLOT || weekday == 3 && slot == 3
                    } else {
                        slot != GROUP_SLOT && !(weekday == 3 && slot >= 4)
                    };
                    // First pass: one lesson of a subject per day at most.
                    if !allowed || pass == 0 && days.contains(&weekday) {
                        continue;
                    }
                    if busy.contains(&(*class, weekday, slot)) || busy.contains(&(*teacher, weekday, slot)) {
                        continue;
                    }
                    busy.insert((*class, weekday, slot));
                    busy.insert((*teacher, weekday, slot));
                    days.insert(weekday);
                    left -= 1;
                    let id = Uuid::now_v7();
                    // EMC every other week, to show the A/B alternation.
                    let weeks = if subject == "040700" { "A" } else { "*" };
                    lessons.push(vec![
                        school.into(),
                        id.into(),
                        (*class).into(),
                        subject.as_str().into(),
                        room.as_str().into(),
                        i64::from(weekday).into(),
                        i64::from(SLOTS[slot]).into(),
                        i64::from(SLOTS[slot] + 55).into(),
                        weeks.into(),
                        calendar.first_day.to_string().into(),
                        calendar.last_day.to_string().into(),
                        "demo".into(),
                        id.to_string().into(),
                    ]);
                    teachers.push(vec![school.into(), id.into(), (*teacher).into()]);
                }
            }
        }
    }
    let count = lessons.len() as u64;
    let mut tx = db.begin().await?;
    tx.bulk_insert(
        "lessons",
        &[
            "school_id",
            "id",
            "class_id",
            "subject_code",
            "room",
            "weekday",
            "starts_at",
            "ends_at",
            "weeks",
            "valid_from",
            "valid_to",
            "source",
            "source_key",
        ],
        &lessons,
    )
    .await?;
    tx.bulk_insert(
        "lesson_teachers",
        &["school_id", "lesson_id", "teacher_id"],
        &teachers,
    )
    .await?;
    tx.commit().await?;
    Ok(count)
}
