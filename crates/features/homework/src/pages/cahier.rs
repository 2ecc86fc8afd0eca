//! `/cahier`: the classes one may read or write; `/cahier/classe/{id}`: a class's log;
//! `/cahier/seance`: one lesson occurrence's entry and homework; `/cahier/lecteurs`: read-only grants.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::devoirs::optional_id;
use super::{Fmt, Posted, field_message};
use crate::model::{self, Day, HomeworkForm};
use crate::service::{CahierHome, ClassLog, Error, Homework, Seance, SeanceRef, Viewer};
use crate::store::PersonRow;

#[derive(Template)]
#[template(path = "cahier.html")]
struct HomeTemplate<'a> {
    t: Tr,
    f: Fmt,
    home: &'a CahierHome,
}

impl HomeTemplate<'_> {
    fn is_child(&self, id: &Uuid) -> bool {
        self.home.child.as_ref() == Some(id)
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct HomeParams {
    eleve: Option<String>,
}

pub(crate) async fn home(
    State(hw): State<Homework>,
    lang: Lang,
    user: CurrentUser,
    Query(p): Query<HomeParams>,
) -> WebResult<Html<String>> {
    let v = Viewer::of(&user)?;
    let home = hw.cahier_home(&v, optional_id(&p.eleve)?).await?;
    web::user_page(
        lang,
        &user,
        "hw-logbook-title",
        &HomeTemplate {
            t: Tr(lang),
            f: Fmt(Tr(lang)),
            home: &home,
        },
    )
}

#[derive(Template)]
#[template(path = "cahier_classe.html")]
struct ClassTemplate<'a> {
    t: Tr,
    f: Fmt,
    class_id: Uuid,
    log: &'a ClassLog,
}

impl ClassTemplate<'_> {
    fn is_subject(&self, code: &str) -> bool {
        self.log.subject.as_deref() == Some(code)
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct ClassParams {
    matiere: Option<String>,
}

pub(crate) async fn class_log(
    State(hw): State<Homework>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(p): Query<ClassParams>,
) -> WebResult<Html<String>> {
    let class: Uuid = id.parse().map_err(|_| web::AppError::NotFound)?;
    let v = Viewer::of(&user)?;
    let subject = p.matiere.filter(|s| !s.trim().is_empty());
    let log = hw.class_log(&v, class, subject).await?;
    let body = ClassTemplate {
        t: Tr(lang),
        f: Fmt(Tr(lang)),
        class_id: class,
        log: &log,
    }
    .render()
    .map_err(web::AppError::internal)?;
    let title = Tr(lang).with("hw-class-log-title", "class", &log.class_name);
    web::page(
        &web::Chrome {
            lang,
            user: Some(&user),
        },
        &title,
        &body,
    )
}

/// The query of the timetable's link: `?classe=&matiere=&jour=&cours=` (and, to offer "for the next
/// lesson", `prochain=<lesson>&prochain_jour=<day>`).
#[derive(serde::Deserialize, Default)]
pub(crate) struct SeanceParams {
    classe: Option<String>,
    matiere: Option<String>,
    jour: Option<String>,
    cours: Option<String>,
    prochain: Option<String>,
    prochain_jour: Option<String>,
}

impl SeanceParams {
    fn of_form(form: &Posted) -> SeanceParams {
        let some = |name: &str| Some(form.one(name)).filter(|s| !s.is_empty());
        SeanceParams {
            classe: some("classe"),
            matiere: some("matiere"),
            jour: some("jour"),
            cours: some("cours"),
            prochain: some("prochain"),
            prochain_jour: some("prochain_jour"),
        }
    }

    fn seance(&self) -> WebResult<SeanceRef> {
        let nf = || web::AppError::NotFound;
        Ok(SeanceRef {
            class: self
                .classe
                .as_deref()
                .unwrap_or_default()
                .parse()
                .map_err(|_| nf())?,
            subject: self
                .matiere
                .clone()
                .filter(|s| !s.trim().is_empty())
                .ok_or_else(nf)?,
            day: Day::parse(self.jour.as_deref().unwrap_or_default()).ok_or_else(nf)?,
            lesson: optional_id(&self.cours)?,
        })
    }

    /// The next lesson the page may offer as a due date.
    fn next(&self) -> Option<(Uuid, String)> {
        let lesson = self.prochain.as_deref()?.parse().ok()?;
        let day = Day::parse(self.prochain_jour.as_deref()?)?;
        Some((lesson, day.to_string()))
    }
}

#[derive(Template)]
#[template(path = "seance.html")]
struct SeanceTemplate<'a> {
    t: Tr,
    f: Fmt,
    csrf: &'a str,
    s: &'a SeanceRef,
    view: &'a Seance,
    next: Option<(Uuid, String)>,
    content: String,
    links: String,
    form: HomeworkForm,
    error: Option<String>,
    /// Which form the error is about: "entry" or "homework".
    error_in: &'static str,
    max_size: String,
}

