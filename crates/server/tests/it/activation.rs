//! Activation letters and first sign-in with a code; the audit journal.

use testkit::{Browser, TestApp, csrf_token, hidden_value, location};

/// The rows of a letters CSV: (last name, first name, for student, login, code).
fn rows(csv: &str) -> Vec<(String, String, String, String, String)> {
    csv.trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(';').collect();
            (f[0].into(), f[1].into(), f[3].into(), f[4].into(), f[5].into())
        })
        .collect()
}

async fn letters(b: &Browser, format: &str) -> reqwest::Response {
    let (status, html) = b.get_html("/etablissement/activation").await;
    assert_eq!(status, 200);
    let token = csrf_token(&html).unwrap();
    let class = hidden_value(&html, "class").unwrap();
    b.post_form(
        "/etablissement/activation",
        &[
            ("csrf_token", &token),
            ("class", &class),
            ("format", format),
            ("guardians", "1"),
        ],
    )
    .await
}

async fn start(b: &Browser, login: &str, code: &str) -> (u16, String) {
    let (_, html) = b.get_html("/activation").await;
    let token = csrf_token(&html).unwrap();
    let res = b
        .post_form(
            "/activation",
            &[("csrf_token", &token), ("login", login), ("code", code)],
        )
        .await;
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn finish(b: &Browser, step2: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut form = vec![
        ("csrf_token", csrf_token(step2).unwrap()),
        ("login", hidden_value(step2, "login").unwrap()),
        ("code", hidden_value(step2, "code").unwrap()),
    ];
    form.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.post_form("/activation/valider", &form).await
}

#[tokio::test]
async fn a_student_activates_with_the_code_from_the_letter() {
    let t = TestApp::spawn_demo().await;
    let direction = t.signed_in("demo.direction").await;
    let res = letters(&direction, "csv").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = res.text().await.unwrap();
    let rows = rows(&csv);
    assert!(
        rows.len() > 40,
        "students and guardians of a class: {}",
        rows.len()
    );
    assert!(
        rows.iter().all(|r| r.3 != "demo.eleve" && r.3 != "demo.parent"),
        "accounts with a password get no letter"
    );
    let (last, first, _, login, code) = rows.iter().find(|r| r.2.is_empty()).unwrap().clone();

    let b = t.browser();
    let (status, step2) = start(&b, &login, &code.to_lowercase().replace('-', " ")).await;
    assert_eq!(status, 200, "{step2}");
    assert!(step2.contains(&format!("Bienvenue {first} {last}")));

    let weak = finish(
        &b,
        &step2,
        &[("password", "court"), ("confirm", "court"), ("charter", "1")],
    )
    .await;
    assert_eq!(weak.status(), 422);
    assert!(weak.text().await.unwrap().contains("au moins 10 caractères"));
    let no_charter = finish(
        &b,
        &step2,
        &[
            ("password", "Une girafe dans la cour"),
            ("confirm", "Une girafe dans la cour"),
        ],
    )
    .await;
    assert_eq!(no_charter.status(), 422);
    assert!(no_charter.text().await.unwrap().contains("accepter la charte"));
    let taken = finish(
        &b,
        &step2,
        &[
            ("password", "Une girafe dans la cour"),
            ("confirm", "Une girafe dans la cour"),
            ("charter", "1"),
            ("alias", "demo-admin-x"),
        ],
    )
    .await;
    assert_eq!(taken.status(), 303, "a free alias is accepted");
    assert_eq!(location(&taken), "/");
    let (status, home) = b.get_html("/").await;
    assert_eq!(status, 200);
    assert!(home.contains(&format!("Bonjour {first}")));

    // The code served once; the new password and the alias both sign in.
    let (status, html) = start(&t.browser(), &login, &code).await;
    assert_eq!(status, 401);
    assert!(html.contains("Identifiant ou code d"));
    assert_eq!(
        t.browser()
            .sign_in(&login, "Une girafe dans la cour")
            .await
            .status(),
        303
    );
    assert_eq!(
        t.browser()
            .sign_in("demo-admin-x", "Une girafe dans la cour")
            .await
            .status(),
        303
    );
    t.stop().await;
}

#[tokio::test]
async fn a_parent_must_leave_a_recovery_contact_and_codes_expire() {
    let t = TestApp::spawn_demo().await;
    let direction = t.signed_in("demo.direction").await;
    let rows = rows(&letters(&direction, "csv").await.text().await.unwrap());
    let (_, _, child, login, code) = rows.iter().find(|r| !r.2.is_empty()).unwrap().clone();
    assert!(!child.is_empty(), "a guardian's letter names the child");
    let b = t.browser();
    let (_, step2) = start(&b, &login, &code).await;
    let pw = "Le train de 8 h 12";
    let res = finish(&b, &step2, &[("password", pw), ("confirm", pw), ("charter", "1")]).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("adresse électronique ou un téléphone")
    );
    let res = finish(
        &b,
        &step2,
        &[
            ("password", pw),
            ("confirm", pw),
            ("charter", "1"),
            ("phone", "12"),
        ],
    )
    .await;
    assert!(res.text().await.unwrap().contains("numéro de téléphone n"));

    // Sixty-one days later the letter no longer works.
    let (_, _, _, other_login, other_code) = rows.iter().rfind(|r| !r.2.is_empty()).unwrap().clone();
    t.clock.advance_secs(61 * 86_400);
    let (status, html) = start(&t.browser(), &other_login, &other_code).await;
    assert_eq!(status, 410);
    assert!(html.contains("a expiré"));
    t.stop().await;
}

