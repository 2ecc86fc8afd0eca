//! `/agenda`: a month's events grouped by day (or the coming events as a list), one event's page, and
//! the form that creates one.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::civil::{Date, Time};
use kernel::Profile;
use uuid::Uuid;
use web::{AppError, CurrentUser, Lang, Tr, WebResult};

use crate::model::{self, Audience, EventForm, Writer};
use crate::service::{Agenda, Error, Viewer};
use crate::store::EventRow;

pub fn tiles() -> Vec<web::Tile> {
    vec![web::Tile {
        id: "agenda",
        name_key: "tile-agenda",
        desc_key: "tile-agenda-desc",
        href: "/agenda",
        visible: |c| c.school().is_some() && c.profile() != Some(Profile::Guest),
    }]
}

pub fn routes() -> Router<Agenda> {
    Router::new()
        .route("/agenda", get(month))
        .route("/agenda/nouveau", get(new_form).post(create))
        .route("/agenda/{id}", get(event))
        .route("/agenda/{id}/supprimer", post(delete))
}

/// An event as lists and its page show it.
struct EventView {
    id: Uuid,
    title: String,
    description: String,
    place: String,
    when: String,
    audience: Vec<&'static str>,
}

fn view(e: EventRow, t: Tr) -> EventView {
    let (d1, h1) = model::day_and_time(kernel::Timestamp(e.starts_at));
    let (d2, h2) = model::day_and_time(kernel::Timestamp(e.ends_at));
    let when = if e.all_day {
        if e.first_day == e.last_day {
            format!("{} · {}", model::day_fr(d1), t.get("agenda-all-day"))
        } else {
            let last = e.last_day.parse().map(model::day_fr).unwrap_or_default();
            format!("{} → {} · {}", model::day_fr(d1), last, t.get("agenda-all-day"))
        }
    } else if d1 == d2 {
        format!("{} · {h1}–{h2}", model::day_fr(d1))
    } else {
        format!("{} {h1} → {} {h2}", model::day_fr(d1), model::day_fr(d2))
    };
    EventView {
        id: e.id,
        audience: e.audience().label_keys(&model::PUBLIC_LABELS),
        title: e.title,
        description: e.description,
        place: e.place,
        when,
    }
}

#[derive(Template)]
#[template(path = "agenda_month.html")]
struct MonthTemplate {
    t: Tr,
    month_label: String,
    prev: String,
    next: String,
    days: Vec<(String, Vec<EventView>)>,
    may_write: bool,
    notice: Option<&'static str>,
}

