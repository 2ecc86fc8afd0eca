//! The OpenID Connect provider against a real relying party, authlib (`pip install authlib`), driven
//! step by step by `tests/peer/oidc_rp.py` while the test's own HTTP client plays the browser; plus
//! the Skolengo apps' ways of calling the token endpoint, consent, single sign-out and key rotation.
//! Built with `--features server/peer-tests` (CI does).

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use testkit::{Browser, TestApp, csrf_token, hidden_value, location};

const ENT_APP: &str = "https://notes.test/callback";
const SECRET: &str = "un-secret-de-test-assez-long";

fn service(
    name: &str,
    client_id: &str,
    token_auth: &str,
    pre_approved: bool,
) -> server::config::ServiceSettings {
    server::config::ServiceSettings {
        name: name.into(),
        protocol: "oidc".into(),
        urls: vec![ENT_APP.into(), "skoapp-prod://sign-in-callback".into()],
        client_id: Some(client_id.into()),
        token_auth: Some(token_auth.into()),
        client_secret: (token_auth == "client_secret").then(|| SECRET.into()),
        pre_approved,
        post_logout_redirect_uris: vec!["https://notes.test/bye".into()],
        ..Default::default()
    }
}

/// The demo region with three clients, and the test clock set to the real time (authlib checks `exp`
/// and `iat` against its own clock).
async fn app_with(extra: Vec<server::config::ServiceSettings>) -> TestApp {
    let t = TestApp::spawn_demo_with(move |s| {
        s.mfa_required.clear();
        s.services = vec![
            service("Notes", "notes", "client_secret", true),
            service("Application mobile", "skoapp", "none", true),
            service("Éditeur", "editeur", "client_secret", false),
        ];
        s.services.extend(extra);
    })
    .await;
    #[allow(clippy::disallowed_methods)]
    let real_now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    t.clock.advance_secs((real_now - t.clock.now_millis()) / 1000);
    t
}

fn rp_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/peer/oidc_rp.py")
}