#[tokio::test]
async fn letters_come_as_one_pdf_page_per_person_and_only_for_administrators() {
    let t = TestApp::spawn_demo().await;
    let direction = t.signed_in("demo.direction").await;
    let res = letters(&direction, "pdf").await;
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("activation-")
    );
    let pdf = res.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-1.4"));
    let text = String::from_utf8_lossy(&pdf);
    let count: usize = text
        .split("/Count ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(count > 40, "one page per person: {count}");

    // A teacher may neither see the page nor post the form.
    let prof = t.signed_in("demo.prof").await;
    assert_eq!(prof.get("/etablissement/activation").await.status(), 403);
    let (_, html) = prof.get_html("/").await;
    assert!(
        !html.contains("/etablissement/activation"),
        "no tile for teachers"
    );
    let token = csrf_token(&html).unwrap();
    let class = uuid::Uuid::now_v7().to_string();
    let res = prof
        .post_form(
            "/etablissement/activation",
            &[("csrf_token", &token), ("class", &class), ("format", "csv")],
        )
        .await;
    assert_eq!(res.status(), 403);
    // The direction cannot print for a class of another school.
    let (_, page) = direction.get_html("/").await;
    let token = csrf_token(&page).unwrap();
    let res = direction
        .post_form(
            "/etablissement/activation",
            &[("csrf_token", &token), ("class", &class), ("format", "csv")],
        )
        .await;
    assert_eq!(res.status(), 404);
    t.stop().await;
}

#[tokio::test]
async fn the_journal_shows_the_schools_authentication_events() {
    let t = TestApp::spawn_demo().await;
    assert_eq!(
        t.browser().sign_in("demo.cpe", "wrong password").await.status(),
        401
    );
    let direction = t.signed_in("demo.direction").await;
    let _ = letters(&direction, "csv").await;
    let (status, html) = direction.get_html("/etablissement/journal").await;
    assert_eq!(status, 200);
    assert!(html.contains("Échec de connexion") && html.contains("demo.cpe"));
    assert!(
        html.contains("Codes d&#39;activation créés") || html.contains("Codes d'activation créés"),
        "{html}"
    );
    assert!(html.contains("Connexion"));
    let (_, filtered) = direction
        .get_html("/etablissement/journal?kind=sign-in-failed")
        .await;
    assert!(filtered.contains("demo.cpe"));
    assert!(!filtered.contains("code(s)"));
    let (_, by_login) = direction.get_html("/etablissement/journal?login=DEMO.CPE").await;
    assert!(by_login.contains("demo.cpe") && !by_login.contains("demo.direction"));
    let eleve = t.signed_in("demo.eleve").await;
    assert_eq!(eleve.get("/etablissement/journal").await.status(), 403);
    assert_eq!(direction.get("/region/journal").await.status(), 403);

    // The region administrator reads every school's events, and those tied to no school.
    assert_eq!(
        t.browser()
            .sign_in("nobody.here", "wrong password")
            .await
            .status(),
        401
    );
    let admin = t.signed_in("demo.admin").await;
    let (status, region) = admin.get_html("/region/journal?kind=sign-in-failed").await;
    assert_eq!(status, 200);
    assert!(region.contains("demo.cpe"), "{region}");
    assert!(
        region.contains("Hors établissement"),
        "the unknown login's failure"
    );
    assert!(!region.contains("code(s)"), "filtered by kind");
    let (_, one) = admin.get_html("/region/journal?login=demo.direction").await;
    assert!(one.contains("code(s)") && !one.contains("demo.cpe"), "{one}");
    t.stop().await;
}

