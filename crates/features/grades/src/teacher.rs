//! A teacher's side: the evaluations they set to the classes and groups they teach, the grid where they
//! enter marks and skill levels, publication (announced in the outbox as `grades.published`).

use directory::model::Person;
use directory::store::{self as dir, Teaching};
use kernel::{ClassId, Profile};
use uuid::Uuid;

use crate::Grades;
use crate::averages::{self, NrPolicy, Outcome, Spread};
use crate::model::{self, Day, EvaluationDraft, EvaluationForm, FieldError, Kind, Period};
use crate::service::{Error, Result, RowError, Viewer};
use crate::skills::{Component, Cycle, Level};
use crate::store::{self, EvaluationRow};

/// An evaluation with its kind and components read.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub row: EvaluationRow,
    pub kind: Kind,
    pub components: Vec<Component>,
}

impl Evaluation {
    pub fn scale(&self) -> u32 {
        u32::try_from(self.row.scale).unwrap_or(20)
    }

    pub fn coefficient_fr(&self) -> String {
        model::points_fr(u32::try_from(self.row.coefficient).unwrap_or(100))
    }

    pub fn is_published(&self) -> bool {
        self.row.published_at.is_some()
    }
}

/// One student's row of the grid.
#[derive(Debug, Clone)]
pub struct GridRow {
    pub student: Person,
    /// The mark as stored ("12,5", "Abs"), empty when nothing was entered.
    pub mark: String,
    /// The level of each of the evaluation's components.
    pub levels: Vec<Option<Level>>,
}

/// The marks grid of an evaluation.
#[derive(Debug, Clone)]
pub struct Grid {
    pub evaluation: Evaluation,
    pub rows: Vec<GridRow>,
    /// Class average, min and max of the marks entered (on the evaluation's scale).
    pub spread: Option<Spread>,
    pub nr: NrPolicy,
    pub period: Option<Period>,
}

/// A teacher's evaluation in their list.
#[derive(Debug, Clone)]
pub struct Listed {
    pub evaluation: EvaluationRow,
    pub period: Option<String>,
    pub entered: usize,
}

impl Grades {
    pub(crate) async fn with_components(
        &self,
        school: kernel::SchoolId,
        rows: Vec<EvaluationRow>,
    ) -> Result<Vec<Evaluation>> {
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let components = store::components_of(&self.db, school, &ids).await?;
        Ok(rows
            .into_iter()
            .map(|row| Evaluation {
                kind: Kind::parse(&row.kind).unwrap_or_default(),
                components: components
                    .iter()
                    .filter(|(e, _)| *e == row.id)
                    .filter_map(|(_, c)| Component::parse(c))
                    .collect(),
                row,
            })
            .collect())
    }

    pub(crate) async fn evaluation(&self, v: &Viewer, id: Uuid) -> Result<Evaluation> {
        let row = store::evaluation(&self.db, v.school, id)
            .await?
            .ok_or(Error::NotFound)?;
        self.with_components(v.school, vec![row])
            .await?
            .into_iter()
            .next()
            .ok_or(Error::NotFound)
    }

    async fn teaches(&self, v: &Viewer, class: Uuid, subject: &str) -> Result<bool> {
        Ok(v.profile == Profile::Teacher
            && dir::subjects_taught(&self.db, v.school, ClassId(class), v.user)
                .await?
                .iter()
                .any(|s| s == subject))
    }

    /// An evaluation its teacher may change: theirs, in a class and subject they still teach. Other
    /// teachers are refused (403); everyone else finds nothing (404).
    pub(crate) async fn own_evaluation(&self, v: &Viewer, id: Uuid) -> Result<Evaluation> {
        if v.profile != Profile::Teacher {
            return Err(Error::NotFound);
        }
        let e = self.evaluation(v, id).await?;
        if e.row.teacher_id != v.user.0 || !self.teaches(v, e.row.class_id, &e.row.subject_code).await? {
            return Err(Error::Forbidden);
        }
        Ok(e)
    }