#[derive(serde::Deserialize, Default)]
struct MonthQuery {
    mois: Option<String>,
    ok: Option<String>,
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

async fn month(
    State(agenda): State<Agenda>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<MonthQuery>,
) -> WebResult<Html<String>> {
    let t = Tr(lang);
    let (today, _) = kernel::school_day_and_minute(agenda.now());
    let first = q
        .mois
        .as_deref()
        .and_then(|m| Date::strptime("%Y-%m-%d", format!("{m}-01")).ok())
        .unwrap_or_else(|| today.first_of_month());
    let next_first = first.last_of_month().tomorrow().unwrap_or(first);
    let prev_first = first.yesterday().map(|d| d.first_of_month()).unwrap_or(first);
    let v = Viewer::of(&user);
    let events = agenda
        .between(
            &v,
            model::instant(first, Time::midnight()),
            model::instant(next_first, Time::midnight()),
        )
        .await?;
    let mut days: Vec<(String, Vec<EventView>)> = vec![];
    for e in events {
        let (d, _) = model::day_and_time(kernel::Timestamp(
            e.starts_at.max(model::instant(first, Time::midnight()).0),
        ));
        let label = model::day_fr(d);
        match days.iter_mut().find(|(l, _)| *l == label) {
            Some((_, list)) => list.push(view(e, t)),
            None => days.push((label, vec![view(e, t)])),
        }
    }
    let month_name = match lang {
        Lang::Fr => MONTHS[usize::from(first.month().unsigned_abs()) - 1].to_string(),
        Lang::En => first.strftime("%B").to_string(),
    };
    let body = MonthTemplate {
        t,
        month_label: format!("{month_name} {}", first.year()),
        prev: prev_first.strftime("%Y-%m").to_string(),
        next: next_first.strftime("%Y-%m").to_string(),
        days,
        may_write: model::writer(&v.context).is_some(),
        notice: match q.ok.as_deref() {
            Some("supprime") => Some("agenda-notice-deleted"),
            _ => None,
        },
    };
    web::user_page(lang, &user, "agenda-title", &body)
}

#[derive(Template)]
#[template(path = "agenda_event.html")]
struct EventTemplate {
    t: Tr,
    csrf: String,
    e: EventView,
    manage: bool,
    notice: Option<&'static str>,
}

async fn event(
    State(agenda): State<Agenda>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<MonthQuery>,
) -> WebResult<Response> {
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let v = Viewer::of(&user);
    let e = agenda.event(&v, id).await?;
    let manage = agenda.may_manage(&v, &e);
    let title = e.title.clone();
    let body = EventTemplate {
        t: Tr(lang),
        csrf: user.csrf_token.clone(),
        e: view(e, Tr(lang)),
        manage,
        notice: (q.ok.as_deref() == Some("cree")).then_some("agenda-notice-created"),
    };
    web::form_page(lang, &user, &title, &body, false)
}

#[derive(serde::Deserialize)]
struct CsrfForm {
    csrf_token: String,
}

async fn delete(
    State(agenda): State<Agenda>,
    user: CurrentUser,
    Path(id): Path<String>,
    axum::extract::Form(f): axum::extract::Form<CsrfForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    agenda.delete(&Viewer::of(&user), id).await?;
    Ok(Redirect::to("/agenda?ok=supprime").into_response())
}

#[derive(Template)]
#[template(path = "agenda_new.html")]
struct NewTemplate {
    t: Tr,
    csrf: String,
    classes: Vec<(Uuid, String)>,
    teacher: bool,
    form: EventForm,
    public: Vec<String>,
    publics: [(&'static str, &'static str); 4],
    error: Option<String>,
}

impl NewTemplate {
    fn public_is(&self, code: &str) -> bool {
        self.public.iter().any(|p| p == code)
    }
    fn class_is(&self, id: &Uuid) -> bool {
        self.form.classes.contains(id)
    }
}

async fn render_new(
    agenda: &Agenda,
    lang: Lang,
    user: &CurrentUser,
    form: EventForm,
    public: Vec<String>,
    error: Option<String>,
) -> WebResult<Response> {
    let v = Viewer::of(user);
    let classes = agenda.classes(&v).await?;
    let failed = error.is_some();
    let body = NewTemplate {
        t: Tr(lang),
        csrf: user.csrf_token.clone(),
        classes,
        teacher: model::writer(&v.context) == Some(Writer::Teacher),
        form,
        public,
        publics: directory::audience::choices(&model::PUBLIC_LABELS),
        error,
    };
    web::form_page(lang, user, &Tr(lang).get("agenda-new-title"), &body, failed)
}

async fn new_form(State(agenda): State<Agenda>, lang: Lang, user: CurrentUser) -> WebResult<Response> {
    let (today, _) = kernel::school_day_and_minute(agenda.now());
    let form = EventForm {
        first_day: today.to_string(),
        ..EventForm::default()
    };
    render_new(&agenda, lang, &user, form, vec![], None).await
}

async fn create(
    State(agenda): State<Agenda>,
    lang: Lang,
    user: CurrentUser,
    axum::extract::RawForm(body): axum::extract::RawForm,
) -> WebResult<Response> {
    let fields = web::multipart::fields(&axum::http::HeaderMap::new(), &body);
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let all = |name: &str| -> Vec<String> {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    user.check_csrf(&one(web::csrf::FIELD))?;
    let public = all("public");
    let classes = all("classe")
        .iter()
        .map(|s| s.parse().map_err(|_| AppError::Forbidden))
        .collect::<WebResult<Vec<Uuid>>>()?;
    let form = EventForm {
        title: one("title"),
        description: one("description"),
        place: one("place"),
        first_day: one("first_day"),
        start_time: one("start_time"),
        last_day: one("last_day"),
        end_time: one("end_time"),
        all_day: one("all_day") == "1",
        audience: Audience::from_codes(public.iter().map(String::as_str)),
        classes,
    };
    match agenda.create(&Viewer::of(&user), &form).await {
        Ok(id) => Ok(Redirect::to(&format!("/agenda/{id}?ok=cree")).into_response()),
        Err(Error::Invalid(f)) => render_new(&agenda, lang, &user, form, public, Some(f.message(lang))).await,
        Err(e) => Err(e.into()),
    }
}
