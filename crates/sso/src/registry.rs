//! The registry of connected services: what an administrator writes (a [`ServiceSpec`], in
//! `ardoise.toml` or on the region's admin page), checked into the [`Service`] the protocols use, and the
//! specs the admin page stored.

use std::path::PathBuf;

use db::{Db, Result as DbResult};
use kernel::Timestamp;
use sea_query::{Alias, Expr, ExprTrait, Order, Query};

use crate::Service;

/// A connected service as an administrator describes it: a `[[services]]` entry of `ardoise.toml`, or
/// what the region's admin page stores (as JSON).
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceSpec {
    /// Stable identifier (letters, digits, dashes); default: from the name.
    pub id: Option<String>,
    pub name: String,
    /// `cas` or `oidc`.
    pub protocol: String,
    /// CAS: service URLs; OIDC: redirect URIs. Exact, or a prefix when ending with `*`.
    pub urls: Vec<String>,
    /// Profile codes allowed (ELV, TUT, ENS…); empty or absent for everyone.
    pub profiles: Vec<String>,
    /// UAIs of the schools whose people may use it; empty or absent for all.
    pub schools: Vec<String>,
    /// Attributes (CAS) or claims (OIDC) released; empty or absent for all.
    pub attributes: Vec<String>,
    /// CAS: send a back-channel logout request when the person signs out of Ardoise.
    pub single_logout: bool,
    /// CAS: may get proxy-granting tickets (its `pgtUrl` must be one of its URLs, in https).
    pub proxy: bool,
    /// Where the portal's launcher opens the service (CAS default: the first exact URL; OIDC: the
    /// client's sign-in address, without which it is not listed).
    pub launch_url: Option<String>,
    /// OIDC: the client's identifier.
    pub client_id: Option<String>,
    /// OIDC: `client_secret` (basic or post), `private_key_jwt` or `none` (public client, PKCE).
    pub token_auth: Option<String>,
    /// OIDC, with `client_secret`: the secret (or in the environment variable named by `client_secret_env`).
    pub client_secret: Option<String>,
    pub client_secret_env: Option<String>,
    /// OIDC: the secret's keyed hash, for clients registered on the admin page (the secret itself is
    /// shown once and never stored).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret_hash: Option<String>,
    /// OIDC, with `private_key_jwt`: the client's public keys, as a JWKS document (admin page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwks: Option<String>,
    /// OIDC, with `private_key_jwt`: the client's public keys, a JWKS file.
    pub jwks_file: Option<PathBuf>,
    /// OIDC: sign people in without asking for their consent.
    pub pre_approved: bool,
    pub post_logout_redirect_uris: Vec<String>,
    pub backchannel_logout_uri: Option<String>,
    /// A PNG, JPEG or WebP image of at most 100 KB for the portal's launcher: a file…
    pub logo_file: Option<PathBuf>,
    /// …or the image as a `data:` URI (admin page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// SAML: the service provider's metadata, a file…
    pub metadata_file: Option<PathBuf>,
    /// …or the document itself (admin page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
}

fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        let plain = match c {
            'à' | 'â' | 'ä' => "a",
            'ç' => "c",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' => "i",
            'ô' | 'ö' => "o",
            'ù' | 'û' | 'ü' => "u",
            'ÿ' => "y",
            'œ' => "oe",
            'æ' => "ae",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if plain != "-" {
            out.push_str(plain);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn http_url(u: &str) -> bool {
    u.starts_with("https://") || u.starts_with("http://")
}

impl ServiceSpec {
    /// The service this describes, or what is wrong with it (in French, prefixed by `at`).
    pub fn checked(&self, at: &str) -> Result<Service, String> {
        let err = |what: String| format!("{at} : {what}");
        if self.name.trim().is_empty() {
            return Err(err("le nom est obligatoire".into()));
        }
        let id = self.id.clone().unwrap_or_else(|| slug(&self.name));
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(err(format!(
                "id « {id} » : lettres, chiffres et tirets seulement"
            )));
        }
        let protocol = match self.protocol.as_str() {
            "cas" => crate::Protocol::Cas,
            "oidc" => crate::Protocol::Oidc,
            "saml" => crate::Protocol::Saml,
            other => return Err(err(format!("protocole « {other} » inconnu (cas, oidc, saml)"))),
        };
        #[cfg(feature = "saml")]
        let saml_sp = match protocol {
            crate::Protocol::Saml => Some(self.saml_sp(&err)?),
            _ => None,
        };
        #[cfg(not(feature = "saml"))]
        if protocol == crate::Protocol::Saml {
            return Err(err(
                "cette version d'Ardoise est construite sans SAML (cargo feature saml)".into(),
            ));
        }
        // Mobile apps come back on a private-use scheme (skoapp-prod://…): allowed for OIDC only.
        let acceptable = |u: &str| match protocol {
            crate::Protocol::Cas => http_url(u),
            crate::Protocol::Saml => true,
            crate::Protocol::Oidc => u.split_once("://").is_some_and(|(scheme, rest)| {
                !rest.is_empty()
                    && scheme.starts_with(|c: char| c.is_ascii_lowercase())
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+-.".contains(c))
            }),
        };
        let urls_needed = protocol != crate::Protocol::Saml;
        if (urls_needed && self.urls.is_empty()) || !self.urls.iter().all(|u| acceptable(u)) {
            return Err(err(
                "urls doit lister des adresses http(s):// (ou, pour OIDC, schéma://… d'une application)"
                    .into(),
            ));
        }
        let profiles = self
            .profiles
            .iter()
            .map(|p| {
                p.parse::<kernel::Profile>()
                    .map_err(|_| err(format!("profil « {p} » inconnu")))
            })
            .collect::<Result<_, _>>()?;
        if let Some(u) = &self.launch_url
            && !http_url(u)
        {
            return Err(err(format!(
                "launch_url « {u} » n'est pas une adresse http(s)://"
            )));
        }
        for uai in &self.schools {
            uai.parse::<kernel::Uai>()
                .map_err(|_| err(format!("UAI « {uai} » invalide")))?;
        }
        let oidc = match protocol {
            crate::Protocol::Oidc => Some(self.oidc_client(&err)?),
            _ => None,
        };
        // A SAML service's addresses are its assertion consumers.
        #[cfg(feature = "saml")]
        let urls = match &saml_sp {
            Some(sp) => sp.0.assertion_consumers.iter().map(|a| a.url.clone()).collect(),
            None => self.urls.clone(),
        };
        #[cfg(not(feature = "saml"))]
        let urls = self.urls.clone();
        Ok(crate::Service {
            id,
            name: self.name.clone(),
            protocol,
            urls,
            profiles,
            schools: self.schools.clone(),
            attributes: self.attributes.clone(),
            single_logout: self.single_logout,
            proxy: self.proxy,
            launch_url: self.launch_url.clone(),
            oidc,
            logo: self.logo(&err)?.map(std::sync::Arc::new),
            #[cfg(feature = "saml")]
            saml: saml_sp.map(std::sync::Arc::new),
        })
    }

    fn logo(&self, err: &dyn Fn(String) -> String) -> Result<Option<crate::logo::Logo>, String> {
        use crate::logo::Logo;
        match (&self.logo, &self.logo_file) {
            (Some(uri), _) => Logo::from_data_uri(uri).map(Some).map_err(err),
            (None, Some(path)) => {
                let bytes = std::fs::read(path)
                    .map_err(|e| err(format!("logo_file {} illisible ({e})", path.display())))?;
                Logo::new(bytes)
                    .map(Some)
                    .map_err(|e| err(format!("logo_file {} : {e}", path.display())))
            }
            (None, None) => Ok(None),
        }
    }

    #[cfg(feature = "saml")]
    fn saml_sp(&self, err: &dyn Fn(String) -> String) -> Result<crate::saml_idp::SamlSp, String> {
        let (xml, origin) = match (&self.metadata, &self.metadata_file) {
            (Some(inline), _) => (inline.clone(), "métadonnées".to_string()),
            (None, Some(path)) => (
                std::fs::read_to_string(path)
                    .map_err(|e| err(format!("metadata_file {} illisible ({e})", path.display())))?,
                format!("metadata_file {}", path.display()),
            ),
            (None, None) => return Err(err("metadata_file (ou metadata) manquant pour SAML".into())),
        };
        saml::parse_sp_metadata(&xml)
            .map(crate::saml_idp::SamlSp)
            .map_err(|e| err(format!("{origin} : {e}")))
    }

    fn oidc_client(&self, err: &dyn Fn(String) -> String) -> Result<crate::OidcClient, String> {
        let client_id = self
            .client_id
            .clone()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| err("client_id manquant".into()))?;
        let auth = match self.token_auth.as_deref().unwrap_or("client_secret") {
            "client_secret" if self.client_secret_hash.is_some() => {
                crate::ClientAuth::SecretHash(self.client_secret_hash.clone().unwrap_or_default())
            }
            "client_secret" => {
                let secret = match (&self.client_secret, &self.client_secret_env) {
                    (Some(s), _) => s.clone(),
                    (None, Some(var)) => std::env::var(var)
                        .map_err(|_| err(format!("variable d'environnement {var} absente")))?,
                    (None, None) => return Err(err("client_secret (ou client_secret_env) manquant".into())),
                };
                if secret.len() < 16 {
                    return Err(err("client_secret trop court (16 caractères au moins)".into()));
                }
                crate::ClientAuth::Secret(secret)
            }
            "private_key_jwt" => {
                let (text, origin) = match (&self.jwks, &self.jwks_file) {
                    (Some(inline), _) => (inline.clone(), "jwks".to_string()),
                    (None, Some(path)) => (
                        std::fs::read_to_string(path)
                            .map_err(|e| err(format!("jwks_file {} illisible ({e})", path.display())))?,
                        format!("jwks_file {}", path.display()),
                    ),
                    (None, None) => {
                        return Err(err("jwks (ou jwks_file) manquant pour private_key_jwt".into()));
                    }
                };
                let json: serde_json::Value = serde_json::from_str(&text)
                    .map_err(|e| err(format!("{origin} : JSON invalide ({e})")))?;
                let keys = crate::jwt::keys_of_jwks(&json);
                if keys.is_empty() {
                    return Err(err(format!("{origin} : aucune clé RSA")));
                }
                crate::ClientAuth::PrivateKeyJwt(keys)
            }
            "none" => crate::ClientAuth::Public,
            other => {
                return Err(err(format!(
                    "token_auth « {other} » inconnu (client_secret, private_key_jwt, none)"
                )));
            }
        };
        for u in self
            .post_logout_redirect_uris
            .iter()
            .chain(&self.backchannel_logout_uri)
        {
            if !http_url(u) {
                return Err(err(format!("« {u} » n'est pas une adresse http(s)://")));
            }
        }
        Ok(crate::OidcClient {
            client_id,
            auth,
            pre_approved: self.pre_approved,
            post_logout_redirect_uris: self.post_logout_redirect_uris.clone(),
            backchannel_logout_uri: self.backchannel_logout_uri.clone(),
        })
    }
}

