//! Report cards through HTTP: the subject teacher writes the appraisals (and only they may), the head
//! teacher the general appraisal, the direction records the council and generates the PDF files, read
//! back with poppler's pdftotext; families see a report card only once published, and only their own
//! children's; a published report card stays when a new version is generated.

use sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use testkit::{Browser, TestApp, csrf_token, location, textarea_value};
use uuid::Uuid;

fn a(n: &str) -> Alias {
    Alias::new(n)
}

fn col(t: &str, c: &str) -> Expr {
    Expr::col((a(t), a(c)))
}

/// Who and what the scenario needs from the demo region.
struct Demo {
    school: Uuid,
    class: Uuid,
    subject: String,
    period: Uuid,
    eleve: Uuid,
}

/// demo.eleve's division, demo.prof's subject there, and the first period of the year.
async fn demo(t: &TestApp) -> Demo {
    let (prof, eleve) = (t.user_id("demo.prof").await, t.user_id("demo.eleve").await);
    let q = Query::select()
        .column((a("t"), a("school_id")))
        .column((a("t"), a("class_id")))
        .column((a("t"), a("subject_code")))
        .from_as(a("teachings"), a("t"))
        .join_as(
            JoinType::InnerJoin,
            a("classes"),
            a("c"),
            col("c", "id").equals((a("t"), a("class_id"))),
        )
        .join_as(
            JoinType::InnerJoin,
            a("class_students"),
            a("s"),
            col("s", "class_id").equals((a("t"), a("class_id"))),
        )
        .and_where(col("t", "teacher_id").eq(prof))
        .and_where(col("s", "student_id").eq(eleve))
        .and_where(col("c", "kind").eq("classe"))
        .to_owned();
    let (school, class, subject): (Uuid, Uuid, String) = t.db().fetch_one(&q).await.unwrap();
    let q = Query::select()
        .column(a("id"))
        .from(a("grade_periods"))
        .and_where(Expr::col(a("school_id")).eq(school))
        .order_by(a("start_day"), Order::Asc)
        .limit(1)
        .to_owned();
    let (period,): (Uuid,) = t.db().fetch_one(&q).await.unwrap();
    Demo {
        school,
        class,
        subject,
        period,
        eleve,
    }
}

/// A browser signed in as the person `id` (given the demo password first).
async fn sign_in_as(t: &TestApp, id: Uuid) -> Browser {
    let q = Query::select()
        .column(a("login"))
        .from(a("users"))
        .and_where(Expr::col(a("id")).eq(id))
        .to_owned();
    let (login,): (String,) = t.db().fetch_one(&q).await.unwrap();
    t.app
        .identity
        .set_password(kernel::UserId(id), testkit::DEMO_PASSWORD)
        .await
        .unwrap();
    t.signed_in(&login).await
}

/// A teacher of the class in another subject than `subject` (not demo.prof).
async fn colleague(t: &TestApp, d: &Demo) -> Uuid {
    let prof = t.user_id("demo.prof").await;
    let q = Query::select()
        .column(a("teacher_id"))
        .from(a("teachings"))
        .and_where(Expr::col(a("class_id")).eq(d.class))
        .and_where(Expr::col(a("subject_code")).ne(d.subject.as_str()))
        .and_where(Expr::col(a("teacher_id")).ne(prof))
        .limit(1)
        .to_owned();
    t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
}

async fn head_teacher(t: &TestApp, d: &Demo) -> Uuid {
    let q = Query::select()
        .column(a("teacher_id"))
        .from(a("head_teachers"))
        .and_where(Expr::col(a("school_id")).eq(d.school))
        .and_where(Expr::col(a("class_id")).eq(d.class))
        .limit(1)
        .to_owned();
    t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
}

