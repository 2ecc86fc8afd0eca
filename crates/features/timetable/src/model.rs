//! Lessons, their changes and their occurrences on given days; who may see and change what. No I/O.

use jiff::civil::Date;
use kernel::{Context, Profile};
use uuid::Uuid;

use crate::calendar::{Calendar, WeekKind, add_days};

/// Which weeks a lesson takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weeks {
    Every,
    Only(WeekKind),
}

impl Weeks {
    pub fn code(self) -> &'static str {
        match self {
            Weeks::Every => "*",
            Weeks::Only(k) => k.code(),
        }
    }

    /// `*` or empty for every week, `A` or `B` (either case).
    pub fn parse(s: &str) -> Option<Weeks> {
        match s.trim().to_ascii_uppercase().as_str() {
            "" | "*" => Some(Weeks::Every),
            "A" => Some(Weeks::Only(WeekKind::A)),
            "B" => Some(Weeks::Only(WeekKind::B)),
            _ => None,
        }
    }
}

/// A teacher as shown on a timetable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeacherName {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
}

impl TeacherName {
    /// "M. DUPONT"-style short name is not known (no civility): "C. Dupont".
    pub fn short(&self) -> String {
        let initial = self
            .first_name
            .chars()
            .next()
            .map(|c| format!("{c}. "))
            .unwrap_or_default();
        format!("{initial}{}", self.last_name)
    }
}

/// A weekly lesson of a class or group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    pub id: Uuid,
    pub class_id: Uuid,
    pub class_name: String,
    pub subject_code: String,
    pub subject: String,
    pub teachers: Vec<TeacherName>,
    pub room: String,
    /// 1 = Monday … 7 = Sunday.
    pub weekday: i8,
    /// Minutes after midnight, school time.
    pub starts_at: i32,
    pub ends_at: i32,
    pub weeks: Weeks,
    pub valid_from: Date,
    pub valid_to: Date,
}

impl Lesson {
    /// Whether the lesson takes place on `day` by its own rule (before any change).
    pub fn falls_on(&self, day: Date, calendar: &Calendar) -> bool {
        day.weekday().to_monday_one_offset() == self.weekday
            && self.valid_from <= day
            && day <= self.valid_to
            && calendar.is_school_day(day)
            && match self.weeks {
                Weeks::Every => true,
                Weeks::Only(k) => calendar.week_kind(day) == Some(k),
            }
    }

    /// An extra lesson: valid for one day only.
    pub fn is_extra(&self) -> bool {
        self.valid_from == self.valid_to
    }
}

/// What the school changed for one occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub lesson_id: Uuid,
    pub day: Date,
    pub cancelled: bool,
    pub substitute: Option<TeacherName>,
    pub room: Option<String>,
    pub note: String,
}

/// A lesson on a given day, with its changes applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub lesson: Lesson,
    pub day: Date,
    pub cancelled: bool,
    /// Who teaches this time: the substitute when there is one.
    pub teachers: Vec<TeacherName>,
    pub substitute: bool,
    pub room: String,
    pub room_changed: bool,
    pub note: String,
    /// Content entered in the cahier de textes, and homework due for this lesson (from the homework
    /// feature, when wired).
    pub has_content: bool,
    pub homework_due: u32,
}

impl Occurrence {
    /// Anything the people concerned must notice.
    pub fn changed(&self) -> bool {
        self.cancelled || self.substitute || self.room_changed || self.lesson.is_extra()
    }
}

/// The occurrences of `lessons` from `from` to `to` (both included), sorted by day then time, with
/// `changes` applied. Days without school have none, except extra lessons, which the school placed
/// on purpose.
pub fn occurrences(
    calendar: &Calendar,
    lessons: &[Lesson],
    changes: &[Change],
    from: Date,
    to: Date,
) -> Vec<Occurrence> {
    let mut out = vec![];
    let mut day = from;
    while day <= to {
        for lesson in lessons {
            let on = if lesson.is_extra() {
                lesson.valid_from == day
            } else {
                lesson.falls_on(day, calendar)
            };
            if !on {
                continue;
            }
            let change = changes.iter().find(|c| c.lesson_id == lesson.id && c.day == day);
            out.push(apply(lesson, day, change));
        }
        day = add_days(day, 1);
    }
    out.sort_by(|a, b| {
        (a.day, a.lesson.starts_at, &a.lesson.class_name).cmp(&(
            b.day,
            b.lesson.starts_at,
            &b.lesson.class_name,
        ))
    });
    out
}

