//! Static assets, embedded in the binary and served under content-hashed names with an immutable cache.

use std::sync::OnceLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../static/app.css"),
    },
    Asset {
        name: "icon.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("../static/icon.svg"),
    },
    Asset {
        name: "saml-post.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../static/saml-post.js"),
    },
    Asset {
        name: "saisie.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../static/saisie.js"),
    },
    Asset {
        name: "notes.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../static/notes.css"),
    },
    Asset {
        name: "compteur.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../static/compteur.js"),
    },
    Asset {
        name: "live.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../static/live.js"),
    },
    Asset {
        name: "notifications.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../static/notifications.js"),
    },
];

/// FNV-1a: enough to change the URL when the content changes.
fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:08x}", h as u32)
}

fn hashed_names() -> &'static Vec<(String, usize)> {
    static NAMES: OnceLock<Vec<(String, usize)>> = OnceLock::new();
    NAMES.get_or_init(|| {
        ASSETS
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let (stem, ext) = a.name.rsplit_once('.').unwrap_or((a.name, ""));
                (format!("/static/{stem}.{}.{ext}", fingerprint(a.body)), i)
            })
            .collect()
    })
}

fn url_of(name: &str) -> &'static str {
    hashed_names()
        .iter()
        .find(|(_, i)| ASSETS[*i].name == name)
        .map(|(url, _)| url.as_str())
        .unwrap_or("/static/missing")
}

pub fn css_url() -> &'static str {
    url_of("app.css")
}

pub fn icon_url() -> &'static str {
    url_of("icon.svg")
}

/// The script that submits the SAML identity provider's POST form.
pub fn saml_post_url() -> &'static str {
    url_of("saml-post.js")
}

/// The content-hashed address of a static file of `crates/web/static` (the grades' marks grid
/// `saisie.js` and `notes.css`, the appraisal counter `compteur.js`…).
pub fn url(name: &str) -> &'static str {
    url_of(name)
}

/// The script that refreshes a page's live parts (`data-live`), such as the school-life dashboard.
pub fn live_url() -> &'static str {
    url_of("live.js")
}

async fn serve(Path(file): Path<String>) -> Response {
    let wanted = format!("/static/{file}");
    match hashed_names().iter().find(|(url, _)| *url == wanted) {
        Some((_, i)) => {
            let asset = &ASSETS[*i];
            (
                [
                    (header::CONTENT_TYPE, asset.content_type),
                    (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                ],
                asset.body,
            )
                .into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/static/{file}", get(serve))
}
