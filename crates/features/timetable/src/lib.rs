//! Timetables: the school calendar (zone holidays, A/B weeks), weekly lessons of classes and groups,
//! what changes for one day (cancelled, substitute, room, extra lesson), the week and day views of
//! students, parents, teachers and staff, imports (CSV, iCalendar) and each person's calendar feed.

pub mod calendar;
mod calendar_pages;
mod edit_pages;
mod feed;
pub mod generator;
pub mod ics;
pub mod import;
mod lesson_cache;
pub mod model;
mod pages;
mod school;
pub mod service;
pub mod store;

pub use feed::write_calendar;
pub use pages::{routes, tiles};
pub use service::{LessonMarks, Mark, Timetable};

/// How a subject is named on a timetable: the usual short name of the national nomenclature
/// ("Mathématiques" for MATHEMATIQUES), else the label as imported.
pub fn subject_label(code: &str, label: &str) -> String {
    directory::generator::data::SUBJECTS
        .iter()
        .find(|s| s.code == code)
        .map(|s| s.short.to_string())
        .unwrap_or_else(|| label.to_string())
}
