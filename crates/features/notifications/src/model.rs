//! Notification rules without I/O: the kinds people choose among, which kind a topic belongs to, quiet
//! hours, when the digest is due, which events gather into one item, and the words of an item.

use kernel::Timestamp;
use kernel::school_time::school_day_and_minute;
use serde_json::{Map, Value};
use web::{Lang, Tr};

/// The kinds a person turns on or off, in the order of the preferences page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Absences,
    Discipline,
    Grades,
    Homework,
    Timetable,
    Messaging,
    News,
    Agenda,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Absences,
        Kind::Discipline,
        Kind::Grades,
        Kind::Homework,
        Kind::Timetable,
        Kind::Messaging,
        Kind::News,
        Kind::Agenda,
        Kind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Absences => "absences",
            Kind::Discipline => "discipline",
            Kind::Grades => "notes",
            Kind::Homework => "devoirs",
            Kind::Timetable => "edt",
            Kind::Messaging => "messagerie",
            Kind::News => "actualites",
            Kind::Agenda => "agenda",
            Kind::Other => "autres",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == s)
    }

    /// Fluent key of the kind's name.
    pub fn label_key(self) -> String {
        format!("notif-kind-{}", self.code())
    }

    /// The kind of an event, from its topic's feature (`grades.published` → grades).
    pub fn of_topic(topic: &str) -> Kind {
        match topic.split('.').next().unwrap_or("") {
            "attendance" => Kind::Absences,
            "discipline" => Kind::Discipline,
            "grades" => Kind::Grades,
            "homework" => Kind::Homework,
            "timetable" => Kind::Timetable,
            "messaging" => Kind::Messaging,
            "news" => Kind::News,
            "agenda" => Kind::Agenda,
            _ => Kind::Other,
        }
    }
}

/// Quiet hours (the right to disconnect): from 20:00 to 07:00, school time, and all Sunday. Nothing is
/// pushed live and no mail goes out then to a person who keeps them (the default); items still reach
/// the feed.
pub fn is_quiet(at: Timestamp) -> bool {
    let (day, minute) = school_day_and_minute(at);
    day.weekday() == jiff::civil::Weekday::Sunday || !(7 * 60..20 * 60).contains(&minute)
}

/// Whether the day's digest may go to a person at `at`: from `hour` o'clock (school time), outside
/// their quiet hours if they keep them.
pub fn digest_due(at: Timestamp, hour: u8, quiet_hours: bool) -> bool {
    let (_, minute) = school_day_and_minute(at);
    minute >= i32::from(hour) * 60 && !(quiet_hours && is_quiet(at))
}

/// How long a new event of a gathering topic joins an unread item of the same group rather than
/// making one of its own (a teacher publishing three evaluations in a row: one item, "3 new marks").
pub const GATHER_MS: i64 = 30 * 60 * 1000;

/// The group an event's item belongs to: events of the same group reaching the same person within
/// [`GATHER_MS`] make one item. Topics whose every event matters on its own get the event's id.
pub fn group_key(topic: &str, event: uuid::Uuid, payload: &Value) -> String {
    let s = |k: &str| payload.get(k).and_then(Value::as_str).unwrap_or("");
    match topic {
        "grades.published" | "homework.assigned" => topic.to_string(),
        "grades.report_card_published" => format!(
            "{topic}:{}",
            payload.get("period").map(Value::to_string).unwrap_or_default()
        ),
        // Two children absent from the same lesson (twins in one class): one item.
        "attendance.recorded" => format!("{topic}:{}:{}", s("day"), s("from")),
        _ => event.to_string(),
    }
}

/// `a`, `a et b`, `a, b et c`.
pub fn join_names(lang: Lang, names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), Tr(lang).get("notif-and")),
    }
}

/// Fluent selects on words: a flag is "yes" or "no".
fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_string()
}

/// 2026-09-07 → 07/09/2026; anything else unchanged.
fn french_day(day: &str) -> String {
    match day.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => day.to_string(),
    }
}

