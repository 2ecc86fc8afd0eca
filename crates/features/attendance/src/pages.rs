//! Attendance pages: the teacher's roll call (`/appel…`), the school-life office's dashboard and
//! follow-up (`/vie-scolaire…`), and the families' absences with online justification (`/absences…`).

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use directory::model::Person;
use jiff::civil::Date;
use kernel::Profile;
use uuid::Uuid;
use web::{AppError, CurrentUser, Lang, Tr, WebResult};

use crate::model::{self, Kind, Mark, Status, Window, hhmm, parse_hhmm};
use crate::service::{Attendance, DayLesson, Justification, NewFile, RollSheet, Slot, Viewer};
use crate::store::{AbsenceRow, Reason};

pub fn tiles() -> Vec<web::Tile> {
    vec![
        web::Tile {
            id: "appel",
            name_key: "tile-rollcall",
            desc_key: "tile-rollcall-desc",
            href: "/appel",
            visible: |c| c.profile() == Some(Profile::Teacher),
        },
        web::Tile {
            id: "vie-scolaire",
            name_key: "tile-schoollife",
            desc_key: "tile-schoollife-desc",
            href: "/vie-scolaire",
            visible: model::is_office,
        },
        web::Tile {
            id: "absences",
            name_key: "tile-absences",
            desc_key: "tile-absences-desc",
            href: "/absences",
            visible: |c| matches!(c.profile(), Some(Profile::Student | Profile::Guardian)),
        },
    ]
}

pub fn routes() -> Router<Attendance> {
    Router::new()
        .route("/appel", get(my_day))
        .route("/appel/{lesson}/{day}", get(roll).post(save_roll))
        .route("/vie-scolaire", get(dashboard))
        .route(
            "/vie-scolaire/eleves/{id}",
            get(office_student).post(office_record),
        )
        .route(
            "/vie-scolaire/absences/{id}",
            get(office_file).post(office_decide),
        )
        .route("/vie-scolaire/classes/{id}", get(class_stats))
        .route("/vie-scolaire/motifs", get(reasons).post(add_reason))
        .route("/vie-scolaire/motifs/{id}", post(toggle_reason))
        .route("/absences", get(family))
        .route("/absences/justifier", post(justify))
        .route("/absences/signaler", post(announce))
        .route("/absences/{id}/document", get(document))
}

// ----- shared helpers -----

fn parse_id(s: &str) -> WebResult<Uuid> {
    s.parse().map_err(|_| AppError::NotFound)
}

fn parse_day(s: &str) -> WebResult<Date> {
    s.parse().map_err(|_| AppError::NotFound)
}

#[derive(serde::Deserialize, Default)]
struct DayParam {
    jour: Option<String>,
}

impl DayParam {
    fn day(&self, att: &Attendance) -> Date {
        self.jour
            .as_deref()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| att.school_now().0)
    }
}

/// « lundi 7 décembre » in the page's language.
fn day_label(t: &Tr, day: Date) -> String {
    let weekday = t.get(&format!("att-weekday-{}", day.weekday().to_monday_one_offset()));
    let month = t.get(&format!("att-month-{}", day.month()));
    format!("{weekday} {} {month}", day.day())
}