/// Runs the relying party: Ok(JSON) or Err(its reason for refusing). Off the runtime thread, which
/// also serves its requests.
async fn rp(args: Vec<String>) -> Result<Value, String> {
    tokio::task::spawn_blocking(move || {
        let out = Command::new("python3")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .arg(rp_script())
            .args(&args)
            .output()
            .expect("python3 runs (pip install authlib)");
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        match out.status.code() {
            Some(0) => Ok(serde_json::from_slice(&out.stdout).unwrap()),
            Some(2) if stderr.contains("refused:") => Err(stderr),
            _ => panic!("the relying party failed: {stderr}"),
        }
    })
    .await
    .unwrap()
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The browser follows the authorization URL; returns where Ardoise sends it back.
async fn authorize(t: &TestApp, b: &Browser, url: &str) -> String {
    let path = url.strip_prefix(&t.base).unwrap();
    let res = b.get(path).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    location(&res)
}

/// start + browser + finish: the token response and the verified id_token claims.
async fn sign_in_through(
    t: &TestApp,
    b: &Browser,
    client: &str,
    auth: &str,
    secret: &str,
    scope: &str,
) -> (Value, Value) {
    let start = rp(args(&["start", &t.base, client, ENT_APP, scope]))
        .await
        .unwrap();
    let callback = authorize(t, b, start["url"].as_str().unwrap()).await;
    assert!(callback.starts_with(ENT_APP), "{callback}");
    let done = rp(args(&[
        "finish",
        &t.base,
        client,
        auth,
        secret,
        ENT_APP,
        &callback,
        start["state"].as_str().unwrap(),
        start["nonce"].as_str().unwrap(),
        start["code_verifier"].as_str().unwrap(),
    ]))
    .await
    .unwrap();
    (done["token"].clone(), done["claims"].clone())
}

fn s(v: &Value) -> String {
    v.as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_relying_party_signs_in_refreshes_and_revokes_with_authlib() {
    let t = app_with(vec![]).await;
    let eleve = t.signed_in("demo.eleve").await;
    let (token, claims) = sign_in_through(
        &t,
        &eleve,
        "notes",
        "client_secret_basic",
        SECRET,
        "openid profile",
    )
    .await;
    // authlib verified the signature with our JWKS, iss, aud, nonce, at_hash and exp.
    assert_eq!(claims["preferred_username"], "demo.eleve");
    assert_eq!(claims["ENTPersonProfils"], "National_ELV");
    assert!(claims["UAI"].is_string(), "{claims}");
    let access = s(&token["access_token"]);
    let info = rp(args(&["userinfo", &t.base, &access])).await.unwrap();
    assert_eq!(info["sub"], claims["sub"]);
    assert_eq!(info["given_name"], claims["given_name"]);

    // Refresh: new tokens, and the refresh token is rotated.
    let refresh1 = s(&token["refresh_token"]);
    let refreshed = rp(args(&[
        "refresh",
        &t.base,
        "notes",
        "client_secret_post",
        SECRET,
        &refresh1,
    ]))
    .await
    .unwrap();
    let refresh2 = s(&refreshed["token"]["refresh_token"]);
    assert_ne!(refresh1, refresh2);
    assert_eq!(refreshed["claims"]["sub"], claims["sub"]);
    let introspected = rp(args(&[
        "introspect",
        &t.base,
        "notes",
        "client_secret_basic",
        SECRET,
        &refresh2,
    ]))
    .await
    .unwrap();
    assert_eq!(introspected["active"], true);
    assert_eq!(introspected["sub"], claims["sub"]);

    // The replaced refresh token, presented again, is refused and ends the grant: the current one dies too.
    let replay = rp(args(&[
        "refresh",
        &t.base,
        "notes",
        "client_secret_post",
        SECRET,
        &refresh1,
    ]))
    .await;
    assert!(replay.unwrap_err().contains("invalid_grant"));
    let after = rp(args(&[
        "refresh",
        &t.base,
        "notes",
        "client_secret_post",
        SECRET,
        &refresh2,
    ]))
    .await;
    assert!(after.is_err());
    assert!(rp(args(&["userinfo", &t.base, &access])).await.is_err());

    // A new grant, revoked by its access token: userinfo and introspection see it at once.
    let (token, _) = sign_in_through(&t, &eleve, "notes", "client_secret_basic", SECRET, "openid").await;
    let access = s(&token["access_token"]);
    assert!(rp(args(&["userinfo", &t.base, &access])).await.is_ok());
    rp(args(&[
        "revoke",
        &t.base,
        "notes",
        "client_secret_basic",
        SECRET,
        &access,
    ]))
    .await
    .unwrap();
    assert!(rp(args(&["userinfo", &t.base, &access])).await.is_err());
    let introspected = rp(args(&[
        "introspect",
        &t.base,
        "notes",
        "client_secret_basic",
        SECRET,
        &access,
    ]))
    .await
    .unwrap();
    assert_eq!(introspected["active"], false);
    // A wrong secret is an unknown client.
    let wrong = rp(args(&[
        "refresh",
        &t.base,
        "notes",
        "client_secret_basic",
        "pas-le-bon-secret-du-tout",
        &s(&token["refresh_token"]),
    ]))
    .await;
    assert!(wrong.unwrap_err().contains("invalid_client"));
    t.stop().await;
}

#[tokio::test]
async fn wrong_clients_redirects_verifiers_and_replayed_codes_are_refused() {
    let t = app_with(vec![]).await;
    let eleve = t.signed_in("demo.eleve").await;
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let authz = |client: &str, redirect: &str| {
        format!(
            "/oidc/authorize?client_id={client}&redirect_uri={redirect}&response_type=code&scope=openid&state=xyz&code_challenge={challenge}&code_challenge_method=S256"
        )
    };
    // Unknown client, or a redirect URI not registered: shown, never redirected.
    let res = eleve.get(&authz("inconnu", ENT_APP)).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("client_id inconnu"));
    let res = eleve.get(&authz("notes", "https://evil.test/callback")).await;
    assert_eq!(res.status(), 422);
    assert!(location(&res).is_empty());
    // A public client without PKCE: an error sent back to it.
    let res = eleve
        .get(&format!(
            "/oidc/authorize?client_id=skoapp&redirect_uri={ENT_APP}&response_type=code&scope=openid&state=s1"
        ))
        .await;
    assert!(
        location(&res).contains("error=invalid_request"),
        "{}",
        location(&res)
    );
    assert!(location(&res).contains("state=s1"));

    // A wrong PKCE verifier: authlib's exchange is refused.
    let start = rp(args(&["start", &t.base, "notes", ENT_APP])).await.unwrap();
    let callback = authorize(&t, &eleve, start["url"].as_str().unwrap()).await;
    let wrong_verifier = "x".repeat(64);
    let refused = rp(args(&[
        "finish",
        &t.base,
        "notes",
        "client_secret_basic",
        SECRET,
        ENT_APP,
        &callback,
        start["state"].as_str().unwrap(),
        start["nonce"].as_str().unwrap(),
        &wrong_verifier,
    ]))
    .await;
    assert!(refused.unwrap_err().contains("invalid_grant"));
    // ...and that code is spent, even with the right verifier now.
    let again = rp(args(&[
        "finish",
        &t.base,
        "notes",
        "client_secret_basic",
        SECRET,
        ENT_APP,
        &callback,
        start["state"].as_str().unwrap(),
        start["nonce"].as_str().unwrap(),
        start["code_verifier"].as_str().unwrap(),
    ]))
    .await;
    assert!(again.is_err());

    // A code used twice: the second use is refused and revokes what the first gave.
    let start = rp(args(&["start", &t.base, "notes", ENT_APP])).await.unwrap();
    let callback = authorize(&t, &eleve, start["url"].as_str().unwrap()).await;
    let finish = args(&[
        "finish",
        &t.base,
        "notes",
        "client_secret_basic",
        SECRET,
        ENT_APP,
        &callback,
        start["state"].as_str().unwrap(),
        start["nonce"].as_str().unwrap(),
        start["code_verifier"].as_str().unwrap(),
    ]);
    let first = rp(finish.clone()).await.unwrap();
    let access = s(&first["token"]["access_token"]);
    assert!(rp(args(&["userinfo", &t.base, &access])).await.is_ok());
    assert!(rp(finish).await.is_err());
    assert!(rp(args(&["userinfo", &t.base, &access])).await.is_err());

    // A code for another client, and an expired code.
    let start = rp(args(&["start", &t.base, "notes", ENT_APP])).await.unwrap();
    let callback = authorize(&t, &eleve, start["url"].as_str().unwrap()).await;
    let code = callback
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let res = t
        .browser()
        .client
        .post(format!("{}/oidc/token", t.base))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", "editeur"),
            ("client_secret", SECRET),
            ("redirect_uri", ENT_APP),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("invalid_grant"));
    let start = rp(args(&["start", &t.base, "notes", ENT_APP])).await.unwrap();
    let callback = authorize(&t, &eleve, start["url"].as_str().unwrap()).await;
    t.clock.advance_secs(61);
    let late = rp(args(&[
        "finish",
        &t.base,
        "notes",
        "client_secret_basic",
        SECRET,
        ENT_APP,
        &callback,
        start["state"].as_str().unwrap(),
        start["nonce"].as_str().unwrap(),
        start["code_verifier"].as_str().unwrap(),
    ]))
    .await;
    assert!(late.unwrap_err().contains("invalid_grant"));
    t.stop().await;
}