/// The words of an item: its title and a line of detail (possibly empty), in `lang`.
///
/// Events of the contract (`messaging.*`, `news.*`, `agenda.*`, any other feature's) bring their own
/// `title` and `body`, kept as `headline` and `text`; the topics of the school-life features are
/// worded here from their payload.
pub fn words(lang: Lang, topic: &str, params: &Map<String, Value>, events: i64) -> (String, String) {
    let str_of = |k: &str| params.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let children: Vec<String> = params
        .get("children")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let mut args: Vec<(&str, String)> = vec![
        ("children", join_names(lang, &children)),
        ("family", yes_no(!children.is_empty())),
        ("count", events.to_string()),
        ("many", yes_no(events > 1)),
    ];
    for key in ["subject", "title", "kind", "status", "sender"] {
        args.push((key, str_of(key)));
    }
    args.push(("has_subject", yes_no(!str_of("subject").is_empty())));
    let (day, until) = (str_of("day"), str_of("until"));
    let when = if !str_of("from").is_empty() {
        let hours = [
            ("day", french_day(&day)),
            ("from", str_of("from")),
            ("to", str_of("to")),
        ];
        web::i18n::text(lang, "notif-when-hours", &hours)
    } else if !until.is_empty() && until != day {
        let span = [("day", french_day(&day)), ("until", french_day(&until))];
        web::i18n::text(lang, "notif-when-span", &span)
    } else {
        french_day(&day)
    };
    args.push(("when", when));
    args.push(("day", french_day(&day)));
    args.push(("due", french_day(&str_of("due_day"))));
    let cancelled = params.get("cancelled").and_then(Value::as_bool) == Some(true);
    args.push(("cancelled", yes_no(cancelled)));
    let headline = str_of("headline");
    let key = format!("notif-{}", topic.replace(['.', '_'], "-"));
    let known = web::i18n::text(lang, &key, &[]) != key;
    if !headline.is_empty() || !known {
        let title = if headline.is_empty() {
            web::i18n::text(lang, "notif-generic", &args)
        } else {
            headline
        };
        return (title, str_of("text"));
    }
    let body_key = format!("{key}-body");
    let body = web::i18n::text(lang, &body_key, &args);
    (
        web::i18n::text(lang, &key, &args),
        if body == body_key { String::new() } else { body },
    )
}

/// A site path to link an item to; anything else (another site, a scheme) becomes the feed.
pub fn safe_link(link: &str) -> String {
    let ok = link.starts_with('/')
        && !link.starts_with("//")
        && !link.contains('\\')
        && !link.chars().any(char::is_control);
    if ok {
        link.to_string()
    } else {
        "/notifications".to_string()
    }
}

/// Text from a payload cut to `max` characters (titles and bodies are short by contract).
pub fn short(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn at(day: &str, h: i8, m: i8) -> Timestamp {
        let d: jiff::civil::Date = day.parse().unwrap();
        Timestamp(
            d.at(h, m, 0, 0)
                .in_tz("Europe/Paris")
                .unwrap()
                .timestamp()
                .as_millisecond(),
        )
    }

    #[test]
    fn quiet_from_eight_in_the_evening_to_seven_and_on_sundays() {
        assert!(!is_quiet(at("2026-09-02", 7, 0)));
        assert!(!is_quiet(at("2026-09-02", 19, 59)));
        assert!(is_quiet(at("2026-09-02", 20, 0)));
        assert!(is_quiet(at("2026-09-02", 22, 0)));
        assert!(is_quiet(at("2026-09-03", 6, 59)));
        assert!(is_quiet(at("2026-09-06", 12, 0)), "a Sunday");
        // Winter time too (UTC+1).
        assert!(is_quiet(at("2026-12-07", 20, 30)));
        assert!(!is_quiet(at("2026-12-07", 8, 0)));
    }

    #[test]
    fn the_digest_waits_for_its_hour_and_for_the_end_of_quiet_hours() {
        assert!(!digest_due(at("2026-09-02", 16, 59), 17, true));
        assert!(digest_due(at("2026-09-02", 17, 0), 17, true));
        assert!(!digest_due(at("2026-09-02", 21, 0), 17, true));
        assert!(digest_due(at("2026-09-02", 21, 0), 17, false));
        assert!(!digest_due(at("2026-09-06", 18, 0), 17, true), "Sunday");
    }

    #[test]
    fn kinds_follow_the_topic_feature() {
        assert_eq!(Kind::of_topic("attendance.recorded"), Kind::Absences);
        assert_eq!(Kind::of_topic("grades.report_card_published"), Kind::Grades);
        assert_eq!(Kind::of_topic("messaging.received"), Kind::Messaging);
        assert_eq!(Kind::of_topic("sites.page"), Kind::Other);
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.code()), Some(k));
        }
    }

    #[test]
    fn links_stay_on_the_site() {
        assert_eq!(safe_link("/messagerie/1"), "/messagerie/1");
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "javascript:alert(1)",
            "/\\evil",
        ] {
            assert_eq!(safe_link(bad), "/notifications");
        }
    }

    #[test]
    fn names_are_joined_the_french_way() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_names(Lang::Fr, &names(&["Léa"])), "Léa");
        assert_eq!(join_names(Lang::Fr, &names(&["Léa", "Tom"])), "Léa et Tom");
        assert_eq!(join_names(Lang::Fr, &names(&["A", "B", "C"])), "A, B et C");
    }

    #[test]
    fn twins_absent_from_one_lesson_share_a_group_but_two_decisions_do_not() {
        let p = serde_json::json!({ "day": "2026-09-07", "from": "08:00" });
        let (a, b) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
        assert_eq!(
            group_key("attendance.recorded", a, &p),
            group_key("attendance.recorded", b, &p)
        );
        assert_ne!(
            group_key("attendance.decided", a, &p),
            group_key("attendance.decided", b, &p)
        );
    }

    #[test]
    fn long_text_is_cut() {
        assert_eq!(short("  court ", 10), "court");
        assert_eq!(short("abcdefghijkl", 5), "abcd…");
    }
}
