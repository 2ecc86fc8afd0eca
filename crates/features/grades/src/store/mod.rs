//! Grades SQL, one function per question, every query filtered on `school_id`. The directory's tables
//! are read through the `directory` crate; here only to name a subject and a teacher next to this
//! crate's rows.

mod evaluations;
mod results;
mod settings;

pub use evaluations::*;
pub use results::*;
pub use settings::*;

use sea_query::Iden;

#[derive(Iden, Clone, Copy)]
pub(crate) enum GradePeriods {
    Table,
    SchoolId,
    Id,
    Label,
    StartDay,
    EndDay,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum GradeSettings {
    Table,
    SchoolId,
    NrCountsZero,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum GradeSubjectCoefficients {
    Table,
    SchoolId,
    SubjectCode,
    Coefficient,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum GradeEvaluations {
    Table,
    SchoolId,
    Id,
    ClassId,
    ClassName,
    SubjectCode,
    TeacherId,
    Day,
    Title,
    Kind,
    Scale,
    Coefficient,
    Cycle,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum GradeEvaluationComponents {
    Table,
    SchoolId,
    EvaluationId,
    Component,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum GradeMarks {
    Table,
    SchoolId,
    EvaluationId,
    StudentId,
    Mark,
    Code,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum GradeSkillResults {
    Table,
    SchoolId,
    EvaluationId,
    StudentId,
    Component,
    Level,
}
