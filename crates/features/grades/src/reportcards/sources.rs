//! What report cards read of the rest of the grades feature: a class's averages over a period
//! (`Grades::class_report`, from published marks), kept as the hundredths the report card prints.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use uuid::Uuid;

use super::print::{Figures, Hundredths};
use super::service::Result;
use super::store::Scope;
use crate::Grades;
use crate::averages::Spread;
use crate::model::Period;

type Triple = (u64, u64, u64);

fn triple(s: &Spread) -> Triple {
    (s.average.hundredths(), s.min.hundredths(), s.max.hundredths())
}

/// A class's averages over a period: per subject the class's average, min and max, per student their
/// subject averages and overall average.
#[derive(Debug, Clone, Default)]
pub struct Results {
    class: HashMap<String, Triple>,
    students: HashMap<Uuid, (BTreeMap<String, u64>, Hundredths)>,
    overall: Option<Triple>,
}

impl Results {
    /// A student's average in a subject.
    pub fn student(&self, student: Uuid, subject: &str) -> Hundredths {
        self.students
            .get(&student)
            .and_then(|(s, _)| s.get(subject).copied())
    }

    fn with_class(student: Hundredths, class: Option<&Triple>) -> Figures {
        Figures {
            student,
            class: class.map(|t| t.0),
            min: class.map(|t| t.1),
            max: class.map(|t| t.2),
        }
    }

    /// The line of a subject on a student's report card.
    pub fn figures(&self, student: Uuid, subject: &str) -> Figures {
        Self::with_class(self.student(student, subject), self.class.get(subject))
    }

    /// The overall line of a student's report card.
    pub fn overall(&self, student: Uuid) -> Figures {
        let own = self.students.get(&student).and_then(|(_, o)| *o);
        Self::with_class(own, self.overall.as_ref())
    }

    /// Every subject with an average in the class.
    pub fn subjects(&self) -> BTreeSet<String> {
        self.class.keys().cloned().collect()
    }

    /// The subjects a student has an average in.
    pub fn subjects_of(&self, student: Uuid) -> Vec<String> {
        self.students
            .get(&student)
            .map(|(s, _)| s.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// The averages of the class of `scope` over `period`, for `students`.
pub async fn results(grades: &Grades, scope: Scope, period: &Period, students: &[Uuid]) -> Result<Results> {
    let report = grades.class_report(scope.school, scope.class, period.id).await?;
    let mut results = Results {
        class: report
            .subjects
            .iter()
            .map(|c| (c.code.clone(), triple(&c.class)))
            .collect(),
        overall: report.overall.as_ref().map(triple),
        ..Results::default()
    };
    for s in report
        .students
        .into_iter()
        .filter(|s| students.contains(&s.student.id))
    {
        let subjects = s
            .subjects
            .iter()
            .filter_map(|r| Some((r.code.clone(), r.average.as_ref()?.hundredths())))
            .collect();
        results.students.insert(
            s.student.id,
            (subjects, s.overall.as_ref().map(|o| o.hundredths())),
        );
    }
    Ok(results)
}