/// The keyed hash under which a client secret made on the admin page is kept.
pub fn secret_hash(sso: &crate::Sso, secret: &str) -> String {
    sso.identity.csrf().keyed_hash("oidc-client-secret", secret)
}

/// Checks every spec and that ids and OIDC client ids are unique; `Err` says which entry is wrong.
pub fn check_all(specs: &[ServiceSpec]) -> Result<Vec<Service>, String> {
    let services: Vec<Service> = specs
        .iter()
        .enumerate()
        .map(|(i, s)| s.checked(&format!("services[{}] « {} »", i + 1, s.name)))
        .collect::<Result<_, _>>()?;
    for (i, s) in services.iter().enumerate() {
        if let Some(clash) = clash(&services[..i], s) {
            return Err(format!("services[{}] : {clash}", i + 1));
        }
    }
    Ok(services)
}

/// What `service` would share with one of `others` (id, client id), in French.
pub fn clash(others: &[Service], service: &Service) -> Option<String> {
    if others.iter().any(|o| o.id == service.id) {
        return Some(format!("l'id « {} » est déjà pris", service.id));
    }
    if let Some(c) = &service.oidc
        && others
            .iter()
            .any(|o| o.oidc.as_ref().is_some_and(|oc| oc.client_id == c.client_id))
    {
        return Some(format!("le client_id « {} » est déjà pris", c.client_id));
    }
    None
}

