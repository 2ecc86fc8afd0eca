//! Login wickets against a real SAML identity provider: pysaml2 (crates/saml/tests/peer/idp.py) answers
//! the AuthnRequest Ardoise sends, and the browser posts its answer back. Needs pysaml2 and xmlsec1, so
//! it is built with `--features server/peer-tests` (CI does).

use std::path::PathBuf;
use std::process::Command;

use base64::Engine as _;
use sea_query::{Alias, Expr, ExprTrait, Query};
use testkit::{Browser, TestApp, location};

fn peer() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../saml/tests/peer")
}

fn idp_py(args: &[&str]) -> Result<String, String> {
    let out = Command::new("python3")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .arg(peer().join("idp.py"))
        .args(args)
        .output()
        .expect("python3 runs (pip install pysaml2; apt-get install xmlsec1)");
    if out.status.success() {
        Ok(String::from_utf8(out.stdout).unwrap().trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

struct Federation {
    t: TestApp,
    dir: tempfile::TempDir,
}

/// The demo region with two wickets served by the pysaml2 peer: EduConnect (AAF keys) and an académie
/// (academic mail). The app's clock is set to the peer's, whose answers carry real times.
async fn federation() -> Federation {
    let dir = tempfile::tempdir().unwrap();
    let metadata = dir.path().join("idp.xml");
    std::fs::write(
        &metadata,
        idp_py(&["metadata"]).expect("the peer prints its metadata"),
    )
    .unwrap();
    let key = peer().join("test-only-sp.key");
    let cert = peer().join("test-only-sp.crt");
    let t = TestApp::spawn_demo_with(move |s| {
        s.mfa_required.clear();
        s.saml.key_file = Some(key);
        s.saml.cert_file = Some(cert);
        for (id, name, audience, link) in [
            ("educonnect", "EduConnect", "eleves-parents", "jointure"),
            ("reims", "Académie de Reims", "personnels", "mail"),
        ] {
            s.saml.wickets.push(server::config::WicketSettings {
                id: id.into(),
                name: name.into(),
                audience: audience.into(),
                link: link.into(),
                metadata_file: metadata.clone(),
            });
        }
    })
    .await;
    let peer_now: i64 = idp_py(&["now"]).unwrap().parse().unwrap();
    t.clock.advance_secs((peer_now - t.clock.now_millis()) / 1000);
    let sp = t.browser().get("/saml/metadata").await.text().await.unwrap();
    assert!(sp.contains("AssertionConsumerService"), "{sp}");
    std::fs::write(dir.path().join("sp.xml"), sp).unwrap();
    Federation { t, dir }
}

impl Federation {
    /// Opens `/login/sso/<wicket>` and returns where the browser is sent (the IdP, with our request).
    async fn start(&self, b: &Browser, wicket: &str) -> String {
        let res = b.get(&format!("/login/sso/{wicket}")).await;
        assert_eq!(res.status(), 303);
        location(&res)
    }

    /// The peer's answer to `request_url`, made with `options`.
    fn answer(&self, request_url: &str, attributes: &str, options: &[&str]) -> String {
        let sp = self.dir.path().join("sp.xml");
        let mut args = vec![
            "respond",
            "--sp-metadata",
            sp.to_str().unwrap(),
            "--request-url",
            request_url,
            "--name-id",
            "peer-subject",
            "--attributes",
            attributes,
        ];
        args.extend_from_slice(options);
        idp_py(&args).expect("the peer answers our request (it verified its signature)")
    }

    async fn post(&self, b: &Browser, request_url: &str, response: &str) -> reqwest::Response {
        let relay = request_url
            .split("RelayState=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        b.post_form(
            "/login/sso/acs",
            &[("SAMLResponse", response), ("RelayState", relay)],
        )
        .await
    }

    async fn user_value(&self, login: &str, column: &str) -> String {
        let q = Query::select()
            .column(Alias::new(column))
            .from(Alias::new("users"))
            .and_where(Expr::col(Alias::new("login")).eq(login))
            .to_owned();
        self.t
            .db()
            .fetch_one::<(Option<String>,)>(&q)
            .await
            .unwrap()
            .0
            .unwrap()
    }
}

fn educonnect_for(jointure: &str) -> String {
    format!(
        r#"{{"FrEduCtId": ["F9876"], "FrEduCtPersonAffiliation": ["resp2d"], "sn": ["Nom"], "givenName": ["Prénom"],
 "FrEduCtRefId": ["{{AAF}}REIMS|resp2d|{jointure}"]}}"#
    )
}

#[tokio::test]
async fn a_parent_signs_in_through_educonnect_and_lands_with_all_their_children() {
    let f = federation().await;
    let b = f.t.browser();
    let (_, login) = b.get_html("/login").await;
    assert!(
        login.contains("href=\"/login/sso/educonnect\""),
        "the chooser offers EduConnect"
    );
    assert!(login.contains("Académie de Reims"));

    let request = f.start(&b, "educonnect").await;
    assert!(request.contains("SAMLRequest=") && request.contains("Signature="));
    let jointure = f.user_value("demo.parent", "jointure").await;
    let response = f.answer(
        &request,
        &educonnect_for(&jointure),
        &["--sign-assertion", "--encrypt-assertion"],
    );
    let res = f.post(&b, &request, &response).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    assert_eq!(location(&res), "/");
    let (status, home) = b.get_html("/").await;
    assert_eq!(status, 200);
    // demo.parent has children in two schools: both are in the profile switcher.
    assert!(home.matches("<option").count() >= 2, "{home}");

    // The same answer posted again is refused, with a clear page and a journal entry.
    let again = f.t.browser();
    let res = f.post(&again, &request, &response).await;
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("a déjà servi ou a expiré"));

    let admin = f.t.signed_in("demo.admin").await;
    let (_, journal) = admin.get_html("/region/journal").await;
    assert!(
        journal.contains("Connexion par un guichet d&#39;identité")
            || journal.contains("Connexion par un guichet d'identité")
    );
    assert!(journal.contains("réponse sans demande en attente"), "{journal}");
    f.t.stop().await;
}

