//! Demo content: the school year's trimesters, and in demo.eleve's class a few published evaluations
//! with marks (codes and skill levels among them) in demo.prof's subject and two others, plus one draft
//! of demo.prof's, so the demo accounts have marks, averages, a cycle summary and a grid to look at.

use db::Db;
use directory::store as dir;
use kernel::{ClassId, SchoolId, Timestamp, UserId};
use sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use uuid::Uuid;

use crate::averages::Outcome;
use crate::model::{self, Day, EvaluationDraft, Kind};
use crate::skills::{Component, Cycle, Level};
use crate::store;

fn col(table: &str, name: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(name)))
}

/// (school, class) of demo.eleve's division.
async fn demo_class(db: &Db) -> db::Result<Option<(Uuid, Uuid)>> {
    let q = Query::select()
        .column((Alias::new("s"), Alias::new("school_id")))
        .column((Alias::new("s"), Alias::new("class_id")))
        .from_as(Alias::new("users"), Alias::new("e"))
        .join_as(
            JoinType::InnerJoin,
            Alias::new("class_students"),
            Alias::new("s"),
            col("s", "student_id").equals((Alias::new("e"), Alias::new("id"))),
        )
        .join_as(
            JoinType::InnerJoin,
            Alias::new("classes"),
            Alias::new("c"),
            col("c", "school_id")
                .equals((Alias::new("s"), Alias::new("school_id")))
                .and(col("c", "id").equals((Alias::new("s"), Alias::new("class_id")))),
        )
        .and_where(col("e", "login").eq("demo.eleve"))
        .and_where(col("c", "kind").eq("classe"))
        .limit(1)
        .to_owned();
    db.fetch_optional(&q).await
}

/// (teacher, subject) of every teaching of a class.
async fn teachings_of_class(db: &Db, school: SchoolId, class: Uuid) -> db::Result<Vec<(Uuid, String)>> {
    let q = Query::select()
        .columns([Alias::new("teacher_id"), Alias::new("subject_code")])
        .from(Alias::new("teachings"))
        .and_where(Expr::col(Alias::new("school_id")).eq(school.0))
        .and_where(Expr::col(Alias::new("class_id")).eq(class))
        .to_owned();
    db.fetch_all(&q).await
}

/// The common-core component a subject naturally assesses.
fn component_of(subject: &str) -> Component {
    match subject {
        "020700" | "020500" | "020400" => Component::D11,
        "030201" | "030101" | "030102" | "030602" | "030702" => Component::D12,
        "061200" | "071300" => Component::D13,
        "080100" | "082100" | "100100" => Component::D14,
        "040700" => Component::D3,
        "040600" => Component::D5,
        _ => Component::D4,
    }
}