/// The day `n` days from `day`, 'YYYY-MM-DD' (the day navigation's links).
fn days_from(day: Date, n: i64) -> String {
    day.checked_add(jiff::Span::new().days(n))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

fn day_of(t: &Tr, s: &str) -> String {
    s.parse::<Date>()
        .map(|d| day_label(t, d))
        .unwrap_or_else(|_| s.to_string())
}

fn list_name(first: &str, last: &str) -> String {
    format!("{} {first}", last.to_uppercase())
}

fn rendered_error(lang: Lang, e: AppError) -> Result<String, AppError> {
    match e {
        AppError::BadRequest(m) => Ok(m.render(lang)),
        other => Err(other),
    }
}

/// A file as a line of a list.
struct FileView {
    id: Uuid,
    student_id: Uuid,
    student: String,
    when: String,
    what: String,
    status_key: &'static str,
    status_class: &'static str,
    reason: String,
    family_comment: String,
    office_comment: String,
    has_document: bool,
    may_justify: bool,
}

fn file_view(t: &Tr, a: &AbsenceRow) -> FileView {
    let status = Status::parse(&a.status);
    let when = if a.start_day == a.end_day {
        format!(
            "{} · {}–{}",
            day_of(t, &a.start_day),
            hhmm(a.start_minute),
            hhmm(a.end_minute.min(24 * 60 - 1))
        )
    } else {
        web::Msg::new("att-from-to")
            .arg(
                "from",
                format!("{} {}", day_of(t, &a.start_day), hhmm(a.start_minute)),
            )
            .arg("to", format!("{} {}", day_of(t, &a.end_day), hhmm(a.end_minute)))
            .render(t.0)
    };
    let what = match (Kind::parse(&a.kind), a.minutes_late) {
        (Some(Kind::Lateness), Some(m)) => t.with("att-late-by", "minutes", &m.to_string()),
        (Some(Kind::Lateness), None) => t.get("att-kind-retard"),
        _ => t.get("att-kind-absence"),
    };
    FileView {
        id: a.id,
        student_id: a.student_id,
        student: list_name(&a.first_name, &a.last_name),
        when,
        what,
        status_key: match status {
            Status::New => "att-status-nouveau",
            Status::Sent => "att-status-en_cours",
            Status::Justified => "att-status-justifie",
            Status::Refused => "att-status-refuse",
        },
        status_class: match status {
            Status::New | Status::Refused => "status-missing",
            Status::Sent => "status-late",
            Status::Justified => "status-ok",
        },
        reason: a.reason_label.clone().unwrap_or_default(),
        family_comment: a.family_comment.clone(),
        office_comment: a.office_comment.clone(),
        has_document: a.document_key.is_some(),
        may_justify: status.family_may_justify(),
    }
}

// ----- the teacher's roll call -----

struct LessonLine {
    href: String,
    time: String,
    class_name: String,
    subject: String,
    room: String,
    state_key: &'static str,
    state_class: &'static str,
    opens: String,
    cancelled: bool,
}

#[derive(Template)]
#[template(path = "appel.html")]
struct MyDayTemplate {
    t: Tr,
    day: String,
    prev: String,
    next: String,
    lessons: Vec<LessonLine>,
}

fn lesson_line(l: &DayLesson) -> LessonLine {
    let s = &l.slot;
    let (state_key, state_class) = match (&l.taken, l.window, s.cancelled) {
        (_, _, true) => ("att-lesson-cancelled", "muted"),
        (Some(_), _, _) => ("att-roll-done", "status-ok"),
        (None, Window::NotYet(_), _) => ("att-roll-not-yet", "muted"),
        (None, Window::Open, _) => ("att-roll-todo", "status-late"),
        (None, Window::Closed, _) => ("att-roll-missed", "status-missing"),
    };
    LessonLine {
        href: format!("/appel/{}/{}", s.lesson_id, s.day),
        time: format!("{}–{}", hhmm(s.starts_at), hhmm(s.ends_at)),
        class_name: s.class_name.clone(),
        subject: s.subject.clone(),
        room: s.room.clone(),
        state_key,
        state_class,
        opens: match l.window {
            Window::NotYet(at) => hhmm(at),
            _ => String::new(),
        },
        cancelled: s.cancelled,
    }
}

async fn my_day(
    State(att): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<DayParam>,
) -> WebResult<Html<String>> {
    let day = q.day(&att);
    let lessons = att.my_lessons(&Viewer::of(&user), day).await?;
    let t = Tr(lang);
    let body = MyDayTemplate {
        day: day_label(&t, day),
        prev: days_from(day, -1),
        next: days_from(day, 1),
        lessons: lessons.iter().map(lesson_line).collect(),
        t,
    };
    web::user_page(lang, &user, "att-myday-title", &body)
}

struct StudentLine {
    id: Uuid,
    name: String,
    mark: &'static str,
    minutes: String,
    announced: Option<String>,
    status_key: &'static str,
}

#[derive(Template)]
#[template(path = "appel_cours.html")]
struct RollTemplate {
    t: Tr,
    csrf: String,
    action: String,
    title: String,
    when: String,
    room: String,
    teachers: String,
    lines: Vec<StudentLine>,
    taken: String,
    may_take: bool,
    cancelled: bool,
    opens: String,
    closed: bool,
    error: Option<String>,
    saved: bool,
    back: String,
    absent: i32,
    late: i32,
}

fn roll_page(
    t: Tr,
    user: &CurrentUser,
    sheet: RollSheet,
    posted: Option<&[(Uuid, Mark)]>,
    error: Option<String>,
    saved: bool,
) -> RollTemplate {
    let s: &Slot = &sheet.slot;
    let mut absent = 0;
    let mut late = 0;
    let lines = sheet
        .lines
        .iter()
        .map(|l| {
            let mark = posted
                .and_then(|p| p.iter().find(|(id, _)| *id == l.student.id).map(|(_, m)| *m))
                .unwrap_or(if posted.is_some() { Mark::Present } else { l.mark });
            let (mark_code, minutes) = match mark {
                Mark::Present => ("present", String::new()),
                Mark::Absent => {
                    absent += 1;
                    ("absent", String::new())
                }
                Mark::Late(m) => {
                    late += 1;
                    ("retard", m.to_string())
                }
            };
            StudentLine {
                id: l.student.id,
                name: l.student.list_name(),
                mark: mark_code,
                minutes,
                announced: l.announced.clone(),
                status_key: match l.status {
                    Some(Status::Sent) => "att-status-en_cours",
                    Some(Status::Justified) => "att-status-justifie",
                    Some(Status::Refused) => "att-status-refuse",
                    _ => "",
                },
            }
        })
        .collect();
    let taken = sheet
        .taken
        .as_ref()
        .map(|r| {
            let at = hhmm(kernel::school_day_and_minute(kernel::Timestamp(r.updated_at)).1);
            t.with("att-roll-saved-at", "time", &at)
        })
        .unwrap_or_default();
    RollTemplate {
        csrf: user.csrf_token.clone(),
        action: format!("/appel/{}/{}", s.lesson_id, s.day),
        title: format!("{} · {}", s.class_name, s.subject),
        when: format!(
            "{} · {}–{}",
            day_label(&t, s.day),
            hhmm(s.starts_at),
            hhmm(s.ends_at)
        ),
        room: s.room.clone(),
        teachers: s
            .teachers
            .iter()
            .map(|(_, n)| n.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        lines,
        taken,
        may_take: sheet.may_take,
        cancelled: s.cancelled,
        opens: match sheet.window {
            Window::NotYet(at) => hhmm(at),
            _ => String::new(),
        },
        closed: sheet.window == Window::Closed && !sheet.may_take,
        error,
        saved,
        back: if model::is_office(&user.context.context) {
            format!("/vie-scolaire?jour={}", s.day)
        } else {
            format!("/appel?jour={}", s.day)
        },
        absent,
        late,
        t,
    }
}

#[derive(serde::Deserialize, Default)]
struct SavedParam {
    ok: Option<String>,
}

async fn roll(
    State(att): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    Path((lesson, day)): Path<(String, String)>,
    Query(q): Query<SavedParam>,
) -> WebResult<Html<String>> {
    let sheet = att
        .roll(&Viewer::of(&user), parse_id(&lesson)?, parse_day(&day)?)
        .await?;
    let body = roll_page(Tr(lang), &user, sheet, None, None, q.ok.is_some());
    web::user_page(lang, &user, "att-roll-title", &body)
}

/// Reads a roll-call form: `m-<student>` = present | absent | retard, `r-<student>` = minutes late. A
/// wrong value gives the student and the message's key.
type BadMark = (Option<Uuid>, &'static str);

fn read_marks(fields: &[(String, String)]) -> Result<Vec<(Uuid, Mark)>, BadMark> {
    let mut out = vec![];
    for (key, value) in fields {
        let Some(id) = key.strip_prefix("m-") else {
            continue;
        };
        let id: Uuid = id.parse().map_err(|_| (None, "att-error-not-in-class"))?;
        let minutes = fields
            .iter()
            .find(|(k, _)| k.strip_prefix("r-") == Some(&id.to_string()))
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        out.push((id, Mark::parse(value, minutes).map_err(|key| (Some(id), key))?));
    }
    Ok(out)
}

async fn save_roll(
    State(att): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    Path((lesson, day)): Path<(String, String)>,
    axum::extract::Form(fields): axum::extract::Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let token = fields
        .iter()
        .find(|(k, _)| k == web::csrf::FIELD)
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    user.check_csrf(token)?;
    let (lesson, day) = (parse_id(&lesson)?, parse_day(&day)?);
    let v = Viewer::of(&user);
    // The sheet is read again only when the roll cannot be saved (the page shows it with the error).
    let (marks, error) = match read_marks(&fields) {
        Ok(marks) => match att.save_roll(&v, lesson, day, &marks).await {
            Ok(_) => return Ok(Redirect::to(&format!("/appel/{lesson}/{day}?ok=1")).into_response()),
            Err(e) => (marks, Err(rendered_error(lang, e)?)),
        },
        Err(bad) => (vec![], Ok(bad)),
    };
    let sheet = att.roll(&v, lesson, day).await?;
    let error = match error {
        Err(text) => text,
        Ok((student, key)) => {
            let name = sheet
                .lines
                .iter()
                .find(|l| Some(l.student.id) == student)
                .map(|l| l.student.list_name())
                .unwrap_or_default();
            web::Msg::new(key).arg("name", name).render(lang)
        }
    };
    let posted = (!marks.is_empty()).then_some(marks.as_slice());
    let body = roll_page(Tr(lang), &user, sheet, posted, Some(error), false);
    web::form_page(lang, &user, &Tr(lang).get("att-roll-title"), &body, true)
}

// ----- the school-life office -----

struct MissingLine {
    href: String,
    time: String,
    class_name: String,
    subject: String,
    teachers: String,
    room: String,
}

#[derive(Template)]
#[template(path = "vie_scolaire.html")]
struct DashboardTemplate {
    t: Tr,
    day: String,
    day_iso: String,
    prev: String,
    next: String,
    lessons: usize,
    taken: usize,
    missing: Vec<MissingLine>,
    absences: Vec<FileView>,
    lateness: Vec<FileView>,
    pending: Vec<FileView>,
    live_js: &'static str,
}

async fn dashboard(
    State(att): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<DayParam>,
) -> WebResult<Html<String>> {
    let day = q.day(&att);
    let d = att.dashboard(&Viewer::of(&user), day).await?;
    let t = Tr(lang);
    let body = DashboardTemplate {
        day: day_label(&t, day),
        day_iso: day.to_string(),
        prev: days_from(day, -1),
        next: days_from(day, 1),
        lessons: d.lessons,
        taken: d.taken,
        missing: d
            .missing
            .iter()
            .map(|s| MissingLine {
                href: format!("/appel/{}/{}", s.lesson_id, s.day),
                time: format!("{}–{}", hhmm(s.starts_at), hhmm(s.ends_at)),
                class_name: s.class_name.clone(),
                subject: s.subject.clone(),
                teachers: s
                    .teachers
                    .iter()
                    .map(|(_, n)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                room: s.room.clone(),
            })
            .collect(),
        absences: d.absences.iter().map(|a| file_view(&t, a)).collect(),
        lateness: d.lateness.iter().map(|a| file_view(&t, a)).collect(),
        pending: d.pending.iter().map(|a| file_view(&t, a)).collect(),
        live_js: web::assets::live_url(),
        t,
    };
    web::user_page(lang, &user, "att-office-title", &body)
}

struct StatsView {
    half_days: u32,
    unjustified_half_days: u32,
    lateness: u32,
    unjustified_lateness: u32,
    pending: u32,
}

impl From<model::Stats> for StatsView {
    fn from(s: model::Stats) -> Self {
        StatsView {
            half_days: s.half_days,
            unjustified_half_days: s.unjustified_half_days,
            lateness: s.lateness,
            unjustified_lateness: s.unjustified_lateness,
            pending: s.pending,
        }
    }
}

#[derive(Template)]
#[template(path = "vie_scolaire_eleve.html")]
struct OfficeStudentTemplate {
    t: Tr,
    csrf: String,
    student: String,
    student_id: Uuid,
    stats: StatsView,
    files: Vec<FileView>,
    reasons: Vec<Reason>,
    error: Option<String>,
    form: RecordForm,
}

#[derive(serde::Deserialize, Default, Clone)]
struct RecordForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    eleve: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    from_day: String,
    #[serde(default)]
    from_time: String,
    #[serde(default)]
    to_day: String,
    #[serde(default)]
    to_time: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    comment: String,
}

impl RecordForm {
    /// The form read into a new file, or the message naming the field that is wrong.
    fn to_file(&self, student: Uuid) -> Result<NewFile, web::Msg> {
        let day = |s: &str, key: &'static str| -> Result<Option<Date>, web::Msg> {
            match s.trim() {
                "" => Ok(None),
                s => s.parse().map(Some).map_err(|_| web::Msg::new(key)),
            }
        };
        let time = |s: &str, key: &'static str| -> Result<Option<i32>, web::Msg> {
            match s.trim() {
                "" => Ok(None),
                s => parse_hhmm(s).map(Some).ok_or_else(|| web::Msg::new(key)),
            }
        };
        Ok(NewFile {
            student,
            kind: Kind::parse(&self.kind).unwrap_or(Kind::Absence),
            from: (
                day(&self.from_day, "att-error-from-day")?,
                time(&self.from_time, "att-error-from-time")?,
            ),
            to: (
                day(&self.to_day, "att-error-to-day")?,
                time(&self.to_time, "att-error-to-time")?,
            ),
            reason: match self.reason.trim() {
                "" => None,
                r => Some(r.parse().map_err(|_| web::Msg::new("att-error-reason-unknown"))?),
            },
            comment: self.comment.clone(),
        })
    }
}

async fn render_office_student(
    att: &Attendance,
    lang: Lang,
    user: &CurrentUser,
    student: Uuid,
    form: RecordForm,
    error: Option<String>,
) -> WebResult<Response> {
    let v = Viewer::of(user);
    if !model::is_office(&v.context) {
        return Err(AppError::Forbidden);
    }
    let file = att.student_file(&v, student).await?;
    let reasons = att.reasons(&v).await?;
    let t = Tr(lang);
    let failed = error.is_some();
    let body = OfficeStudentTemplate {
        csrf: user.csrf_token.clone(),
        student: file.student.list_name(),
        student_id: file.student.id,
        stats: file.stats.into(),
        files: file.files.iter().map(|a| file_view(&t, a)).collect(),
        reasons: reasons.into_iter().filter(|r| r.active).collect(),
        error,
        form,
        t,
    };
    web::form_page(lang, user, &Tr(lang).get("att-student-title"), &body, failed)
}

async fn office_student(
    State(att): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let form = RecordForm {
        from_day: att.school_now().0.to_string(),
        ..RecordForm::default()
    };
    render_office_student(&att, lang, &user, parse_id(&id)?, form, None).await
}

async fn office_record(
    State(att): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<RecordForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf_token)?;
    let student = parse_id(&id)?;
    let outcome = match form.to_file(student) {
        Ok(file) => att.record(&Viewer::of(&user), file).await.map(|_| ()),
        Err(msg) => Err(AppError::BadRequest(msg)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/vie-scolaire/eleves/{student}")).into_response()),
        Err(e) => {
            let error = rendered_error(lang, e)?;
            render_office_student(&att, lang, &user, student, form, Some(error)).await
        }
    }
}

#[derive(Template)]
#[template(path = "vie_scolaire_absence.html")]
struct OfficeFileTemplate {
    t: Tr,
    csrf: String,
    f: FileView,
    reasons: Vec<Reason>,
    current_reason: Option<Uuid>,
    error: Option<String>,
}

impl OfficeFileTemplate {
    fn is_current(&self, id: &Uuid) -> bool {
        self.current_reason == Some(*id)
    }
}

async fn render_office_file(
    att: &Attendance,
    lang: Lang,
    user: &CurrentUser,
    id: Uuid,
    error: Option<String>,
) -> WebResult<Response> {
    let v = Viewer::of(user);
    if !model::is_office(&v.context) {
        return Err(AppError::Forbidden);
    }
    let file = att.file(&v, id).await?;
    let reasons = att.reasons(&v).await?;
    let t = Tr(lang);
    let failed = error.is_some();
    let body = OfficeFileTemplate {
        csrf: user.csrf_token.clone(),
        f: file_view(&t, &file),
        current_reason: file.reason_id,
        reasons: reasons.into_iter().filter(|r| r.active).collect(),
        error,
        t,
    };
    web::form_page(lang, user, &Tr(lang).get("att-file-title"), &body, failed)
}

async fn office_file(
    State(att): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    render_office_file(&att, lang, &user, parse_id(&id)?, None).await
}

#[derive(serde::Deserialize)]
struct DecisionForm {
    csrf_token: String,
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    comment: String,
}

async fn office_decide(
    State(att): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<DecisionForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf_token)?;
    let id = parse_id(&id)?;
    let reason = match form.reason.trim() {
        "" => None,
        r => Some(
            r.parse()
                .map_err(|_| AppError::BadRequest(web::Msg::new("att-error-reason-unknown")))?,
        ),
    };
    let accept = form.decision == "accepter";
    match att
        .decide(&Viewer::of(&user), id, accept, reason, &form.comment)
        .await
    {
        Ok(file) => Ok(Redirect::to(&format!("/vie-scolaire/eleves/{}", file.student_id)).into_response()),
        Err(e) => {
            let error = rendered_error(lang, e)?;
            render_office_file(&att, lang, &user, id, Some(error)).await
        }
    }
}

