//! Ardoise as SAML identity provider against a real service provider, pysaml2 (the `saml` crate's
//! `tests/peer/sp.py`, playing the GAR): its signed AuthnRequest over Redirect and POST, our signed
//! assertion checked by pysaml2 and xmlsec1, and what is refused. Built with `--features
//! server/peer-tests`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use testkit::{TestApp, hidden_value, location};

fn peer() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../saml/tests/peer")
}

fn sp_py(args: &[&str]) -> Result<String, String> {
    let out = Command::new("python3")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .arg(peer().join("sp.py"))
        .args(args)
        .output()
        .expect("python3 runs (pip install pysaml2, apt-get install xmlsec1)");
    if out.status.success() {
        Ok(String::from_utf8(out.stdout).unwrap())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

async fn sp(args: Vec<String>) -> Result<String, String> {
    tokio::task::spawn_blocking(move || sp_py(&args.iter().map(String::as_str).collect::<Vec<_>>()))
        .await
        .unwrap()
}

/// The demo region with the GAR registered (for teachers and students) from pysaml2's SP metadata.
async fn app(dir: &Path) -> TestApp {
    let idp_metadata = dir.join("idp.xml");
    let sp_metadata = dir.join("sp.xml");
    let t = TestApp::spawn_demo_with(|s| {
        s.mfa_required.clear();
        let base = s.public_url.clone().unwrap();
        let (key, cert) = (peer().join("test-only-idp.key"), peer().join("test-only-idp.crt"));
        let idp = saml::Idp {
            entity_id: format!("{base}/saml/idp"),
            sso_url: format!("{base}/saml/idp/sso"),
            slo_url: Some(format!("{base}/saml/idp/slo")),
            keys: saml::Keys::from_pem(
                &std::fs::read_to_string(&key).unwrap(),
                &std::fs::read_to_string(&cert).unwrap(),
            )
            .unwrap(),
            want_authn_requests_signed: false,
        };
        std::fs::write(&idp_metadata, idp.metadata()).unwrap();
        let xml = sp_py(&["metadata", "--idp-metadata", idp_metadata.to_str().unwrap()]).unwrap();
        std::fs::write(&sp_metadata, xml).unwrap();
        s.saml.key_file = Some(key);
        s.saml.cert_file = Some(cert);
        s.services = vec![server::config::ServiceSettings {
            name: "GAR".into(),
            protocol: "saml".into(),
            metadata_file: Some(sp_metadata.clone()),
            profiles: vec!["ENS".into(), "ELV".into()],
            attributes: vec!["uid".into(), "ENTPersonProfils".into(), "UAI".into()],
            ..Default::default()
        }];
    })
    .await;
    // pysaml2 dates its requests by its own clock: ours follows.
    let peer_now: i64 = sp(vec!["now".into()]).await.unwrap().trim().parse().unwrap();
    t.clock.advance_secs((peer_now - t.clock.now_millis()) / 1000);
    t
}

/// pysaml2's verdict on our SAMLResponse answering `request` (the JSON of `sp.py check-response`).
async fn check_response(dir: &Path, response: String, request: &Value) -> Value {
    let out = sp(vec![
        "check-response".into(),
        "--idp-metadata".into(),
        idp_file(dir),
        "--response".into(),
        response,
        "--request-id".into(),
        request["id"].as_str().unwrap().into(),
    ])
    .await
    .unwrap();
    serde_json::from_str(&out).unwrap()
}

fn idp_file(dir: &Path) -> String {
    dir.join("idp.xml").to_string_lossy().into_owned()
}

#[tokio::test]
async fn the_gar_signs_a_student_in_with_a_signed_assertion() {
    let dir = tempfile::tempdir().unwrap();
    let t = app(dir.path()).await;
    // Ardoise publishes its IdP metadata (pysaml2 loaded the same document).
    let published = t.browser().get("/saml/idp/metadata").await.text().await.unwrap();
    assert_eq!(
        published,
        std::fs::read_to_string(dir.path().join("idp.xml")).unwrap()
    );

    let request: Value = serde_json::from_str(
        &sp(vec![
            "authn-request".into(),
            "--idp-metadata".into(),
            idp_file(dir.path()),
            "--relay-state".into(),
            "ressource-42".into(),
        ])
        .await
        .unwrap(),
    )
    .unwrap();
    let query = request["query"].as_str().unwrap();
    // Not signed in: the sign-in page, then back to the very request.
    let res = t.browser().get(&format!("/saml/idp/sso?{query}")).await;
    assert!(
        location(&res).starts_with("/login?next=/saml/idp/sso%3F"),
        "{}",
        location(&res)
    );

    let eleve = t.signed_in("demo.eleve").await;
    let res = eleve.get(&format!("/saml/idp/sso?{query}")).await;
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("form-action 'self' https://gar.test"), "{csp}");
    let html = res.text().await.unwrap();
    assert!(html.contains("action=\"https://gar.test/sp/acs\""), "{html}");
    assert_eq!(hidden_value(&html, "RelayState").as_deref(), Some("ressource-42"));
    let response = hidden_value(&html, "SAMLResponse").unwrap();
    let checked = check_response(dir.path(), response.clone(), &request).await;
    let attributes = checked["attributes"].to_string();
    assert!(
        attributes.contains("\"demo.eleve\"") && attributes.contains("National_ELV"),
        "{attributes}"
    );
    assert!(
        !attributes.contains("givenName"),
        "only the released attributes: {attributes}"
    );
    let name_id = checked["name_id"].as_str().unwrap().to_string();
    assert!(
        !name_id.contains("demo") && name_id.len() == 40,
        "an opaque identifier: {name_id}"
    );
    // The same person gets the same identifier next time (persistent).
    let request: Value = serde_json::from_str(
        &sp(vec![
            "authn-request".into(),
            "--idp-metadata".into(),
            idp_file(dir.path()),
            "--binding".into(),
            "post".into(),
        ])
        .await
        .unwrap(),
    )
    .unwrap();
    let res = eleve
        .post_form(
            "/saml/idp/sso",
            &[
                ("SAMLRequest", request["saml_request"].as_str().unwrap()),
                ("RelayState", request["relay_state"].as_str().unwrap_or("")),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let response = hidden_value(&html, "SAMLResponse").unwrap();
    let checked = check_response(dir.path(), response, &request).await;
    assert_eq!(checked["name_id"].as_str().unwrap(), name_id);
    t.stop().await;
}

#[tokio::test]
async fn forged_unsigned_and_unauthorised_requests_get_no_assertion() {
    let dir = tempfile::tempdir().unwrap();
    let t = app(dir.path()).await;
    let idp = idp_file(dir.path());
    let eleve = t.signed_in("demo.eleve").await;
    for (flags, why) in [
        (vec!["--unsigned"], "signée"),
        (vec!["--signing-key", "attacker"], "signature"),
        (vec!["--acs-url", "https://evil.test/acs"], "adresse de retour"),
    ] {
        let mut args = vec!["authn-request".to_string(), "--idp-metadata".into(), idp.clone()];
        args.extend(flags.iter().map(|f| f.to_string()));
        let request: Value = serde_json::from_str(&sp(args).await.unwrap()).unwrap();
        let res = eleve
            .get(&format!("/saml/idp/sso?{}", request["query"].as_str().unwrap()))
            .await;
        assert_eq!(res.status(), 422, "{flags:?}");
        let page = res.text().await.unwrap();
        assert!(!page.contains("SAMLResponse"));
        assert!(page.to_lowercase().contains(why), "{flags:?}: {page}");
    }
    // A parent may not use the GAR here.
    let parent = t.signed_in("demo.parent").await;
    let request: Value = serde_json::from_str(
        &sp(vec!["authn-request".into(), "--idp-metadata".into(), idp])
            .await
            .unwrap(),
    )
    .unwrap();
    let res = parent
        .get(&format!("/saml/idp/sso?{}", request["query"].as_str().unwrap()))
        .await;
    assert_eq!(res.status(), 403);
    t.stop().await;
}

/// Signs `b` in to the GAR through our IdP; returns the assertion's (NameID, SessionIndex).
async fn sign_in_to_the_gar(b: &testkit::Browser, dir: &Path) -> (String, String) {
    let request: Value = serde_json::from_str(
        &sp(vec![
            "authn-request".into(),
            "--idp-metadata".into(),
            idp_file(dir),
        ])
        .await
        .unwrap(),
    )
    .unwrap();
    let res = b
        .get(&format!("/saml/idp/sso?{}", request["query"].as_str().unwrap()))
        .await;
    assert_eq!(res.status(), 200);
    let response = hidden_value(&res.text().await.unwrap(), "SAMLResponse").unwrap();
    let checked = check_response(dir, response, &request).await;
    (
        checked["name_id"].as_str().unwrap().to_string(),
        checked["session_index"].as_str().unwrap().to_string(),
    )
}

/// The meta-refresh target of a self-navigating page.
fn refresh_target(html: &str) -> String {
    html.split("url=")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .replace("&amp;", "&")
}

#[tokio::test]
async fn signing_out_of_the_portal_signs_the_browser_out_of_the_gar() {
    let dir = tempfile::tempdir().unwrap();
    let t = app(dir.path()).await;
    let eleve = t.signed_in("demo.eleve").await;
    let (name_id, _) = sign_in_to_the_gar(&eleve, dir.path()).await;

    let (_, home) = eleve.get_html("/").await;
    let csrf = testkit::csrf_token(&home).unwrap();
    let res = eleve.post_form("/logout", &[("csrf_token", &csrf)]).await;
    // A form's answer: a page that moves on by itself, through the services to sign out.
    assert_eq!(res.status(), 200);
    let suite = refresh_target(&res.text().await.unwrap());
    assert!(suite.starts_with("/saml/idp/slo/suite?sid="), "{suite}");
    let res = eleve.get(&suite).await;
    let to_gar = location(&res);
    assert!(
        to_gar.starts_with("https://gar.test/sp/slo?SAMLRequest="),
        "{to_gar}"
    );
    // pysaml2 checks our signed LogoutRequest, finds its user and answers.
    let answered: Value = serde_json::from_str(
        &sp(vec![
            "answer-logout-request".into(),
            "--idp-metadata".into(),
            idp_file(dir.path()),
            "--url".into(),
            to_gar,
            "--name-id".into(),
            name_id.clone(),
        ])
        .await
        .unwrap(),
    )
    .unwrap();
    assert_eq!(answered["name_id"], name_id.as_str());
    let back = answered["response_url"].as_str().unwrap();
    let query = back.split_once('?').unwrap().1;
    let res = eleve.get(&format!("/saml/idp/slo?{query}")).await;
    let next = location(&res);
    assert!(next.starts_with("/saml/idp/slo/suite?sid="), "{next}");
    // No other service: the page asked for in the first place.
    let res = eleve.get(&next).await;
    assert_eq!(location(&res), "/login?bye=1");
    assert_eq!(eleve.get("/").await.status(), 303, "signed out of Ardoise");
    // The suite cannot be replayed into an open redirect.
    let (start, rest) = suite.split_once("&then=").unwrap();
    let mac = rest.split_once("&m=").unwrap().1;
    let forged = format!("{start}&then=https%3A%2F%2Fevil.test%2F&m={mac}");
    assert_eq!(eleve.get(&forged).await.status(), 403);
    t.stop().await;
}

#[tokio::test]
async fn the_gar_signs_the_person_out_of_ardoise_and_gets_its_answer() {
    let dir = tempfile::tempdir().unwrap();
    let t = app(dir.path()).await;
    let eleve = t.signed_in("demo.eleve").await;
    let (name_id, session_index) = sign_in_to_the_gar(&eleve, dir.path()).await;
    let logout = |unsigned: bool| {
        let mut args = vec![
            "logout-request".to_string(),
            "--idp-metadata".into(),
            idp_file(dir.path()),
            "--name-id".into(),
            name_id.clone(),
            "--session-index".into(),
            session_index.clone(),
            "--relay-state".into(),
            "retour-gar".into(),
        ];
        if unsigned {
            args.push("--unsigned".into());
        }
        async move { serde_json::from_str::<Value>(&sp(args).await.unwrap()).unwrap() }
    };
    // An unsigned request proves nothing: refused, the person stays signed in.
    let forged = logout(true).await;
    let res = eleve
        .get(&format!("/saml/idp/slo?{}", forged["query"].as_str().unwrap()))
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("sign"), "the page says why");
    assert_eq!(eleve.get("/").await.status(), 200);

    let request = logout(false).await;
    let res = eleve
        .get(&format!("/saml/idp/slo?{}", request["query"].as_str().unwrap()))
        .await;
    assert_eq!(res.status(), 303);
    let suite = location(&res);
    assert!(suite.starts_with("/saml/idp/slo/suite?sid="), "{suite}");
    let res = eleve.get(&suite).await;
    let answer = location(&res);
    assert!(
        answer.starts_with("https://gar.test/sp/slo?SAMLResponse="),
        "{answer}"
    );
    let checked: Value = serde_json::from_str(
        &sp(vec![
            "check-logout-response".into(),
            "--idp-metadata".into(),
            idp_file(dir.path()),
            "--url".into(),
            answer,
            "--request-id".into(),
            request["id"].as_str().unwrap().into(),
        ])
        .await
        .unwrap(),
    )
    .unwrap();
    assert_eq!(checked["relay_state"], "retour-gar");
    assert_eq!(eleve.get("/").await.status(), 303, "signed out of Ardoise");
    t.stop().await;
}
