//! The grades' entry point for pages and other crates: who acts, the errors, and what every part needs
//! (the school's periods, created the first time as the three trimesters of the year, its NR rule and
//! subject coefficients). Evaluations and their grid are in `teacher.rs`, what families see in
//! `family.rs`, the skills summaries in `cycle.rs`, the report-card API in `report.rs`.

use std::collections::HashMap;

use directory::model::Person;
use kernel::{Context, Profile, SchoolId, Timestamp, UserId};
use uuid::Uuid;
use web::{AppError, Msg};

use crate::Grades;
use crate::averages::NrPolicy;
use crate::model::{self, Day, FieldError, MarkProblem, Period};
use crate::store;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Db(#[from] db::Error),
    #[error("introuvable")]
    NotFound,
    #[error("interdit")]
    Forbidden,
    #[error("saisie invalide : {0:?}")]
    Invalid(FieldError),
    /// Several fields of one form (periods, coefficients).
    #[error("saisie invalide : {0:?}")]
    Fields(Vec<FieldError>),
    /// Rows of the marks grid that cannot be read; nothing was saved.
    #[error("notes invalides : {0:?}")]
    Marks(Vec<RowError>),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::Invalid(e)
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        match e {
            Error::Db(e) => e.into(),
            Error::NotFound => AppError::NotFound,
            Error::Forbidden => AppError::Forbidden,
            Error::Invalid(f) => AppError::BadRequest(f.problem_msg()),
            Error::Fields(mut fs) => match fs.drain(..).next() {
                Some(f) => AppError::BadRequest(f.problem_msg()),
                None => AppError::BadRequest(Msg::new("gr-problem-required")),
            },
            Error::Marks(rows) => match rows.into_iter().next() {
                Some(r) => AppError::BadRequest(r.msg()),
                None => AppError::BadRequest(Msg::new("gr-problem-required")),
            },
        }
    }
}

/// A mark of the grid that cannot be read: which row (1 = first student), whose, what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub student: Uuid,
    pub name: String,
    pub typed: String,
    pub problem: MarkProblem,
    pub scale: u32,
}

impl RowError {
    /// "Ligne 3 (DUPONT Marie) : la note « 23 » dépasse le barème (sur 20)."
    pub fn msg(&self) -> Msg {
        Msg::new(self.problem.key())
            .arg("row", self.row)
            .arg("name", &self.name)
            .arg("mark", &self.typed)
            .arg("scale", self.scale)
    }
}

/// Who acts: the signed-in person and the school and profile they act in.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub user: UserId,
    pub school: SchoolId,
    pub profile: Profile,
}

impl Viewer {
    /// The viewer of a session acting in a school; `NotFound` for the regional administration.
    pub fn of(u: &web::CurrentUser) -> Result<Viewer> {
        match u.context.context {
            Context::School { school, profile } => Ok(Viewer {
                user: u.user_id,
                school,
                profile,
            }),
            Context::RegionAdmin { .. } => Err(Error::NotFound),
        }
    }
}

/// A school's grading settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub nr: NrPolicy,
    /// (code, label, coefficient in hundredths) of every subject taught in the school.
    pub subjects: Vec<(String, String, u32)>,
}

impl Grades {
    pub fn db(&self) -> &db::Db {
        &self.db
    }

