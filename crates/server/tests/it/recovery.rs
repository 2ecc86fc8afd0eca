//! Recovery by e-mail (forgotten password, forgotten login), the recovery address on the account page,
//! and the warning mail on a sign-in from a new device. Mail goes through real SMTP to the test sink.

use testkit::{Browser, DEMO_PASSWORD, TestApp, csrf_token, location};

const PARENT_MAIL: &str = "parent.demo@example.fr";

/// demo.parent signs in and sets a recovery address; returns that signed-in browser.
async fn parent_with_address(t: &TestApp) -> Browser {
    let parent = t.signed_in("demo.parent").await;
    let (status, html) = parent.get_html("/compte/recuperation").await;
    assert_eq!(status, 200);
    let token = csrf_token(&html).unwrap();
    let res = parent
        .post_form(
            "/compte/recuperation",
            &[
                ("csrf_token", &token),
                ("email", PARENT_MAIL),
                ("current", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Adresse de récupération enregistrée"), "{html}");
    assert!(html.contains(PARENT_MAIL));
    parent
}

async fn sign_out(b: &Browser) {
    let (_, html) = b.get_html("/compte/recuperation").await;
    let token = csrf_token(&html).unwrap();
    assert_eq!(
        b.post_form("/logout", &[("csrf_token", &token)]).await.status(),
        303
    );
}

async fn ask_reset(b: &Browser, login: &str) -> reqwest::Response {
    let (_, html) = b.get_html("/login/oubli").await;
    let token = csrf_token(&html).unwrap();
    b.post_form(
        "/login/oubli/mot-de-passe",
        &[("csrf_token", &token), ("username", login)],
    )
    .await
}

/// The path of the reset link in a mail body.
fn link_path(body: &str) -> String {
    let start = body
        .find("/login/reinitialiser?t=")
        .expect("a reset link in the mail");
    body[start..].split_whitespace().next().unwrap().to_string()
}

async fn post_new_password(b: &Browser, path: &str, password: &str) -> reqwest::Response {
    let (_, html) = b.get_html(path).await;
    let token = csrf_token(&html).unwrap();
    let t = path.split("t=").nth(1).unwrap();
    b.post_form(
        "/login/reinitialiser",
        &[
            ("csrf_token", &token),
            ("t", t),
            ("password", password),
            ("confirm", password),
        ],
    )
    .await
}

#[tokio::test]
async fn a_parent_resets_a_forgotten_password_through_the_mailed_link() {
    let t = TestApp::spawn_demo().await;
    let old_session = parent_with_address(&t).await;

    let visitor = t.browser();
    let res = ask_reset(&visitor, "demo.parent").await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/login/oubli?envoye=mot-de-passe");
    let (_, html) = visitor.get_html("/login/oubli?envoye=mot-de-passe").await;
    assert!(html.contains("Si ce compte a une adresse de récupération"));

    let mail = t.mail.wait_for(PARENT_MAIL, 1).await.remove(0);
    assert_eq!(mail.subject, "Ardoise : choisir un nouveau mot de passe");
    assert!(mail.body.contains("demo.parent"), "{}", mail.body);
    let path = link_path(&mail.body);
    assert!(mail.body.contains(&format!("{}{path}", t.settings.public_url())));

    let (status, html) = visitor.get_html(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("Choisir un nouveau mot de passe"));

    // The password rules apply; a refused password keeps the link usable.
    let res = post_new_password(&visitor, &path, "court").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("au moins 10 caractères"));

    let res = post_new_password(&visitor, &path, "une lanterne sous la pluie").await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/login?reinit=1");

    // Every session of the person ended; the new password works, the old one no longer does.
    let res = old_session.get("/").await;
    assert_eq!(res.status(), 303);
    assert!(location(&res).starts_with("/login"));
    assert_eq!(
        t.browser().sign_in("demo.parent", DEMO_PASSWORD).await.status(),
        401
    );
    assert_eq!(
        t.browser()
            .sign_in("demo.parent", "une lanterne sous la pluie")
            .await
            .status(),
        303
    );

    // The link works once.
    let (status, html) = visitor.get_html(&path).await;
    assert_eq!(status, 410);
    assert!(html.contains("Ce lien a déjà servi"));

    // The school's journal shows the request and the reset.
    let direction = t.signed_in("demo.direction").await;
    let (_, journal) = direction.get_html("/etablissement/journal").await;
    assert!(journal.contains("Lien de réinitialisation envoyé"), "{journal}");
    assert!(journal.contains("Mot de passe réinitialisé par courriel"));
    t.stop().await;
}

#[tokio::test]
async fn reset_links_expire_are_capped_and_tell_nothing_about_unknown_logins() {
    let t = TestApp::spawn_demo().await;
    parent_with_address(&t).await;
    let visitor = t.browser();

    // An unknown login gets the very same answer, and no mail leaves.
    let res = ask_reset(&visitor, "personne.inconnue").await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/login/oubli?envoye=mot-de-passe");

    // A tampered link is refused.
    let (status, html) = visitor.get_html("/login/reinitialiser?t=abcdef").await;
    assert_eq!(status, 410);
    assert!(html.contains("pas valable"), "{html}");

    // Three links an hour at most, whatever the number of requests.
    for _ in 0..5 {
        assert_eq!(ask_reset(&visitor, "demo.parent").await.status(), 303);
    }
    let mails = t.mail.wait_for(PARENT_MAIL, 3).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(t.mail.to(PARENT_MAIL).len(), 3, "capped at three an hour");
    assert_eq!(t.mail.all().len(), 3, "nothing sent for the unknown login");

    // After an hour, a link no longer opens the form.
    t.clock.advance_secs(61 * 60);
    let (status, html) = visitor.get_html(&link_path(&mails[0].body)).await;
    assert_eq!(status, 410);
    assert!(html.contains("Ce lien a expiré"));
    t.stop().await;
}

#[tokio::test]
async fn a_forgotten_login_is_mailed_to_the_recovery_address() {
    let t = TestApp::spawn_demo().await;
    parent_with_address(&t).await;
    let visitor = t.browser();
    let (_, html) = visitor.get_html("/login/oubli").await;
    let token = csrf_token(&html).unwrap();
    let res = visitor
        .post_form(
            "/login/oubli/identifiant",
            &[("csrf_token", &token), ("email", "Parent.Demo@Example.fr")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let mail = t.mail.wait_for(PARENT_MAIL, 1).await.remove(0);
    assert_eq!(mail.subject, "Ardoise : votre identifiant");
    assert!(mail.body.contains("• demo.parent"), "{}", mail.body);

    // A form without its CSRF token is refused.
    let res = visitor
        .post_form("/login/oubli/identifiant", &[("email", PARENT_MAIL)])
        .await;
    assert_eq!(res.status(), 403);
    t.stop().await;
}

#[tokio::test]
async fn a_sign_in_from_a_new_device_warns_the_person_once() {
    let t = TestApp::spawn_demo().await;
    let first = parent_with_address(&t).await;
    // The device used so far signs in again: nothing to say.
    sign_out(&first).await;
    assert_eq!(first.sign_in("demo.parent", DEMO_PASSWORD).await.status(), 303);

    let phone = t.browser();
    assert_eq!(phone.sign_in("demo.parent", DEMO_PASSWORD).await.status(), 303);
    let mail = t.mail.wait_for(PARENT_MAIL, 1).await.remove(0);
    assert_eq!(mail.subject, "Ardoise : nouvelle connexion à votre compte");
    assert!(mail.body.contains("/compte/sessions"), "{}", mail.body);

    // The same device again: no second warning.
    sign_out(&phone).await;
    assert_eq!(phone.sign_in("demo.parent", DEMO_PASSWORD).await.status(), 303);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(t.mail.to(PARENT_MAIL).len(), 1);

    // Changing the recovery address tells the former one.
    let (_, html) = phone.get_html("/compte/recuperation").await;
    let token = csrf_token(&html).unwrap();
    let res = phone
        .post_form(
            "/compte/recuperation",
            &[
                ("csrf_token", &token),
                ("email", "autre@example.fr"),
                ("current", "pas le bon"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422, "the current password is required");
    let res = phone
        .post_form(
            "/compte/recuperation",
            &[
                ("csrf_token", &token),
                ("email", "autre@example.fr"),
                ("current", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let mails = t.mail.wait_for(PARENT_MAIL, 2).await;
    assert_eq!(mails[1].subject, "Ardoise : adresse de récupération changée");
    t.stop().await;
}
