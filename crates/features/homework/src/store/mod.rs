//! Cahier de textes and homework SQL, one function per question, every query filtered on `school_id`.
//! The directory's tables are read through the `directory` crate; here only to name a subject and a
//! teacher next to this crate's rows.

mod entries;
mod homework;
mod readers;
mod tables;
mod work;

pub use entries::*;
pub use homework::*;
pub use readers::*;
pub use work::*;

use db::{Db, Result};
use directory::store::{Subjects, Users};
use sea_query::{Alias, Expr, ExprTrait, IntoColumnRef, SelectStatement};

/// Adds `subject_label`, `teacher_first` and `teacher_last` to a select of rows whose subject code and
/// teacher id are the columns given.
fn name_subject_and_teacher(
    q: &mut SelectStatement,
    subject_code: impl IntoColumnRef,
    teacher_id: impl IntoColumnRef,
) {
    q.expr_as(
        Expr::col((Subjects::Table, Subjects::Label)),
        Alias::new("subject_label"),
    )
    .expr_as(
        Expr::col((Users::Table, Users::FirstName)),
        Alias::new("teacher_first"),
    )
    .expr_as(
        Expr::col((Users::Table, Users::LastName)),
        Alias::new("teacher_last"),
    )
    .inner_join(
        Subjects::Table,
        Expr::col((Subjects::Table, Subjects::Code)).equals(subject_code),
    )
    .inner_join(
        Users::Table,
        Expr::col((Users::Table, Users::Id)).equals(teacher_id),
    );
}

/// The one column a query selects, row by row.
async fn first_column<T>(db: &Db, q: &SelectStatement) -> Result<Vec<T>>
where
    (T,): db::Row,
{
    Ok(db.fetch_all::<(T,)>(q).await?.into_iter().map(|r| r.0).collect())
}
