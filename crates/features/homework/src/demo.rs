//! Demo content: a few lessons of demo.prof in demo.eleve's class, with homework (one handed in online),
//! so the demo accounts have a cahier de textes and a to-do list to look at.

use db::Db;
use kernel::{SchoolId, Timestamp};
use sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use uuid::Uuid;

use crate::model::{Day, HomeworkDraft, Link};
use crate::store::{self, EntryKey};

fn col(table: &str, name: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(name)))
}

/// (school, class, class name, subject) of a class of demo.eleve that demo.prof teaches.
async fn demo_lesson(db: &Db) -> db::Result<Option<(Uuid, Uuid, String, String, Uuid)>> {
    let q = Query::select()
        .column((Alias::new("t"), Alias::new("school_id")))
        .column((Alias::new("t"), Alias::new("class_id")))
        .column((Alias::new("c"), Alias::new("name")))
        .column((Alias::new("t"), Alias::new("subject_code")))
        .column((Alias::new("p"), Alias::new("id")))
        .from_as(Alias::new("users"), Alias::new("p"))
        .join_as(
            JoinType::InnerJoin,
            Alias::new("teachings"),
            Alias::new("t"),
            col("t", "teacher_id").equals((Alias::new("p"), Alias::new("id"))),
        )
        .join_as(
            JoinType::InnerJoin,
            Alias::new("classes"),
            Alias::new("c"),
            col("c", "school_id")
                .equals((Alias::new("t"), Alias::new("school_id")))
                .and(col("c", "id").equals((Alias::new("t"), Alias::new("class_id")))),
        )
        .join_as(
            JoinType::InnerJoin,
            Alias::new("class_students"),
            Alias::new("s"),
            col("s", "school_id")
                .equals((Alias::new("t"), Alias::new("school_id")))
                .and(col("s", "class_id").equals((Alias::new("t"), Alias::new("class_id")))),
        )
        .join_as(
            JoinType::InnerJoin,
            Alias::new("users"),
            Alias::new("e"),
            col("e", "id").equals((Alias::new("s"), Alias::new("student_id"))),
        )
        .and_where(col("p", "login").eq("demo.prof"))
        .and_where(col("e", "login").eq("demo.eleve"))
        .and_where(col("c", "kind").eq("classe"))
        .limit(1)
        .to_owned();
    db.fetch_optional(&q).await
}

/// Title, due in (days), estimated minutes, online hand-in.
type DemoHomework = (&'static str, i32, Option<i32>, bool);

/// Seeds the demo's cahier de textes; does nothing without the demo accounts or if already seeded.
pub async fn seed_demo(db: &Db, now: Timestamp) -> crate::Result<()> {
    let Some((school, class, class_name, subject, prof)) = demo_lesson(db).await? else {
        return Ok(());
    };
    let school = SchoolId(school);
    if !store::entries_of_class(db, school, class, Some(&subject))
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let today = Day::of(now);
    // The last three school days (today included), each with homework due on a later school day.
    let lessons: [(i32, &str, Option<DemoHomework>); 3] = [
        (
            -2,
            "Correction de l'évaluation diagnostique. Début du chapitre 1 : présentation et premières notions.",
            Some((
                "Relire le cours et faire la fiche d'exercices n° 1",
                3,
                Some(30),
                false,
            )),
        ),
        (
            -1,
            "Chapitre 1, suite : exercices d'application en classe, méthode pour rédiger une réponse.",
            Some((
                "Rédiger la réponse à la question 3 et la rendre en ligne",
                6,
                Some(45),
                true,
            )),
        ),
        (
            0,
            "Activité de découverte du chapitre 2, en groupes.",
            Some(("Apporter le manuel et une calculatrice", 1, None, false)),
        ),
    ];
    let mut tx = db.begin().await?;
    for (offset, content, homework) in lessons {
        let day = school_day(today, offset);
        let key = EntryKey {
            class_id: class,
            subject_code: subject.clone(),
            day: day.to_string(),
            teacher_id: prof,
        };
        let entry_id = kernel::new_id();
        let new = store::NewEntry {
            id: entry_id,
            key: &key,
            class_name: &class_name,
            lesson_id: None,
            content,
        };
        store::insert_entry(&mut tx, school, new, now).await?;
        let Some((title, due_in, minutes, handin)) = homework else {
            continue;
        };
        let due_day = school_day(day, due_in);
        let draft = HomeworkDraft {
            title: title.to_string(),
            instructions: "Soignez la présentation. Les questions se posent en début de séance.".into(),
            due_day,
            due_lesson: None,
            minutes,
            handin,
            deadline: handin.then(|| due_day.at(8 * 60)),
            links: vec![Link {
                url: "https://fr.wikipedia.org/".into(),
                label: "Wikipédia".into(),
            }],
        };
        let id = kernel::new_id();
        let set_day = day.to_string();
        let hw = store::NewHomework {
            id,
            entry_id,
            class_id: class,
            class_name: &class_name,
            subject_code: &subject,
            teacher_id: prof,
            set_day: &set_day,
            draft: &draft,
        };
        store::insert_homework(&mut tx, school, hw, now).await?;
        store::replace_links(&mut tx, school, id, &draft.links).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The school day `n` school days from `day` (Monday to Friday), backwards when `n` is negative.
fn school_day(day: Day, n: i32) -> Day {
    let step = if n < 0 { -1 } else { 1 };
    let mut d = day;
    let mut left = n.abs();
    while d.weekday() > 5 {
        d = d.plus_days(step);
    }
    while left > 0 {
        d = d.plus_days(step);
        if d.weekday() <= 5 {
            left -= 1;
        }
    }
    d
}
