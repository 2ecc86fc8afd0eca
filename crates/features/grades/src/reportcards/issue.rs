//! Issuing report cards: the class page's status, generating the PDF files (the blob store holds them,
//! `report_cards` records each version), publishing them to families with an outbox event each, and
//! downloads checked like the page they come from.

use std::collections::{BTreeMap, HashMap};

use directory::model::Person;
use directory::store as dir;
use kernel::{ClassId, Profile};
use uuid::Uuid;

use super::model::{self, Generation, Latest, Mention};
use super::print::{self, Card, SubjectLine};
use super::service::{ClassPeriod, Error, ReportCards, Result, full_name};
use super::sources::Results;
use super::store::{self, CardRow, NewCard};
use crate::service::Viewer;

/// The outbox topic of a published report card.
pub const PUBLISHED: &str = "grades.report_card_published";

/// A subject taught to the class, with how many of its appraisals are written.
pub struct SubjectStatus {
    pub code: String,
    pub label: String,
    pub teachers: Vec<String>,
    pub written: usize,
    /// The viewer teaches it (their appraisal sheet is one link away).
    pub mine: bool,
}

pub struct StudentBoard {
    pub person: Person,
    pub general: String,
    pub mention: Option<Mention>,
    pub overall: Option<u64>,
    /// Every version of the student's report card for the period, oldest first.
    pub cards: Vec<CardRow>,
}

/// What the class page shows.
pub struct ClassBoard {
    pub cp: ClassPeriod,
    pub subjects: Vec<SubjectStatus>,
    pub students: Vec<StudentBoard>,
    pub summary: String,
    /// Students whose latest report card is not published yet.
    pub unpublished: usize,
}

/// The class's subjects in label order: (code, label, teachers' names, teachers' ids).
type Taught = Vec<(String, String, Vec<String>, Vec<Uuid>)>;

fn latest(cards: &[CardRow], student: Uuid) -> Option<&CardRow> {
    cards
        .iter()
        .filter(|c| c.student_id == student)
        .max_by_key(|c| c.version)
}

impl ReportCards {
    async fn taught(&self, class: ClassId, school: kernel::SchoolId) -> Result<Taught> {
        let mut out: Taught = vec![];
        for (code, label, id, first, last) in store::teachings(self.db(), school, class).await? {
            match out.iter_mut().find(|t| t.0 == code) {
                Some(t) => {
                    t.2.push(format!("{first} {last}"));
                    t.3.push(id);
                }
                None => out.push((code, label, vec![format!("{first} {last}")], vec![id])),
            }
        }
        Ok(out)
    }

    /// The class page: appraisals written per subject, each student's general appraisal, mention and
    /// report-card versions (direction, head teacher, the class's teachers).
    pub async fn board(&self, v: &Viewer, class: Uuid, period: Uuid) -> Result<ClassBoard> {
        let cp = self.class_period(v, class, period).await?;
        if !cp.role.sees_class() {
            return Err(Self::refusal(v));
        }
        let appraisals = store::subject_appraisals(self.db(), cp.scope, None).await?;
        let subjects = self
            .taught(cp.scope.class, v.school)
            .await?
            .into_iter()
            .map(|(code, label, teachers, _)| SubjectStatus {
                written: appraisals
                    .iter()
                    .filter(|a| a.subject_code == code)
                    .map(|a| a.student_id)
                    .collect::<std::collections::HashSet<_>>()
                    .len(),
                mine: cp.role.writes_subject(&code),
                code,
                label,
                teachers,
            })
            .collect();
        let generals: HashMap<Uuid, String> = store::general_appraisals(self.db(), cp.scope)
            .await?
            .into_iter()
            .collect();
        let mentions: HashMap<Uuid, String> =
            store::mentions(self.db(), cp.scope).await?.into_iter().collect();
        let cards = store::cards_of_class(self.db(), cp.scope).await?;
        let results = if cp.archived {
            Results::default()
        } else {
            self.results(&cp).await?
        };
        // Students who left the class (or the whole archived class) still have their report cards.
        let mut people = cp.students.clone();
        for c in &cards {
            if !people.iter().any(|p| p.id == c.student_id) {
                people.push(Person {
                    id: c.student_id,
                    login: String::new(),
                    first_name: c.first_name.clone(),
                    last_name: c.last_name.clone(),
                });
            }
        }
        let students: Vec<StudentBoard> = people
            .iter()
            .map(|p| StudentBoard {
                general: generals.get(&p.id).cloned().unwrap_or_default(),
                mention: mentions.get(&p.id).and_then(|m| Mention::parse(m)),
                overall: results.overall(p.id).student,
                cards: cards.iter().filter(|c| c.student_id == p.id).cloned().collect(),
                person: p.clone(),
            })
            .collect();
        let unpublished = cp
            .students
            .iter()
            .filter(|p| latest(&cards, p.id).is_some_and(|c| c.published_at.is_none()))
            .count();
        Ok(ClassBoard {
            summary: store::council_summary(self.db(), cp.scope)
                .await?
                .unwrap_or_default(),
            cp,
            subjects,
            students,
            unpublished,
        })
    }

