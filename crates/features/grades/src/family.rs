//! What a student and their parents see: per period, each subject with its published evaluations (the
//! student's mark, the evaluation's class average, min and max), the student's subject average and the
//! class's, and the overall averages. Drafts never appear.

use directory::model::Person;
use directory::store as dir;
use kernel::{ClassId, Profile, UserId};
use uuid::Uuid;

use crate::Grades;
use crate::averages::{self, NrPolicy, Outcome, Spread};
use crate::exact::Ratio;
use crate::model::Period;
use crate::service::{Error, Result, Viewer, pick_child};
use crate::skills::{Component, Level};
use crate::store;
use crate::teacher::Evaluation;

/// One evaluation as a family sees it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub evaluation: Evaluation,
    /// The student's result; `None`: nothing entered for them.
    pub outcome: Option<Outcome>,
    /// The evaluation's class average, min and max (its own scale).
    pub spread: Option<Spread>,
    pub skills: Vec<(Component, Level)>,
}

/// A subject of the marks page.
#[derive(Debug, Clone)]
pub struct SubjectBlock {
    pub code: String,
    pub label: String,
    pub teachers: Vec<String>,
    /// Weight in the overall average (hundredths).
    pub coefficient: u32,
    pub average: Option<Ratio>,
    pub class_average: Option<Ratio>,
    pub evaluations: Vec<Seen>,
}

/// `/notes` for a student or a parent.
#[derive(Debug, Clone, Default)]
pub struct MarksPage {
    pub children: Vec<Person>,
    pub child: Option<Uuid>,
    pub periods: Vec<Period>,
    pub period: Option<Period>,
    pub subjects: Vec<SubjectBlock>,
    pub overall: Option<Ratio>,
    pub class_overall: Option<Ratio>,
    pub nr: NrPolicy,
}

impl Grades {
    /// The student a family viewer looks at: themselves, or the chosen child (`None`: no child here).
    pub(crate) async fn family_student(
        &self,
        v: &Viewer,
        child: Option<Uuid>,
    ) -> Result<(Vec<Person>, Option<Uuid>)> {
        match v.profile {
            Profile::Student => Ok((vec![], Some(v.user.0))),
            Profile::Guardian => {
                let children = dir::children_in_school(&self.db, v.school, v.user).await?;
                let chosen = pick_child(&children, child)?;
                Ok((children, chosen))
            }
            _ => Err(Error::NotFound),
        }
    }

    /// The student's marks and averages over a period (the current one unless `period` names one).
    pub async fn marks_page(
        &self,
        v: &Viewer,
        child: Option<Uuid>,
        period: Option<Uuid>,
    ) -> Result<MarksPage> {
        let (children, student) = self.family_student(v, child).await?;
        let (periods, period) = self.chosen_period(v.school, period).await?;
        let mut page = MarksPage {
            child: if v.profile == Profile::Guardian {
                student
            } else {
                None
            },
            children,
            periods,
            period: period.clone(),
            nr: self.nr_policy(v.school).await?,
            ..MarksPage::default()
        };
        let (Some(student), Some(period)) = (student, period) else {
            return Ok(page);
        };
        let classes = dir::classes_of_student(&self.db, v.school, UserId(student)).await?;
        let class_ids: Vec<Uuid> = classes.iter().map(|c| c.id).collect();
        let (from, to) = (period.start.to_string(), period.end.to_string());
        let with_results =
            store::evaluations_with_results_of(&self.db, v.school, student, &from, &to).await?;
        let rows =
            store::published_between(&self.db, v.school, &class_ids, &with_results, &from, &to).await?;
        let seen = self.seen(v, rows, student).await?;
        // The class the averages compare with: the student's division.
        let peers: Vec<Uuid> = match classes.iter().find(|c| c.kind == "classe") {
            Some(d) => dir::students_of_class(&self.db, v.school, ClassId(d.id))
                .await?
                .into_iter()
                .map(|p| p.id)
                .collect(),
            None => vec![student],
        };
        let table = self.averages_of(v.school, &peers, &period).await?;
        let own = table.students.iter().find(|s| s.student == student);
        let coefficients = self.subject_coefficients(v.school).await?;
        for e in seen {
            let code = e.evaluation.row.subject_code.clone();
            let teacher = format!(
                "{} {}",
                e.evaluation.row.teacher_first, e.evaluation.row.teacher_last
            );
            match page.subjects.iter_mut().find(|b| b.code == code) {
                Some(b) => {
                    if !b.teachers.contains(&teacher) {
                        b.teachers.push(teacher);
                    }
                    b.evaluations.push(e);
                }
                None => page.subjects.push(SubjectBlock {
                    code: code.clone(),
                    label: e.evaluation.row.subject_label.clone(),
                    teachers: vec![teacher],
                    coefficient: coefficients.get(&code).copied().unwrap_or(100),
                    average: own.and_then(|o| o.subjects.get(&code).cloned()),
                    class_average: table.subjects.get(&code).map(|s| s.average.clone()),
                    evaluations: vec![e],
                }),
            }
        }
        page.overall = own.and_then(|o| o.overall.clone());
        page.class_overall = table.overall.map(|s| s.average);
        Ok(page)
    }