/// A demo evaluation: title, days before today, kind, scale, coefficient (hundredths), published.
type DemoEvaluation = (&'static str, i32, Kind, u32, u32, bool);

const OF_PROF: [DemoEvaluation; 4] = [
    ("Contrôle de fin de chapitre", 15, Kind::Marks, 20, 200, true),
    ("Interrogation écrite", 8, Kind::Marks, 10, 100, true),
    (
        "Devoir maison : résolution de problèmes",
        3,
        Kind::MarksAndSkills,
        20,
        100,
        true,
    ),
    ("Évaluation en préparation", 0, Kind::Marks, 20, 100, false),
];

const OF_COLLEAGUES: [DemoEvaluation; 2] = [
    ("Évaluation n° 1", 10, Kind::MarksAndSkills, 20, 100, true),
    ("Travail en classe", 4, Kind::SkillsOnly, 20, 100, true),
];

/// A plausible result for the `i`-th student in the `k`-th evaluation (never a code for demo.eleve).
fn outcome(i: usize, k: usize, scale: u32, is_eleve: bool) -> Outcome {
    if !is_eleve {
        match (i, k % 3) {
            (2, 1) => return Outcome::Absent,
            (5, 2) => return Outcome::Exempt,
            (7, 0) => return Outcome::NotHandedIn,
            _ => {}
        }
    }
    let twentieths = 700 + ((i * 7 + k * 5) % 12) as u32 * 100 + ((i + k) % 2) as u32 * 50;
    Outcome::Mark(twentieths * scale / 20 / 50 * 50)
}

fn level(i: usize, k: usize) -> Level {
    const SPREAD: [Level; 8] = [
        Level::Satisfactory,
        Level::VeryGood,
        Level::Fragile,
        Level::Satisfactory,
        Level::VeryGood,
        Level::Insufficient,
        Level::Satisfactory,
        Level::Fragile,
    ];
    SPREAD[(i * 3 + k) % SPREAD.len()]
}

/// Seeds the demo's grades; does nothing without the demo accounts or if already seeded.
pub async fn seed_demo(db: &Db, now: Timestamp) -> db::Result<()> {
    let Some((school, class)) = demo_class(db).await? else {
        return Ok(());
    };
    let school = SchoolId(school);
    let today = Day::of(now);
    if store::periods(db, school).await?.is_empty() {
        let mut tx = db.begin().await?;
        for (label, start, end) in model::default_trimesters(today) {
            let row = store::PeriodRow {
                id: kernel::new_id(),
                label,
                start_day: start.to_string(),
                end_day: end.to_string(),
            };
            store::insert_period(&mut tx, school, &row).await?;
        }
        tx.commit().await?;
    }
    let Some(c) = dir::class(db, school, ClassId(class)).await? else {
        return Ok(());
    };
    let demo_prof = dir::person_by_login(db, "demo.prof").await?.map(|p| p.id);
    let eleve = dir::person_by_login(db, "demo.eleve").await?.map(|p| p.id);
    let mut teachings = teachings_of_class(db, school, class).await?;
    let Some(prof_at) = teachings.iter().position(|(t, _)| Some(*t) == demo_prof) else {
        return Ok(());
    };
    let prof = teachings.remove(prof_at);
    if !store::evaluations_of_teacher(db, school, UserId(prof.0))
        .await?
        .is_empty()
    {
        return Ok(());
    }
    // Evaluations fall inside the current period, on or before today.
    let periods = store::periods(db, school).await?;
    let start = periods
        .iter()
        .filter_map(|p| Some((Day::parse(&p.start_day)?, Day::parse(&p.end_day)?)))
        .find(|(s, e)| *s <= today && today <= *e)
        .map_or(today, |(s, _)| s);
    let students = dir::students_of_class(db, school, ClassId(class)).await?;
    let cycle = c.mef_code.as_deref().and_then(Cycle::of_mef).map(Cycle::number);
    let mut plan: Vec<(Uuid, String, DemoEvaluation)> =
        OF_PROF.iter().map(|e| (prof.0, prof.1.clone(), *e)).collect();
    teachings.sort_by(|a, b| a.1.cmp(&b.1));
    for (teacher, subject) in teachings.iter().take(2) {
        plan.extend(OF_COLLEAGUES.iter().map(|e| (*teacher, subject.clone(), *e)));
    }
    let mut tx = db.begin().await?;
    for (k, (teacher, subject, (title, ago, kind, scale, coefficient, published))) in
        plan.into_iter().enumerate()
    {
        let day = today.plus_days(-ago).max(start);
        let components = if kind.has_skills() {
            let main = component_of(&subject);
            if main == Component::D2 {
                vec![main]
            } else {
                vec![main, Component::D2]
            }
        } else {
            vec![]
        };
        let draft = EvaluationDraft {
            class_id: class,
            subject_code: subject,
            day,
            title: title.to_string(),
            kind,
            scale,
            coefficient,
            components: components.clone(),
        };
        let id = kernel::new_id();
        let new = store::NewEvaluation {
            id,
            class_name: &c.name,
            teacher: UserId(teacher),
            cycle,
            draft: &draft,
        };
        store::insert_evaluation(&mut tx, school, new, now).await?;
        let ids: Vec<Uuid> = students.iter().map(|s| s.id).collect();
        let mut marks = vec![];
        let mut skills = vec![];
        for (i, s) in students.iter().enumerate() {
            // The draft is half entered, as a teacher leaves it between two lessons.
            if !published && i % 2 == 1 {
                continue;
            }
            if kind.has_marks() {
                marks.push((s.id, outcome(i, k, scale, Some(s.id) == eleve)));
            }
            for (j, comp) in components.iter().enumerate() {
                skills.push((s.id, *comp, level(i + j, k)));
            }
        }
        store::replace_results(&mut tx, school, id, &ids, &marks, &skills, now).await?;
        if published {
            store::publish(&mut tx, school, id, now).await?;
        }
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_marks_stay_within_their_scale() {
        for i in 0..40 {
            for k in 0..10 {
                for scale in [10, 20] {
                    if let Outcome::Mark(m) = outcome(i, k, scale, false) {
                        assert!(m <= scale * 100, "{m} over {scale}");
                    }
                }
                assert!(matches!(outcome(i, k, 20, true), Outcome::Mark(_)));
            }
        }
    }
}