    /// What is printed on each student's report card.
    async fn cards(&self, cp: &ClassPeriod, results: &Results) -> Result<Vec<Card>> {
        let db = self.db();
        let school = cp.scope.school;
        let (name, city, uai, academy) = store::letterhead(db, school).await?.ok_or(Error::NotFound)?;
        let letterhead = pdf::Letterhead {
            school_name: name,
            address: vec![city],
            uai,
            academy,
        };
        let taught = self.taught(cp.scope.class, school).await?;
        let appraisals = store::subject_appraisals(db, cp.scope, None).await?;
        let generals: HashMap<Uuid, String> = store::general_appraisals(db, cp.scope)
            .await?
            .into_iter()
            .collect();
        let mentions: HashMap<Uuid, String> = store::mentions(db, cp.scope).await?.into_iter().collect();
        let summary = store::council_summary(db, cp.scope).await?.unwrap_or_default();
        let ids: Vec<Uuid> = cp.students.iter().map(|s| s.id).collect();
        let births: HashMap<Uuid, Option<String>> = store::birth_dates(db, &ids).await?.into_iter().collect();
        let heads: Vec<String> = dir::head_teachers(db, school, cp.scope.class)
            .await?
            .iter()
            .map(full_name)
            .collect();
        // Subjects a student has an average in without the class being taught them (a group's).
        let mut labels: BTreeMap<String, String> =
            taught.iter().map(|t| (t.0.clone(), t.1.clone())).collect();
        for code in results.subjects() {
            if !labels.contains_key(&code)
                && let Some(label) = dir::subject_label(db, &code).await?
            {
                labels.insert(code, label);
            }
        }
        let issued_on = jiff::civil::Date::strptime("%Y-%m-%d", self.grades.today().to_string()).ok();
        let mut cards = vec![];
        for s in &cp.students {
            let mut subjects: Vec<SubjectLine> = taught
                .iter()
                .map(|(code, label, teachers, teacher_ids)| SubjectLine {
                    label: label.clone(),
                    teachers: teachers.clone(),
                    figures: results.figures(s.id, code),
                    appraisals: teacher_ids
                        .iter()
                        .filter_map(|t| {
                            appraisals.iter().find(|a| {
                                a.student_id == s.id && a.subject_code == *code && a.teacher_id == *t
                            })
                        })
                        .map(|a| a.text.clone())
                        .collect(),
                })
                .collect();
            for code in results.subjects_of(s.id) {
                if !taught.iter().any(|t| t.0 == code) {
                    subjects.push(SubjectLine {
                        label: labels.get(&code).cloned().unwrap_or(code.clone()),
                        figures: results.figures(s.id, &code),
                        appraisals: appraisals
                            .iter()
                            .filter(|a| a.student_id == s.id && a.subject_code == code)
                            .map(|a| a.text.clone())
                            .collect(),
                        teachers: vec![],
                    });
                }
            }
            cards.push(Card {
                school: letterhead.clone(),
                period_label: cp.period.label.clone(),
                school_year: model::school_year(&cp.period.start.to_string()),
                class_name: cp.class_name.clone(),
                first_name: s.first_name.clone(),
                last_name: s.last_name.clone(),
                birth_date: births.get(&s.id).cloned().flatten(),
                head_teachers: heads.clone(),
                subjects,
                overall: results.overall(s.id),
                general: generals.get(&s.id).cloned(),
                mention: mentions.get(&s.id).and_then(|m| Mention::parse(m)),
                council_summary: summary.clone(),
                issued_on,
            });
        }
        Ok(cards)
    }

