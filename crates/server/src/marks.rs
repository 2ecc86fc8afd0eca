//! The cahier de textes' marks on the timetable (content entered, homework due): the one place that
//! joins the two features, which do not know each other.

use std::future::Future;
use std::pin::Pin;

use db::Db;
use jiff::civil::Date;
use kernel::SchoolId;
use timetable::{LessonMarks, Mark};
use uuid::Uuid;

pub struct HomeworkMarks(pub Db);

impl LessonMarks for HomeworkMarks {
    fn marks<'a>(
        &'a self,
        school: SchoolId,
        class_ids: Vec<Uuid>,
        from: Date,
        to: Date,
    ) -> Pin<Box<dyn Future<Output = Vec<Mark>> + Send + 'a>> {
        Box::pin(async move {
            match homework::marks(&self.0, school, &class_ids, &from.to_string(), &to.to_string()).await {
                Ok(marks) => marks
                    .into_iter()
                    .filter_map(|m| {
                        Some(Mark {
                            lesson_id: m.lesson_id,
                            day: timetable::calendar::parse_day(&m.day)?,
                            has_content: m.has_content,
                            homework_due: m.homework_due,
                        })
                    })
                    .collect(),
                Err(e) => {
                    // The timetable still shows without its marks.
                    tracing::warn!(error = %e, "cahier de textes marks unavailable");
                    vec![]
                }
            }
        })
    }
}
