//! The cahier de textes (each lesson's content and the homework set, with attachments and links: the
//! legal log of a class per subject) and homework (to-do lists with done ticks, online hand-in with
//! deadlines and late flags, individual and common corrections). Other crates read it through
//! `service::Homework` and [`marks`].

mod demo;
mod files;
pub mod model;
mod pages;
mod readers;
pub mod service;
pub mod store;
mod work;

pub use demo::seed_demo;
pub use pages::routes;
pub use service::{Error, Homework, Result, Viewer};
pub use work::{HomeworkPage, HomeworkSide, Todo};

use db::Db;
use kernel::SchoolId;
use uuid::Uuid;

/// The portal tiles this feature contributes.
pub fn tiles() -> Vec<web::Tile> {
    pages::tiles()
}

/// What the timetable's week shows on a lesson occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonMark {
    pub lesson_id: Uuid,
    pub day: String,
    /// The cahier de textes has content for it.
    pub has_content: bool,
    /// Homework due for it.
    pub homework_due: u32,
}

/// The marks of the lessons of `class_ids` between two days (inclusive, 'YYYY-MM-DD'), from the entries
/// and homework that name a lesson. The caller has checked the viewer may see these classes.
pub async fn marks(
    db: &Db,
    school: SchoolId,
    class_ids: &[Uuid],
    from_day: &str,
    to_day: &str,
) -> Result<Vec<LessonMark>> {
    let rows = store::lesson_marks(db, school, class_ids, from_day, to_day).await?;
    let mut out: Vec<LessonMark> = vec![];
    for (lesson_id, day, has_content, due) in rows {
        let i = match out.iter().position(|m| m.lesson_id == lesson_id && m.day == day) {
            Some(i) => i,
            None => {
                out.push(LessonMark {
                    lesson_id,
                    day,
                    has_content: false,
                    homework_due: 0,
                });
                out.len() - 1
            }
        };
        out[i].has_content |= has_content;
        out[i].homework_due += u32::from(due);
    }
    out.sort_by(|a, b| (&a.day, a.lesson_id).cmp(&(&b.day, b.lesson_id)));
    Ok(out)
}