    /// Generates the report cards of the class for the period: an unpublished version is replaced, a
    /// published one stays and the new file becomes the next version. Returns how many were made.
    pub async fn generate(&self, v: &Viewer, class: Uuid, period: Uuid) -> Result<usize> {
        let cp = self.class_period(v, class, period).await?;
        if !cp.role.issues() {
            return Err(Self::refusal(v));
        }
        Self::open(&cp)?;
        if cp.students.is_empty() {
            return Err(Error::Refused("rc-problem-no-students"));
        }
        let results = self.results(&cp).await?;
        let cards = self.cards(&cp, &results).await?;
        // Laying out and subsetting fonts is CPU work: off the request threads.
        let files = tokio::task::spawn_blocking(move || {
            cards.iter().map(print::render).collect::<Result<Vec<_>, _>>()
        })
        .await
        .map_err(|e| Error::Pdf(pdf::Error::Write(e.to_string())))??;
        let mut stored = vec![];
        for bytes in &files {
            stored.push(self.grades.blobs().put(bytes).await?);
        }
        let existing = store::cards_of_class(self.db(), cp.scope).await?;
        let now = self.grades.now();
        let mut tx = self.db().begin().await?;
        for (s, file) in cp.students.iter().zip(&stored) {
            let last = latest(&existing, s.id);
            let step = model::generation(last.map(|c| Latest {
                version: c.version,
                published: c.published_at.is_some(),
            }));
            let mut new = NewCard {
                id: kernel::new_id(),
                scope: cp.scope,
                period_label: &cp.period.label,
                class_name: &cp.class_name,
                student: s.id,
                version: 1,
                blob_key: &file.key,
                size: i64::try_from(file.size).unwrap_or(i64::MAX),
                by: v.user,
            };
            match (step, last) {
                (Generation::Replace { version }, Some(c)) => {
                    new.id = c.id;
                    new.version = version;
                    store::replace_card(&mut tx, v.school, new, now).await?;
                }
                (Generation::New { version }, _) | (Generation::Replace { version }, None) => {
                    new.version = version;
                    store::insert_card(&mut tx, new, now).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(stored.len())
    }

    /// Publishes the latest version of each student's report card: families see it from now on, and an
    /// event per report card goes to the outbox in the same transaction.
    pub async fn publish(&self, v: &Viewer, class: Uuid, period: Uuid) -> Result<usize> {
        let cp = self.class_period(v, class, period).await?;
        if !cp.role.issues() {
            return Err(Self::refusal(v));
        }
        Self::open(&cp)?;
        let cards = store::cards_of_class(self.db(), cp.scope).await?;
        let to_publish: Vec<&CardRow> = cp
            .students
            .iter()
            .filter_map(|s| latest(&cards, s.id))
            .filter(|c| c.published_at.is_none())
            .collect();
        if to_publish.is_empty() {
            return Err(Error::Refused("rc-problem-nothing-to-publish"));
        }
        let now = self.grades.now();
        let mut tx = self.db().begin().await?;
        let ids: Vec<Uuid> = to_publish.iter().map(|c| c.id).collect();
        store::publish(&mut tx, v.school, &ids, v.user, now).await?;
        for c in &to_publish {
            let event = bus::Event {
                topic: PUBLISHED,
                school: Some(v.school),
                payload: serde_json::json!({
                    "report_card": c.id,
                    "student": c.student_id,
                    "class": c.class_id,
                    "period": c.period_id,
                    "version": c.version,
                }),
            };
            bus::publish(&mut tx, now, event).await?;
        }
        tx.commit().await?;
        Ok(to_publish.len())
    }

    /// A report card's file: for its student and their guardians once published; for the direction
    /// and the class's head teacher and teachers at any time.
    pub async fn download(&self, v: &Viewer, id: Uuid) -> Result<(CardRow, Vec<u8>)> {
        let card = store::card(self.db(), v.school, id)
            .await?
            .ok_or(Error::NotFound)?;
        let allowed = match v.profile {
            Profile::Student | Profile::Guardian => {
                card.published_at.is_some() && self.is_family_of(v, card.student_id).await?
            }
            _ => self.role(v, ClassId(card.class_id)).await?.sees_class(),
        };
        if !allowed {
            return Err(Error::NotFound);
        }
        let bytes = self.grades.blobs().get(&card.blob_key).await?;
        Ok((card, bytes))
    }
}