/// What the Skolengo apps do (mobile-api.md §3): a public client with PKCE and a custom-scheme redirect,
/// the code exchanged with a GET, the refresh sent as multipart, the access token decoded as a JWT.
#[tokio::test]
async fn the_mobile_apps_token_calls_are_accepted() {
    let t = app_with(vec![]).await;
    let eleve = t.signed_in("demo.eleve").await;
    let verifier = "a".repeat(50);
    let res = eleve
        .get(&format!(
            "/oidc/authorize?response_type=code&client_id=skoapp&scope=openid&redirect_uri=skoapp-prod://sign-in-callback&state=st&code_challenge={verifier}&code_challenge_method=plain&schoolId=xyz"
        ))
        .await;
    let to = location(&res);
    assert!(to.starts_with("skoapp-prod://sign-in-callback?code="), "{to}");
    let code = to.split("code=").nth(1).unwrap().split('&').next().unwrap();
    let res = t
        .browser()
        .get(&format!(
            "/oidc/token?grant_type=authorization_code&client_id=skoapp&code={code}&redirect_uri=skoapp-prod://sign-in-callback&code_verifier={verifier}"
        ))
        .await;
    assert_eq!(res.status(), 200);
    let token: Value = res.json().await.unwrap();
    let access = s(&token["access_token"]);
    let payload: Value = {
        use base64::Engine as _;
        let part = access.split('.').nth(1).unwrap();
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(part)
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(payload["profile"], "STUDENT");
    assert!(payload["sub"].is_string() && payload["given_name"].is_string());

    // The refresh, as multipart/form-data.
    let boundary = "----papillon";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nrefresh_token\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"refresh_token\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\nskoapp\r\n--{boundary}--\r\n",
        s(&token["refresh_token"])
    );
    let res = t
        .browser()
        .client
        .post(format!("{}/oidc/token", t.base))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let refreshed: Value = res.json().await.unwrap();
    assert!(refreshed["access_token"].is_string() && refreshed["id_token"].is_string());
    t.stop().await;
}

