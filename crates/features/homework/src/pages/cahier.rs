//! `/cahier`: the classes one may read or write; `/cahier/classe/{id}`: a class's log.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::{ChildParam, Fmt, FullName, answer, parse_id};
use crate::service::{CahierHome, ClassLog, Homework, Viewer};

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

pub(crate) async fn home(
    State(hw): State<Homework>,
    lang: Lang,
    user: CurrentUser,
    Query(p): Query<ChildParam>,
) -> WebResult<Html<String>> {
    let home = hw.cahier_home(&Viewer::of(&user)?, p.child()?).await?;
    let body = HomeTemplate {
        t: Tr(lang),
        f: Fmt(Tr(lang)),
        home: &home,
    };
    web::user_page(lang, &user, "hw-logbook-title", &body)
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
) -> WebResult<Response> {
    let class = parse_id(&id)?;
    let subject = p.matiere.filter(|s| !s.trim().is_empty());
    let log = hw.class_log(&Viewer::of(&user)?, class, subject).await?;
    let title = Tr(lang).with("hw-class-log-title", "class", &log.class_name);
    let body = ClassTemplate {
        t: Tr(lang),
        f: Fmt(Tr(lang)),
        class_id: class,
        log: &log,
    };
    answer(lang, &user, &title, &body, false)
}
