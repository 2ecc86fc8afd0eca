//! The averages of a class or of one student over a period, for report cards (the `reportcards`
//! module) and the families' pages. No authorization here: callers check who may see what.
//! Described for other modules in /tmp/grades-api.md.

use std::collections::HashMap;

use directory::model::Person;
use directory::store as dir;
use kernel::{ClassId, SchoolId, UserId};
use uuid::Uuid;

use crate::Grades;
use crate::averages::{self, ClassAverages, Line, Spread};
use crate::exact::Ratio;
use crate::model::Period;
use crate::service::{Error, Result};
use crate::store;

/// One subject of a class's report: its weight and the class's spread of subject averages.
#[derive(Debug, Clone)]
pub struct SubjectColumn {
    pub code: String,
    pub label: String,
    /// Weight in the overall average, hundredths (1 → 100).
    pub coefficient: u32,
    /// Mean, min and max of the subject averages of the class's students who have one.
    pub class: Spread,
}

/// One student's subject average.
#[derive(Debug, Clone)]
pub struct SubjectResult {
    pub code: String,
    pub label: String,
    pub coefficient: u32,
    /// On /20, exact; `None` without any mark that counts.
    pub average: Option<Ratio>,
    /// The class's spread in the subject (same as the class report's column).
    pub class: Option<Spread>,
}

/// One student's averages over a period.
#[derive(Debug, Clone)]
pub struct StudentReport {
    pub student: Person,
    /// The subjects in which the student has an average, by label.
    pub subjects: Vec<SubjectResult>,
    pub overall: Option<Ratio>,
    /// The class's spread of overall averages.
    pub class_overall: Option<Spread>,
}

/// A class's averages over a period.
#[derive(Debug, Clone)]
pub struct ClassReport {
    pub class_id: Uuid,
    pub class_name: String,
    pub period: Period,
    /// The subjects in which at least one student has an average, by label.
    pub subjects: Vec<SubjectColumn>,
    /// Every student of the class, by name.
    pub students: Vec<StudentReport>,
    pub overall: Option<Spread>,
}

impl Grades {
    /// The averages of `students` over `period`, from their published marks.
    pub(crate) async fn averages_of(
        &self,
        school: SchoolId,
        students: &[Uuid],
        period: &Period,
    ) -> Result<ClassAverages> {
        let (from, to) = (period.start.to_string(), period.end.to_string());
        let rows = store::period_lines(&self.db, school, students, &from, &to).await?;
        let lines: Vec<Line> = rows
            .into_iter()
            .filter_map(|r| {
                Some(Line {
                    outcome: crate::model::outcome_of_columns(r.mark, r.code.as_deref())?,
                    student: r.student_id,
                    subject: r.subject_code,
                    scale: u32::try_from(r.scale).ok()?,
                    coefficient: u32::try_from(r.coefficient).ok()?,
                })
            })
            .collect();
        let coefficients = self.subject_coefficients(school).await?;
        let nr = self.nr_policy(school).await?;
        Ok(averages::class_averages(
            students,
            &lines,
            |code| coefficients.get(code).copied().unwrap_or(100),
            nr,
        ))
    }

    async fn labels(&self, table: &ClassAverages) -> Result<HashMap<String, String>> {
        let codes: Vec<String> = table.subjects.keys().cloned().collect();
        Ok(store::subject_labels(&self.db, &codes)
            .await?
            .into_iter()
            .collect())
    }

    /// Per student per subject the average, per subject the class's average, min and max, and the
    /// overall averages, of a class (or group) over a period.
    pub async fn class_report(&self, school: SchoolId, class: ClassId, period: Uuid) -> Result<ClassReport> {
        let period = self.period(school, period).await?;
        let c = dir::class(&self.db, school, class)
            .await?
            .ok_or(Error::NotFound)?;
        let students = dir::students_of_class(&self.db, school, class).await?;
        let ids: Vec<Uuid> = students.iter().map(|s| s.id).collect();
        let table = self.averages_of(school, &ids, &period).await?;
        let labels = self.labels(&table).await?;
        let coefficients = self.subject_coefficients(school).await?;
        let coefficient = |code: &str| coefficients.get(code).copied().unwrap_or(100);
        let label = |code: &str| labels.get(code).cloned().unwrap_or_else(|| code.to_string());
        let mut subjects: Vec<SubjectColumn> = table
            .subjects
            .iter()
            .map(|(code, spread)| SubjectColumn {
                code: code.clone(),
                label: label(code),
                coefficient: coefficient(code),
                class: spread.clone(),
            })
            .collect();
        subjects.sort_by(|a, b| a.label.cmp(&b.label));
        let reports = students
            .into_iter()
            .zip(table.students.iter())
            .map(|(student, averages)| {
                let mut results: Vec<SubjectResult> = averages
                    .subjects
                    .iter()
                    .map(|(code, avg)| SubjectResult {
                        code: code.clone(),
                        label: label(code),
                        coefficient: coefficient(code),
                        average: Some(avg.clone()),
                        class: table.subjects.get(code).cloned(),
                    })
                    .collect();
                results.sort_by(|a, b| a.label.cmp(&b.label));
                StudentReport {
                    student,
                    subjects: results,
                    overall: averages.overall.clone(),
                    class_overall: table.overall.clone(),
                }
            })
            .collect();
        Ok(ClassReport {
            class_id: c.id,
            class_name: c.name,
            period,
            subjects,
            students: reports,
            overall: table.overall,
        })
    }

    /// A student's report over a period, compared with their class (their division; alone when they
    /// have none). `NotFound` when the student is not in the school.
    pub async fn student_report(
        &self,
        school: SchoolId,
        student: UserId,
        period: Uuid,
    ) -> Result<StudentReport> {
        let classes = dir::classes_of_student(&self.db, school, student).await?;
        match classes.iter().find(|c| c.kind == "classe") {
            Some(division) => {
                let report = self.class_report(school, division.class_id(), period).await?;
                report
                    .students
                    .into_iter()
                    .find(|s| s.student.id == student.0)
                    .ok_or(Error::NotFound)
            }
            None => {
                let person = dir::person(&self.db, student).await?.ok_or(Error::NotFound)?;
                if classes.is_empty() {
                    return Err(Error::NotFound);
                }
                let period = self.period(school, period).await?;
                let table = self.averages_of(school, &[student.0], &period).await?;
                let labels = self.labels(&table).await?;
                let coefficients = self.subject_coefficients(school).await?;
                let Some(own) = table.students.first() else {
                    return Err(Error::NotFound);
                };
                Ok(StudentReport {
                    student: person,
                    subjects: own
                        .subjects
                        .iter()
                        .map(|(code, avg)| SubjectResult {
                            code: code.clone(),
                            label: labels.get(code).cloned().unwrap_or_else(|| code.clone()),
                            coefficient: coefficients.get(code).copied().unwrap_or(100),
                            average: Some(avg.clone()),
                            class: table.subjects.get(code).cloned(),
                        })
                        .collect(),
                    overall: own.overall.clone(),
                    class_overall: table.overall.clone(),
                })
            }
        }
    }
}