#[tokio::test]
async fn staff_are_linked_by_their_academic_mail_never_by_name() {
    let f = federation().await;
    let b = f.t.browser();
    let request = f.start(&b, "reims").await;
    let mail = f.user_value("demo.prof", "email").await;
    let attributes = format!(
        r#"{{"mail": ["{}"], "sn": ["Autre"], "givenName": ["Nom"]}}"#,
        mail.to_uppercase()
    );
    let response = f.answer(&request, &attributes, &["--sign-response"]);
    let res = f.post(&b, &request, &response).await;
    assert_eq!(res.status(), 303);
    let (_, home) = b.get_html("/compte").await;
    assert!(home.contains("demo.prof"), "{home}");

    // An identity no account has: a clear page, never a new account.
    let b = f.t.browser();
    let request = f.start(&b, "educonnect").await;
    let response = f.answer(&request, &educonnect_for("0000000"), &["--sign-assertion"]);
    let res = f.post(&b, &request, &response).await;
    assert_eq!(res.status(), 403);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("rattachée à aucun compte Ardoise")
    );
    f.t.stop().await;
}

#[tokio::test]
async fn tampered_misaddressed_and_expired_answers_are_refused_and_journaled() {
    let f = federation().await;
    let jointure = f.user_value("demo.eleve", "jointure").await;
    let attributes = educonnect_for(&jointure);

    // A signed answer whose content was changed after signing.
    let b = f.t.browser();
    let request = f.start(&b, "educonnect").await;
    let response = f.answer(&request, &attributes, &["--sign-assertion"]);
    let xml = String::from_utf8(base64_decode(&response)).unwrap();
    let forged = xml.replace(&jointure, "9999999");
    assert_ne!(forged, xml);
    let res = f.post(&b, &request, &base64_encode(forged.as_bytes())).await;
    assert_eq!(res.status(), 403);
    let page = res.text().await.unwrap();
    assert!(page.contains("pas pu être vérifiée"), "{page}");

    // For another service (wrong audience).
    let request = f.start(&b, "educonnect").await;
    let response = f.answer(
        &request,
        &attributes,
        &["--sign-assertion", "--audience", "https://autre.example/sp"],
    );
    assert_eq!(f.post(&b, &request, &response).await.status(), 403);

    // Expired: posted after its lifetime.
    let request = f.start(&b, "educonnect").await;
    let response = f.answer(
        &request,
        &attributes,
        &["--sign-assertion", "--lifetime-secs", "60"],
    );
    f.t.clock.advance_secs(5 * 60);
    assert_eq!(f.post(&b, &request, &response).await.status(), 403);
    assert_eq!(b.get("/").await.status(), 303, "still signed out");

    let admin = f.t.signed_in("demo.admin").await;
    let (_, journal) = admin.get_html("/region/journal?kind=federation-refused").await;
    assert!(journal.contains("signature"), "{journal}");
    assert!(journal.contains("destinée à un autre service"), "{journal}");
    assert!(journal.contains("a expiré"), "{journal}");
    f.t.stop().await;
}

fn base64_decode(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .unwrap()
}

fn base64_encode(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}
