//! The timetable's lesson occurrences for the roll call: the one place that joins the two features,
//! which do not know each other.

use std::sync::Arc;

use attendance::service::Slot;
use jiff::civil::Date;
use kernel::SchoolId;
use timetable::model::Occurrence;
use uuid::Uuid;

pub struct TimetableLessons(pub timetable::Timetable);

fn slot(o: Occurrence) -> Slot {
    Slot {
        lesson_id: o.lesson.id,
        day: o.day,
        starts_at: o.lesson.starts_at,
        ends_at: o.lesson.ends_at,
        class_id: o.lesson.class_id,
        subject: timetable::subject_label(&o.lesson.subject_code, &o.lesson.subject),
        class_name: o.lesson.class_name,
        room: o.room,
        teachers: o
            .teachers
            .iter()
            .map(|t| (t.id, format!("{} {}", t.first_name, t.last_name)))
            .collect(),
        cancelled: o.cancelled,
    }
}

use db::BoxFuture as Fut;

impl attendance::Lessons for TimetableLessons {
    fn on_day<'a>(&'a self, school: SchoolId, teacher: Option<Uuid>, day: Date) -> Fut<'a, Vec<Slot>> {
        Box::pin(async move {
            let mut slots: Vec<Slot> = self
                .0
                .day_of(school, teacher, day)
                .await?
                .into_iter()
                .map(slot)
                .collect();
            slots.sort_by(|a, b| (a.starts_at, &a.class_name).cmp(&(b.starts_at, &b.class_name)));
            Ok(slots)
        })
    }

    fn one<'a>(&'a self, school: SchoolId, lesson: Uuid, day: Date) -> Fut<'a, Option<Slot>> {
        Box::pin(async move { Ok(self.0.occurrence_of(school, lesson, day).await?.map(slot)) })
    }
}

/// The roll call's source of lessons.
pub fn for_attendance(timetable: &timetable::Timetable) -> Arc<dyn attendance::Lessons> {
    Arc::new(TimetableLessons(timetable.clone()))
}