/// A guardian of another student of the school, who is no guardian of demo.eleve.
async fn other_parent(t: &TestApp, d: &Demo) -> Uuid {
    let of_eleve = Query::select()
        .column(a("guardian_id"))
        .from(a("guardianships"))
        .and_where(Expr::col(a("student_id")).eq(d.eleve))
        .to_owned();
    let q = Query::select()
        .column((a("g"), a("guardian_id")))
        .from_as(a("guardianships"), a("g"))
        .join_as(
            JoinType::InnerJoin,
            a("class_students"),
            a("s"),
            col("s", "student_id").equals((a("g"), a("student_id"))),
        )
        .and_where(col("s", "school_id").eq(d.school))
        .and_where(col("g", "student_id").ne(d.eleve))
        .and_where(col("g", "guardian_id").not_in_subquery(of_eleve))
        .limit(1)
        .to_owned();
    t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
}

/// demo.eleve's average in the subject, computed here from the published marks (exactly, rounded
/// half up to hundredths), printed with a decimal comma: « 12,35 ».
async fn expected_average(t: &TestApp, d: &Demo) -> String {
    let q = Query::select()
        .column((a("m"), a("mark")))
        .column((a("e"), a("scale")))
        .column((a("e"), a("coefficient")))
        .from_as(a("grade_marks"), a("m"))
        .join_as(
            JoinType::InnerJoin,
            a("grade_evaluations"),
            a("e"),
            col("e", "id").equals((a("m"), a("evaluation_id"))),
        )
        .and_where(col("m", "student_id").eq(d.eleve))
        .and_where(col("e", "subject_code").eq(d.subject.as_str()))
        .and_where(col("e", "published_at").is_not_null())
        .and_where(col("m", "mark").is_not_null())
        .to_owned();
    let rows: Vec<(i32, i32, i32)> = t.db().fetch_all(&q).await.unwrap();
    assert!(
        !rows.is_empty(),
        "the demo gives demo.eleve marks in demo.prof's subject"
    );
    // Σ coef·mark·20/scale over Σ coef, as one fraction num/den (marks in hundredths).
    let (mut num, mut den, mut coefs) = (0i128, 1i128, 0i128);
    for (mark, scale, coef) in rows {
        let (n, s) = (i128::from(coef) * i128::from(mark) * 20, i128::from(scale));
        num = num * s + n * den;
        den *= s;
        coefs += i128::from(coef);
    }
    den *= coefs;
    let hundredths = (2 * num + den) / (2 * den);
    format!("{},{:02}", hundredths / 100, hundredths % 100)
}

