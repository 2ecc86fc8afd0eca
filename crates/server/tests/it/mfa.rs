//! The second factor: required profiles enrol before anything else, then give a code at each sign-in.

use identity::mfa::totp;
use testkit::{Browser, DEMO_PASSWORD, TestApp, csrf_token, location};

fn code(t: &TestApp, secret: &str, offset_steps: i64) -> String {
    let key = totp::base32_decode(secret).unwrap();
    let step = t.clock.now_millis() / 1000 / totp::STEP_SECS + offset_steps;
    format!("{:06}", totp::code_at(&key, step).unwrap())
}

async fn post_code(b: &Browser, path: &str, code: &str) -> reqwest::Response {
    let (_, html) = b.get_html(path).await;
    let token = csrf_token(&html).unwrap();
    b.post_form(path, &[("csrf_token", &token), ("code", code)]).await
}

/// Signs in a required profile and enrols them; returns the browser, the secret and the recovery codes.
async fn enrol(t: &TestApp, login: &str) -> (Browser, String, Vec<String>) {
    let b = t.browser();
    let res = b.sign_in(login, DEMO_PASSWORD).await;
    assert_eq!(location(&res), "/compte/mfa", "{login} must enrol first");
    let (status, html) = b.get_html("/compte/mfa").await;
    assert_eq!(status, 200);
    assert!(html.contains("<svg"), "a QR code is shown");
    let secret: String = html
        .split(r#"<code id="secret">"#)
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    let res = post_code(&b, "/compte/mfa", "000000").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("pas valide"));
    let res = post_code(&b, "/compte/mfa", &code(t, &secret, 0)).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let codes: Vec<String> = html
        .split("<li><code>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10, "ten recovery codes");
    (b, secret, codes)
}

#[tokio::test]
async fn required_profiles_enrol_before_anything_else_then_give_a_code_each_time() {
    let t = TestApp::spawn_demo_with(|_| {}).await;
    let b = t.browser();
    let res = b.sign_in("demo.cpe", DEMO_PASSWORD).await;
    assert_eq!(location(&res), "/compte/mfa");
    for path in ["/", "/annuaire", "/compte/sessions"] {
        let res = b.get(path).await;
        assert_eq!(res.status(), 303, "{path} is closed before the second factor");
        assert_eq!(location(&res), "/login/mfa");
    }
    assert_eq!(
        location(&b.get("/login/mfa").await),
        "/compte/mfa",
        "not enrolled yet: enrol"
    );

    let (b, secret, recovery) = enrol(&t, "demo.cpe").await;
    assert_eq!(b.get("/").await.status(), 200, "enrolled: the session is open");

    // Next sign-in: the code step, codes work once, a replay is refused.
    let b = t.browser();
    assert_eq!(
        location(&b.sign_in("demo.cpe", DEMO_PASSWORD).await),
        "/login/mfa"
    );
    let used = code(&t, &secret, 0);
    let res = post_code(&b, "/login/mfa", &used).await;
    assert_eq!(res.status(), 401, "the enrolment code cannot be replayed");
    t.clock.advance_secs(totp::STEP_SECS);
    let res = post_code(&b, "/login/mfa", &code(&t, &secret, 0)).await;
    assert_eq!(location(&res), "/");
    assert_eq!(b.get("/").await.status(), 200);

    // A recovery code works once.
    for expected in [303, 401] {
        let b = t.browser();
        b.sign_in("demo.cpe", DEMO_PASSWORD).await;
        let res = post_code(&b, "/login/mfa", &recovery[0].to_uppercase()).await;
        assert_eq!(res.status(), expected);
    }
    let direction = {
        let (b, _, _) = enrol(&t, "demo.direction").await;
        b
    };
    let (_, journal) = direction.get_html("/etablissement/journal").await;
    assert!(journal.contains("Double authentification activée") && journal.contains("Second facteur refusé"));
    t.stop().await;
}

#[tokio::test]
async fn wrong_codes_close_the_half_open_session_and_students_are_not_asked() {
    let t = TestApp::spawn_demo_with(|_| {}).await;
    let (_, _, _) = enrol(&t, "demo.direction").await;
    let b = t.browser();
    b.sign_in("demo.direction", DEMO_PASSWORD).await;
    for _ in 0..4 {
        assert_eq!(post_code(&b, "/login/mfa", "123456").await.status(), 401);
    }
    let res = post_code(&b, "/login/mfa", "123456").await;
    assert_eq!(location(&res), "/login?mfa=bloque");
    assert_eq!(location(&b.get("/").await), "/login", "the session is gone");

    let student = t.browser();
    assert_eq!(location(&student.sign_in("demo.eleve", DEMO_PASSWORD).await), "/");
    t.stop().await;
}

#[tokio::test]
async fn printing_activation_codes_asks_for_a_fresh_second_factor() {
    let t = TestApp::spawn_demo_with(|_| {}).await;
    let (b, secret, _) = enrol(&t, "demo.direction").await;
    // The seed is stored sealed with the server key, never as shown in the QR code.
    let q = sea_query::Query::select()
        .column(sea_query::Alias::new("secret"))
        .from(sea_query::Alias::new("totp_secrets"))
        .to_owned();
    let stored: Vec<(String,)> = t.db().fetch_all(&q).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(stored[0].0.starts_with("v1:") && !stored[0].0.contains(&secret[..8]));
    // Just enrolled: the second factor is fresh, the letters page opens.
    let (status, _) = b.get_html("/etablissement/activation").await;
    assert_eq!(status, 200);

    // Eleven minutes later the page sends the person to confirm, then back.
    t.clock.advance_secs(11 * 60);
    let res = b.get("/etablissement/activation").await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/compte/confirmer?next=/etablissement/activation");
    // A form posted from a page left open is refused the same way, and prints nothing.
    let res = b
        .post_form("/etablissement/activation/reinitialiser", &[("login", "x")])
        .await;
    assert_eq!(res.status(), 403, "no CSRF token: refused before anything");
    let (status, html) = b
        .get_html("/compte/confirmer?next=/etablissement/activation")
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Cette action est sensible"));
    let token = csrf_token(&html).unwrap();
    let res = b
        .post_form(
            "/compte/confirmer",
            &[
                ("csrf_token", &token),
                ("code", "123456"),
                ("next", "/etablissement/activation"),
            ],
        )
        .await;
    assert_eq!(res.status(), 401, "a wrong code is refused");
    let res = b
        .post_form(
            "/compte/confirmer",
            &[
                ("csrf_token", &token),
                ("code", &code(&t, &secret, 0)),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/", "only local paths are followed");
    let (status, _) = b.get_html("/etablissement/activation").await;
    assert_eq!(status, 200, "confirmed: the page opens again");

    let (_, journal) = b.get_html("/etablissement/journal?kind=step-up").await;
    assert!(
        journal.contains("Identité confirmée pour une action sensible"),
        "{journal}"
    );
    t.stop().await;
}

/// A staff member on their way to a connected service gives their code, then goes on to the service
/// (not to the portal).
#[tokio::test]
async fn after_the_code_the_sign_in_goes_on_where_it_was_going() {
    let t = TestApp::spawn_demo_with(|_| {}).await;
    let (_, secret, _) = enrol(&t, "demo.cpe").await;
    t.clock.advance_secs(totp::STEP_SECS);
    let b = t.browser();
    let next = "/cas/login?service=https%3A%2F%2Fmoodle.test%2F";
    let (_, html) = b
        .get_html(&format!("/login?next={}", web::url_encode(next)))
        .await;
    let res = b
        .post_form(
            "/login",
            &[
                ("username", "demo.cpe"),
                ("password", DEMO_PASSWORD),
                ("csrf_token", &csrf_token(&html).unwrap()),
                ("next", next),
            ],
        )
        .await;
    let to = location(&res);
    assert!(to.starts_with("/login/mfa?then=/cas/login"), "{to}");
    let (_, html) = b.get_html(&to).await;
    let res = b
        .post_form(
            "/login/mfa",
            &[
                ("csrf_token", &csrf_token(&html).unwrap()),
                ("code", &code(&t, &secret, 0)),
                ("then", &testkit::hidden_value(&html, "then").unwrap()),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(
        page.contains(&format!("url={}", next.replace('&', "&amp;"))),
        "{page}"
    );
    t.stop().await;
}
