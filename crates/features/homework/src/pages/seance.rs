//! `/cahier/seance`: one lesson occurrence's entry and homework, as the timetable's link opens it, and
//! the two forms that write there.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::{Fmt, Post, Posted, answer, field_message, optional_id};
use crate::model::{self, Day, HomeworkForm};
use crate::service::{Error, Homework, Seance, SeanceRef, Viewer};

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
    let failed = typed.error.is_some();
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
    };
    let title = format!("{} · {} · {}", view.class_name, view.subject_label, s.day.fr());
    answer(lang, user, &title, &body, failed)
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

pub(crate) async fn save_entry(State(hw): State<Homework>, lang: Lang, post: Post) -> WebResult<Response> {
    let (user, form, v) = post.checked()?;
    let p = SeanceParams::of_form(&form);
    let s = p.seance()?;
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

pub(crate) async fn add_homework(State(hw): State<Homework>, lang: Lang, post: Post) -> WebResult<Response> {
    let (user, form, v) = post.checked()?;
    let p = SeanceParams::of_form(&form);
    let s = p.seance()?;
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