struct ClassLine {
    id: Uuid,
    name: String,
    stats: StatsView,
}

#[derive(Template)]
#[template(path = "vie_scolaire_classe.html")]
struct ClassTemplate {
    t: Tr,
    class_name: String,
    office: bool,
    lines: Vec<ClassLine>,
}

async fn class_stats(
    State(att): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    let v = Viewer::of(&user);
    let (class_name, rows) = att.class_stats(&v, parse_id(&id)?).await?;
    let body = ClassTemplate {
        t: Tr(lang),
        class_name,
        office: model::is_office(&v.context),
        lines: rows
            .into_iter()
            .map(|(p, s)| ClassLine {
                id: p.id,
                name: p.list_name(),
                stats: s.into(),
            })
            .collect(),
    };
    web::user_page(lang, &user, "att-class-title", &body)
}

#[derive(Template)]
#[template(path = "vie_scolaire_motifs.html")]
struct ReasonsTemplate {
    t: Tr,
    csrf: String,
    reasons: Vec<Reason>,
    label: String,
    error: Option<String>,
}

async fn render_reasons(
    att: &Attendance,
    lang: Lang,
    user: &CurrentUser,
    label: String,
    error: Option<String>,
) -> WebResult<Response> {
    let v = Viewer::of(user);
    if !model::is_office(&v.context) {
        return Err(AppError::Forbidden);
    }
    let failed = error.is_some();
    let body = ReasonsTemplate {
        t: Tr(lang),
        csrf: user.csrf_token.clone(),
        reasons: att.reasons(&v).await?,
        label,
        error,
    };
    web::form_page(lang, user, &Tr(lang).get("att-reasons-title"), &body, failed)
}