    /// The blob store (report cards keep their PDF files there).
    pub fn blobs(&self) -> &blob::Blobs {
        &self.blobs
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn today(&self) -> Day {
        Day::of(self.now())
    }

    /// The school's grading periods in order. A school that never set any gets the three trimesters
    /// of the current school year, stored so that their ids stay.
    pub async fn periods(&self, school: SchoolId) -> Result<Vec<Period>> {
        let mut rows = store::periods(&self.db, school).await?;
        if rows.is_empty() {
            let mut tx = self.db.begin().await?;
            if store::periods_in(&mut tx, school).await?.is_empty() {
                for (label, start, end) in model::default_trimesters(self.today()) {
                    let row = store::PeriodRow {
                        id: kernel::new_id(),
                        label,
                        start_day: start.to_string(),
                        end_day: end.to_string(),
                    };
                    match store::insert_period(&mut tx, school, &row).await {
                        // Another request created them at the same instant (PostgreSQL): theirs stand.
                        Err(db::Error::Conflict(_)) => break,
                        other => other?,
                    }
                }
            }
            match tx.commit().await {
                Err(db::Error::Conflict(_)) | Ok(()) => {}
                Err(e) => return Err(e.into()),
            }
            rows = store::periods(&self.db, school).await?;
        }
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(Period {
                    id: r.id,
                    start: Day::parse(&r.start_day)?,
                    end: Day::parse(&r.end_day)?,
                    label: r.label,
                })
            })
            .collect())
    }

    /// One period of the school; `NotFound` for another school's.
    pub async fn period(&self, school: SchoolId, id: Uuid) -> Result<Period> {
        self.periods(school)
            .await?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or(Error::NotFound)
    }

    /// The period asked for (`?periode=`), else the current one.
    pub(crate) async fn chosen_period(
        &self,
        school: SchoolId,
        asked: Option<Uuid>,
    ) -> Result<(Vec<Period>, Option<Period>)> {
        let periods = self.periods(school).await?;
        let chosen = match asked {
            Some(id) => Some(
                periods
                    .iter()
                    .find(|p| p.id == id)
                    .cloned()
                    .ok_or(Error::NotFound)?,
            ),
            None => model::current_period(&periods, self.today()).cloned(),
        };
        Ok((periods, chosen))
    }

    pub async fn nr_policy(&self, school: SchoolId) -> Result<NrPolicy> {
        Ok(match store::nr_counts_zero(&self.db, school).await? {
            Some(false) => NrPolicy::NotCounted,
            _ => NrPolicy::Zero,
        })
    }

    /// Subject coefficients the school set (hundredths); other subjects weigh 1 (100).
    pub async fn subject_coefficients(&self, school: SchoolId) -> Result<HashMap<String, u32>> {
        Ok(store::subject_coefficients(&self.db, school)
            .await?
            .into_iter()
            .map(|(code, _, c)| (code, u32::try_from(c).unwrap_or(100)))
            .collect())
    }

    pub async fn settings(&self, school: SchoolId) -> Result<Settings> {
        let set = self.subject_coefficients(school).await?;
        let subjects = store::school_subjects(&self.db, school)
            .await?
            .into_iter()
            .map(|(code, label)| {
                let c = set.get(&code).copied().unwrap_or(100);
                (code, label, c)
            })
            .collect();
        Ok(Settings {
            nr: self.nr_policy(school).await?,
            subjects,
        })
    }

    fn check_may_edit(v: &Viewer) -> Result<()> {
        if model::may_edit_settings(v.profile) {
            Ok(())
        } else if matches!(v.profile, Profile::Student | Profile::Guardian) {
            Err(Error::NotFound)
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Replaces the school's periods (direction and administration). Periods keep their ids when their
    /// row is kept; no evaluation may be left outside every period.
    pub async fn save_periods(&self, v: &Viewer, rows: &[model::PeriodRow]) -> Result<()> {
        Grades::check_may_edit(v)?;
        let checked = model::check_periods(rows).map_err(Error::Fields)?;
        let orphans: Vec<String> = store::evaluation_days(&self.db, v.school)
            .await?
            .into_iter()
            .filter(|d| Day::parse(d).is_some_and(|d| !checked.iter().any(|p| p.2 <= d && d <= p.3)))
            .collect();
        if let Some(day) = orphans.first() {
            return Err(FieldError::new("gr-field-period", "gr-problem-period-orphans")
                .arg("day", model::day_fr(day))
                .into());
        }
        let mut tx = self.db.begin().await?;
        let existing: Vec<Uuid> = store::periods_in(&mut tx, v.school)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect();
        let kept: Vec<Uuid> = checked
            .iter()
            .filter_map(|p| p.0)
            .filter(|id| existing.contains(id))
            .collect();
        for id in existing.iter().filter(|id| !kept.contains(id)) {
            store::delete_period(&mut tx, v.school, *id).await?;
        }
        // Two steps, so that a period taking another's first day never meets the unique index.
        for id in &kept {
            let parked = store::PeriodRow {
                id: *id,
                label: String::new(),
                start_day: format!("~{id}"),
                end_day: String::new(),
            };
            store::update_period(&mut tx, v.school, &parked).await?;
        }
        for (id, label, start, end) in checked {
            let row = store::PeriodRow {
                id: id.filter(|id| kept.contains(id)).unwrap_or_else(kernel::new_id),
                label,
                start_day: start.to_string(),
                end_day: end.to_string(),
            };
            if kept.contains(&row.id) {
                store::update_period(&mut tx, v.school, &row).await?;
            } else {
                store::insert_period(&mut tx, v.school, &row).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Sets the NR rule and the subject coefficients (`(code, typed coefficient)`; empty is 1).
    pub async fn save_settings(
        &self,
        v: &Viewer,
        nr: NrPolicy,
        coefficients: &[(String, String)],
    ) -> Result<()> {
        Grades::check_may_edit(v)?;
        let subjects = store::school_subjects(&self.db, v.school).await?;
        let mut errors = vec![];
        let mut values = vec![];
        for (code, label) in &subjects {
            let typed = coefficients
                .iter()
                .find(|(c, _)| c == code)
                .map(|(_, t)| t.trim())
                .unwrap_or("");
            if typed.is_empty() {
                values.push((code, None));
                continue;
            }
            match model::parse_hundredths(typed).filter(|c| (1..=model::MAX_COEFFICIENT).contains(c)) {
                Some(c) => values.push((code, i32::try_from(c).ok())),
                None => errors.push(
                    FieldError::new("gr-field-subject-coefficient", "gr-problem-subject-coefficient")
                        .arg("subject", label)
                        .arg("typed", typed),
                ),
            }
        }
        if !errors.is_empty() {
            return Err(Error::Fields(errors));
        }
        let mut tx = self.db.begin().await?;
        store::set_nr_counts_zero(&mut tx, v.school, nr == NrPolicy::Zero, self.now()).await?;
        for (code, c) in values {
            store::set_subject_coefficient(&mut tx, v.school, code, c).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// The child a guardian asked for (one of theirs), or their first.
pub(crate) fn pick_child(children: &[Person], asked: Option<Uuid>) -> Result<Option<Uuid>> {
    match asked {
        Some(id) if children.iter().any(|c| c.id == id) => Ok(Some(id)),
        Some(_) => Err(Error::NotFound),
        None => Ok(children.first().map(|c| c.id)),
    }
}
