//! Timetable imports and extra lessons. A CSV (format in docs/timetable-import.md) or iCalendar file
//! describes the school's whole weekly timetable from its source: importing it again changes nothing,
//! lessons gone from it end the day before the import (their past stays for the cahier de textes), and
//! any wrong line stops the import with every error listed, nothing written.

use jiff::civil::Date;
use kernel::SchoolId;
use uuid::Uuid;

use crate::calendar::{Calendar, WeekKind, add_days, parse_day};
use crate::model::{Weeks, parse_hhmm};
use crate::service::{Timetable, Viewer, civil_day};
use crate::store::{self, NewLesson};
use crate::{ics, school};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Lines of the file that are wrong, each with its number and what is wrong.
    #[error("{} ligne(s) en erreur", .0.len())]
    Lines(Vec<String>),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Db(#[from] db::Error),
}

impl From<Error> for web::AppError {
    fn from(e: Error) -> Self {
        match e {
            Error::Db(e) => e.into(),
            other => web::AppError::internal(other),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Ics,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub lessons: usize,
    pub ended: u64,
}

/// The school's names, to read a file against.
struct Names {
    classes: Vec<(Uuid, String, String)>,
    subjects: Vec<(String, String)>,
    teachers: Vec<(Uuid, String, String, String)>,
}

/// Lower case, without accents or spaces: "Mathématiques " and "MATHEMATIQUES" read the same.
fn key(s: &str) -> String {
    kernel::text::fold(s).split_whitespace().collect()
}

impl Names {
    async fn of(db: &db::Db, school: SchoolId) -> Result<Names, db::Error> {
        Ok(Names {
            classes: school::classes_by_code(db, school).await?,
            subjects: school::subjects(db).await?,
            teachers: school::teacher_logins(db, school).await?,
        })
    }

    fn class(&self, s: &str) -> Result<Uuid, String> {
        let k = key(s);
        self.classes
            .iter()
            .find(|(_, code, name)| key(code) == k || key(name) == k)
            .map(|c| c.0)
            .ok_or_else(|| format!("classe ou groupe « {} » inconnu dans l'établissement", s.trim()))
    }

    fn subject(&self, s: &str) -> Result<String, String> {
        let k = key(s);
        self.subjects
            .iter()
            .find(|(code, label)| {
                key(code) == k || key(label) == k || key(&crate::subject_label(code, label)) == k
            })
            .map(|s| s.0.clone())
            .ok_or_else(|| {
                format!(
                    "matière « {} » inconnue (code ou libellé de la nomenclature)",
                    s.trim()
                )
            })
    }

    /// A teacher by login or "Prénom Nom" / "Nom Prénom".
    fn teacher(&self, s: &str) -> Result<Uuid, String> {
        let k = key(s);
        self.teachers
            .iter()
            .find(|(_, login, first, last)| {
                key(login) == k || key(&format!("{first}{last}")) == k || key(&format!("{last}{first}")) == k
            })
            .map(|t| t.0)
            .ok_or_else(|| format!("enseignant « {} » inconnu dans l'établissement", s.trim()))
    }
}

/// Whether the file is an iCalendar file rather than a CSV one.
pub fn looks_like_ics(file: &[u8]) -> bool {
    let start: Vec<u8> = file
        .iter()
        .skip_while(|b| b.is_ascii_whitespace() || **b == 0xEF || **b == 0xBB || **b == 0xBF)
        .take(15)
        .copied()
        .collect();
    start.eq_ignore_ascii_case(b"BEGIN:VCALENDAR")
}

/// UTF-8, or Windows-1252 as spreadsheets of French Windows write it.
fn decode(file: &[u8]) -> String {
    match std::str::from_utf8(file) {
        Ok(s) => s.strip_prefix('\u{feff}').unwrap_or(s).to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(file).0.into_owned(),
    }
}

/// Imports the file into the school's timetable, in one transaction.
pub async fn run(
    tt: &Timetable,
    school: SchoolId,
    format: Format,
    file: &[u8],
) -> Result<ImportReport, Error> {
    let text = decode(file);
    if text.trim().is_empty() {
        return Err(Error::Invalid(
            "le fichier est vide : choisissez le fichier de l'emploi du temps".into(),
        ));
    }
    let names = Names::of(tt.db(), school).await?;
    let today = tt.today();
    let calendar = tt.calendar(school, today).await?;
    let (lessons, source) = match format {
        Format::Csv => (read_csv(&text, &names, &calendar)?, "csv"),
        Format::Ics => (read_ics(&text, &names, &calendar)?, "ics"),
    };
    let mut tx = tt.db().begin().await?;
    let keys: Vec<String> = lessons.iter().map(|l| l.source_key.clone()).collect();
    for l in &lessons {
        store::upsert_lesson(&mut tx, school, l).await?;
    }
    let ended = store::end_others(&mut tx, school, source, &keys, today).await?;
    tx.commit().await?;
    tt.lessons_changed(school).await;
    Ok(ImportReport {
        lessons: lessons.len(),
        ended,
    })
}

const COLUMNS: [&str; 10] = [
    "classe",
    "matiere",
    "enseignants",
    "salle",
    "jour",
    "debut",
    "fin",
    "semaine",
    "du",
    "au",
];
const REQUIRED: [&str; 6] = ["classe", "matiere", "jour", "debut", "fin", "salle"];

fn weekday(s: &str) -> Option<i8> {
    let k = key(s);
    let days = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"];
    days.iter()
        .position(|d| *d == k || (k.len() >= 3 && d.starts_with(&k)))
        .map(|i| i as i8 + 1)
        .or_else(|| k.parse::<i8>().ok().filter(|d| (1..=6).contains(d)))
}

fn read_csv(text: &str, names: &Names, calendar: &Calendar) -> Result<Vec<NewLesson>, Error> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err(Error::Invalid("le fichier est vide".into()));
    };
    let sep = if header.matches(';').count() >= header.matches(',').count() {
        ';'
    } else {
        ','
    };
    let header: Vec<String> = kernel::text::split_fields(header, sep)
        .iter()
        .map(|h| key(h))
        .collect();
    let mut col = std::collections::HashMap::new();
    for (i, h) in header.iter().enumerate() {
        if let Some(name) = COLUMNS.iter().find(|c| *c == h) {
            col.insert(*name, i);
        }
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .filter(|c| !col.contains_key(*c))
        .copied()
        .collect();
    if !missing.is_empty() {
        return Err(Error::Invalid(format!(
            "ligne 1 : colonnes manquantes : {} (en-tête attendu : classe;matière;enseignants;salle;jour;début;fin;semaine;du;au)",
            missing.join(", ")
        )));
    }
    let mut errors = vec![];
    let mut out: Vec<NewLesson> = vec![];
    for (i, line) in lines {
        let n = i + 1;
        let f = kernel::text::split_fields(line, sep);
        match read_record(&f, &col, names, calendar) {
            Ok(l) if out.iter().any(|o| o.source_key == l.source_key) => errors.push(format!(
                "ligne {n} : ce cours figure déjà plus haut (même classe, jour, heure, semaine et matière)"
            )),
            Ok(l) => out.push(l),
            Err(e) => errors.push(format!("ligne {n} : {e}")),
        }
        if errors.len() >= 50 {
            errors.push("… (les 50 premières erreurs seulement)".into());
            break;
        }
    }
    if !errors.is_empty() {
        return Err(Error::Lines(errors));
    }
    if out.is_empty() {
        return Err(Error::Invalid(
            "le fichier ne contient aucun cours après l'en-tête".into(),
        ));
    }
    Ok(out)
}

fn read_record(
    f: &[String],
    col: &std::collections::HashMap<&str, usize>,
    names: &Names,
    calendar: &Calendar,
) -> Result<NewLesson, String> {
    let get = |name: &str| {
        col.get(name)
            .and_then(|&i| f.get(i))
            .map(String::as_str)
            .unwrap_or("")
    };
    let class_id = names.class(get("classe"))?;
    let subject_code = names.subject(get("matiere"))?;
    let teachers = get("enseignants")
        .split([',', '/'])
        .filter(|t| !t.trim().is_empty())
        .map(|t| names.teacher(t))
        .collect::<Result<Vec<_>, _>>()?;
    let day =
        weekday(get("jour")).ok_or_else(|| format!("jour « {} » invalide (lundi … samedi)", get("jour")))?;
    let starts_at = parse_hhmm(get("debut"))
        .ok_or_else(|| format!("heure de début « {} » invalide (HH:MM)", get("debut")))?;
    let ends_at =
        parse_hhmm(get("fin")).ok_or_else(|| format!("heure de fin « {} » invalide (HH:MM)", get("fin")))?;
    if ends_at <= starts_at {
        return Err("l'heure de fin doit suivre l'heure de début".into());
    }
    let weeks = Weeks::parse(get("semaine"))
        .ok_or_else(|| format!("semaine « {} » invalide (vide, A ou B)", get("semaine")))?;
    let day_or = |name: &str, default: Date| match get(name) {
        "" => Ok(default),
        s => parse_day(s).ok_or_else(|| format!("date « {s} » invalide (AAAA-MM-JJ)")),
    };
    let valid_from = day_or("du", calendar.first_day)?;
    let valid_to = day_or("au", calendar.last_day)?;
    if valid_to < valid_from {
        return Err("la date « au » précède la date « du »".into());
    }
    let room = get("salle").to_string();
    if room.chars().count() > 40 {
        return Err("nom de salle trop long (40 caractères au plus)".into());
    }
    Ok(NewLesson {
        source_key: format!(
            "{}|{day}|{starts_at}|{}|{subject_code}",
            key(get("classe")),
            weeks.code()
        ),
        class_id,
        subject_code,
        teachers,
        room,
        weekday: day,
        starts_at,
        ends_at,
        weeks,
        valid_from,
        valid_to,
        source: "csv",
    })
}

/// VEVENTs as lessons: weekly events (RRULE FREQ=WEEKLY, INTERVAL=2 for A/B weeks) are weekly lessons,
/// single events extra lessons. The class is in CATEGORIES, the teachers in ORGANIZER / ATTENDEE (CN).
fn read_ics(text: &str, names: &Names, calendar: &Calendar) -> Result<Vec<NewLesson>, Error> {
    let events = ics::parse(text).map_err(|e| Error::Lines(vec![e.to_string()]))?;
    let mut errors = vec![];
    let mut out: Vec<NewLesson> = vec![];
    for e in &events {
        match read_event(e, names, calendar) {
            Ok(l) if out.iter().any(|o| o.source_key == l.source_key) => {
                errors.push(format!("ligne {} : UID en double", e.line))
            }
            Ok(l) => out.push(l),
            Err(m) => errors.push(format!("ligne {} : {m}", e.line)),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Lines(errors));
    }
    if out.is_empty() {
        return Err(Error::Invalid(
            "le fichier ne contient aucun événement (VEVENT)".into(),
        ));
    }
    Ok(out)
}

fn read_event(e: &ics::Event, names: &Names, calendar: &Calendar) -> Result<NewLesson, String> {
    let prop = |n: &str| e.get(n).ok_or_else(|| format!("{n} manquant"));
    let uid = prop("UID")?.text();
    let start = ics::instant_of(prop("DTSTART")?).map_err(|x| x.message)?;
    let end = ics::instant_of(prop("DTEND")?).map_err(|x| x.message)?;
    let tz = jiff::tz::TimeZone::get(crate::calendar::SCHOOL_TZ).map_err(|x| x.to_string())?;
    let (s, en) = (start.to_zoned(tz.clone()).datetime(), end.to_zoned(tz).datetime());
    let minutes = |t: jiff::civil::DateTime| i32::from(t.hour()) * 60 + i32::from(t.minute());
    if en <= s || s.date() != en.date() {
        return Err("DTEND doit suivre DTSTART le même jour".into());
    }
    let class = e
        .get("CATEGORIES")
        .map(|p| p.text())
        .ok_or("CATEGORIES (la classe ou le groupe) manquant")?;
    let class_id = names.class(class.split(',').next().unwrap_or(""))?;
    let subject_code = names.subject(&prop("SUMMARY")?.text())?;
    let mut teachers = vec![];
    for p in e
        .props
        .iter()
        .filter(|p| p.name == "ORGANIZER" || p.name == "ATTENDEE")
    {
        if let Some(cn) = p.param("CN") {
            let id = names.teacher(cn.trim_matches('"'))?;
            if !teachers.contains(&id) {
                teachers.push(id);
            }
        }
    }
    let day = s.date();
    let rrule = e.get("RRULE").map(|p| p.value.to_ascii_uppercase());
    let (weeks, valid_from, valid_to) = match rrule {
        None => (Weeks::Every, day, day),
        Some(rule) => {
            let part = |k: &str| {
                rule.split(';')
                    .find_map(|p| p.strip_prefix(k))
                    .map(str::to_string)
            };
            if part("FREQ=").as_deref() != Some("WEEKLY") {
                return Err("seules les répétitions hebdomadaires (RRULE:FREQ=WEEKLY) sont lues".into());
            }
            let weeks = match part("INTERVAL=").as_deref() {
                None | Some("1") => Weeks::Every,
                Some("2") => Weeks::Only(calendar.week_kind(day).unwrap_or(WeekKind::A)),
                Some(other) => return Err(format!("INTERVAL={other} non pris en charge (1 ou 2)")),
            };
            let until = part("UNTIL=")
                .and_then(|u| u.get(..8).map(str::to_string))
                .and_then(|u| jiff::civil::Date::strptime("%Y%m%d", &u).ok())
                .unwrap_or(calendar.last_day);
            (weeks, day, until)
        }
    };
    Ok(NewLesson {
        class_id,
        subject_code,
        teachers,
        room: e.get("LOCATION").map(|p| p.text()).unwrap_or_default(),
        weekday: day.weekday().to_monday_one_offset(),
        starts_at: minutes(s),
        ends_at: minutes(en),
        weeks,
        valid_from,
        valid_to,
        source: "ics",
        source_key: uid,
    })
}

/// The extra-lesson form, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ExtraFields {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub class: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub teacher: String,
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub room: String,
}

