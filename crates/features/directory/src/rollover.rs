//! Year rollover: the ending year's classes, class lists, teachings and head teachers move to the
//! archive (read-only, kept by year), leaving the schools ready for the new year's complete import.
//! People, families and accounts stay as they are.

use db::Db;
use sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};

#[derive(Debug, thiserror::Error)]
pub enum RolloverError {
    #[error("année « {0} » invalide : écrivez-la AAAA-AAAA, par exemple 2025-2026")]
    BadYear(String),
    #[error("l'année {0} est déjà archivée : la bascule a déjà eu lieu")]
    AlreadyArchived(String),
    #[error(transparent)]
    Db(#[from] db::Error),
}

/// What moved to the archive.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rollover {
    pub classes: u64,
    pub enrolments: u64,
    pub teachings: u64,
}

impl std::fmt::Display for Rollover {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Année archivée : {} classes et groupes, {} inscriptions d'élèves, {} services d'enseignement. \
             Importez maintenant l'annuaire complet de la nouvelle année.",
            self.classes, self.enrolments, self.teachings
        )
    }
}

/// "2025-2026": two consecutive years.
pub fn valid_year(year: &str) -> bool {
    let Some((a, b)) = year.split_once('-') else {
        return false;
    };
    match (a.parse::<u32>(), b.parse::<u32>()) {
        (Ok(first), Ok(second)) => a.len() == 4 && b.len() == 4 && second == first + 1,
        _ => false,
    }
}

/// `INSERT INTO archived_<table> (year, columns…) SELECT 'year', columns… FROM <table>`.
fn archive(table: &str, columns: &[&str], year: &str) -> db::Result<sea_query::InsertStatement> {
    let mut select: SelectStatement = Query::select();
    select.expr(Expr::val(year));
    for c in columns {
        select.column(Alias::new(*c));
    }
    select.from(Alias::new(table));
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new(format!("archived_{table}")))
        .columns(
            std::iter::once("year")
                .chain(columns.iter().copied())
                .map(Alias::new),
        );
    insert
        .select_from(select)
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    Ok(insert)
}

/// Archives the current year as `year` and clears the current classes, all in one transaction.
pub async fn roll_over(db: &Db, year: &str) -> Result<Rollover, RolloverError> {
    if !valid_year(year) {
        return Err(RolloverError::BadYear(year.to_string()));
    }
    let mut tx = db.begin().await?;
    let done = Query::select()
        .expr(Expr::val(1))
        .from(Alias::new("archived_classes"))
        .and_where(Expr::col(Alias::new("year")).eq(year))
        .limit(1)
        .to_owned();
    if tx.fetch_optional::<(i32,)>(&done).await?.is_some() {
        return Err(RolloverError::AlreadyArchived(year.to_string()));
    }
    let classes = tx
        .execute(&archive(
            "classes",
            &["school_id", "id", "kind", "code", "name", "mef_code"],
            year,
        )?)
        .await?;
    let enrolments = tx
        .execute(&archive(
            "class_students",
            &["school_id", "class_id", "student_id"],
            year,
        )?)
        .await?;
    let teachings = tx
        .execute(&archive(
            "teachings",
            &["school_id", "class_id", "teacher_id", "subject_code"],
            year,
        )?)
        .await?;
    tx.execute(&archive(
        "head_teachers",
        &["school_id", "class_id", "teacher_id"],
        year,
    )?)
    .await?;
    // The year's timetables end with its classes (the timetable crate's tables, named here because
    // they hold the classes' keys); the new year's come with its import.
    for table in [
        "lesson_changes",
        "lesson_teachers",
        "lessons",
        "school_holidays",
        "school_calendars",
        "head_teachers",
        "teachings",
        "class_students",
        "classes",
    ] {
        tx.execute(&Query::delete().from_table(Alias::new(table)).to_owned())
            .await?;
    }
    tx.commit().await?;
    Ok(Rollover {
        classes,
        enrolments,
        teachings,
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArchivedClass {
    pub year: String,
    pub name: String,
    pub kind: String,
    pub students: i64,
}

/// A school's archived classes, latest year first.
pub async fn archived_classes(db: &Db, school: kernel::SchoolId) -> db::Result<Vec<ArchivedClass>> {
    let students = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from_as(Alias::new("archived_class_students"), Alias::new("s"))
        .and_where(
            Expr::col((Alias::new("s"), Alias::new("school_id")))
                .equals((Alias::new("c"), Alias::new("school_id"))),
        )
        .and_where(
            Expr::col((Alias::new("s"), Alias::new("year"))).equals((Alias::new("c"), Alias::new("year"))),
        )
        .and_where(
            Expr::col((Alias::new("s"), Alias::new("class_id"))).equals((Alias::new("c"), Alias::new("id"))),
        )
        .to_owned();
    let q = Query::select()
        .columns(["year", "name", "kind"].map(|c| (Alias::new("c"), Alias::new(c))))
        .expr_as(
            Expr::SubQuery(
                None,
                Box::new(sea_query::QueryStatementBuilder::into_sub_query_statement(
                    students,
                )),
            ),
            Alias::new("students"),
        )
        .from_as(Alias::new("archived_classes"), Alias::new("c"))
        .and_where(Expr::col((Alias::new("c"), Alias::new("school_id"))).eq(school.0))
        .order_by((Alias::new("c"), Alias::new("year")), sea_query::Order::Desc)
        .order_by((Alias::new("c"), Alias::new("kind")), sea_query::Order::Asc)
        .order_by((Alias::new("c"), Alias::new("code")), sea_query::Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

#[cfg(test)]
mod tests {
    use super::valid_year;

    #[test]
    fn years_are_two_consecutive_years() {
        assert!(valid_year("2025-2026"));
        assert!(!valid_year("2025-2027"));
        assert!(!valid_year("2025"));
        assert!(!valid_year("25-26"));
    }
}
