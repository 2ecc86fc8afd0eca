//! `/actualites`: the reader's news, one item's page, and the writing form (multipart, with an
//! illustration and attachments).

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kernel::{Profile, Timestamp};
use uuid::Uuid;
use web::{AppError, CurrentUser, Lang, Tr, WebResult};

use crate::model::{self, Audience, Draft, Writer};
use crate::service::{Choices, Compose, Error, News, Target, Upload, Viewer};
use crate::store::{FileRow, NewsRow};

pub fn tiles() -> Vec<web::Tile> {
    vec![web::Tile {
        id: "actualites",
        name_key: "tile-news",
        desc_key: "tile-news-desc",
        href: "/actualites",
        visible: |c| c.profile() != Some(Profile::Guest),
    }]
}

pub fn routes() -> Router<News> {
    Router::new()
        .route("/actualites", get(list))
        .route("/actualites/nouvelle", get(new_form).post(create))
        .route("/actualites/{id}", get(item))
        .route("/actualites/{id}/publier", post(publish))
        .route("/actualites/{id}/supprimer", post(delete))
        .route("/actualites/{id}/illustration", get(illustration))
        .route("/actualites/{id}/fichiers/{file}", get(download))
}

fn parse_id(s: &str) -> WebResult<Uuid> {
    s.parse().map_err(|_| AppError::NotFound)
}

/// An item as a card or a page shows it.
pub(crate) struct Card {
    pub id: Uuid,
    pub title: String,
    pub body: String,
    pub excerpt: String,
    pub when: String,
    pub signature: String,
    pub author: String,
    pub pinned: bool,
    pub has_illustration: bool,
    pub alt: String,
    pub audience: Vec<&'static str>,
    /// Fluent key of the item's state for its author (draft, scheduled, online, ended).
    pub state_key: &'static str,
}

fn card(n: NewsRow, now: Timestamp) -> Card {
    let from = Timestamp(n.publish_from);
    let until = n.publish_until.map(Timestamp);
    let state_key = if n.is_draft() {
        "news-state-draft"
    } else if now < from {
        "news-state-scheduled"
    } else if model::in_window(from, until, now) {
        "news-state-online"
    } else {
        "news-state-ended"
    };
    let excerpt = web::rich_text::preview(&web::rich_text::plain_text(&n.body), 220);
    Card {
        id: n.id,
        audience: n.audience().label_keys(&model::PUBLIC_LABELS),
        title: n.title,
        body: n.body,
        excerpt,
        when: model::instant_fr(from),
        signature: n.signature,
        author: n.author_name,
        pinned: n.pinned,
        has_illustration: n.illustration_key.is_some(),
        alt: n.illustration_alt.unwrap_or_default(),
        state_key,
    }
}

#[derive(Template)]
#[template(path = "news_list.html")]
struct ListTemplate {
    t: Tr,
    items: Vec<Card>,
    mine: Vec<Card>,
    may_write: bool,
    notice: Option<&'static str>,
}

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    ok: Option<String>,
}