    /// Evaluations with the student's result, the spread of each and the student's skill levels.
    async fn seen(&self, v: &Viewer, rows: Vec<store::EvaluationRow>, student: Uuid) -> Result<Vec<Seen>> {
        let evaluations = self.with_components(v.school, rows).await?;
        let ids: Vec<Uuid> = evaluations.iter().map(|e| e.row.id).collect();
        let marks = store::marks_of(&self.db, v.school, &ids).await?;
        let skills = store::skills_of(&self.db, v.school, &ids).await?;
        let nr = self.nr_policy(v.school).await?;
        Ok(evaluations
            .into_iter()
            .map(|evaluation| {
                let id = evaluation.row.id;
                let of_eval = marks.iter().filter(|m| m.evaluation_id == id);
                let outcomes: Vec<Outcome> = of_eval.clone().filter_map(|m| m.outcome()).collect();
                Seen {
                    outcome: of_eval
                        .clone()
                        .find(|m| m.student_id == student)
                        .and_then(|m| m.outcome()),
                    spread: if evaluation.kind.has_marks() {
                        averages::evaluation_spread(&outcomes, nr)
                    } else {
                        None
                    },
                    skills: skills
                        .iter()
                        .filter(|s| s.evaluation_id == id && s.student_id == student)
                        .filter_map(|s| s.parsed())
                        .collect(),
                    evaluation,
                }
            })
            .collect())
    }

    /// One published evaluation as the student (or the chosen child's parent) sees it. A draft, or an
    /// evaluation of another class, is not found.
    pub async fn seen_evaluation(
        &self,
        v: &Viewer,
        id: Uuid,
        child: Option<Uuid>,
    ) -> Result<(Seen, Option<Person>)> {
        let row = store::evaluation(&self.db, v.school, id)
            .await?
            .ok_or(Error::NotFound)?;
        if row.published_at.is_none() {
            return Err(Error::NotFound);
        }
        let (children, asked) = self.family_student(v, child).await?;
        // A parent without `?eleve=` sees the evaluation through whichever child it concerns.
        let candidates: Vec<Uuid> = match (v.profile, child) {
            (Profile::Guardian, None) => children.iter().map(|c| c.id).collect(),
            _ => asked.into_iter().collect(),
        };
        let mut concerned = None;
        for s in candidates {
            let member = !dir::students_among(&self.db, v.school, ClassId(row.class_id), &[s])
                .await?
                .is_empty();
            let has_result = store::marks_of(&self.db, v.school, &[id])
                .await?
                .iter()
                .any(|m| m.student_id == s)
                || store::skills_of(&self.db, v.school, &[id])
                    .await?
                    .iter()
                    .any(|m| m.student_id == s);
            if member || has_result {
                concerned = Some(s);
                break;
            }
        }
        let student = concerned.ok_or(Error::NotFound)?;
        let seen = self
            .seen(v, vec![row], student)
            .await?
            .into_iter()
            .next()
            .ok_or(Error::NotFound)?;
        let child = children.into_iter().find(|c| c.id == student);
        Ok((seen, child))
    }
}
