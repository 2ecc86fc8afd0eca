//! Timetable pages: my week or my day (students, parents per child, teachers), the class, room and
//! teacher timetables of the school's staff, and one lesson occurrence.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use jiff::civil::Date;
use kernel::{Context, Profile};
use uuid::Uuid;
use web::{AppError, CurrentUser, Lang, Tr, WebResult};

use crate::calendar::{add_days, monday_of, parse_day};
use crate::model::{self, Occurrence, Whose, hhmm};
use crate::service::{Period, Person, Timetable, Viewer};

pub fn tiles() -> Vec<web::Tile> {
    vec![web::Tile {
        id: "edt",
        name_key: "tile-timetable",
        desc_key: "tile-timetable-desc",
        href: "/edt",
        visible: |c| {
            c.profile()
                .is_some_and(|p| !matches!(p, Profile::AuthorityStaff | Profile::Guest))
        },
    }]
}

pub fn routes() -> Router<Timetable> {
    Router::new()
        .route("/edt", get(mine))
        .route("/edt/etablissement", get(school_index))
        .route("/edt/classes/{id}", get(of_class))
        .route("/edt/salles/{room}", get(of_room))
        .route("/edt/enseignants/{id}", get(of_teacher))
        .merge(crate::edit_pages::routes())
        .merge(crate::calendar_pages::routes())
        .merge(crate::feed::routes())
}

/// `?jour=` (a day: the day view), `?semaine=` (any day of the week: the week view), `?eleve=` (a
/// parent's child).
#[derive(serde::Deserialize, Default)]
pub(crate) struct When {
    jour: Option<String>,
    semaine: Option<String>,
    eleve: Option<String>,
}

/// One lesson as a line of the timetable.
pub(crate) struct Item {
    pub href: String,
    pub time: String,
    pub subject: String,
    pub teachers: String,
    pub room: String,
    pub class_name: String,
    pub cancelled: bool,
    pub notices: Vec<String>,
}

pub(crate) struct DayRow {
    pub label: String,
    pub today: bool,
    pub holiday: Option<String>,
    pub items: Vec<Item>,
}

#[derive(Template)]
#[template(path = "timetable_view.html")]
struct ViewTemplate {
    t: Tr,
    heading: String,
    subtitle: String,
    day_mode: bool,
    days: Vec<DayRow>,
    changes: Vec<String>,
    prev: String,
    next: String,
    today_link: String,
    switch_link: String,
    show_class: bool,
    children: Vec<Person>,
    child: Option<Uuid>,
    staff_links: bool,
    feed_link: bool,
}

/// "lundi 7 septembre".
pub(crate) fn day_label(t: &Tr, day: Date) -> String {
    format!(
        "{} {} {}",
        t.get(&format!("weekday-{}", day.weekday().to_monday_one_offset())),
        day.day(),
        t.get(&format!("month-{}", day.month()))
    )
}

fn item(t: &Tr, o: &Occurrence, whose_teacher: bool) -> Item {
    let mut notices = vec![];
    if o.cancelled {
        notices.push(t.get("timetable-cancelled"));
    }
    if o.substitute {
        let who = o
            .teachers
            .iter()
            .map(|x| x.short())
            .collect::<Vec<_>>()
            .join(", ");
        notices.push(t.with("timetable-substitute", "name", &who));
    }
    if o.room_changed {
        notices.push(t.with("timetable-room-changed", "room", &o.lesson.room));
    }
    if o.lesson.is_extra() {
        notices.push(t.get("timetable-extra"));
    }
    if !o.note.is_empty() {
        notices.push(o.note.clone());
    }
    if o.has_content {
        notices.push(t.get("timetable-has-content"));
    }
    if o.homework_due > 0 {
        notices.push(t.with("timetable-homework-due", "count", &o.homework_due.to_string()));
    }
    let teachers = if whose_teacher {
        String::new()
    } else {
        o.teachers
            .iter()
            .map(|x| x.short())
            .collect::<Vec<_>>()
            .join(", ")
    };
    Item {
        href: format!("/edt/cours/{}/{}", o.lesson.id, o.day),
        time: format!("{}–{}", hhmm(o.lesson.starts_at), hhmm(o.lesson.ends_at)),
        subject: o.lesson.subject.clone(),
        teachers,
        room: o.room.clone(),
        class_name: o.lesson.class_name.clone(),
        cancelled: o.cancelled,
        notices,
    }
}