async fn reasons(State(att): State<Attendance>, lang: Lang, user: CurrentUser) -> WebResult<Response> {
    render_reasons(&att, lang, &user, String::new(), None).await
}

#[derive(serde::Deserialize)]
struct ReasonForm {
    csrf_token: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    active: String,
}

async fn add_reason(
    State(att): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    axum::extract::Form(form): axum::extract::Form<ReasonForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf_token)?;
    match att.add_reason(&Viewer::of(&user), &form.label).await {
        Ok(()) => Ok(Redirect::to("/vie-scolaire/motifs").into_response()),
        Err(e) => {
            let error = rendered_error(lang, e)?;
            render_reasons(&att, lang, &user, form.label, Some(error)).await
        }
    }
}

async fn toggle_reason(
    State(att): State<Attendance>,
    user: CurrentUser,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<ReasonForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf_token)?;
    att.set_reason_active(&Viewer::of(&user), parse_id(&id)?, form.active == "1")
        .await?;
    Ok(Redirect::to("/vie-scolaire/motifs").into_response())
}

// ----- families -----

#[derive(Template)]
#[template(path = "absences.html")]
struct FamilyTemplate {
    t: Tr,
    csrf: String,
    guardian: bool,
    children: Vec<Person>,
    child: Option<Uuid>,
    student: String,
    stats: StatsView,
    files: Vec<FileView>,
    reasons: Vec<Reason>,
    error: Option<String>,
    notice: Option<String>,
    form: RecordForm,
    max_upload: String,
}