#[derive(sqlx::FromRow)]
pub struct StoredSpec {
    pub id: String,
    pub spec: String,
}

/// The specs registered on the admin page, by name.
pub async fn stored(db: &Db) -> DbResult<Vec<StoredSpec>> {
    let q = Query::select()
        .columns(["id", "spec"].map(Alias::new))
        .from(Alias::new("connected_services"))
        .order_by(Alias::new("name"), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn save(db: &Db, id: &str, spec: &ServiceSpec, by: uuid::Uuid, now: Timestamp) -> DbResult<()> {
    let json = serde_json::to_string(spec).unwrap_or_default();
    let q = Query::insert()
        .into_table(Alias::new("connected_services"))
        .columns(["id", "name", "spec", "updated_by", "updated_at"].map(Alias::new))
        .values_panic([
            id.into(),
            spec.name.clone().into(),
            json.into(),
            by.into(),
            now.millis().into(),
        ])
        .on_conflict(
            sea_query::OnConflict::column(Alias::new("id"))
                .update_columns(["name", "spec", "updated_by", "updated_at"].map(Alias::new))
                .to_owned(),
        )
        .to_owned();
    db.execute(&q).await.map(drop)
}

pub async fn delete(db: &Db, id: &str) -> DbResult<u64> {
    let q = Query::delete()
        .from_table(Alias::new("connected_services"))
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    db.execute(&q).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cas(name: &str, url: &str) -> ServiceSpec {
        ServiceSpec {
            name: name.into(),
            protocol: "cas".into(),
            urls: vec![url.into()],
            ..Default::default()
        }
    }

    #[test]
    fn ids_come_from_names_without_accents() {
        assert_eq!(slug("Éditeur — Lecture & Cie"), "editeur-lecture-cie");
        assert_eq!(slug("Cœur d'élève"), "coeur-d-eleve");
    }

    #[test]
    fn bad_entries_are_named_with_what_is_wrong() {
        let err = |s: ServiceSpec| s.checked("services[1]").unwrap_err();
        assert!(err(cas("Moodle", "ftp://x")).contains("urls"));
        assert!(
            err(ServiceSpec {
                protocol: "ldap".into(),
                ..cas("Moodle", "https://m/")
            })
            .contains("protocole « ldap »")
        );
        assert!(
            err(ServiceSpec {
                profiles: vec!["XYZ".into()],
                ..cas("Moodle", "https://m/")
            })
            .contains("profil « XYZ »")
        );
        assert!(
            err(ServiceSpec {
                schools: vec!["123".into()],
                ..cas("Moodle", "https://m/")
            })
            .contains("UAI « 123 »")
        );
        let oidc = ServiceSpec {
            protocol: "oidc".into(),
            ..cas("App", "skoapp-prod://cb")
        };
        assert!(err(oidc.clone()).contains("client_id manquant"));
        let short = ServiceSpec {
            client_id: Some("app".into()),
            client_secret: Some("court".into()),
            ..oidc.clone()
        };
        assert!(err(short).contains("trop court"));
        let public = ServiceSpec {
            client_id: Some("app".into()),
            token_auth: Some("none".into()),
            ..oidc
        };
        assert!(public.checked("x").is_ok());
        let clash = check_all(&[cas("Moodle", "https://m/"), cas("Moodle", "https://n/")]).unwrap_err();
        assert!(
            clash.contains("services[2]") && clash.contains("« moodle » est déjà pris"),
            "{clash}"
        );
    }
}