impl SeanceTemplate<'_> {
    fn hidden_next(&self) -> (String, String) {
        match &self.next {
            Some((l, d)) => (l.to_string(), d.clone()),
            None => (String::new(), String::new()),
        }
    }
}

/// What the forms show: what was typed after an error, else what is stored.
struct Typed {
    content: Option<String>,
    links: Option<String>,
    form: Option<HomeworkForm>,
    error: Option<(String, &'static str)>,
}

async fn render_seance(
    hw: &Homework,
    lang: Lang,
    user: &CurrentUser,
    p: &SeanceParams,
    typed: Typed,
) -> WebResult<Response> {
    let v = Viewer::of(user)?;
    let s = p.seance()?;
    let view = hw.seance(&v, &s).await?;
    let own = view.entries.first().filter(|_| view.editable);
    let content = typed
        .content
        .unwrap_or_else(|| own.map(|d| d.entry.content.clone()).unwrap_or_default());
    let links = typed.links.unwrap_or_else(|| {
        own.map(|d| {
            let links: Vec<model::Link> = d
                .links
                .iter()
                .map(|l| model::Link {
                    url: l.url.clone(),
                    label: l.label.clone(),
                })
                .collect();
            model::links_text(&links)
        })
        .unwrap_or_default()
    });
    let next = p.next();
    let form = typed.form.unwrap_or_else(|| HomeworkForm {
        due_day: s.day.plus_days(7).to_string(),
        due_kind: if next.is_some() {
            "seance".into()
        } else {
            "jour".into()
        },
        ..HomeworkForm::default()
    });
    let status = if typed.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (error, error_in) = match typed.error {
        Some((e, at)) => (Some(e), at),
        None => (None, ""),
    };
    let body = SeanceTemplate {
        t: Tr(lang),
        f: Fmt(Tr(lang)),
        csrf: &user.csrf_token,
        s: &s,
        view: &view,
        next,
        content,
        links,
        form,
        error,
        error_in,
        max_size: blob::human_size(hw.max_upload_bytes()),
    }
    .render()
    .map_err(web::AppError::internal)?;
    let title = format!("{} · {} · {}", view.class_name, view.subject_label, s.day.fr());
    let html = web::page(
        &web::Chrome {
            lang,
            user: Some(user),
        },
        &title,
        &body,
    )?;
    Ok((status, html).into_response())
}

pub(crate) async fn seance(
    State(hw): State<Homework>,
    lang: Lang,
    user: CurrentUser,
    Query(p): Query<SeanceParams>,
) -> WebResult<Response> {
    let typed = Typed {
        content: None,
        links: None,
        form: None,
        error: None,
    };
    render_seance(&hw, lang, &user, &p, typed).await
}

fn seance_url(s: &SeanceRef, p: &SeanceParams) -> String {
    let mut url = format!(
        "/cahier/seance?classe={}&matiere={}&jour={}",
        s.class,
        web::url_encode(&s.subject),
        s.day
    );
    if let Some(lesson) = s.lesson {
        url.push_str(&format!("&cours={lesson}"));
    }
    if let Some((lesson, day)) = p.next() {
        url.push_str(&format!("&prochain={lesson}&prochain_jour={day}"));
    }
    url
}

pub(crate) async fn save_entry(
    State(hw): State<Homework>,
    lang: Lang,
    user: CurrentUser,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let form = Posted::read(&headers, &body);
    form.check_csrf(&user)?;
    let p = SeanceParams::of_form(&form);
    let s = p.seance()?;
    let v = Viewer::of(&user)?;
    let (content, links) = (form.one("content"), form.one("links"));
    match hw.save_entry(&v, &s, &content, &links, &form.uploads).await {
        Ok(()) => Ok(Redirect::to(&format!("{}&enregistre=1", seance_url(&s, &p))).into_response()),
        Err(Error::Invalid(e)) => {
            let typed = Typed {
                content: Some(content),
                links: Some(links),
                form: None,
                error: Some((field_message(Tr(lang), &e), "entry")),
            };
            render_seance(&hw, lang, &user, &p, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn add_homework(
    State(hw): State<Homework>,
    lang: Lang,
    user: CurrentUser,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let form = Posted::read(&headers, &body);
    form.check_csrf(&user)?;
    let p = SeanceParams::of_form(&form);
    let s = p.seance()?;
    let v = Viewer::of(&user)?;
    // "For the next lesson" takes the lesson and day the page offered, whatever the date field says.
    let due_kind = form.one("due_kind");
    let next = p.next().filter(|_| due_kind == "seance");
    let typed = HomeworkForm {
        title: form.one("title"),
        instructions: form.one("instructions"),
        due_day: next
            .as_ref()
            .map_or_else(|| form.one("due_day"), |(_, day)| day.clone()),
        due_lesson: next
            .as_ref()
            .map(|(lesson, _)| lesson.to_string())
            .unwrap_or_default(),
        due_kind,
        minutes: form.one("minutes"),
        handin: form.has("handin"),
        deadline: form.one("deadline"),
        links: form.one("hw_links"),
    };
    match hw.add_homework(&v, &s, &typed, &form.uploads).await {
        Ok(id) => Ok(Redirect::to(&format!("{}&devoir={id}#devoirs", seance_url(&s, &p))).into_response()),
        Err(Error::Invalid(e)) => {
            let typed = Typed {
                content: None,
                links: None,
                form: Some(typed),
                error: Some((field_message(Tr(lang), &e), "homework")),
            };
            render_seance(&hw, lang, &user, &p, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "lecteurs.html")]
struct ReadersTemplate<'a> {
    t: Tr,
    csrf: &'a str,
    readers: Vec<PersonRow>,
    login: String,
    error: Option<String>,
}

async fn render_readers(
    hw: &Homework,
    lang: Lang,
    user: &CurrentUser,
    login: String,
    error: Option<String>,
) -> WebResult<Response> {
    let v = Viewer::of(user)?;
    let readers = hw.readers(&v).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = ReadersTemplate {
        t: Tr(lang),
        csrf: &user.csrf_token,
        readers,
        login,
        error,
    };
    Ok((status, web::user_page(lang, user, "hw-readers-title", &body)?).into_response())
}

pub(crate) async fn readers(
    State(hw): State<Homework>,
    lang: Lang,
    user: CurrentUser,
) -> WebResult<Response> {
    render_readers(&hw, lang, &user, String::new(), None).await
}

pub(crate) async fn grant(
    State(hw): State<Homework>,
    lang: Lang,
    user: CurrentUser,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let form = Posted::read(&headers, &body);
    form.check_csrf(&user)?;
    let v = Viewer::of(&user)?;
    let login = form.one("login");
    match hw.grant_reader(&v, &login).await {
        Ok(()) => Ok(Redirect::to("/cahier/lecteurs").into_response()),
        Err(Error::Invalid(e)) => {
            render_readers(&hw, lang, &user, login, Some(field_message(Tr(lang), &e))).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn revoke(
    State(hw): State<Homework>,
    user: CurrentUser,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let form = Posted::read(&headers, &body);
    form.check_csrf(&user)?;
    let v = Viewer::of(&user)?;
    let who: Uuid = form.one("user").parse().map_err(|_| web::AppError::NotFound)?;
    hw.revoke_reader(&v, who).await?;
    Ok(Redirect::to("/cahier/lecteurs").into_response())
}