fn apply(lesson: &Lesson, day: Date, change: Option<&Change>) -> Occurrence {
    let substitute = change.and_then(|c| c.substitute.clone());
    let room = change
        .and_then(|c| c.room.clone())
        .filter(|r| !r.trim().is_empty());
    Occurrence {
        day,
        cancelled: change.is_some_and(|c| c.cancelled),
        teachers: match &substitute {
            Some(s) => vec![s.clone()],
            None => lesson.teachers.clone(),
        },
        substitute: substitute.is_some(),
        room_changed: room.as_ref().is_some_and(|r| *r != lesson.room),
        room: room.unwrap_or_else(|| lesson.room.clone()),
        note: change.map(|c| c.note.clone()).unwrap_or_default(),
        lesson: lesson.clone(),
        has_content: false,
        homework_due: 0,
    }
}

/// Whose timetable a page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whose {
    Student(Uuid),
    Teacher(Uuid),
    Class(Uuid),
    Room(String),
}

/// What the viewer is to the timetable they ask for, as the store found it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relation {
    /// The viewer is the student, or a legal representative / person in charge of the student.
    pub own_or_child: bool,
    /// The viewer teaches the class.
    pub teaches_class: bool,
}

/// Who may see a timetable: anyone their own; parents their children's; teachers the classes they
/// teach; the school's staff every class, room and teacher of the school. The school itself is
/// checked by the queries (every one filters on the viewer's school).
pub fn may_see(viewer: &Context, viewer_id: Uuid, whose: &Whose, rel: Relation) -> bool {
    let Some(profile) = viewer.profile() else {
        return false;
    };
    match whose {
        Whose::Student(id) => {
            *id == viewer_id && profile == Profile::Student
                || profile == Profile::Guardian && rel.own_or_child
                || is_school_staff(profile)
        }
        Whose::Teacher(id) => *id == viewer_id && profile == Profile::Teacher || is_school_staff(profile),
        Whose::Class(_) => is_school_staff(profile) || profile == Profile::Teacher && rel.teaches_class,
        Whose::Room(_) => is_school_staff(profile) || profile == Profile::Teacher,
    }
}

/// Staff who run the school day: direction, vie scolaire, administration, documentalists.
pub fn is_school_staff(profile: Profile) -> bool {
    matches!(
        profile,
        Profile::Direction | Profile::SchoolLife | Profile::AdminStaff | Profile::Documentalist
    )
}

/// Whether the context is the school staff's (see [`is_school_staff`]).
pub fn is_school_staff_ctx(viewer: &Context) -> bool {
    viewer.profile().is_some_and(is_school_staff)
}

/// Who may change occurrences, add lessons and import: the direction, vie scolaire and administration.
pub fn may_edit(viewer: &Context) -> bool {
    matches!(
        viewer.profile(),
        Some(Profile::Direction | Profile::SchoolLife | Profile::AdminStaff)
    )
}

/// Who may adapt the school's calendar: the direction and the administration.
pub fn may_edit_calendar(viewer: &Context) -> bool {
    matches!(viewer.profile(), Some(Profile::Direction | Profile::AdminStaff))
}

