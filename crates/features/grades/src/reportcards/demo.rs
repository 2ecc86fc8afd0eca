//! Demo content: in demo.eleve's class, for the current period, demo.prof's appraisals of two students
//! in three and the head teacher's general appraisals of a third of the class, so that the appraisal
//! sheet, the class page and a generated report card have something to show. Nothing is generated
//! or published: the direction does that from the class page.

use db::Db;
use directory::store as dir;
use kernel::{ClassId, Context, Profile, Timestamp, UserId};

use super::store::{self, Scope};
use crate::model::Day;

const SUBJECT: [&str; 6] = [
    "Trimestre sérieux : des résultats solides, une participation à encourager.",
    "Des efforts réels ; les leçons doivent être apprises plus régulièrement.",
    "Très bon travail, rigoureux et soigné. Continuez ainsi !",
    "Un début d'année difficile : il faut s'accrocher et demander de l'aide.",
    "Un travail attentif et volontaire, en nette progression.",
    "Résultats corrects, mais le travail personnel reste insuffisant.",
];

const GENERAL: [&str; 3] = [
    "Un bon trimestre dans l'ensemble. L'investissement à l'oral doit encore progresser.",
    "Des résultats encourageants ; il faut maintenant gagner en régularité.",
    "Trimestre satisfaisant : l'équipe pédagogique encourage ces efforts.",
];

/// Seeds the demo's appraisals; does nothing without the demo accounts or if already seeded.
pub async fn seed_demo(db: &Db, now: Timestamp) -> db::Result<()> {
    let (Some(prof), Some(eleve)) = (
        dir::person_by_login(db, "demo.prof").await?,
        dir::person_by_login(db, "demo.eleve").await?,
    ) else {
        return Ok(());
    };
    let school = dir::contexts_of(db, UserId(eleve.id))
        .await?
        .into_iter()
        .find_map(|(c, _)| match c {
            Context::School {
                school,
                profile: Profile::Student,
            } => Some(school),
            _ => None,
        });
    let Some(school) = school else {
        return Ok(());
    };
    let division = dir::classes_of_student(db, school, UserId(eleve.id))
        .await?
        .into_iter()
        .find(|c| c.kind == "classe");
    let Some(class) = division.map(|c| ClassId(c.id)) else {
        return Ok(());
    };
    let today = Day::of(now).to_string();
    let periods = crate::store::periods(db, school).await?;
    let current = periods
        .iter()
        .find(|p| p.start_day <= today && today <= p.end_day)
        .or(periods.first());
    let (Some(period), Some(subject)) = (
        current,
        dir::subjects_taught(db, school, class, UserId(prof.id))
            .await?
            .into_iter()
            .next(),
    ) else {
        return Ok(());
    };
    let scope = Scope {
        school,
        period: period.id,
        class,
    };
    if !store::subject_appraisals(db, scope, None).await?.is_empty() {
        return Ok(());
    }
    let students = dir::students_of_class(db, school, class).await?;
    let appraisals: Vec<(uuid::Uuid, String)> = students
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 2)
        .map(|(i, s)| (s.id, SUBJECT[i % SUBJECT.len()].to_string()))
        .collect();
    let mut tx = db.begin().await?;
    store::save_subject_appraisals(&mut tx, scope, (&subject, UserId(prof.id)), &appraisals, now).await?;
    if let Some(head) = dir::head_teachers(db, school, class).await?.first() {
        let generals: Vec<(uuid::Uuid, String)> = students
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 == 0)
            .map(|(i, s)| (s.id, GENERAL[(i / 3) % GENERAL.len()].to_string()))
            .collect();
        store::save_general_appraisals(&mut tx, scope, UserId(head.id), &generals, now).await?;
    }
    tx.commit().await
}
