//! Signing in and out, CSRF, throttling, expiry and the profile switcher.

use testkit::{DEMO_PASSWORD, TestApp, csrf_token, hidden_value, location};

const DEMO: [(&str, &str); 6] = [
    ("demo.eleve", "Élève"),
    ("demo.parent", "Parent"),
    ("demo.prof", "Enseignant"),
    ("demo.cpe", "Vie scolaire"),
    ("demo.direction", "Direction"),
    ("demo.admin", "Administration régionale"),
];

fn has_session_cookie(res: &reqwest::Response) -> bool {
    res.headers().get_all("set-cookie").iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.starts_with("ardoise_session=") && !v.starts_with("ardoise_session=;"))
    })
}

#[tokio::test]
async fn the_home_page_without_a_session_sends_to_sign_in() {
    let t = TestApp::spawn_demo().await;
    let res = t.browser().get("/").await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/login");
    let (status, html) = t.browser().get_html("/login").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"name="username""#) && html.contains(r#"autocomplete="username""#));
    assert!(html.contains(r#"name="password""#) && html.contains(r#"autocomplete="current-password""#));
    assert!(csrf_token(&html).is_some());
    t.stop().await;
}

#[tokio::test]
async fn every_demo_profile_signs_in_and_lands_on_its_portal() {
    let t = TestApp::spawn_demo().await;
    for (login, profile_label) in DEMO {
        let b = t.browser();
        let res = b.sign_in(login, DEMO_PASSWORD).await;
        assert_eq!(res.status(), 303, "{login}");
        assert_eq!(location(&res), "/");
        assert!(has_session_cookie(&res), "{login} got no session cookie");
        let set_cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect::<Vec<_>>();
        assert!(
            set_cookie
                .iter()
                .any(|c| c.contains("HttpOnly") && c.contains("SameSite=Lax"))
        );
        let (status, html) = b.get_html("/").await;
        assert_eq!(status, 200, "{login}");
        assert!(html.contains("Bonjour"), "{login}: {html}");
        assert!(
            html.contains(profile_label),
            "{login} should act as {profile_label}"
        );
        assert!(html.contains(r##"class="skip-link" href="#main""##) && html.contains(r#"<main id="main""#));
        assert!(
            html.contains(r#"data-tile="compte""#),
            "{login} sees the account tile"
        );
        let sees_directory = html.contains(r#"data-tile="annuaire""#);
        assert!(sees_directory, "{login} sees the directory tile");
    }
    t.stop().await;
}

#[tokio::test]
async fn a_wrong_password_or_an_unknown_user_gets_a_clear_page_and_no_session() {
    let t = TestApp::spawn_demo().await;
    for (user, password) in [
        ("demo.eleve", "not-the-password"),
        ("nobody.here", DEMO_PASSWORD),
        ("", ""),
    ] {
        let b = t.browser();
        let res = b.sign_in(user, password).await;
        assert!(!has_session_cookie(&res));
        let status = res.status().as_u16();
        let html = res.text().await.unwrap();
        if user.is_empty() {
            assert_eq!(status, 422);
            assert!(html.contains("Saisissez votre identifiant et votre mot de passe"));
        } else {
            assert_eq!(status, 401, "{user}");
            assert!(html.contains("Identifiant ou mot de passe incorrect"), "{html}");
            assert!(
                html.contains(&format!(r#"value="{user}""#)),
                "the username is kept in the form"
            );
        }
        assert_eq!(
            b.get("/").await.status(),
            303,
            "no session after a failed sign-in"
        );
    }
    t.stop().await;
}

#[tokio::test]
async fn a_missing_or_forged_csrf_token_is_refused() {
    let t = TestApp::spawn_demo().await;
    let b = t.browser();
    let _ = b.get("/login").await;
    for token in ["", "Zm9yZ2Vk"] {
        let res = b
            .post_form(
                "/login",
                &[
                    ("username", "demo.eleve"),
                    ("password", DEMO_PASSWORD),
                    ("csrf_token", token),
                ],
            )
            .await;
        assert_eq!(res.status(), 403);
        assert!(!has_session_cookie(&res));
        assert!(res.text().await.unwrap().contains("Le formulaire a expiré"));
    }
    // A token taken from another browser's page does not work either (bound to its cookie).
    let (_, other_page) = t.browser().get_html("/login").await;
    let stolen = csrf_token(&other_page).unwrap();
    let res = b
        .post_form(
            "/login",
            &[
                ("username", "demo.eleve"),
                ("password", DEMO_PASSWORD),
                ("csrf_token", &stolen),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    // Signed in, a form without the session's token is refused and changes nothing.
    let signed = t.signed_in("demo.eleve").await;
    let res = signed.post_form("/logout", &[("csrf_token", &stolen)]).await;
    assert_eq!(res.status(), 403);
    assert_eq!(signed.get("/").await.status(), 200, "still signed in");
    t.stop().await;
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let t = TestApp::spawn_demo().await;
    let b = t.signed_in("demo.parent").await;
    let (_, html) = b.get_html("/").await;
    let token = csrf_token(&html).unwrap();
    let res = b.post_form("/logout", &[("csrf_token", &token)]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/login?bye=1");
    let (_, bye) = b.get_html("/login?bye=1").await;
    assert!(bye.contains("Vous êtes déconnecté"));
    assert_eq!(b.get("/").await.status(), 303);
    t.stop().await;
}

/// Nodes serve the sessions they saw lately from memory; a sign-out on one node must still end the
/// session on every other node at once (PostgreSQL NOTIFY), and so must ending one's other sessions.
#[tokio::test]
async fn a_session_ended_on_one_node_ends_on_every_node() {
    let t = TestApp::spawn_demo().await;
    if t.db().engine() != db::Engine::Postgres {
        return t.stop().await; // SQLite is a single node
    }
    let node = t.another_node().await;
    // Both nodes listen before the sessions are used.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let a = t.signed_in("demo.prof").await;
    let b = node.browser_like(&a);
    assert_eq!(a.get("/").await.status(), 200);
    assert_eq!(b.get("/").await.status(), 200, "the other node knows the session");
    assert_eq!(
        b.get("/annuaire").await.status(),
        200,
        "and serves it again from memory"
    );
    let (_, html) = a.get_html("/").await;
    let token = csrf_token(&html).unwrap();
    assert_eq!(
        a.post_form("/logout", &[("csrf_token", &token)]).await.status(),
        303
    );
    assert!(
        ended_soon(&b).await,
        "the second node still honoured a session signed out on the first"
    );

    // "Sign out my other sessions" from a phone on the first node ends the computer's session held
    // in memory by the second node.
    let computer = node.browser_like(&t.browser());
    assert_eq!(computer.sign_in("demo.prof", DEMO_PASSWORD).await.status(), 303);
    assert_eq!(computer.get("/").await.status(), 200);
    let phone = t.signed_in("demo.prof").await;
    let (_, html) = phone.get_html("/compte/sessions").await;
    let token = csrf_token(&html).unwrap();
    let res = phone
        .post_form(
            "/compte/sessions/fin",
            &[("session", "autres"), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(
        ended_soon(&computer).await,
        "the other session survived on the second node"
    );
    assert_eq!(
        phone.get("/").await.status(),
        200,
        "the phone's own session goes on"
    );
    node.stop().await;
    t.stop().await;
}

/// Whether `b`'s session is refused within two seconds (NOTIFY arrives asynchronously).
async fn ended_soon(b: &testkit::Browser) -> bool {
    for _ in 0..40 {
        if b.get("/").await.status() == 303 {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn an_idle_session_expires_with_a_message() {
    let t = TestApp::spawn_demo().await;
    let b = t.signed_in("demo.prof").await;
    t.clock.advance_secs(60 * 60);
    assert_eq!(b.get("/").await.status(), 200, "one hour idle is fine");
    t.clock.advance_secs(2 * 60 * 60 + 1);
    let res = b.get("/annuaire").await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/login?expired=1&next=/annuaire");
    let (_, html) = b.get_html("/login?expired=1&next=/annuaire").await;
    assert!(html.contains("Votre session a expiré"));
    assert_eq!(hidden_value(&html, "next").as_deref(), Some("/annuaire"));
    // Signing in again returns to the page asked for.
    let token = csrf_token(&html).unwrap();
    let res = b
        .post_form(
            "/login",
            &[
                ("username", "demo.prof"),
                ("password", DEMO_PASSWORD),
                ("csrf_token", &token),
                ("next", "/annuaire"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/annuaire");
    t.stop().await;
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let t = TestApp::spawn_demo().await;
    let b = t.browser();
    for _ in 0..4 {
        assert_eq!(b.sign_in("demo.cpe", "guess").await.status(), 401);
    }
    let res = b.sign_in("demo.cpe", "guess").await;
    assert_eq!(res.status(), 429);
    assert_eq!(res.headers().get("retry-after").unwrap(), "60");
    assert!(res.text().await.unwrap().contains("bloqué pendant 1 min"));
    // Even the right password waits for the lock to end.
    assert_eq!(b.sign_in("demo.cpe", DEMO_PASSWORD).await.status(), 429);
    t.clock.advance_secs(61);
    assert_eq!(b.sign_in("demo.cpe", DEMO_PASSWORD).await.status(), 303);
    t.stop().await;
}

#[tokio::test]
async fn a_teacher_who_is_also_a_parent_switches_context() {
    let t = TestApp::spawn_demo().await;
    let b = t.signed_in("demo.prof").await;
    let (_, html) = b.get_html("/").await;
    assert!(html.contains(r#"action="/contexte""#), "the switcher is shown");
    let parent_option = html
        .split("<option value=\"")
        .skip(1)
        .find(|o| o.contains("Parent"))
        .and_then(|o| o.split('"').next())
        .unwrap()
        .to_string();
    let token = csrf_token(&html).unwrap();
    let res = b
        .post_form(
            "/contexte",
            &[("csrf_token", &token), ("context", &parent_option)],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = b.get_html("/annuaire").await;
    assert!(html.contains("Mes enfants"), "acting as a parent now");
    // A context that is not one of theirs is refused.
    let foreign = format!("s.{}.DIR", uuid::Uuid::now_v7());
    let res = b
        .post_form("/contexte", &[("csrf_token", &token), ("context", &foreign)])
        .await;
    assert_eq!(res.status(), 403);
    t.stop().await;
}

#[tokio::test]
async fn pages_are_french_by_default_and_english_on_request() {
    let t = TestApp::spawn_demo().await;
    let b = t.browser();
    let (_, html) = b.get_html("/login").await;
    assert!(html.contains(r#"<html lang="fr">"#) && html.contains("Se connecter"));
    let res = b.get("/langue/en").await;
    assert_eq!(res.status(), 303);
    let (_, html) = b.get_html("/login").await;
    assert!(
        html.contains(r#"<html lang="en">"#) && html.contains("Sign in"),
        "{html}"
    );
    let res = b.sign_in("demo.eleve", "wrong").await;
    assert!(res.text().await.unwrap().contains("Wrong username or password"));
    t.stop().await;
}

#[tokio::test]
async fn a_person_sees_their_sessions_and_signs_out_the_others() {
    let t = TestApp::spawn_demo().await;
    let phone = t.signed_in("demo.eleve").await;
    let laptop = t.signed_in("demo.eleve").await;
    let (status, html) = laptop.get_html("/compte/sessions").await;
    assert_eq!(status, 200);
    assert_eq!(
        html.matches(r#"name="session" value=""#).count(),
        3,
        "two sessions and the sign-out-others form"
    );
    assert_eq!(html.matches("(cet appareil)").count(), 1);
    let ids: Vec<String> = html
        .split(r#"name="session" value=""#)
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .filter(|s| s != "autres")
        .collect();
    // Someone else cannot end these sessions, even knowing their ids.
    let intruder = t.signed_in("demo.parent").await;
    let (_, page) = intruder.get_html("/compte/sessions").await;
    let token = csrf_token(&page).unwrap();
    for id in &ids {
        intruder
            .post_form("/compte/sessions/fin", &[("csrf_token", &token), ("session", id)])
            .await;
    }
    assert_eq!(phone.get("/").await.status(), 200);
    // The laptop signs out every other device.
    let token = csrf_token(&html).unwrap();
    let res = laptop
        .post_form(
            "/compte/sessions/fin",
            &[("csrf_token", &token), ("session", "autres")],
        )
        .await;
    assert_eq!(location(&res), "/compte/sessions");
    assert_eq!(phone.get("/").await.status(), 303, "the phone is signed out");
    assert_eq!(laptop.get("/").await.status(), 200, "the laptop stays signed in");
    t.stop().await;
}

#[tokio::test]
async fn idle_timeouts_can_be_shorter_for_some_profiles() {
    let t = TestApp::spawn_demo_with(|s| {
        s.mfa_required.clear();
        s.session_idle_by_profile.insert("DIR".into(), 600);
    })
    .await;
    let direction = t.signed_in("demo.direction").await;
    let student = t.signed_in("demo.eleve").await;
    t.clock.advance_secs(11 * 60);
    assert_eq!(
        location(&direction.get("/").await),
        "/login?expired=1",
        "ten minutes for the direction"
    );
    assert_eq!(student.get("/").await.status(), 200, "two hours for students");
    t.stop().await;
}
