//! `/notes`: a student's marks and averages per period (their parents choose the child); teachers go
//! on to their evaluations, the direction and administration to the periods and summaries.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::Profile;
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::{Choice, Fmt, css_url};
use crate::family::MarksPage;
use crate::model;
use crate::service::Viewer;
use crate::{Grades, model::Period};

#[derive(Template)]
#[template(path = "notes_marks.html")]
struct MarksTemplate<'a> {
    t: Tr,
    f: Fmt,
    page: &'a MarksPage,
    guardian: bool,
    css: &'static str,
}

impl MarksTemplate<'_> {
    fn is_child(&self, id: &Uuid) -> bool {
        self.page.child.as_ref() == Some(id)
    }

    fn is_period(&self, p: &Period) -> bool {
        self.page.period.as_ref().is_some_and(|c| c.id == p.id)
    }

    fn period_dates(&self, p: &Period) -> String {
        format!("{} – {}", p.start.fr(), p.end.fr())
    }

    fn child_query(&self) -> String {
        self.page.child.map(|c| format!("?eleve={c}")).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "notes_home.html")]
struct HomeTemplate {
    t: Tr,
    may_edit: bool,
}

pub(crate) async fn home(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    Query(c): Query<Choice>,
) -> WebResult<Response> {
    let v = Viewer::of(&user)?;
    match v.profile {
        Profile::Student | Profile::Guardian => {
            let page = g.marks_page(&v, c.child()?, c.period()?).await?;
            let body = MarksTemplate {
                t: Tr(lang),
                f: Fmt(Tr(lang)),
                page: &page,
                guardian: v.profile == Profile::Guardian,
                css: css_url(),
            };
            Ok(web::user_page(lang, &user, "gr-marks-title", &body)?.into_response())
        }
        Profile::Teacher => Ok(Redirect::to("/notes/evaluations").into_response()),
        _ => {
            let body = HomeTemplate {
                t: Tr(lang),
                may_edit: model::may_edit_settings(v.profile),
            };
            Ok(web::user_page(lang, &user, "gr-home-title", &body)?.into_response())
        }
    }
}