/// Renders a period: the days, the changes notice, the navigation.
struct Render<'a> {
    heading: String,
    base: String,
    /// Query parameters to keep in links (`eleve=…&`).
    keep: String,
    whose: &'a Whose,
    children: Vec<Person>,
    child: Option<Uuid>,
}

/// Whether the browser is a phone's: the day view is the default there.
fn phone(headers: &HeaderMap) -> bool {
    headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ua| ua.contains("Mobi") || ua.contains("Android"))
}

async fn show(
    tt: &Timetable,
    lang: Lang,
    user: &CurrentUser,
    headers: &HeaderMap,
    when: &When,
    r: Render<'_>,
) -> WebResult<Html<String>> {
    let t = Tr(lang);
    let today = tt.today();
    let day_mode = match (&when.jour, &when.semaine) {
        (Some(_), _) => true,
        (None, Some(_)) => false,
        (None, None) => phone(headers),
    };
    let anchor = when
        .jour
        .as_deref()
        .or(when.semaine.as_deref())
        .and_then(parse_day)
        .unwrap_or(today);
    let (from, days) = if day_mode {
        (anchor, 1)
    } else {
        (monday_of(anchor), 6)
    };
    let viewer = Viewer::from(user);
    let known = (!r.children.is_empty()).then_some(r.children.as_slice());
    let period: Period = tt.period(&viewer, r.whose, from, days, known).await?;
    let whose_teacher = matches!(r.whose, Whose::Teacher(_));
    let show_class = !matches!(r.whose, Whose::Student(_) | Whose::Class(_));
    let mut rows: Vec<DayRow> = period
        .days
        .iter()
        .map(|d| DayRow {
            label: day_label(&t, d.day),
            today: d.day == today,
            holiday: d.holiday.clone(),
            items: d.occurrences.iter().map(|o| item(&t, o, whose_teacher)).collect(),
        })
        .collect();
    // Saturday only when something happens on it.
    if !day_mode && rows.last().is_some_and(|r| r.items.is_empty()) {
        rows.pop();
    }
    let changes = period
        .changes()
        .iter()
        .map(|o| {
            let i = item(&t, o, false);
            format!(
                "{} {} · {} : {}",
                day_label(&t, o.day),
                i.time,
                i.subject,
                i.notices.join(" · ")
            )
        })
        .collect();
    let (step, mode) = if day_mode { (1, "jour") } else { (7, "semaine") };
    let link = |d: Date, m: &str| format!("{}?{}{m}={d}", r.base, r.keep);
    let subtitle = if day_mode {
        day_label(&t, from)
    } else {
        let mut s = t.with("timetable-week-of", "day", &day_label(&t, from));
        if let Some(k) = period.week_kind {
            s.push_str(" · ");
            s.push_str(&t.with("timetable-week-kind", "kind", k.code()));
        }
        s
    };
    let body = ViewTemplate {
        heading: r.heading,
        subtitle,
        day_mode,
        days: rows,
        changes,
        prev: link(add_days(from, -step), mode),
        next: link(add_days(from, step), mode),
        today_link: link(today, mode),
        switch_link: if day_mode {
            link(from, "semaine")
        } else {
            link(anchor, "jour")
        },
        show_class,
        children: r.children,
        child: r.child,
        staff_links: model::is_school_staff_ctx(&user.context.context),
        feed_link: matches!(r.whose, Whose::Student(_) | Whose::Teacher(_)) && r.base == "/edt",
        t,
    };
    web::user_page(lang, user, "timetable-title", &body)
}

/// My timetable: a student's, a parent's child's, a teacher's; the staff go to the school's index.
async fn mine(
    State(tt): State<Timetable>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
    Query(when): Query<When>,
) -> WebResult<Response> {
    let t = Tr(lang);
    let viewer = Viewer::from(&user);
    let (whose, children, child) = match user.context.context.profile() {
        Some(Profile::Student) | None => (Whose::Student(user.user_id.0), vec![], None),
        Some(Profile::Teacher) => (Whose::Teacher(user.user_id.0), vec![], None),
        Some(Profile::Guardian) => {
            let children = tt.children(&viewer).await?;
            let chosen = when.eleve.as_deref().and_then(|e| e.parse::<Uuid>().ok());
            let Some(child) = chosen.or(children.first().map(|c| c.id)) else {
                let body = NoChildTemplate { t: Tr(lang) };
                return Ok(web::user_page(lang, &user, "timetable-title", &body)?.into_response());
            };
            (Whose::Student(child), children, Some(child))
        }
        Some(p) if model::is_school_staff(p) => return Ok(Redirect::to("/edt/etablissement").into_response()),
        Some(_) => return Err(AppError::NotFound),
    };
    let keep = child.map(|c| format!("eleve={c}&")).unwrap_or_default();
    let heading = match (&children[..], child) {
        ([_, _, ..], Some(c)) | ([_], Some(c)) => children
            .iter()
            .find(|x| x.id == c)
            .map(|x| t.with("timetable-of", "name", &x.first_name))
            .unwrap_or_else(|| t.get("timetable-title")),
        _ => t.get("timetable-mine"),
    };
    let r = Render {
        heading,
        base: "/edt".into(),
        keep,
        whose: &whose,
        children,
        child,
    };
    Ok(show(&tt, lang, &user, &headers, &when, r).await?.into_response())
}

