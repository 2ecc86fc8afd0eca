//! Students' results: marks (or codes) and skill levels, and what the averages read of them.

use db::{Db, Result, Tx};
use directory::store::Subjects;
use kernel::{SchoolId, Timestamp};
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};
use uuid::Uuid;

use super::{GradeEvaluations, GradeMarks, GradeSkillResults};
use crate::averages::Outcome;
use crate::model;
use crate::skills::{Component, Level};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MarkRow {
    pub evaluation_id: Uuid,
    pub student_id: Uuid,
    pub mark: Option<i32>,
    pub code: Option<String>,
}

impl MarkRow {
    pub fn outcome(&self) -> Option<Outcome> {
        model::outcome_of_columns(self.mark, self.code.as_deref())
    }
}

/// The marks of the evaluations given.
pub async fn marks_of(db: &Db, school: SchoolId, evaluations: &[Uuid]) -> Result<Vec<MarkRow>> {
    if evaluations.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .columns([
            GradeMarks::EvaluationId,
            GradeMarks::StudentId,
            GradeMarks::Mark,
            GradeMarks::Code,
        ])
        .from(GradeMarks::Table)
        .and_where(Expr::col(GradeMarks::SchoolId).eq(school.0))
        .and_where(Expr::col(GradeMarks::EvaluationId).is_in(evaluations.to_vec()))
        .to_owned();
    db.fetch_all(&q).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SkillRow {
    pub evaluation_id: Uuid,
    pub student_id: Uuid,
    pub component: String,
    pub level: i32,
}

impl SkillRow {
    pub fn parsed(&self) -> Option<(Component, Level)> {
        Some((Component::parse(&self.component)?, Level::of_number(self.level)?))
    }
}

/// The skill levels given in the evaluations given.
pub async fn skills_of(db: &Db, school: SchoolId, evaluations: &[Uuid]) -> Result<Vec<SkillRow>> {
    if evaluations.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .columns([
            GradeSkillResults::EvaluationId,
            GradeSkillResults::StudentId,
            GradeSkillResults::Component,
            GradeSkillResults::Level,
        ])
        .from(GradeSkillResults::Table)
        .and_where(Expr::col(GradeSkillResults::SchoolId).eq(school.0))
        .and_where(Expr::col(GradeSkillResults::EvaluationId).is_in(evaluations.to_vec()))
        .to_owned();
    db.fetch_all(&q).await
}

/// Replaces the results of `students` in an evaluation (other students' results stay).
pub async fn replace_results(
    tx: &mut Tx,
    school: SchoolId,
    evaluation: Uuid,
    students: &[Uuid],
    marks: &[(Uuid, Outcome)],
    skills: &[(Uuid, Component, Level)],
    now: Timestamp,
) -> Result<()> {
    if students.is_empty() {
        return Ok(());
    }
    let clear = |table: Alias| {
        Query::delete()
            .from_table(table)
            .and_where(Expr::col(Alias::new("school_id")).eq(school.0))
            .and_where(Expr::col(Alias::new("evaluation_id")).eq(evaluation))
            .and_where(Expr::col(Alias::new("student_id")).is_in(students.to_vec()))
            .to_owned()
    };
    tx.execute(&clear(Alias::new("grade_marks"))).await?;
    tx.execute(&clear(Alias::new("grade_skill_results"))).await?;
    if !marks.is_empty() {
        let mut q = Query::insert()
            .into_table(GradeMarks::Table)
            .columns([
                GradeMarks::SchoolId,
                GradeMarks::EvaluationId,
                GradeMarks::StudentId,
                GradeMarks::Mark,
                GradeMarks::Code,
                GradeMarks::UpdatedAt,
            ])
            .to_owned();
        for (student, outcome) in marks {
            let (mark, code) = model::outcome_columns(*outcome);
            q.values_panic([
                school.0.into(),
                evaluation.into(),
                (*student).into(),
                mark.into(),
                code.into(),
                now.0.into(),
            ]);
        }
        tx.execute(&q).await?;
    }
    if !skills.is_empty() {
        let mut q = Query::insert()
            .into_table(GradeSkillResults::Table)
            .columns([
                GradeSkillResults::SchoolId,
                GradeSkillResults::EvaluationId,
                GradeSkillResults::StudentId,
                GradeSkillResults::Component,
                GradeSkillResults::Level,
            ])
            .to_owned();
        for (student, component, level) in skills {
            q.values_panic([
                school.0.into(),
                evaluation.into(),
                (*student).into(),
                component.code().into(),
                level.number().into(),
            ]);
        }
        tx.execute(&q).await?;
    }
    Ok(())
}

/// The students with a result (mark, code or skill level) in an evaluation.
pub async fn students_with_results(tx: &mut Tx, school: SchoolId, evaluation: Uuid) -> Result<Vec<Uuid>> {
    let of = |table: Alias| {
        Query::select()
            .distinct()
            .column(Alias::new("student_id"))
            .from(table)
            .and_where(Expr::col(Alias::new("school_id")).eq(school.0))
            .and_where(Expr::col(Alias::new("evaluation_id")).eq(evaluation))
            .to_owned()
    };
    let mut out: Vec<Uuid> = vec![];
    for table in ["grade_marks", "grade_skill_results"] {
        let rows: Vec<(Uuid,)> = tx.fetch_all(&of(Alias::new(table))).await?;
        out.extend(rows.into_iter().map(|r| r.0));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Results joined to their evaluation, published and dated between two days (inclusive).
fn published_results(table: GradeTable, school: SchoolId, from: &str, to: &str) -> SelectStatement {
    let e = GradeEvaluations::Table;
    let (t, ev) = (Alias::new(table.name()), Alias::new("evaluation_id"));
    Query::select()
        .from(t.clone())
        .inner_join(
            e,
            Expr::col((e, GradeEvaluations::SchoolId))
                .equals((t.clone(), Alias::new("school_id")))
                .and(Expr::col((e, GradeEvaluations::Id)).equals((t.clone(), ev))),
        )
        .and_where(Expr::col((t, Alias::new("school_id"))).eq(school.0))
        .and_where(Expr::col((e, GradeEvaluations::PublishedAt)).is_not_null())
        .and_where(Expr::col((e, GradeEvaluations::Day)).gte(from))
        .and_where(Expr::col((e, GradeEvaluations::Day)).lte(to))
        .to_owned()
}

#[derive(Clone, Copy)]
enum GradeTable {
    Marks,
    Skills,
}

impl GradeTable {
    fn name(self) -> &'static str {
        match self {
            GradeTable::Marks => "grade_marks",
            GradeTable::Skills => "grade_skill_results",
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LineRow {
    pub student_id: Uuid,
    pub subject_code: String,
    pub scale: i32,
    pub coefficient: i32,
    pub mark: Option<i32>,
    pub code: Option<String>,
}

/// Every published mark of `students` between two days, with what averaging needs.
pub async fn period_lines(
    db: &Db,
    school: SchoolId,
    students: &[Uuid],
    from: &str,
    to: &str,
) -> Result<Vec<LineRow>> {
    if students.is_empty() {
        return Ok(vec![]);
    }
    let (m, e) = (GradeMarks::Table, GradeEvaluations::Table);
    let q = published_results(GradeTable::Marks, school, from, to)
        .column((m, GradeMarks::StudentId))
        .column((e, GradeEvaluations::SubjectCode))
        .column((e, GradeEvaluations::Scale))
        .column((e, GradeEvaluations::Coefficient))
        .column((m, GradeMarks::Mark))
        .column((m, GradeMarks::Code))
        .and_where(Expr::col((m, GradeMarks::StudentId)).is_in(students.to_vec()))
        .and_where(Expr::col((e, GradeEvaluations::Kind)).ne(crate::model::Kind::SkillsOnly.code()))
        .to_owned();
    db.fetch_all(&q).await
}

/// The published evaluations between two days where `student` has a result.
pub async fn evaluations_with_results_of(
    db: &Db,
    school: SchoolId,
    student: Uuid,
    from: &str,
    to: &str,
) -> Result<Vec<Uuid>> {
    let mut out = vec![];
    for table in [GradeTable::Marks, GradeTable::Skills] {
        let t = Alias::new(table.name());
        let q = published_results(table, school, from, to)
            .distinct()
            .column((t.clone(), Alias::new("evaluation_id")))
            .and_where(Expr::col((t, Alias::new("student_id"))).eq(student))
            .to_owned();
        let rows: Vec<(Uuid,)> = db.fetch_all(&q).await?;
        out.extend(rows.into_iter().map(|r| r.0));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SkillHistoryRow {
    pub student_id: Uuid,
    pub component: String,
    pub level: i32,
    pub day: String,
    pub title: String,
    pub subject_label: String,
}

/// The published skill levels of `students` in evaluations of a cycle, most recent first.
pub async fn skill_history(
    db: &Db,
    school: SchoolId,
    students: &[Uuid],
    cycle: i32,
) -> Result<Vec<SkillHistoryRow>> {
    if students.is_empty() {
        return Ok(vec![]);
    }
    let (s, e) = (GradeSkillResults::Table, GradeEvaluations::Table);
    let q = published_results(GradeTable::Skills, school, "0000-01-01", "9999-12-31")
        .column((s, GradeSkillResults::StudentId))
        .column((s, GradeSkillResults::Component))
        .column((s, GradeSkillResults::Level))
        .column((e, GradeEvaluations::Day))
        .column((e, GradeEvaluations::Title))
        .expr_as(
            Expr::col((Subjects::Table, Subjects::Label)),
            Alias::new("subject_label"),
        )
        .inner_join(
            Subjects::Table,
            Expr::col((Subjects::Table, Subjects::Code)).equals((e, GradeEvaluations::SubjectCode)),
        )
        .and_where(Expr::col((s, GradeSkillResults::StudentId)).is_in(students.to_vec()))
        .and_where(Expr::col((e, GradeEvaluations::Cycle)).eq(cycle))
        .order_by((e, GradeEvaluations::Day), Order::Desc)
        .order_by((e, GradeEvaluations::CreatedAt), Order::Desc)
        .to_owned();
    db.fetch_all(&q).await
}