fn pdftotext(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bulletin.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: .ci/run installs it");
    assert!(out.status.success());
    // In content order (a table cell's lines follow each other), every run of white space as one
    // space: a cell's text reads across its line breaks. poppler gives the narrow no-break spaces of
    // French typography back as spaces.
    let text = String::from_utf8(out.stdout).unwrap().replace('\u{202F}', " ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The report cards of demo.eleve for the period: (id, version, published).
async fn cards_of_eleve(t: &TestApp, d: &Demo) -> Vec<(Uuid, i32, Option<i64>)> {
    let q = Query::select()
        .columns([a("id"), a("version"), a("published_at")])
        .from(a("report_cards"))
        .and_where(Expr::col(a("school_id")).eq(d.school))
        .and_where(Expr::col(a("student_id")).eq(d.eleve))
        .and_where(Expr::col(a("period_id")).eq(d.period))
        .order_by(a("version"), Order::Asc)
        .to_owned();
    t.db().fetch_all(&q).await.unwrap()
}

#[tokio::test]
async fn only_the_subject_teacher_writes_its_appraisals() {
    let t = TestApp::spawn_demo().await;
    let d = demo(&t).await;
    let sheet = format!("/bulletins/appreciations/{}/{}/{}", d.class, d.period, d.subject);
    let prof = t.signed_in("demo.prof").await;
    let (status, html) = prof.get_html(&sheet).await;
    assert_eq!(status, 200, "{html}");
    let expected = expected_average(&t, &d).await;
    assert!(
        html.contains(&format!("<td>{expected}</td>")),
        "the sheet shows demo.eleve's average {expected}"
    );
    let field = format!("appreciation-{}", d.eleve);
    let csrf = csrf_token(&html).unwrap();
    let text = "Trimestre sérieux : des résultats solides, « bravo » !";
    let res = prof
        .post_form(&sheet, &[("csrf_token", &csrf), (&field, text)])
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = prof.get_html(&location(&res)).await;
    assert_eq!(textarea_value(&html, &field).as_deref(), Some(text));
    assert!(html.contains("Appréciations enregistrées."));

    // Too long: refused with the student named, nothing saved, what was typed shown again.
    let long = "a".repeat(401);
    let res = prof
        .post_form(&sheet, &[("csrf_token", &csrf), (&field, &long)])
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Appréciation : le texte pour") && html.contains("401 caractères ; 400 au plus"),
        "{html}"
    );
    assert_eq!(textarea_value(&html, &field).as_deref(), Some(long.as_str()));

    // A teacher of another subject in the class may neither open nor post the sheet.
    let other = sign_in_as(&t, colleague(&t, &d).await).await;
    let (status, _) = other.get_html(&sheet).await;
    assert_eq!(status, 403);
    let own = other.form_token("/bulletins").await;
    let res = other
        .post_form(&sheet, &[("csrf_token", &own), (&field, "Usurpation")])
        .await;
    assert_eq!(res.status(), 403);
    // A parent gets nothing (not even the existence of the page).
    let parent = t.signed_in("demo.parent").await;
    assert_eq!(parent.get_html(&sheet).await.0, 404);
    // The appraisal is still the subject teacher's.
    let (_, html) = prof.get_html(&sheet).await;
    assert_eq!(textarea_value(&html, &field).as_deref(), Some(text));
    t.stop().await;
}

#[tokio::test]
async fn a_report_card_is_generated_published_and_downloaded_by_the_family_only() {
    let t = TestApp::spawn_demo().await;
    let d = demo(&t).await;
    let class_page = format!("/bulletins/classe/{}/{}", d.class, d.period);
    let sheet = format!("/bulletins/appreciations/{}/{}/{}", d.class, d.period, d.subject);
    let prof = t.signed_in("demo.prof").await;
    let appraisal = "Très bon trimestre en mathématiques ; continuez ainsi.";
    let res = prof
        .post_form(
            &sheet,
            &[
                ("csrf_token", &prof.form_token(&sheet).await),
                (&format!("appreciation-{}", d.eleve), appraisal),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);

    let head = sign_in_as(&t, head_teacher(&t, &d).await).await;
    let general = "Élève investie, qui doit oser davantage à l'oral.";
    let res = head
        .post_form(
            &format!("{class_page}/appreciations"),
            &[
                ("csrf_token", &head.form_token(&class_page).await),
                (&format!("generale-{}", d.eleve), general),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);

    let direction = t.signed_in("demo.direction").await;
    let csrf = direction.form_token(&class_page).await;
    let mention = format!("mention-{}", d.eleve);
    let res = direction
        .post_form(
            &format!("{class_page}/conseil"),
            &[
                ("csrf_token", &csrf),
                (&mention, "felicitations"),
                ("bilan", "Classe agréable et travailleuse."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    // A mention that does not exist is refused, naming the student.
    let res = direction
        .post_form(
            &format!("{class_page}/conseil"),
            &[("csrf_token", &csrf), (&mention, "bravo")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Mention : la mention choisie pour")
    );
    // Teachers do not record the council.
    let res = prof
        .post_form(
            &format!("{class_page}/conseil"),
            &[
                ("csrf_token", &prof.form_token(&class_page).await),
                (&mention, ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);

    // Nothing to publish before a generation.
    let res = direction
        .post_form(&format!("{class_page}/publier"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(res.status(), 422);
    let res = direction
        .post_form(&format!("{class_page}/generer"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(res.status(), 303);
    let cards = cards_of_eleve(&t, &d).await;
    assert_eq!(cards.len(), 1);
    let (id, _, published) = cards[0];
    assert!(published.is_none());
    let file = format!("/bulletins/fichier/{id}");

    // The PDF says who, the averages with a decimal comma, the appraisals and the mention.
    let res = direction.get(&file).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let pdf_bytes = res.bytes().await.unwrap();
    let text = pdftotext(&pdf_bytes);
    let q = Query::select()
        .columns([a("first_name"), a("last_name")])
        .from(a("users"))
        .and_where(Expr::col(a("id")).eq(d.eleve))
        .to_owned();
    let (first, last): (String, String) = t.db().fetch_one(&q).await.unwrap();
    let expected = expected_average(&t, &d).await;
    for needle in [
        format!("{first} {}", last.to_uppercase()),
        expected.clone(),
        "Très bon trimestre en mathématiques ; continuez ainsi.".to_string(),
        general.to_string(),
        "Mention : Félicitations".to_string(),
        "Classe agréable et travailleuse.".to_string(),
        "Moyenne générale".to_string(),
        "Page 1 sur".to_string(),
    ] {
        assert!(
            text.contains(&needle),
            "{needle:?} missing from the report card:\n{text}"
        );
    }
    assert!(
        !text.contains(&expected.replace(',', ".")),
        "averages print with a decimal comma"
    );

    // Unpublished: invisible to the family.
    let parent = t.signed_in("demo.parent").await;
    let (status, html) = parent.get_html("/bulletins").await;
    assert_eq!(status, 200);
    assert!(!html.contains(&file));
    assert_eq!(parent.get(&file).await.status(), 404);
    let eleve = t.signed_in("demo.eleve").await;
    assert_eq!(eleve.get(&file).await.status(), 404);

    let res = direction
        .post_form(&format!("{class_page}/publier"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(res.status(), 303);
    let events = bus::pending(t.db(), Some("grades.report_card_published"), 100)
        .await
        .unwrap();
    assert!(events.iter().any(
        |e| e.payload()["report_card"] == id.to_string() && e.payload()["student"] == d.eleve.to_string()
    ));

    // Published: the parent and the student download it; another parent does not see it.
    let (_, html) = parent.get_html("/bulletins").await;
    assert!(html.contains(&file), "{html}");
    let res = parent.get(&file).await;
    assert_eq!(res.status(), 200);
    assert!(pdftotext(&res.bytes().await.unwrap()).contains(&expected));
    assert_eq!(eleve.get(&file).await.status(), 200);
    let stranger = sign_in_as(&t, other_parent(&t, &d).await).await;
    let (_, html) = stranger.get_html("/bulletins").await;
    assert!(!html.contains(&file));
    assert_eq!(stranger.get(&file).await.status(), 404);

    // Generating again keeps the published version and makes a new one; again replaces that one.
    for _ in 0..2 {
        let res = direction
            .post_form(&format!("{class_page}/generer"), &[("csrf_token", &csrf)])
            .await;
        assert_eq!(res.status(), 303);
    }
    let cards = cards_of_eleve(&t, &d).await;
    assert_eq!(
        cards.iter().map(|c| (c.1, c.2.is_some())).collect::<Vec<_>>(),
        [(1, true), (2, false)]
    );
    assert_eq!(cards[0].0, id);
    assert_eq!(
        parent.get(&file).await.status(),
        200,
        "the published version stays downloadable"
    );
    let (_, html) = parent.get_html("/bulletins").await;
    assert!(!html.contains(&format!("/bulletins/fichier/{}", cards[1].0)));

    // The year rollover deletes the class: its report cards stay, read only.
    t.app.roll_over("2026-2027").await.unwrap();
    let (status, html) = direction.get_html(&class_page).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("existe plus") && html.contains(&file) && html.contains(&last));
    assert!(!html.contains("Générer les bulletins"));
    let res = direction
        .post_form(&format!("{class_page}/generer"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(res.status(), 422);
    let (_, html) = direction.get_html("/bulletins").await;
    assert!(html.contains(&class_page), "the archive lists the class");
    assert_eq!(parent.get(&file).await.status(), 200);
    let (_, html) = parent.get_html("/bulletins").await;
    assert!(html.contains(&file));
    t.stop().await;
}
