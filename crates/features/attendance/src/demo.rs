//! Demo content: demo.eleve's year so far has an absence justified by the family and accepted, an
//! absence the family has not justified yet and a lateness, so demo.parent has something to justify and
//! demo.cpe something to follow.

use db::Db;
use directory::store as dir;
use jiff::civil::{Date, Weekday};
use kernel::{Context, Profile, Timestamp, UserId};
use uuid::Uuid;

use crate::model::{Kind, Source, Status};
use crate::store::{self, NewAbsence};

/// The `n`-th school day (Monday to Friday) before `day`.
fn school_days_before(day: Date, n: usize) -> Date {
    let mut d = day;
    let mut left = n;
    while left > 0 {
        d = d.yesterday().unwrap_or(d);
        if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
            left -= 1;
        }
    }
    d
}

pub async fn seed_demo(db: &Db, now: Timestamp) -> db::Result<()> {
    let (Some(student), Some(cpe)) = (
        dir::person_by_login(db, "demo.eleve").await?,
        dir::person_by_login(db, "demo.cpe").await?,
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
        .find(|c| c.kind == "classe")
        .map(|c| c.id);
    let (today, _) = kernel::school_day_and_minute(now);
    let reasons = store::reasons(db, school).await?;
    let sick = reasons.iter().find(|r| r.code == "MALADIE").map(|r| r.id);
    let days: Vec<String> = [8, 2, 1]
        .iter()
        .map(|n| school_days_before(today, *n).to_string())
        .collect();
    let files = [
        (
            Kind::Absence,
            &days[0],
            8 * 60,
            17 * 60,
            Status::Justified,
            sick,
            "Fièvre, certificat fourni.",
        ),
        (Kind::Absence, &days[1], 10 * 60, 12 * 60, Status::New, None, ""),
        (
            Kind::Lateness,
            &days[2],
            8 * 60,
            8 * 60 + 10,
            Status::New,
            None,
            "",
        ),
    ];
    let mut tx = db.begin().await?;
    for (kind, day, from, to, status, reason, comment) in files {
        store::insert_absence(
            &mut tx,
            school,
            &NewAbsence {
                id: Uuid::now_v7(),
                student: student.id,
                class,
                kind,
                source: Source::Office,
                lesson: None,
                start: (day, from),
                end: (day, to),
                minutes_late: (kind == Kind::Lateness).then_some(to - from),
                by: cpe.id,
                status,
                reason,
                family_comment: comment,
                office_comment: "",
            },
            now,
        )
        .await?;
    }
    tx.commit().await
}
