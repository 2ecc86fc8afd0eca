//! The region's page of connected services: the regional operator sees every service (those of
//! `ardoise.toml` read-only), registers a new one, edits or removes the ones registered here. A new OIDC
//! client with a secret gets one made by Ardoise, shown once. Every change needs a fresh second factor
//! and is written to the journal.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use identity::ClientIp;
use identity::audit;
use kernel::{Context, Profile};
use web::{AppError, CurrentUser, Lang, Msg, Tr, WebResult};

use crate::registry::{self, ServiceSpec};
use crate::{Protocol, Sso};

/// The attributes and claims an administrator may choose to release.
const RELEASABLE: [&str; 12] = [
    "uid",
    "sn",
    "givenName",
    "mail",
    "ENTPersonJointure",
    "ENTPersonProfils",
    "UAI",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "email",
];

pub fn routes() -> Router<Sso> {
    Router::new()
        .route("/region/services", get(list).post(save))
        .route("/region/services/{id}", get(edit))
        .route("/region/services/{id}/supprimer", post(remove))
}

fn region_admin(user: &CurrentUser) -> Result<(), AppError> {
    match user.context.context {
        Context::RegionAdmin { .. } => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// One row of the list.
struct Row {
    id: String,
    name: String,
    protocol: &'static str,
    urls: String,
    who: String,
    editable: bool,
}

/// The form's values.
#[derive(Default)]
struct FormValues {
    id: String,
    name: String,
    protocol: String,
    urls: String,
    profiles: Vec<String>,
    schools: String,
    attributes: Vec<String>,
    launch_url: String,
    single_logout: bool,
    proxy: bool,
    client_id: String,
    token_auth: String,
    jwks: String,
    pre_approved: bool,
    post_logout_redirect_uris: String,
    backchannel_logout_uri: String,
    /// Where the service's current logo is served (editing a service that has one).
    logo_href: Option<String>,
}

impl FormValues {
    fn of(id: &str, s: &ServiceSpec) -> FormValues {
        FormValues {
            id: id.to_string(),
            name: s.name.clone(),
            protocol: s.protocol.clone(),
            urls: s.urls.join("\n"),
            profiles: s.profiles.clone(),
            schools: s.schools.join(" "),
            attributes: s.attributes.clone(),
            launch_url: s.launch_url.clone().unwrap_or_default(),
            single_logout: s.single_logout,
            proxy: s.proxy,
            client_id: s.client_id.clone().unwrap_or_default(),
            token_auth: s.token_auth.clone().unwrap_or_default(),
            jwks: s.jwks.clone().unwrap_or_default(),
            pre_approved: s.pre_approved,
            post_logout_redirect_uris: s.post_logout_redirect_uris.join("\n"),
            backchannel_logout_uri: s.backchannel_logout_uri.clone().unwrap_or_default(),
            logo_href: s
                .logo
                .as_deref()
                .and_then(|uri| crate::logo::Logo::from_data_uri(uri).ok())
                .map(|logo| logo.href(id)),
        }
    }
}

#[derive(Template)]
#[template(path = "services.html")]
struct ServicesTemplate {
    t: Tr,
    csrf_token: String,
    rows: Vec<Row>,
    form: FormValues,
    profiles: Vec<(&'static str, String)>,
    releasable: [&'static str; 12],
    error: Option<String>,
    secret: Option<(String, String)>,
}

fn profile_choices(t: Tr) -> Vec<(&'static str, String)> {
    Profile::ALL
        .into_iter()
        .map(|p| (p.code(), t.get(&format!("profile-{}", p.code()))))
        .collect()
}

async fn page(
    sso: &Sso,
    lang: Lang,
    user: &CurrentUser,
    form: FormValues,
    error: Option<String>,
    secret: Option<(String, String)>,
) -> WebResult<Html<String>> {
    let stored: Vec<String> = registry::stored(&sso.db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let t = Tr(lang);
    let rows = sso
        .services()
        .iter()
        .map(|s| Row {
            id: s.id.clone(),
            name: s.name.clone(),
            protocol: match s.protocol {
                Protocol::Cas => "CAS",
                Protocol::Saml => "SAML 2",
                Protocol::Oidc => "OpenID Connect",
            },
            urls: s.urls.join(" "),
            who: if s.profiles.is_empty() {
                t.get("services-everyone")
            } else {
                s.profiles.iter().map(|p| p.code()).collect::<Vec<_>>().join(", ")
            },
            editable: stored.contains(&s.id),
        })
        .collect();
    let body = ServicesTemplate {
        t,
        csrf_token: user.csrf_token.clone(),
        rows,
        form,
        profiles: profile_choices(t),
        releasable: RELEASABLE,
        error,
        secret,
    };
    web::user_page(lang, user, "services-title", &body)
}

async fn list(State(sso): State<Sso>, lang: Lang, user: CurrentUser) -> WebResult<Html<String>> {
    region_admin(&user)?;
    let form = FormValues {
        protocol: "cas".into(),
        ..FormValues::default()
    };
    page(&sso, lang, &user, form, None, None).await
}

async fn edit(
    State(sso): State<Sso>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    region_admin(&user)?;
    let stored = registry::stored(&sso.db).await?;
    let spec = stored
        .iter()
        .find(|s| s.id == id)
        .and_then(|s| serde_json::from_str::<ServiceSpec>(&s.spec).ok())
        .ok_or(AppError::NotFound)?;
    page(&sso, lang, &user, FormValues::of(&id, &spec), None, None).await
}

/// The posted form: repeated fields (profiles, attributes) come as several pairs; the logo file's
/// bytes apart. The page posts `multipart/form-data` (for the logo); url-encoded forms are read too.
fn form_fields(headers: &axum::http::HeaderMap, body: &[u8]) -> (Vec<(String, String)>, Vec<u8>) {
    let Some(boundary) = web::multipart::boundary(headers) else {
        return (url::form_urlencoded::parse(body).into_owned().collect(), vec![]);
    };
    let mut fields = vec![];
    let mut logo = vec![];
    for part in web::multipart::parts(body, &boundary) {
        if part.name == "logo" {
            logo = part.data.to_vec();
        } else {
            fields.push((part.name.clone(), part.text()));
        }
    }
    (fields, logo)
}

fn lines(value: &str) -> Vec<String> {
    value
        .split(['\n', ' ', ','])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn some(value: &str) -> Option<String> {
    Some(value.trim().to_string()).filter(|v| !v.is_empty())
}

async fn save(
    State(sso): State<Sso>,
    lang: Lang,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    region_admin(&user)?;
    let (fields, logo_upload) = form_fields(&headers, &body);
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let all = |name: &str| {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    user.check_csrf(&one("csrf_token"))?;
    sso.identity.require_step_up(&user, "/region/services").await?;
    let existing_id = one("id");
    let stored = registry::stored(&sso.db).await?;
    let previous = stored
        .iter()
        .find(|s| s.id == existing_id)
        .and_then(|s| serde_json::from_str::<ServiceSpec>(&s.spec).ok());
    if !existing_id.is_empty() && previous.is_none() {
        return Err(AppError::NotFound);
    }
    let protocol = one("protocol");
    let oidc = protocol == "oidc";
    let token_auth = one("token_auth");
    let mut spec = ServiceSpec {
        id: previous
            .as_ref()
            .and(Some(existing_id.clone()))
            .filter(|i| !i.is_empty()),
        name: one("name").trim().to_string(),
        protocol: protocol.clone(),
        urls: lines(&one("urls")),
        profiles: all("profiles"),
        schools: lines(&one("schools")),
        attributes: all("attributes"),
        single_logout: !oidc && one("single_logout") == "on",
        proxy: !oidc && one("proxy") == "on",
        launch_url: some(&one("launch_url")),
        ..ServiceSpec::default()
    };
    // The logo: a new file replaces it, the box removes it, otherwise it stays as it was.
    spec.logo = if !logo_upload.is_empty() {
        Some(match crate::logo::Logo::new(logo_upload) {
            Ok(logo) => logo.to_data_uri(),
            Err(e) => {
                let form = FormValues::of(&existing_id, &spec);
                let page = page(
                    &sso,
                    lang,
                    &user,
                    form,
                    Some(format!("« {} » : {e}", spec.name)),
                    None,
                )
                .await?;
                return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
            }
        })
    } else if one("remove_logo") == "on" {
        None
    } else {
        previous.as_ref().and_then(|p| p.logo.clone())
    };
    let mut new_secret = None;
    if oidc {
        spec.client_id = some(&one("client_id"));
        spec.token_auth = Some(token_auth.clone()).filter(|a| !a.is_empty());
        spec.pre_approved = one("pre_approved") == "on";
        spec.post_logout_redirect_uris = lines(&one("post_logout_redirect_uris"));
        spec.backchannel_logout_uri = some(&one("backchannel_logout_uri"));
        match token_auth.as_str() {
            "private_key_jwt" => spec.jwks = some(&one("jwks")),
            "none" => {}
            _ => {
                // A secret made here, shown once: kept from the previous version unless renewed.
                let kept = previous
                    .as_ref()
                    .and_then(|p| p.client_secret_hash.clone())
                    .filter(|_| one("new_secret") != "on");
                spec.client_secret_hash = match kept {
                    Some(h) => Some(h),
                    None => {
                        let secret = identity::random_token();
                        let hash = registry::secret_hash(&sso, &secret);
                        new_secret = Some(secret);
                        Some(hash)
                    }
                };
            }
        }
    }
    let form = FormValues::of(&existing_id, &spec);
    let at = format!("« {} »", spec.name);
    let checked = spec.checked(&at).and_then(|service| {
        let others: Vec<_> = sso
            .services()
            .iter()
            .filter(|s| s.id != existing_id)
            .cloned()
            .collect();
        match registry::clash(&others, &service) {
            Some(clash) => Err(format!("{at} : {clash}")),
            None => Ok(service),
        }
    });
    let service = match checked {
        Ok(s) => s,
        Err(e) => {
            let page = page(&sso, lang, &user, form, Some(e), None).await?;
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    if !existing_id.is_empty() && existing_id != service.id {
        registry::delete(&sso.db, &existing_id).await?;
    }
    let now = sso.identity.now();
    registry::save(&sso.db, &service.id, &spec, user.user_id.0, now).await?;
    sso.reload().await?;
    let _ = audit::record(
        &sso.db,
        now,
        audit::Event {
            kind: audit::Kind::ServiceRegistered,
            school: None,
            actor: Some(user.user_id),
            subject: None,
            ip: &ip,
            detail: format!("{} ({})", service.name, service.id),
        },
    )
    .await;
    match (new_secret, &service.oidc) {
        (Some(secret), Some(client)) => {
            let form = FormValues {
                protocol: "cas".into(),
                ..FormValues::default()
            };
            Ok(page(
                &sso,
                lang,
                &user,
                form,
                None,
                Some((client.client_id.clone(), secret)),
            )
            .await?
            .into_response())
        }
        _ => Ok(Redirect::to("/region/services").into_response()),
    }
}

#[derive(serde::Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf_token: String,
}

async fn remove(
    State(sso): State<Sso>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<CsrfOnly>,
) -> Result<Response, AppError> {
    region_admin(&user)?;
    user.check_csrf(&form.csrf_token)?;
    sso.identity.require_step_up(&user, "/region/services").await?;
    if registry::delete(&sso.db, &id).await? == 0 {
        return Err(AppError::BadRequest(Msg::new("services-not-removable")));
    }
    sso.reload().await?;
    let _ = audit::record(
        &sso.db,
        sso.identity.now(),
        audit::Event {
            kind: audit::Kind::ServiceRemoved,
            school: None,
            actor: Some(user.user_id),
            subject: None,
            ip: &ip,
            detail: id,
        },
    )
    .await;
    Ok(Redirect::to("/region/services").into_response())
}
