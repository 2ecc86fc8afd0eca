//! Report cards' entry point for pages: who may do what for a class and period (from the directory),
//! the appraisals and the council's decisions, each form saved in one transaction. Generating,
//! publishing and downloading the PDF files are in `issue.rs`.

use std::collections::HashMap;

use directory::model::Person;
use directory::store as dir;
use kernel::{ClassId, Profile, SchoolId};
use uuid::Uuid;
use web::{AppError, Msg};

use super::model::{self, ClassRole, Mention};
use super::sources::{self, Results};
use super::store::{self, CardRow, Scope};
use crate::Grades;
use crate::model::{Day, FieldError, Period};
use crate::service::Viewer;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Db(#[from] db::Error),
    #[error(transparent)]
    Blob(#[from] blob::Error),
    #[error(transparent)]
    Pdf(#[from] pdf::Error),
    #[error(transparent)]
    Grades(#[from] crate::service::Error),
    #[error("introuvable")]
    NotFound,
    #[error("interdit")]
    Forbidden,
    /// Fields of one form that cannot be saved (each names its student); nothing was saved.
    #[error("saisie invalide : {0:?}")]
    Fields(Vec<FieldError>),
    /// An action that cannot be done now (nothing to publish…), with the reason to show.
    #[error("refusé : {0}")]
    Refused(&'static str),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::Fields(vec![e])
    }
}

pub(crate) fn field_msg(f: &FieldError) -> Msg {
    f.args.iter().fold(Msg::new(f.problem), |m, (k, v)| m.arg(k, v))
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        match e {
            Error::Db(e) => e.into(),
            Error::Blob(e) => AppError::internal(e),
            Error::Pdf(e) => AppError::internal(e),
            Error::Grades(e) => e.into(),
            Error::NotFound => AppError::NotFound,
            Error::Forbidden => AppError::Forbidden,
            Error::Fields(fs) => match fs.first() {
                Some(f) => AppError::BadRequest(field_msg(f)),
                None => AppError::BadRequest(Msg::new("rc-problem-nothing")),
            },
            Error::Refused(key) => AppError::Conflict(Msg::new(key)),
        }
    }
}

/// The report-card side of the grades feature. Cheap to clone.
#[derive(Clone)]
pub struct ReportCards {
    pub(crate) grades: Grades,
}

/// One class and period as the class page and the forms see it.
pub struct ClassPeriod {
    pub scope: Scope,
    pub class_name: String,
    pub period: Period,
    pub role: ClassRole,
    pub students: Vec<Person>,
    /// The class or the period no longer exists: its report cards are only read.
    pub archived: bool,
}

/// A student's line of a teacher's appraisal sheet.
pub struct SheetRow {
    pub student: Person,
    pub average: Option<u64>,
    pub text: String,
}

pub struct Sheet {
    pub cp: ClassPeriod,
    pub subject_code: String,
    pub subject_label: String,
    pub rows: Vec<SheetRow>,
}

/// "Prénom Nom".
pub fn full_name(p: &Person) -> String {
    format!("{} {}", p.first_name, p.last_name)
}

impl ReportCards {
    pub fn new(grades: Grades) -> ReportCards {
        ReportCards { grades }
    }

    pub(crate) fn db(&self) -> &db::Db {
        self.grades.db()
    }

    /// How the viewer stands towards a class, from the directory.
    pub async fn role(&self, v: &Viewer, class: ClassId) -> Result<ClassRole> {
        let (head, subjects) = if v.profile == Profile::Teacher {
            let head = dir::head_teacher_classes(self.db(), v.school, v.user)
                .await?
                .contains(&class.0);
            (
                head,
                dir::subjects_taught(self.db(), v.school, class, v.user).await?,
            )
        } else {
            (false, vec![])
        };
        Ok(ClassRole::of(v.profile, head, subjects))
    }

    /// 403 for staff of the school, 404 for families and everyone else.
    pub(crate) fn refusal(v: &Viewer) -> Error {
        match v.profile {
            Profile::Student | Profile::Guardian => Error::NotFound,
            _ => Error::Forbidden,
        }
    }

    /// A class of the school and one of its periods, with the viewer's role and the class's students.
    /// A class gone with the year rollover, or a period the direction has since redrawn, stays open
    /// (archived: read only) as long as it has report cards.
    pub async fn class_period(&self, v: &Viewer, class: Uuid, period: Uuid) -> Result<ClassPeriod> {
        let class = ClassId(class);
        let scope = Scope {
            school: v.school,
            period,
            class,
        };
        let found = dir::class(self.db(), v.school, class).await?;
        let current = match self.grades.period(v.school, period).await {
            Ok(p) => Some(p),
            Err(crate::service::Error::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        let role = self.role(v, class).await?;
        if let (Some(c), Some(p)) = (&found, &current) {
            return Ok(ClassPeriod {
                scope,
                class_name: c.name.clone(),
                period: p.clone(),
                role,
                students: dir::students_of_class(self.db(), v.school, class).await?,
                archived: false,
            });
        }
        let cards = store::cards_of_class(self.db(), scope).await?;
        let first = cards.first().ok_or(Error::NotFound)?;
        let day = Day::of(kernel::Timestamp(first.generated_at));
        Ok(ClassPeriod {
            scope,
            class_name: found.map_or_else(|| first.class_name.clone(), |c| c.name),
            period: current.unwrap_or_else(|| Period {
                id: period,
                label: first.period_label.clone(),
                start: day,
                end: day,
            }),
            role,
            students: vec![],
            archived: true,
        })
    }

    /// Refuses to change an archived class's report cards.
    pub(crate) fn open(cp: &ClassPeriod) -> Result<()> {
        if cp.archived {
            Err(Error::Refused("rc-problem-archived"))
        } else {
            Ok(())
        }
    }

    /// The class's averages for the period (what the grades feature computes from published marks).
    pub async fn results(&self, cp: &ClassPeriod) -> Result<Results> {
        let ids: Vec<Uuid> = cp.students.iter().map(|s| s.id).collect();
        sources::results(&self.grades, cp.scope, &cp.period, &ids).await
    }

    /// A teacher's appraisal sheet for one subject: every student with their average and appraisal.
    pub async fn sheet(&self, v: &Viewer, class: Uuid, period: Uuid, subject: &str) -> Result<Sheet> {
        let cp = self.class_period(v, class, period).await?;
        if !cp.role.writes_subject(subject) {
            return Err(Self::refusal(v));
        }
        let subject_label = dir::subject_label(self.db(), subject)
            .await?
            .ok_or(Error::NotFound)?;
        let results = self.results(&cp).await?;
        let mut texts: HashMap<Uuid, String> = store::subject_appraisals(self.db(), cp.scope, Some(subject))
            .await?
            .into_iter()
            .filter(|a| a.teacher_id == v.user.0)
            .map(|a| (a.student_id, a.text))
            .collect();
        let rows = cp
            .students
            .iter()
            .map(|s| SheetRow {
                average: results.student(s.id, subject),
                text: texts.remove(&s.id).unwrap_or_default(),
                student: s.clone(),
            })
            .collect();
        Ok(Sheet {
            cp,
            subject_code: subject.to_string(),
            subject_label,
            rows,
        })
    }

    /// Reads one posted text per student (`{prefix}{student id}`), each checked; unknown ids are ignored.
    fn texts(
        cp: &ClassPeriod,
        form: &[(String, String)],
        prefix: &str,
        max: usize,
        field: &'static str,
    ) -> Result<Vec<(Uuid, String)>> {
        let mut errors = vec![];
        let mut texts = vec![];
        for s in &cp.students {
            let key = format!("{prefix}{}", s.id);
            let Some((_, typed)) = form.iter().find(|(k, _)| *k == key) else {
                continue;
            };
            match model::check_text(typed, max, field, &full_name(s)) {
                Ok(t) => texts.push((s.id, t)),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(texts)
        } else {
            Err(Error::Fields(errors))
        }
    }

    /// Saves a teacher's appraisals of their subject (only the subject's teachers in the class).
    pub async fn save_sheet(
        &self,
        v: &Viewer,
        class: Uuid,
        period: Uuid,
        subject: &str,
        form: &[(String, String)],
    ) -> Result<()> {
        let cp = self.class_period(v, class, period).await?;
        if !cp.role.writes_subject(subject) {
            return Err(Self::refusal(v));
        }
        Self::open(&cp)?;
        let texts = Self::texts(
            &cp,
            form,
            "appreciation-",
            model::MAX_SUBJECT_APPRAISAL,
            "rc-field-subject-appraisal",
        )?;
        let mut tx = self.db().begin().await?;
        store::save_subject_appraisals(&mut tx, cp.scope, (subject, v.user), &texts, self.grades.now())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Saves the head teacher's general appraisals.
    pub async fn save_general(
        &self,
        v: &Viewer,
        class: Uuid,
        period: Uuid,
        form: &[(String, String)],
    ) -> Result<()> {
        let cp = self.class_period(v, class, period).await?;
        if !cp.role.writes_general() {
            return Err(Self::refusal(v));
        }
        Self::open(&cp)?;
        let texts = Self::texts(
            &cp,
            form,
            "generale-",
            model::MAX_GENERAL_APPRAISAL,
            "rc-field-general-appraisal",
        )?;
        let mut tx = self.db().begin().await?;
        store::save_general_appraisals(&mut tx, cp.scope, v.user, &texts, self.grades.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the council: its summary and each student's mention (direction only).
    pub async fn save_council(
        &self,
        v: &Viewer,
        class: Uuid,
        period: Uuid,
        form: &[(String, String)],
    ) -> Result<()> {
        let cp = self.class_period(v, class, period).await?;
        if !cp.role.decides() {
            return Err(Self::refusal(v));
        }
        Self::open(&cp)?;
        let typed = form
            .iter()
            .find(|(k, _)| k == "bilan")
            .map(|(_, t)| t.as_str())
            .unwrap_or("");
        let mut errors = vec![];
        let summary = model::check_text(
            typed,
            model::MAX_COUNCIL_SUMMARY,
            "rc-field-council-summary",
            &cp.class_name,
        )
        .unwrap_or_else(|e| {
            errors.push(e);
            String::new()
        });
        let mut mentions: Vec<(Uuid, Option<Mention>)> = vec![];
        for s in &cp.students {
            let key = format!("mention-{}", s.id);
            if let Some((_, code)) = form.iter().find(|(k, _)| *k == key) {
                match model::parse_mention(code, &full_name(s)) {
                    Ok(m) => mentions.push((s.id, m)),
                    Err(e) => errors.push(e),
                }
            }
        }
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        let mut tx = self.db().begin().await?;
        store::save_council(&mut tx, cp.scope, v.user, &summary, &mentions, self.grades.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The report cards a family member may download: their own (students) or their children's
    /// (guardians), published ones only.
    pub async fn family_cards(&self, v: &Viewer) -> Result<(Vec<Person>, Vec<CardRow>)> {
        let people = match v.profile {
            Profile::Student => match dir::person(self.db(), v.user).await? {
                Some(p) => vec![p],
                None => vec![],
            },
            Profile::Guardian => self.children(v).await?,
            _ => vec![],
        };
        let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
        let cards = store::published_of(self.db(), v.school, &ids).await?;
        Ok((people, cards))
    }

    /// A guardian's children enrolled as students of the school (by membership, not by class: their
    /// report cards stay theirs between the year rollover and the next import of classes).
    async fn children(&self, v: &Viewer) -> Result<Vec<Person>> {
        Ok(dir::children_of(self.db(), v.user)
            .await?
            .into_iter()
            .filter(|c| c.school_id == v.school.0)
            .map(|c| Person {
                id: c.id,
                login: c.login,
                first_name: c.first_name,
                last_name: c.last_name,
            })
            .collect())
    }

    /// Whether the viewer is the student of a report card or one of their guardians.
    pub(crate) async fn is_family_of(&self, v: &Viewer, student: Uuid) -> Result<bool> {
        Ok(match v.profile {
            Profile::Student => v.user.0 == student,
            Profile::Guardian => self.children(v).await?.iter().any(|c| c.id == student),
            _ => false,
        })
    }

    /// The school's periods (created as trimesters the first time, by the grades feature).
    pub async fn periods(&self, school: SchoolId) -> Result<Vec<Period>> {
        Ok(self.grades.periods(school).await?)
    }
}