/// Where a form's answer sends the browser: its redirect, or the page that moves on by itself.
async fn next_url(res: reqwest::Response) -> String {
    if res.status() == 303 {
        return location(&res);
    }
    let html = res.text().await.unwrap();
    unescape(html.split("url=").nth(1).unwrap().split('"').next().unwrap())
}

fn unescape(html: &str) -> String {
    html.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn a_service_not_pre_approved_asks_for_consent_once() {
    let t = app_with(vec![]).await;
    let prof = t.signed_in("demo.prof").await;
    let start = rp(args(&["start", &t.base, "editeur", ENT_APP, "openid email"]))
        .await
        .unwrap();
    let path = start["url"]
        .as_str()
        .unwrap()
        .strip_prefix(&t.base)
        .unwrap()
        .to_string();
    let (status, html) = prof.get_html(&path).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Éditeur") && html.contains("adresse électronique"),
        "{html}"
    );
    let request = unescape(&hidden_value(&html, "request").unwrap());
    let csrf = csrf_token(&html).unwrap();
    // Refused: the service hears access_denied.
    let res = prof
        .post_form(
            "/oidc/consent",
            &[
                ("csrf_token", &csrf),
                ("request", &request),
                ("decision", "refuse"),
            ],
        )
        .await;
    let to = next_url(res).await;
    assert!(to.contains("error=access_denied"), "{to}");
    // Agreed: a code; the next sign-in asks no more.
    let res = prof
        .post_form(
            "/oidc/consent",
            &[
                ("csrf_token", &csrf),
                ("request", &request),
                ("decision", "accept"),
            ],
        )
        .await;
    let to = next_url(res).await;
    assert!(to.starts_with(&format!("{ENT_APP}?code=")), "{to}");
    let callback = authorize(&t, &prof, start["url"].as_str().unwrap()).await;
    assert!(callback.contains("code="));
    t.stop().await;
}