#[derive(Template)]
#[template(path = "timetable_no_child.html")]
struct NoChildTemplate {
    t: Tr,
}

#[derive(Template)]
#[template(path = "timetable_school.html")]
struct SchoolTemplate {
    t: Tr,
    classes: Vec<(Uuid, String, String)>,
    rooms: Vec<String>,
    teachers: Vec<Person>,
    may_edit: bool,
}

/// The school's classes, rooms and teachers, each a link to its timetable (staff).
async fn school_index(State(tt): State<Timetable>, lang: Lang, user: CurrentUser) -> WebResult<Html<String>> {
    let school = match user.context.context {
        Context::School { school, profile } if model::is_school_staff(profile) => school,
        _ => return Err(AppError::NotFound),
    };
    let (classes, rooms, teachers) = crate::school::index(tt.db(), school).await?;
    let body = SchoolTemplate {
        t: Tr(lang),
        classes,
        rooms,
        teachers,
        may_edit: model::may_edit(&user.context.context),
    };
    web::user_page(lang, &user, "timetable-school", &body)
}

fn uuid(s: &str) -> Result<Uuid, AppError> {
    s.parse().map_err(|_| AppError::NotFound)
}

async fn of_class(
    State(tt): State<Timetable>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(when): Query<When>,
) -> WebResult<Html<String>> {
    let id = uuid(&id)?;
    let school = user.context.context.school().ok_or(AppError::NotFound)?;
    let name = crate::school::class_name(tt.db(), school, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let whose = Whose::Class(id);
    let heading = Tr(lang).with("timetable-of", "name", &name);
    let base = format!("/edt/classes/{id}");
    Other { heading, base, whose }
        .show(&tt, lang, &user, &headers, &when)
        .await
}

async fn of_room(
    State(tt): State<Timetable>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
    Path(room): Path<String>,
    Query(when): Query<When>,
) -> WebResult<Html<String>> {
    let whose = Whose::Room(room.clone());
    let heading = Tr(lang).with("timetable-room", "room", &room);
    let base = format!("/edt/salles/{}", web::url_encode(&room));
    Other { heading, base, whose }
        .show(&tt, lang, &user, &headers, &when)
        .await
}

async fn of_teacher(
    State(tt): State<Timetable>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(when): Query<When>,
) -> WebResult<Html<String>> {
    let id = uuid(&id)?;
    let school = user.context.context.school().ok_or(AppError::NotFound)?;
    let whose = Whose::Teacher(id);
    // The check comes first, so that a name is not given away to whoever may not see the timetable.
    let viewer = Viewer::from(&user);
    if !model::may_see(&viewer.context, viewer.user.0, &whose, model::Relation::default()) {
        return Err(AppError::NotFound);
    }
    let name = crate::school::teacher_name(tt.db(), school, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let heading = Tr(lang).with("timetable-of", "name", &name);
    let base = format!("/edt/enseignants/{id}");
    Other { heading, base, whose }
        .show(&tt, lang, &user, &headers, &when)
        .await
}

/// A timetable other than one's own (a class's, a room's, a teacher's): its heading, its address and
/// whose lessons it shows, for whoever may see it.
struct Other {
    heading: String,
    base: String,
    whose: Whose,
}

impl Other {
    async fn show(
        self,
        tt: &Timetable,
        lang: Lang,
        user: &CurrentUser,
        headers: &HeaderMap,
        when: &When,
    ) -> WebResult<Html<String>> {
        let r = Render {
            heading: self.heading,
            base: self.base,
            keep: String::new(),
            whose: &self.whose,
            children: vec![],
            child: None,
        };
        show(tt, lang, user, headers, when, r).await
    }
}

pub(crate) fn parse_day_or_404(s: &str) -> Result<Date, AppError> {
    parse_day(s).ok_or(AppError::NotFound)
}