/// Adds a lesson on one day (a make-up lesson, a test), and announces it like any change.
pub async fn add_extra(
    tt: &Timetable,
    school: SchoolId,
    viewer: &Viewer,
    f: &ExtraFields,
) -> Result<(Uuid, Date), Error> {
    let invalid = |m: &str| Error::Invalid(m.to_string());
    let names = Names::of(tt.db(), school).await?;
    let class_id: Uuid = f
        .class
        .parse()
        .map_err(|_| invalid("Classe : choisissez une classe ou un groupe."))?;
    if !names.classes.iter().any(|c| c.0 == class_id) {
        return Err(invalid("Classe : choisissez une classe ou un groupe."));
    }
    let subject_code = names
        .subject(&f.subject)
        .map_err(|e| Error::Invalid(format!("Matière : {e}.")))?;
    let teacher: Uuid = f
        .teacher
        .parse()
        .map_err(|_| invalid("Enseignant : choisissez un enseignant."))?;
    if !names.teachers.iter().any(|t| t.0 == teacher) {
        return Err(invalid("Enseignant : choisissez un enseignant."));
    }
    let day = parse_day(&f.day).ok_or_else(|| invalid("Date : écrivez-la AAAA-MM-JJ."))?;
    if day < add_days(civil_day(tt.now()), -1) {
        return Err(invalid(
            "Date : un cours supplémentaire ne peut pas être ajouté dans le passé.",
        ));
    }
    let starts_at = parse_hhmm(&f.start).ok_or_else(|| invalid("Début : écrivez l'heure HH:MM."))?;
    let ends_at = parse_hhmm(&f.end).ok_or_else(|| invalid("Fin : écrivez l'heure HH:MM."))?;
    if ends_at <= starts_at {
        return Err(invalid("Fin : l'heure de fin doit suivre l'heure de début."));
    }
    let room = f.room.trim();
    if room.chars().count() > 40 {
        return Err(invalid("Salle : 40 caractères au plus."));
    }
    let lesson = NewLesson {
        class_id,
        subject_code,
        teachers: vec![teacher],
        room: room.to_string(),
        weekday: day.weekday().to_monday_one_offset(),
        starts_at,
        ends_at,
        weeks: Weeks::Every,
        valid_from: day,
        valid_to: day,
        source: "extra",
        source_key: Uuid::now_v7().to_string(),
    };
    let now = tt.now();
    let mut tx = tt.db().begin().await?;
    let id = store::upsert_lesson(&mut tx, school, &lesson).await?;
    bus::publish(
        &mut tx,
        now,
        bus::Event {
            topic: "timetable.lesson_added",
            school: Some(school),
            payload: serde_json::json!({
                "lesson": id, "day": day.to_string(), "class": class_id, "teachers": [teacher], "by": viewer.user.0,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    tt.lessons_changed(school).await;
    Ok((id, day))
}

/// The posted form's fields; the file's bytes under its field name.
pub fn form_fields(headers: &axum::http::HeaderMap, body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = web::multipart::fields(headers, body)
        .into_iter()
        .map(|(n, v)| (n, v.into_bytes()))
        .collect();
    out.extend(
        web::multipart::files(headers, body)
            .into_iter()
            .map(|p| (p.name, p.data.to_vec())),
    );
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    fn names() -> Names {
        Names {
            classes: vec![
                (Uuid::from_u128(1), "3A".into(), "3e A".into()),
                (Uuid::from_u128(2), "3A_LAT".into(), "Latin 3e".into()),
            ],
            subjects: vec![
                ("061200".into(), "MATHEMATIQUES".into()),
                ("020700".into(), "FRANCAIS".into()),
            ],
            teachers: vec![(
                Uuid::from_u128(9),
                "anne.martin".into(),
                "Anne".into(),
                "Martin".into(),
            )],
        }
    }

    fn cal() -> Calendar {
        Calendar::national("B", 2026)
    }

    #[test]
    fn reads_a_csv_with_french_headers_and_either_separator() {
        let text = "Classe;Matière;Enseignants;Salle;Jour;Début;Fin;Semaine\n3A;Mathématiques;anne.martin;B12;lundi;8:00;8h55;\n3a;020700;Anne Martin;B12;Mar;10:00;11:00;A\n";
        let l = read_csv(text, &names(), &cal()).unwrap();
        assert_eq!(l.len(), 2);
        assert_eq!((l[0].weekday, l[0].starts_at, l[0].ends_at), (1, 480, 535));
        assert_eq!(l[0].subject_code, "061200");
        assert_eq!(l[1].weeks, Weeks::Only(WeekKind::A));
        assert_eq!(l[1].teachers, [Uuid::from_u128(9)]);
        assert_eq!(l[0].valid_from, cal().first_day);
        let comma = "classe,matiere,enseignants,salle,jour,debut,fin\n\"3A\",\"MATHEMATIQUES\",,\"B 1\",1,08:00,09:00\n";
        assert_eq!(read_csv(comma, &names(), &cal()).unwrap()[0].room, "B 1");
    }

    #[test]
    fn every_wrong_line_is_reported_with_its_number() {
        let text = "classe;matière;enseignants;salle;jour;début;fin\n3Z;Maths;;B1;lundi;8:00;9:00\n3A;MATHEMATIQUES;x.y;B1;lundi;8:00;9:00\n3A;MATHEMATIQUES;;B1;dimanche;8:00;9:00\n3A;MATHEMATIQUES;;B1;lundi;9:00;8:00\n";
        let Err(Error::Lines(errors)) = read_csv(text, &names(), &cal()) else {
            panic!("must fail")
        };
        assert_eq!(errors.len(), 4);
        assert!(errors[0].starts_with("ligne 2 : classe ou groupe « 3Z »"));
        assert!(errors[1].starts_with("ligne 3 : enseignant « x.y »"));
        assert!(errors[2].starts_with("ligne 4 : jour « dimanche »"));
        assert!(errors[3].starts_with("ligne 5 :"));
        let Err(Error::Invalid(m)) = read_csv("classe;jour\n3A;lundi\n", &names(), &cal()) else {
            panic!()
        };
        assert!(m.contains("colonnes manquantes") && m.contains("matiere"));
    }

    #[test]
    fn reads_weekly_and_alternate_week_events() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Paris:20260908T100000\nDTEND;TZID=Europe/Paris:20260908T110000\nRRULE:FREQ=WEEKLY;INTERVAL=2\nSUMMARY:Mathématiques\nLOCATION:B12\nCATEGORIES:3A\nORGANIZER;CN=Anne Martin:mailto:a@x\nEND:VEVENT\nBEGIN:VEVENT\nUID:b\nDTSTART:20260910T120000Z\nDTEND:20260910T130000Z\nSUMMARY:FRANCAIS\nCATEGORIES:Latin 3e\nEND:VEVENT\nEND:VCALENDAR\n";
        let l = read_ics(text, &names(), &cal()).unwrap();
        assert_eq!(
            l[0].weeks,
            Weeks::Only(WeekKind::B),
            "8 September 2026 is in week B"
        );
        assert_eq!((l[0].weekday, l[0].starts_at), (2, 600));
        assert_eq!(l[0].teachers, [Uuid::from_u128(9)]);
        assert_eq!(
            (l[1].valid_from, l[1].valid_to),
            (Date::constant(2026, 9, 10), Date::constant(2026, 9, 10))
        );
        assert_eq!(l[1].starts_at, 14 * 60, "12:00 UTC is 14:00 in Paris");
        assert_eq!(l[1].class_id, Uuid::from_u128(2));
    }
}