    /// What the teacher teaches, to choose an evaluation's class and subject from.
    pub async fn teachings(&self, v: &Viewer) -> Result<Vec<Teaching>> {
        if v.profile != Profile::Teacher {
            return Err(Error::NotFound);
        }
        Ok(dir::teachings_of(&self.db, v.school, v.user).await?)
    }

    /// The teacher's evaluations, latest first, with their period and how many results are entered.
    pub async fn my_evaluations(&self, v: &Viewer) -> Result<Vec<Listed>> {
        if v.profile != Profile::Teacher {
            return Err(Error::NotFound);
        }
        let periods = self.periods(v.school).await?;
        let rows = store::evaluations_of_teacher(&self.db, v.school, v.user).await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let marks = store::marks_of(&self.db, v.school, &ids).await?;
        let skills = store::skills_of(&self.db, v.school, &ids).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let mut students: Vec<Uuid> = marks
                    .iter()
                    .filter(|m| m.evaluation_id == r.id)
                    .map(|m| m.student_id)
                    .chain(
                        skills
                            .iter()
                            .filter(|s| s.evaluation_id == r.id)
                            .map(|s| s.student_id),
                    )
                    .collect();
                students.sort();
                students.dedup();
                let day = Day::parse(&r.day);
                Listed {
                    period: periods
                        .iter()
                        .find(|p| day.is_some_and(|d| p.contains(d)))
                        .map(|p| p.label.clone()),
                    entered: students.len(),
                    evaluation: r,
                }
            })
            .collect())
    }

    /// Checks a form for a class and subject the teacher teaches, on a day inside a period.
    async fn checked(&self, v: &Viewer, form: &EvaluationForm) -> Result<EvaluationDraft> {
        let draft = form.check()?;
        if !self.teaches(v, draft.class_id, &draft.subject_code).await? {
            return Err(if v.profile == Profile::Teacher {
                Error::Forbidden
            } else {
                Error::NotFound
            });
        }
        if !self
            .periods(v.school)
            .await?
            .iter()
            .any(|p| p.contains(draft.day))
        {
            return Err(FieldError::new("gr-field-day", "gr-problem-no-period").into());
        }
        Ok(draft)
    }

    /// Creates a draft evaluation (invisible to families until published).
    pub async fn create_evaluation(&self, v: &Viewer, form: &EvaluationForm) -> Result<Uuid> {
        if v.profile != Profile::Teacher {
            return Err(Error::NotFound);
        }
        let draft = self.checked(v, form).await?;
        let class = dir::class(&self.db, v.school, ClassId(draft.class_id))
            .await?
            .ok_or(Error::NotFound)?;
        let cycle = class
            .mef_code
            .as_deref()
            .and_then(Cycle::of_mef)
            .map(Cycle::number);
        let id = kernel::new_id();
        let mut tx = self.db.begin().await?;
        let new = store::NewEvaluation {
            id,
            class_name: &class.name,
            teacher: v.user,
            cycle,
            draft: &draft,
        };
        store::insert_evaluation(&mut tx, v.school, new, self.now()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes an evaluation's day, title, kind, scale, coefficient or components.
    pub async fn update_evaluation(&self, v: &Viewer, id: Uuid, form: &EvaluationForm) -> Result<()> {
        let e = self.own_evaluation(v, id).await?;
        let form = EvaluationForm {
            teaching: format!("{}:{}", e.row.class_id, e.row.subject_code),
            ..form.clone()
        };
        let draft = self.checked(v, &form).await?;
        let mut tx = self.db.begin().await?;
        store::update_evaluation(&mut tx, v.school, id, &draft, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_evaluation(&self, v: &Viewer, id: Uuid) -> Result<()> {
        self.own_evaluation(v, id).await?;
        let mut tx = self.db.begin().await?;
        store::delete_evaluation(&mut tx, v.school, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The grid of an evaluation: the class's students, by name, with what is entered.
    pub async fn grid(&self, v: &Viewer, id: Uuid) -> Result<Grid> {
        let evaluation = self.own_evaluation(v, id).await?;
        let students = dir::students_of_class(&self.db, v.school, ClassId(evaluation.row.class_id)).await?;
        let marks = store::marks_of(&self.db, v.school, &[id]).await?;
        let skills = store::skills_of(&self.db, v.school, &[id]).await?;
        let nr = self.nr_policy(v.school).await?;
        let rows = students
            .into_iter()
            .map(|student| {
                let mark = marks
                    .iter()
                    .find(|m| m.student_id == student.id)
                    .and_then(|m| m.outcome())
                    .map(model::outcome_text)
                    .unwrap_or_default();
                let levels = evaluation
                    .components
                    .iter()
                    .map(|c| {
                        skills
                            .iter()
                            .filter(|s| s.student_id == student.id)
                            .filter_map(|s| s.parsed())
                            .find(|(sc, _)| sc == c)
                            .map(|(_, l)| l)
                    })
                    .collect();
                GridRow {
                    student,
                    mark,
                    levels,
                }
            })
            .collect();
        let outcomes: Vec<Outcome> = marks.iter().filter_map(|m| m.outcome()).collect();
        let day = Day::parse(&evaluation.row.day);
        Ok(Grid {
            spread: averages::evaluation_spread(&outcomes, nr),
            period: self
                .periods(v.school)
                .await?
                .into_iter()
                .find(|p| day.is_some_and(|d| p.contains(d))),
            evaluation,
            rows,
            nr,
        })
    }

    /// Saves the grid as posted (`note.<student>` and `comp.<student>.<component>` fields): every row
    /// is read first, and one bad mark refuses the whole form with each bad row named.
    pub async fn save_results(&self, v: &Viewer, id: Uuid, fields: &[(String, String)]) -> Result<()> {
        let evaluation = self.own_evaluation(v, id).await?;
        let students = dir::students_of_class(&self.db, v.school, ClassId(evaluation.row.class_id)).await?;
        let field = |name: String| {
            fields
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.as_str())
                .unwrap_or("")
        };
        let scale = evaluation.scale();
        let (mut marks, mut skills, mut errors) = (vec![], vec![], vec![]);
        for (i, s) in students.iter().enumerate() {
            if evaluation.kind.has_marks() {
                let typed = field(format!("note.{}", s.id));
                match model::parse_mark(typed, scale) {
                    Ok(Some(o)) => marks.push((s.id, o)),
                    Ok(None) => {}
                    Err(problem) => errors.push(RowError {
                        row: i + 1,
                        student: s.id,
                        name: s.list_name(),
                        typed: typed.trim().to_string(),
                        problem,
                        scale,
                    }),
                }
            }
            for c in &evaluation.components {
                let typed = field(format!("comp.{}.{}", s.id, c.slug()));
                if let Some(level) = typed.trim().parse().ok().and_then(Level::of_number) {
                    skills.push((s.id, *c, level));
                }
            }
        }
        if !errors.is_empty() {
            return Err(Error::Marks(errors));
        }
        let ids: Vec<Uuid> = students.iter().map(|s| s.id).collect();
        let mut tx = self.db.begin().await?;
        store::replace_results(&mut tx, v.school, id, &ids, &marks, &skills, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes an evaluation: families see it from now on, and `grades.published` tells whoever
    /// notifies them (same transaction). Publishing twice does nothing.
    pub async fn publish(&self, v: &Viewer, id: Uuid) -> Result<()> {
        let e = self.own_evaluation(v, id).await?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        if store::publish(&mut tx, v.school, id, now).await? {
            let students = store::students_with_results(&mut tx, v.school, id).await?;
            let payload = serde_json::json!({
                "evaluation": id,
                "class": e.row.class_id,
                "subject": e.row.subject_code,
                "teacher": v.user,
                "day": e.row.day,
                "title": e.row.title,
                "students": students,
            });
            let event = bus::Event {
                topic: "grades.published",
                school: Some(v.school),
                payload,
            };
            bus::publish(&mut tx, now, event).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