/// A receiver of back-channel logouts: what it was POSTed.
async fn receiver() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let store = seen.clone();
    let app = axum::Router::new().fallback(move |body: String| {
        let store = store.clone();
        async move {
            store.lock().unwrap().push(body);
            "ok"
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

async fn wait_for(seen: &Arc<Mutex<Vec<String>>>, n: usize) -> Vec<String> {
    for _ in 0..100 {
        if seen.lock().unwrap().len() >= n {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    seen.lock().unwrap().clone()
}

#[tokio::test]
async fn signing_out_of_ardoise_signs_out_of_cas_and_oidc_services() {
    let (url, seen) = receiver().await;
    let mut oidc = service("Cahier", "cahier", "client_secret", true);
    oidc.backchannel_logout_uri = Some(format!("{url}/oidc-logout"));
    let cas = server::config::ServiceSettings {
        name: "Moodle".into(),
        protocol: "cas".into(),
        urls: vec![format!("{url}/moodle/*")],
        single_logout: true,
        ..Default::default()
    };
    let t = app_with(vec![oidc, cas]).await;
    let eleve = t.signed_in("demo.eleve").await;
    let (token, claims) =
        sign_in_through(&t, &eleve, "cahier", "client_secret_basic", SECRET, "openid").await;
    let service = format!("{url}/moodle/login");
    let res = eleve
        .get(&format!("/cas/login?service={}", web::url_encode(&service)))
        .await;
    let st = location(&res).split("ticket=").nth(1).unwrap().to_string();
    let xml = t
        .browser()
        .get(&format!(
            "/cas/serviceValidate?service={}&ticket={st}",
            web::url_encode(&service)
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(xml.contains("authenticationSuccess"), "{xml}");

    // The portal's sign-out button.
    let (_, home) = eleve.get_html("/").await;
    let res = eleve
        .post_form("/logout", &[("csrf_token", &csrf_token(&home).unwrap())])
        .await;
    assert_eq!(res.status(), 303);
    let got = wait_for(&seen, 2).await;
    assert_eq!(got.len(), 2, "{got:?}");
    let cas_logout = got
        .iter()
        .find(|b| b.starts_with("logoutRequest="))
        .expect("CAS logout");
    let decoded: String = url::form_urlencoded::parse(cas_logout.as_bytes())
        .map(|(_, v)| v.into_owned())
        .collect();
    assert!(
        decoded.contains(&format!("<samlp:SessionIndex>{st}</samlp:SessionIndex>")),
        "{decoded}"
    );
    let oidc_logout = got
        .iter()
        .find(|b| b.starts_with("logout_token="))
        .expect("OIDC logout");
    let logout_token = oidc_logout.trim_start_matches("logout_token=");
    let parsed = sso::jwt::parse(logout_token).unwrap();
    let jwks: Value = t.browser().get("/oidc/jwks").await.json().await.unwrap();
    let keys = sso::jwt::keys_of_jwks(&jwks);
    assert!(parsed.verify(&keys.iter().collect::<Vec<_>>()).is_ok());
    assert_eq!(parsed.str_claim("sid"), claims["sid"].as_str());
    assert!(parsed.claims["events"]["http://schemas.openid.net/event/backchannel-logout"].is_object());
    // The grant ended with the session.
    assert!(
        rp(args(&["userinfo", &t.base, &s(&token["access_token"])]))
            .await
            .is_err()
    );
    t.stop().await;
}

/// A code flow without the relying party (whose clock is the real one): the token response.
async fn direct_tokens(t: &TestApp, b: &Browser) -> Value {
    let verifier = "v".repeat(43);
    let res = b
        .get(&format!(
            "/oidc/authorize?response_type=code&client_id=notes&scope=openid&redirect_uri={ENT_APP}&code_challenge={verifier}"
        ))
        .await;
    let to = location(&res);
    let code = to
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let res = t
        .browser()
        .client
        .post(format!("{}/oidc/token", t.base))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", "notes"),
            ("client_secret", SECRET),
            ("redirect_uri", ENT_APP),
            ("code_verifier", &verifier),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn signing_keys_rotate_without_breaking_tokens() {
    let t = app_with(vec![]).await;
    let jwks = |t: &TestApp| {
        let b = t.browser();
        async move {
            let v: Value = b.get("/oidc/jwks").await.json().await.unwrap();
            v["keys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| s(&k["kid"]))
                .collect::<Vec<_>>()
        }
    };
    let first = jwks(&t).await;
    assert_eq!(first.len(), 1);
    // 91 days later the upkeep makes a second key, published but not yet signing.
    t.clock.advance_secs(91 * 86_400);
    t.app.sso.purge().await.unwrap();
    let both = jwks(&t).await;
    assert_eq!(both.len(), 2);
    let eleve = t.signed_in("demo.eleve").await;
    let token = direct_tokens(&t, &eleve).await;
    let kid = sso::jwt::parse(&s(&token["id_token"])).unwrap().kid.unwrap();
    assert_eq!(kid, first[0]);
    // A day later the new key signs; three days later the old one is gone.
    t.clock.advance_secs(86_400 + 60);
    t.app.sso.purge().await.unwrap();
    let eleve = t.signed_in("demo.eleve").await;
    let token = direct_tokens(&t, &eleve).await;
    let kid = sso::jwt::parse(&s(&token["id_token"])).unwrap().kid.unwrap();
    assert_ne!(kid, first[0]);
    // Tokens signed by either key verify against the published set meanwhile.
    let jwks_doc: Value = t.browser().get("/oidc/jwks").await.json().await.unwrap();
    let keys = sso::jwt::keys_of_jwks(&jwks_doc);
    assert_eq!(keys.len(), 2);
    t.clock.advance_secs(2 * 86_400 + 60);
    t.app.sso.purge().await.unwrap();
    assert_eq!(jwks(&t).await, vec![kid]);
    t.stop().await;
}

/// Makes an RSA key with Python's `cryptography`: (PEM file of the private key, JWKS file of its public
/// key).
async fn client_key(dir: &std::path::Path, name: &str) -> (String, PathBuf) {
    let (pem, jwks) = (dir.join(format!("{name}.pem")), dir.join(format!("{name}.json")));
    let script = "import json, sys\n\
        from authlib.jose import JsonWebKey\n\
        from cryptography.hazmat.primitives.asymmetric import rsa\n\
        from cryptography.hazmat.primitives import serialization\n\
        k = rsa.generate_private_key(public_exponent=65537, key_size=2048)\n\
        open(sys.argv[1], 'wb').write(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))\n\
        pub = JsonWebKey.import_key(k.public_key(), {'kty': 'RSA'}).as_dict()\n\
        open(sys.argv[2], 'w').write(json.dumps({'keys': [pub]}))\n";
    let (p, j) = (pem.clone(), jwks.clone());
    tokio::task::spawn_blocking(move || {
        let out = Command::new("python3")
            .args(["-c", script])
            .arg(&p)
            .arg(&j)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    })
    .await
    .unwrap();
    (pem.to_string_lossy().into_owned(), jwks)
}

#[tokio::test]
async fn a_client_authenticates_with_a_jwt_signed_by_its_registered_key() {
    let dir = tempfile::tempdir().unwrap();
    let (key, jwks) = client_key(dir.path(), "client").await;
    let (other_key, _) = client_key(dir.path(), "other").await;
    let mut svc = service("Éditeur à clé", "cle", "private_key_jwt", true);
    svc.jwks_file = Some(jwks);
    let t = app_with(vec![svc]).await;
    let eleve = t.signed_in("demo.eleve").await;
    let (token, claims) = sign_in_through(&t, &eleve, "cle", "private_key_jwt", &key, "openid").await;
    assert_eq!(claims["preferred_username"], "demo.eleve");
    // Each refresh signs a new assertion; one signed by another key is refused.
    let refreshed = rp(args(&[
        "refresh",
        &t.base,
        "cle",
        "private_key_jwt",
        &key,
        &s(&token["refresh_token"]),
    ]))
    .await
    .unwrap();
    let refused = rp(args(&[
        "refresh",
        &t.base,
        "cle",
        "private_key_jwt",
        &other_key,
        &s(&refreshed["token"]["refresh_token"]),
    ]))
    .await;
    assert!(refused.unwrap_err().contains("invalid_client"));
    t.stop().await;
}

/// The posted form of the region's services page (repeated fields as several pairs).
fn service_form(csrf: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut f = vec![("csrf_token".to_string(), csrf.to_string())];
    f.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    f
}

async fn post_service(b: &Browser, path: &str, form: &[(String, String)]) -> reqwest::Response {
    b.client
        .post(format!("{}{path}", b.base))
        .form(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_regional_operator_registers_an_oidc_client_on_the_admin_page() {
    let t = app_with(vec![]).await;
    // Not for a school's people.
    let prof = t.signed_in("demo.prof").await;
    assert_eq!(prof.get("/region/services").await.status(), 403);

    let admin = t.signed_in("demo.admin").await;
    let (status, html) = admin.get_html("/region/services").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Notes") && html.contains("fichier de configuration"),
        "{html}"
    );
    let csrf = csrf_token(&html).unwrap();

    // A mistake is explained, and nothing is saved.
    let bad = service_form(
        &csrf,
        &[
            ("name", "Labo"),
            ("protocol", "oidc"),
            ("urls", "https://labo.test/cb"),
            ("profiles", "ENS"),
            ("profiles", "XYZ"),
        ],
    );
    let res = post_service(&admin, "/region/services", &bad).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("« Labo » : profil « XYZ » inconnu")
    );
    // A client id already taken by the configuration file.
    let taken = service_form(
        &csrf,
        &[
            ("name", "Labo"),
            ("protocol", "oidc"),
            ("urls", "https://labo.test/cb"),
            ("client_id", "notes"),
        ],
    );
    let res = post_service(&admin, "/region/services", &taken).await;
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("le client_id « notes » est déjà pris")
    );

    // Registered for teachers: the secret is shown once.
    let good = service_form(
        &csrf,
        &[
            ("name", "Labo virtuel"),
            ("protocol", "oidc"),
            ("urls", "https://labo.test/cb"),
            ("profiles", "ENS"),
            ("client_id", "labo"),
            ("token_auth", "client_secret"),
            ("pre_approved", "on"),
            ("launch_url", "https://labo.test/"),
        ],
    );
    let res = post_service(&admin, "/region/services", &good).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let secret = html
        .split("id=\"client-secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert!(secret.len() >= 32);
    // The teacher's portal lists it; a student cannot use it.
    let (_, home) = prof.get_html("/").await;
    assert!(home.contains("Labo virtuel") && home.contains("https://labo.test/"));
    let eleve = t.signed_in("demo.eleve").await;
    let res = eleve
        .get("/oidc/authorize?response_type=code&client_id=labo&scope=openid&redirect_uri=https://labo.test/cb")
        .await;
    assert_eq!(res.status(), 403);
    // The teacher signs in to it; the secret works at the token endpoint.
    let res = prof
        .get("/oidc/authorize?response_type=code&client_id=labo&scope=openid&redirect_uri=https://labo.test/cb")
        .await;
    let code = location(&res)
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let exchange = |code: String, secret: String| {
        let b = t.browser();
        async move {
            b.client
                .post(format!("{}/oidc/token", b.base))
                .form(&[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("client_id", "labo"),
                    ("client_secret", &secret),
                    ("redirect_uri", "https://labo.test/cb"),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let res = exchange(code, secret.clone()).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    // The journal says who registered it.
    let (_, journal) = admin.get_html("/region/journal?kind=service-registered").await;
    assert!(journal.contains("Labo virtuel (labo-virtuel)"), "{journal}");

    // Removed: the client is unknown at once.
    let (_, html) = admin.get_html("/region/services").await;
    let csrf = csrf_token(&html).unwrap();
    let res = post_service(
        &admin,
        "/region/services/labo-virtuel/supprimer",
        &service_form(&csrf, &[]),
    )
    .await;
    assert_eq!(res.status(), 303);
    let res = prof
        .get("/oidc/authorize?response_type=code&client_id=labo&scope=openid&redirect_uri=https://labo.test/cb")
        .await;
    assert_eq!(res.status(), 422);
    // Services of the configuration file cannot be removed from the page.
    let res = post_service(
        &admin,
        "/region/services/notes/supprimer",
        &service_form(&csrf, &[]),
    )
    .await;
    assert_eq!(res.status(), 422);
    t.stop().await;
}

/// A real 1×1 PNG.
const PNG: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0d\x49\x44\x41\x54\x78\x9c\x63\x90\xf7\xeb\xfa\x0f\x00\x03\x7e\x01\xf7\xa8\x25\xaa\x32\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

/// Posts the services form as the page does (multipart, with an optional logo file).
async fn post_service_multipart(
    b: &Browser,
    fields: &[(&str, &str)],
    logo: Option<&[u8]>,
) -> reqwest::Response {
    b.post_multipart(
        "/region/services",
        fields,
        &[("logo", "logo.png", logo.unwrap_or_default())],
    )
    .await
}

#[tokio::test]
async fn a_service_logo_is_uploaded_shown_in_the_launcher_then_kept_or_removed() {
    let t = app_with(vec![]).await;
    let admin = t.signed_in("demo.admin").await;
    let (_, html) = admin.get_html("/region/services").await;
    assert!(html.contains("enctype=\"multipart/form-data\""));
    let csrf = csrf_token(&html).unwrap();
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("name", "Bibliothèque"),
        ("protocol", "cas"),
        ("urls", "https://bcdi.test/cas"),
    ];
    // Not an image: refused with the reason, nothing saved.
    let res = post_service_multipart(&admin, &fields, Some(b"<svg onload=alert(1)/>")).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("« Bibliothèque » : le logo doit être une image PNG, JPEG ou WebP")
    );
    let res = post_service_multipart(&admin, &fields, Some(&vec![0x89; 200_000])).await;
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("logo trop lourd (196 Ko ; 100 Ko au plus)")
    );

    let res = post_service_multipart(&admin, &fields, Some(PNG)).await;
    assert_eq!(res.status(), 303);
    // The launcher shows it, served by Ardoise with the right type and a long cache.
    let eleve = t.signed_in("demo.eleve").await;
    let (_, home) = eleve.get_html("/").await;
    let src = home
        .split("class=\"tile-logo\" src=\"")
        .nth(1)
        .expect("a logo in the launcher")
        .split('"')
        .next()
        .unwrap()
        .replace("&#x3d;", "=")
        .replace("&#61;", "=");
    assert!(src.starts_with("/services/bibliotheque/logo?v="), "{src}");
    let res = eleve.get(&src).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert!(
        res.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), PNG);

    // Edited without a new file: the logo stays; with the box ticked, it goes.
    let edit = [
        ("id", "bibliotheque"),
        ("csrf_token", csrf.as_str()),
        ("name", "Bibliothèque"),
        ("protocol", "cas"),
        ("urls", "https://bcdi.test/cas"),
    ];
    assert_eq!(post_service_multipart(&admin, &edit, None).await.status(), 303);
    assert_eq!(admin.get("/services/bibliotheque/logo").await.status(), 200);
    let (_, form) = admin.get_html("/region/services/bibliotheque").await;
    assert!(form.contains("name=\"remove_logo\""));
    let mut remove = edit.to_vec();
    remove.push(("remove_logo", "on"));
    assert_eq!(post_service_multipart(&admin, &remove, None).await.status(), 303);
    assert_eq!(admin.get("/services/bibliotheque/logo").await.status(), 404);
    let (_, home) = eleve.get_html("/").await;
    assert!(home.contains("Bibliothèque") && !home.contains("tile-logo"));
    t.stop().await;
}
