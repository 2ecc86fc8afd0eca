//! Reads the `[saml]` settings: our service-provider keys and each wicket's IdP metadata.

use identity::Identity;

use crate::{Error, Settings};

#[cfg(feature = "saml")]
pub fn attach(identity: Identity, settings: &Settings) -> Result<Identity, Error> {
    use identity::wickets::{Audience, LinkRule, Wicket, Wickets};
    let saml = &settings.saml;
    if saml.wickets.is_empty() {
        return Ok(identity);
    }
    let read = |what: &str, path: Option<&std::path::PathBuf>| -> Result<String, Error> {
        let path = path.ok_or_else(|| {
            Error::Config(format!(
                "saml.{what} manquant : la clé du fournisseur de service est nécessaire"
            ))
        })?;
        std::fs::read_to_string(path)
            .map_err(|e| Error::Config(format!("saml.{what} ({}) : {e}", path.display())))
    };
    let keys = saml::SpKeys::from_pem(
        &read("key_file", saml.key_file.as_ref())?,
        &read("cert_file", saml.cert_file.as_ref())?,
    )
    .map_err(|e| Error::Config(format!("saml : clé ou certificat illisible : {e}")))?;
    let public = settings.public_url();
    let public = public.trim_end_matches('/');
    let sp = saml::Sp {
        entity_id: saml
            .entity_id
            .clone()
            .unwrap_or_else(|| format!("{public}/saml/metadata")),
        acs_url: format!("{public}/login/sso/acs"),
        keys,
    };
    let mut list = Vec::new();
    for (i, w) in saml.wickets.iter().enumerate() {
        let at = format!("saml.wickets[{}] « {} »", i + 1, w.id);
        if w.id.is_empty() || !w.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(Error::Config(format!(
                "{at} : id invalide (lettres, chiffres et tirets)"
            )));
        }
        if list.iter().any(|x: &Wicket| x.id == w.id) {
            return Err(Error::Config(format!("{at} : id en double")));
        }
        let audience = Audience::parse(&w.audience).ok_or_else(|| {
            Error::Config(format!(
                "{at} : audience « {} » inconnue (eleves-parents, personnels, autres)",
                w.audience
            ))
        })?;
        let link = LinkRule::parse(&w.link)
            .ok_or_else(|| Error::Config(format!("{at} : link « {} » inconnu (jointure, mail)", w.link)))?;
        let xml = std::fs::read_to_string(&w.metadata_file)
            .map_err(|e| Error::Config(format!("{at} : {} : {e}", w.metadata_file.display())))?;
        let idp = saml::parse_idp_metadata(&xml)
            .map_err(|e| Error::Config(format!("{at} : métadonnées {} : {e}", w.metadata_file.display())))?;
        list.push(Wicket {
            id: w.id.clone(),
            name: w.name.clone(),
            audience,
            link,
            idp,
        });
    }
    Ok(identity.with_wickets(Wickets { sp, list }))
}

/// Ardoise as SAML identity provider, with the `[saml]` key, when SAML services are registered or keys
/// are configured.
#[cfg(feature = "saml")]
pub fn identity_provider(sso: sso::Sso, settings: &Settings) -> Result<sso::Sso, Error> {
    let saml = &settings.saml;
    let wanted = settings.services.iter().any(|s| s.protocol == "saml");
    let (Some(key), Some(cert)) = (&saml.key_file, &saml.cert_file) else {
        if wanted {
            return Err(Error::Config(
                "services SAML : [saml] key_file et cert_file sont nécessaires pour signer les assertions"
                    .into(),
            ));
        }
        return Ok(sso);
    };
    let read = |path: &std::path::PathBuf| {
        std::fs::read_to_string(path).map_err(|e| Error::Config(format!("saml : {} : {e}", path.display())))
    };
    let keys = saml::Keys::from_pem(&read(key)?, &read(cert)?)
        .map_err(|e| Error::Config(format!("saml : clé ou certificat illisible : {e}")))?;
    let public = settings.public_url();
    let public = public.trim_end_matches('/');
    Ok(sso.with_idp(saml::Idp {
        entity_id: saml
            .idp_entity_id
            .clone()
            .unwrap_or_else(|| format!("{public}/saml/idp")),
        sso_url: format!("{public}/saml/idp/sso"),
        slo_url: Some(format!("{public}/saml/idp/slo")),
        keys,
        want_authn_requests_signed: false,
    }))
}

#[cfg(not(feature = "saml"))]
pub fn identity_provider(sso: sso::Sso, _settings: &Settings) -> Result<sso::Sso, Error> {
    Ok(sso)
}

#[cfg(not(feature = "saml"))]
pub fn attach(identity: Identity, settings: &Settings) -> Result<Identity, Error> {
    if settings.saml.wickets.is_empty() {
        Ok(identity)
    } else {
        Err(Error::Config(
            "[saml] : cette version d'Ardoise est construite sans les guichets SAML (cargo feature saml)"
                .into(),
        ))
    }
}