impl FamilyTemplate {
    fn is_child(&self, id: &Uuid) -> bool {
        self.child == Some(*id)
    }

    fn to_justify(&self) -> bool {
        self.files.iter().any(|f| f.may_justify)
    }
}

#[derive(serde::Deserialize, Default)]
struct ChildParam {
    eleve: Option<String>,
    ok: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn render_family(
    att: &Attendance,
    lang: Lang,
    user: &CurrentUser,
    wanted: Option<Uuid>,
    form: RecordForm,
    error: Option<String>,
    notice: Option<String>,
) -> WebResult<Response> {
    let v = Viewer::of(user);
    let mut form = form;
    if form.from_day.is_empty() {
        form.from_day = att.school_now().0.to_string();
    }
    let children = att.children(&v).await?;
    let child = match wanted {
        Some(id) if children.iter().any(|c| c.id == id) => Some(id),
        Some(_) => return Err(AppError::NotFound),
        None => children.first().map(|c| c.id),
    };
    let t = Tr(lang);
    let (student, stats, files) = match child {
        Some(id) => {
            let f = att.student_file(&v, id).await?;
            (
                format!("{} {}", f.student.first_name, f.student.last_name),
                f.stats,
                f.files.iter().map(|a| file_view(&t, a)).collect(),
            )
        }
        None => (String::new(), model::Stats::default(), vec![]),
    };
    let reasons = att.reasons(&v).await?.into_iter().filter(|r| r.active).collect();
    let failed = error.is_some();
    let body = FamilyTemplate {
        csrf: user.csrf_token.clone(),
        guardian: v.context.profile() == Some(Profile::Guardian),
        children,
        child,
        student,
        stats: stats.into(),
        files,
        reasons,
        error,
        notice,
        form,
        max_upload: blob::human_size(att.max_upload_bytes()),
        t,
    };
    web::form_page(lang, user, &Tr(lang).get("att-family-title"), &body, failed)
}

async fn family(
    State(att): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<ChildParam>,
) -> WebResult<Response> {
    let child = match q.eleve.as_deref() {
        Some(s) if !s.is_empty() => Some(parse_id(s)?),
        _ => None,
    };
    let notice = q.ok.as_deref().map(|k| {
        Tr(lang).get(if k == "signale" {
            "att-announced-notice"
        } else {
            "att-justified-notice"
        })
    });
    render_family(&att, lang, &user, child, RecordForm::default(), None, notice).await
}

async fn justify(
    State(att): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    let fields = web::multipart::fields(&headers, &body);
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    user.check_csrf(&one(web::csrf::FIELD))?;
    let child = match one("eleve").trim() {
        "" => None,
        s => Some(parse_id(s)?),
    };
    let mut absences = vec![];
    for (k, v) in &fields {
        if k == "absence" {
            absences.push(parse_id(v)?);
        }
    }
    let document = web::multipart::files(&headers, &body)
        .into_iter()
        .find(|p| p.name == "document" && !p.data.is_empty())
        .map(|p| (p.file_name.clone().unwrap_or_default(), p.data.to_vec()));
    let reason = match one("reason").trim() {
        "" => None,
        r => Some(parse_id(r).map_err(|_| AppError::BadRequest(web::Msg::new("att-error-reason-unknown")))?),
    };
    let j = Justification {
        absences,
        reason,
        comment: one("comment"),
        document,
    };
    match att.justify(&Viewer::of(&user), j).await {
        Ok(_) => {
            let child = child.map(|c| format!("eleve={c}&")).unwrap_or_default();
            Ok(Redirect::to(&format!("/absences?{child}ok=justifie")).into_response())
        }
        Err(e) => {
            let error = rendered_error(lang, e)?;
            render_family(&att, lang, &user, child, RecordForm::default(), Some(error), None).await
        }
    }
}

async fn announce(
    State(att): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    axum::extract::Form(form): axum::extract::Form<RecordForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf_token)?;
    let child = parse_id(form.eleve.trim())?;
    let outcome = match form.to_file(child) {
        Ok(file) => att.record(&Viewer::of(&user), file).await.map(|_| ()),
        Err(msg) => Err(AppError::BadRequest(msg)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/absences?eleve={child}&ok=signale")).into_response()),
        Err(e) => {
            let error = rendered_error(lang, e)?;
            render_family(&att, lang, &user, Some(child), form, Some(error), None).await
        }
    }
}

async fn document(
    State(att): State<Attendance>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let (name, bytes) = att.document(&Viewer::of(&user), parse_id(&id)?).await?;
    let mime = blob::sniff(&bytes, &name);
    let disposition = format!(
        "attachment; filename=\"{}\"",
        name.replace(['"', '\\', '\r', '\n'], "_")
    );
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        bytes,
    )
        .into_response())
}