/// "08:05" from minutes after midnight.
pub fn hhmm(minutes: i32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Minutes after midnight from "8:05", "08:05" or "08h05".
pub fn parse_hhmm(s: &str) -> Option<i32> {
    let s = s.trim().to_ascii_lowercase();
    let (h, m) = s.split_once([':', 'h'])?;
    let h: i32 = h.parse().ok()?;
    let m: i32 = if m.is_empty() { 0 } else { m.parse().ok()? };
    ((0..24).contains(&h) && (0..60).contains(&m) && m.to_string().len() <= 2).then_some(h * 60 + m)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use kernel::SchoolId;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn teacher(name: &str) -> TeacherName {
        TeacherName {
            id: Uuid::now_v7(),
            first_name: "Anne".into(),
            last_name: name.into(),
        }
    }

    fn lesson(weekday: i8, start: i32, weeks: Weeks) -> Lesson {
        let c = Calendar::national("B", 2026);
        Lesson {
            id: Uuid::now_v7(),
            class_id: Uuid::now_v7(),
            class_name: "3A".into(),
            subject_code: "061200".into(),
            subject: "Mathématiques".into(),
            teachers: vec![teacher("Martin")],
            room: "B12".into(),
            weekday,
            starts_at: start,
            ends_at: start + 55,
            weeks,
            valid_from: c.first_day,
            valid_to: c.last_day,
        }
    }

    #[test]
    fn a_week_holds_each_lesson_on_its_weekday_in_time_order() {
        let c = Calendar::national("B", 2026);
        let lessons = [
            lesson(3, 10 * 60, Weeks::Every),
            lesson(3, 8 * 60, Weeks::Every),
            lesson(1, 9 * 60, Weeks::Every),
        ];
        // Week of Monday 7 September 2026.
        let week = occurrences(&c, &lessons, &[], d(2026, 9, 7), d(2026, 9, 13));
        let got: Vec<(Date, i32)> = week.iter().map(|o| (o.day, o.lesson.starts_at)).collect();
        assert_eq!(
            got,
            [(d(2026, 9, 7), 540), (d(2026, 9, 9), 480), (d(2026, 9, 9), 600)]
        );
    }

    #[test]
    fn a_b_lessons_take_turns_and_none_fall_in_the_holidays() {
        let c = Calendar::national("B", 2026);
        let lessons = [
            lesson(2, 480, Weeks::Only(WeekKind::A)),
            lesson(2, 480, Weeks::Only(WeekKind::B)),
        ];
        let sept = occurrences(&c, &lessons, &[], d(2026, 9, 1), d(2026, 9, 30));
        let ids: Vec<Uuid> = sept.iter().map(|o| o.lesson.id).collect();
        assert_eq!(
            ids,
            [
                lessons[0].id,
                lessons[1].id,
                lessons[0].id,
                lessons[1].id,
                lessons[0].id
            ]
        );
        let toussaint = occurrences(&c, &lessons, &[], d(2026, 10, 19), d(2026, 10, 31));
        assert!(toussaint.is_empty());
    }

    #[test]
    fn changes_apply_to_their_day_only() {
        let c = Calendar::national("B", 2026);
        let l = lesson(1, 480, Weeks::Every);
        let sub = teacher("Durand");
        let changes = [
            Change {
                lesson_id: l.id,
                day: d(2026, 9, 7),
                cancelled: false,
                substitute: Some(sub.clone()),
                room: Some("C3".into()),
                note: String::new(),
            },
            Change {
                lesson_id: l.id,
                day: d(2026, 9, 14),
                cancelled: true,
                substitute: None,
                room: None,
                note: "Sortie scolaire".into(),
            },
        ];
        let o = occurrences(
            &c,
            std::slice::from_ref(&l),
            &changes,
            d(2026, 9, 7),
            d(2026, 9, 21),
        );
        assert_eq!(o.len(), 3);
        assert!(o[0].substitute && o[0].teachers == [sub] && o[0].room == "C3" && o[0].room_changed);
        assert!(o[1].cancelled && o[1].note == "Sortie scolaire" && o[1].teachers == l.teachers);
        assert!(!o[2].changed(), "the next week is as usual");
    }

    #[test]
    fn an_extra_lesson_is_on_its_day_only() {
        let c = Calendar::national("B", 2026);
        let mut l = lesson(6, 600, Weeks::Every);
        l.valid_from = d(2026, 9, 12);
        l.valid_to = l.valid_from;
        let o = occurrences(&c, &[l], &[], d(2026, 9, 7), d(2026, 9, 20));
        assert_eq!(o.len(), 1);
        assert!(o[0].changed());
    }

    #[test]
    fn people_see_only_the_timetables_that_are_theirs() {
        let school = SchoolId(Uuid::now_v7());
        let ctx = |profile| Context::School { school, profile };
        let me = Uuid::now_v7();
        let other = Uuid::now_v7();
        let none = Relation::default();
        let child = Relation {
            own_or_child: true,
            ..none
        };
        assert!(may_see(&ctx(Profile::Student), me, &Whose::Student(me), none));
        assert!(!may_see(&ctx(Profile::Student), me, &Whose::Student(other), none));
        assert!(!may_see(&ctx(Profile::Student), me, &Whose::Class(other), none));
        assert!(may_see(
            &ctx(Profile::Guardian),
            me,
            &Whose::Student(other),
            child
        ));
        assert!(!may_see(
            &ctx(Profile::Guardian),
            me,
            &Whose::Student(other),
            none
        ));
        assert!(!may_see(&ctx(Profile::Teacher), me, &Whose::Class(other), none));
        assert!(may_see(
            &ctx(Profile::Teacher),
            me,
            &Whose::Class(other),
            Relation {
                teaches_class: true,
                ..none
            }
        ));
        assert!(may_see(
            &ctx(Profile::SchoolLife),
            me,
            &Whose::Teacher(other),
            none
        ));
        assert!(!may_edit(&ctx(Profile::Teacher)) && may_edit(&ctx(Profile::SchoolLife)));
        assert!(!may_edit_calendar(&ctx(Profile::SchoolLife)) && may_edit_calendar(&ctx(Profile::Direction)));
    }

    #[test]
    fn times_read_as_people_write_them() {
        assert_eq!(parse_hhmm("8:05"), Some(485));
        assert_eq!(parse_hhmm("08h05"), Some(485));
        assert_eq!(parse_hhmm("14h"), Some(840));
        assert_eq!(parse_hhmm("24:00"), None);
        assert_eq!(parse_hhmm("8:60"), None);
        assert_eq!(parse_hhmm("huit"), None);
        assert_eq!(hhmm(485), "08:05");
    }
}