async fn list(
    State(news): State<News>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> WebResult<Html<String>> {
    let v = Viewer::of(&user);
    let now = news.now();
    let items = news
        .feed(&v, 50)
        .await?
        .into_iter()
        .map(|n| card(n, now))
        .collect();
    let mine = news
        .authored(&v)
        .await?
        .into_iter()
        .map(|n| card(n, now))
        .collect();
    let notice = match q.ok.as_deref() {
        Some("supprimee") => Some("news-notice-deleted"),
        _ => None,
    };
    let body = ListTemplate {
        t: Tr(lang),
        items,
        mine,
        may_write: model::writer(&v.context).is_some(),
        notice,
    };
    web::user_page(lang, &user, "news-title", &body)
}

#[derive(Template)]
#[template(path = "news_item.html")]
struct ItemTemplate {
    t: Tr,
    csrf: String,
    n: Card,
    files: Vec<FileRow>,
    draft: bool,
    manage: bool,
    notice: Option<&'static str>,
}

impl ItemTemplate {
    fn size(&self, f: &FileRow) -> String {
        blob::human_size(f.size.max(0) as u64)
    }
}

async fn item(
    State(news): State<News>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> WebResult<Html<String>> {
    let v = Viewer::of(&user);
    let n = news.item(&v, parse_id(&id)?).await?;
    let manage = news.may_manage(&v, &n);
    let draft = n.is_draft();
    let files = news.files(n.id).await?;
    let title = n.title.clone();
    let notice = match q.ok.as_deref() {
        Some("publiee") => Some("news-notice-published"),
        Some("brouillon") => Some("news-notice-draft"),
        _ => None,
    };
    let body = ItemTemplate {
        t: Tr(lang),
        csrf: user.csrf_token.clone(),
        n: card(n, news.now()),
        files,
        draft,
        manage,
        notice,
    };
    let html = body.render().map_err(AppError::internal)?;
    web::page(
        &web::Chrome {
            lang,
            user: Some(&user),
        },
        &title,
        &html,
    )
}

#[derive(serde::Deserialize)]
struct CsrfForm {
    csrf_token: String,
}

async fn publish(
    State(news): State<News>,
    user: CurrentUser,
    Path(id): Path<String>,
    axum::extract::Form(f): axum::extract::Form<CsrfForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    let id = parse_id(&id)?;
    news.publish(&Viewer::of(&user), id).await?;
    Ok(Redirect::to(&format!("/actualites/{id}?ok=publiee")).into_response())
}

async fn delete(
    State(news): State<News>,
    user: CurrentUser,
    Path(id): Path<String>,
    axum::extract::Form(f): axum::extract::Form<CsrfForm>,
) -> WebResult<Response> {
    user.check_csrf(&f.csrf_token)?;
    news.delete(&Viewer::of(&user), parse_id(&id)?).await?;
    Ok(Redirect::to("/actualites?ok=supprimee").into_response())
}

/// The form as typed, shown again after an error.
#[derive(Default)]
struct Typed {
    draft: Draft,
    public: Vec<String>,
    cible: String,
    collectivite: String,
    schools: Vec<Uuid>,
}

#[derive(Template)]
#[template(path = "news_new.html")]
struct NewTemplate {
    t: Tr,
    csrf: String,
    choices: Choices,
    typed: Typed,
    error: Option<String>,
    max_illustration: String,
    max_file: String,
    max_files: usize,
    publics: [(&'static str, &'static str); 4],
}

impl NewTemplate {
    fn public_is(&self, code: &str) -> bool {
        self.typed.public.iter().any(|p| p == code)
    }
    fn class_is(&self, id: &Uuid) -> bool {
        self.typed.draft.classes.contains(id)
    }
    fn school_is(&self, id: &Uuid) -> bool {
        self.typed.schools.contains(id)
    }
    fn cible_is(&self, c: &str) -> bool {
        self.typed.cible == c || self.typed.cible.is_empty() && c == "toutes"
    }
    fn authority_is(&self, id: &Uuid) -> bool {
        self.typed.collectivite == id.to_string()
    }
    fn multi_school(&self) -> bool {
        matches!(self.choices.writer, Some(Writer::Authority | Writer::Region))
    }
    fn region(&self) -> bool {
        self.choices.writer == Some(Writer::Region)
    }
    fn teacher(&self) -> bool {
        self.choices.writer == Some(Writer::Teacher)
    }
}

async fn render_new(
    news: &News,
    lang: Lang,
    user: &CurrentUser,
    typed: Typed,
    error: Option<String>,
) -> WebResult<Response> {
    let v = Viewer::of(user);
    let choices = news.choices(&v).await?;
    let failed = error.is_some();
    let mut typed = typed;
    if typed.draft.from.is_empty() && !failed {
        typed.draft.from = model::instant_input(news.now());
    }
    let body = NewTemplate {
        t: Tr(lang),
        csrf: user.csrf_token.clone(),
        choices,
        typed,
        error,
        max_illustration: blob::human_size(news.max_illustration_bytes()),
        max_file: blob::human_size(news.max_upload_bytes()),
        max_files: model::MAX_FILES,
        publics: directory::audience::choices(&model::PUBLIC_LABELS),
    };
    web::form_page(lang, user, &Tr(lang).get("news-new-title"), &body, failed)
}

async fn new_form(State(news): State<News>, lang: Lang, user: CurrentUser) -> WebResult<Response> {
    render_new(&news, lang, &user, Typed::default(), None).await
}

async fn create(
    State(news): State<News>,
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
    let all = |name: &str| -> Vec<String> {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    user.check_csrf(&one(web::csrf::FIELD))?;
    let ids = |name: &str| -> WebResult<Vec<Uuid>> {
        all(name)
            .iter()
            .map(|s| s.parse().map_err(|_| AppError::Forbidden))
            .collect()
    };
    let public = all("public");
    let draft = Draft {
        title: one("title"),
        body: one("body"),
        audience: Audience::from_codes(public.iter().map(String::as_str)),
        classes: ids("classe")?,
        from: one("from"),
        until: one("until"),
        pinned: one("pinned") == "1",
        illustration_alt: one("alt"),
    };
    let typed_schools = ids("ecole")?;
    let cible = one("cible");
    let collectivite = one("collectivite");
    let target = match cible.as_str() {
        "liste" => Target::Schools(typed_schools.clone()),
        "collectivite" => Target::Authority(collectivite.parse().map_err(|_| AppError::Forbidden)?),
        "toutes" if Viewer::of(&user).context.school().is_none() => Target::Region,
        _ => Target::OwnSchool,
    };
    let files = web::multipart::files(&headers, &body);
    let upload = |p: &web::multipart::Part<'_>| Upload {
        file_name: p.file_name.clone().unwrap_or_default(),
        bytes: p.data.to_vec(),
    };
    let illustration = files
        .iter()
        .find(|p| p.name == "illustration" && !p.data.is_empty())
        .map(upload);
    let attachments: Vec<Upload> = files
        .iter()
        .filter(|p| p.name == "fichiers" && !p.data.is_empty())
        .map(upload)
        .collect();
    let publish = one("action") != "brouillon";
    let compose = Compose {
        draft: draft.clone(),
        target,
        publish,
        illustration,
        files: attachments,
    };
    match news.create(&Viewer::of(&user), compose).await {
        Ok(id) => {
            let ok = if publish { "publiee" } else { "brouillon" };
            Ok(Redirect::to(&format!("/actualites/{id}?ok={ok}")).into_response())
        }
        Err(Error::Invalid(f)) => {
            let typed = Typed {
                draft,
                public,
                cible,
                collectivite,
                schools: typed_schools,
            };
            render_new(&news, lang, &user, typed, Some(f.message(lang))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Files are sent as they were checked at upload, never sniffed again by the browser, never cached by
/// a shared cache.
fn file_response(content_type: &str, disposition: Option<String>, bytes: Vec<u8>) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Some(d) = disposition.and_then(|d| HeaderValue::from_str(&d).ok()) {
        h.insert(header::CONTENT_DISPOSITION, d);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    res
}

async fn illustration(
    State(news): State<News>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let (ty, bytes) = news.illustration(&Viewer::of(&user), parse_id(&id)?).await?;
    Ok(file_response(&ty, None, bytes))
}

async fn download(
    State(news): State<News>,
    user: CurrentUser,
    Path((id, file)): Path<(String, String)>,
) -> WebResult<Response> {
    let (f, bytes) = news
        .file(&Viewer::of(&user), parse_id(&id)?, parse_id(&file)?)
        .await?;
    Ok(file_response(
        &f.content_type,
        Some(web::file_name::content_disposition(&f.file_name)),
        bytes,
    ))
}
