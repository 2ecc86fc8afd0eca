//! Directory pages: "my directory" for every profile and the class page.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;
use kernel::{ClassId, Context, Profile};
use web::{Chrome, CurrentUser, Lang, Tr, WebResult};

use crate::service::{ClassView, Directory, Home, Viewer};

pub fn tiles() -> Vec<web::Tile> {
    vec![web::Tile {
        id: "annuaire",
        name_key: "tile-directory",
        desc_key: "tile-directory-desc",
        href: "/annuaire",
        visible: |c| !matches!(c.profile(), Some(Profile::AuthorityStaff | Profile::Guest)),
    }]
}

pub fn routes() -> Router<Directory> {
    Router::new()
        .route("/annuaire", get(home))
        .route("/annuaire/classes/{id}", get(class_page))
        .route("/annuaire/archives", get(archives))
}

#[derive(serde::Deserialize)]
struct PageParam {
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "directory_home.html")]
struct HomeTemplate<'a> {
    t: Tr,
    home: &'a Home,
    current_school: Option<uuid::Uuid>,
}

impl HomeTemplate<'_> {
    fn kind_key(&self, kind: &str) -> &'static str {
        if kind == "groupe" {
            "directory-kind-group"
        } else {
            "directory-kind-class"
        }
    }
}

async fn home(
    State(dir): State<Directory>,
    lang: Lang,
    user: CurrentUser,
    Query(p): Query<PageParam>,
) -> WebResult<Html<String>> {
    let home = dir.home(Viewer::from(&user), p.page.unwrap_or(0)).await?;
    let current_school = user.context.context.school().map(|s| s.0);
    let body = HomeTemplate {
        t: Tr(lang),
        home: &home,
        current_school,
    };
    web::user_page(lang, &user, "directory-title", &body)
}

#[derive(Template)]
#[template(path = "directory_class.html")]
struct ClassTemplate<'a> {
    t: Tr,
    view: &'a ClassView,
    is_guardian: bool,
}

async fn class_page(
    State(dir): State<Directory>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    let id: ClassId = id.parse().map_err(|_| web::AppError::NotFound)?;
    let view = dir.class(Viewer::from(&user), id).await?;
    let is_guardian = matches!(
        user.context.context,
        Context::School {
            profile: Profile::Guardian,
            ..
        }
    );
    let body = ClassTemplate {
        t: Tr(lang),
        view: &view,
        is_guardian,
    }
    .render()
    .map_err(web::AppError::internal)?;
    web::page(
        &Chrome {
            lang,
            user: Some(&user),
        },
        &view.class.name,
        &body,
    )
}

#[derive(Template)]
#[template(path = "directory_archives.html")]
struct ArchivesTemplate {
    t: Tr,
    classes: Vec<crate::rollover::ArchivedClass>,
}

/// Last years' classes of the school, read-only, for its staff.
async fn archives(State(dir): State<Directory>, lang: Lang, user: CurrentUser) -> WebResult<Html<String>> {
    let school = match user.context.context {
        Context::School { school, profile } if profile.is_staff() && profile != Profile::Teacher => school,
        _ => return Err(web::AppError::Forbidden),
    };
    let classes = crate::rollover::archived_classes(dir.db(), school).await?;
    let body = ArchivesTemplate { t: Tr(lang), classes };
    web::user_page(lang, &user, "archives-title", &body)
}