#[tokio::test]
async fn a_password_change_signs_out_the_other_devices() {
    let t = TestApp::spawn_demo().await;
    let laptop = t.signed_in("demo.parent").await;
    let phone = t.signed_in("demo.parent").await;
    let change = |current: &'static str, new: &'static str| {
        let laptop = &laptop;
        async move {
            let (_, html) = laptop.get_html("/compte/mot-de-passe").await;
            let token = csrf_token(&html).unwrap();
            laptop
                .post_form(
                    "/compte/mot-de-passe",
                    &[
                        ("csrf_token", &token),
                        ("current", current),
                        ("password", new),
                        ("confirm", new),
                    ],
                )
                .await
        }
    };
    let res = change("pas le bon", "Une autre phrase longue").await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("mot de passe actuel est incorrect")
    );
    let res = change(testkit::DEMO_PASSWORD, "azertyuiop").await;
    assert!(res.text().await.unwrap().contains("trop courant"));
    let res = change(testkit::DEMO_PASSWORD, "Une autre phrase longue").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Vos autres appareils ont été déconnectés")
    );
    assert_eq!(
        phone.get("/").await.status(),
        303,
        "the other device is signed out"
    );
    assert_eq!(laptop.get("/").await.status(), 200);
    assert_eq!(
        t.browser()
            .sign_in("demo.parent", testkit::DEMO_PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        t.browser()
            .sign_in("demo.parent", "Une autre phrase longue")
            .await
            .status(),
        303
    );
    t.stop().await;
}

#[tokio::test]
async fn an_administrator_resets_a_students_account() {
    let t = TestApp::spawn_demo().await;
    let student = t.signed_in("demo.eleve").await;
    let direction = t.signed_in("demo.direction").await;
    let res = reset(&direction, "demo.eleve").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.bytes().await.unwrap().starts_with(b"%PDF"));
    assert_eq!(
        student.get("/").await.status(),
        303,
        "the student's sessions are closed"
    );
    assert_eq!(
        t.browser()
            .sign_in("demo.eleve", testkit::DEMO_PASSWORD)
            .await
            .status(),
        401,
        "the old password is gone"
    );

    let res = reset(&direction, "demo.prof").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("pas celui d"));
    let res = reset(&direction, "personne.inconnue").await;
    assert!(res.text().await.unwrap().contains("Aucun compte"));
    let prof = t.signed_in("demo.prof").await;
    let (_, html) = prof.get_html("/").await;
    let token = csrf_token(&html).unwrap();
    let res = prof
        .post_form(
            "/etablissement/activation/reinitialiser",
            &[("csrf_token", &token), ("login", "demo.eleve")],
        )
        .await;
    assert_eq!(res.status(), 403);
    let (_, journal) = direction
        .get_html("/etablissement/journal?kind=account-reset")
        .await;
    assert!(journal.contains("Compte réinitialisé") && journal.contains("demo.eleve"));
    t.stop().await;
}

async fn reset(b: &Browser, login: &str) -> reqwest::Response {
    let (_, html) = b.get_html("/etablissement/activation").await;
    let token = csrf_token(&html).unwrap();
    b.post_form(
        "/etablissement/activation/reinitialiser",
        &[("csrf_token", &token), ("login", login)],
    )
    .await
}
