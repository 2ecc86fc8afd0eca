//! Every user-visible string goes through Fluent: French first, English available.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("fr") => Some(Lang::Fr),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, offered by the switch in the footer.
    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }
}

/// Name of the cookie holding the chosen language.
pub const LANG_COOKIE: &str = "ardoise_lang";

macro_rules! resources {
    ($lang:literal: $($file:literal),*) => {
        &[$(include_str!(concat!("../../../locales/", $lang, "/", $file, ".ftl"))),*]
    };
}

const FR: &[&str] = resources!("fr": "web", "identity", "directory", "portal", "sso", "timetable", "homework", "grades", "reportcards", "attendance", "discipline", "notifications", "news", "agenda", "messaging");
const EN: &[&str] = resources!("en": "web", "identity", "directory", "portal", "sso", "timetable", "homework", "grades", "reportcards", "attendance", "discipline", "notifications", "news", "agenda", "messaging");

struct Catalog {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

fn build(lang: Lang, sources: &[&str]) -> FluentBundle<FluentResource> {
    let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    for source in sources {
        let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(res, errors)| {
            tracing::error!(?errors, "Fluent syntax errors");
            res
        });
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(?errors, "duplicate Fluent messages");
        }
    }
    bundle
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog {
        bundles: HashMap::from([(Lang::Fr, build(Lang::Fr, FR)), (Lang::En, build(Lang::En, EN))]),
    })
}

/// Looks up `key` in `lang`, falling back to French, then to the key itself (visible, so tests catch it).
pub fn text(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let cat = catalog();
    for l in [lang, Lang::Fr] {
        let Some(bundle) = cat.bundles.get(&l) else {
            continue;
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            continue;
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = vec![];
        let out = bundle.format_pattern(
            pattern,
            if args.is_empty() { None } else { Some(&fargs) },
            &mut errors,
        );
        return out.into_owned();
    }
    key.to_string()
}

/// The translator handed to templates: `{{ t.get("key") }}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn get(&self, key: &str) -> String {
        text(self.0, key, &[])
    }

    pub fn with(&self, key: &str, name: &str, value: &str) -> String {
        text(self.0, key, &[(name, value.to_string())])
    }

    pub fn lang(&self) -> &'static str {
        self.0.code()
    }
}

/// Every message key of a language, for the test that both catalogues hold the same keys.
pub fn keys(lang: Lang) -> Vec<String> {
    let sources = match lang {
        Lang::Fr => FR,
        Lang::En => EN,
    };
    let mut keys = vec![];
    for source in sources {
        for line in source.lines() {
            if let Some((key, _)) = line.split_once(" =")
                && !key.starts_with([' ', '#', '.'])
                && !key.is_empty()
            {
                keys.push(key.trim().to_string());
            }
        }
    }
    keys.sort();
    keys
}

/// The language of a request: the cookie if set, else Accept-Language, else French.
pub fn negotiate(parts: &Parts) -> Lang {
    negotiate_headers(&parts.headers)
}

/// [`negotiate`] from the headers alone (in a middleware).
pub fn negotiate_headers(headers: &axum::http::HeaderMap) -> Lang {
    if let Some(lang) = crate::cookie::get(headers, LANG_COOKIE).and_then(Lang::parse) {
        return lang;
    }
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').find_map(Lang::parse))
        .unwrap_or_default()
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(negotiate(parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_and_english_catalogues_have_the_same_keys() {
        let fr = keys(Lang::Fr);
        let en = keys(Lang::En);
        assert!(fr.len() > 20);
        let missing_en: Vec<_> = fr.iter().filter(|k| !en.contains(k)).collect();
        let missing_fr: Vec<_> = en.iter().filter(|k| !fr.contains(k)).collect();
        assert!(missing_en.is_empty(), "keys missing in English: {missing_en:?}");
        assert!(missing_fr.is_empty(), "keys missing in French: {missing_fr:?}");
    }

    #[test]
    fn every_key_formats_without_falling_back_to_its_name() {
        for lang in [Lang::Fr, Lang::En] {
            for key in keys(lang) {
                assert_ne!(text(lang, &key, &[]), key, "{key} does not format in {lang:?}");
            }
        }
    }

    #[test]
    fn accept_language_picks_english_only_when_asked() {
        let req = axum::http::Request::builder()
            .header("accept-language", "en-GB,en;q=0.9")
            .body(())
            .unwrap();
        assert_eq!(negotiate(&req.into_parts().0), Lang::En);
        let req = axum::http::Request::builder()
            .header("accept-language", "de-DE")
            .body(())
            .unwrap();
        assert_eq!(negotiate(&req.into_parts().0), Lang::Fr);
    }
}
