//! Grades through HTTP: a teacher creates evaluations, enters marks with codes (a bad mark refused with
//! its row named), publishes; students and parents see only published evaluations, with averages equal
//! to the ones computed by hand; teachers mark only what they teach; families see only their own child;
//! the direction alone sets the periods and the rules. The class used has no demo marks, so every
//! average below is known exactly.

use sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use testkit::{Browser, TestApp, csrf_token, location};
use uuid::Uuid;

fn a(n: &str) -> Alias {
    Alias::new(n)
}

fn col(t: &str, c: &str) -> Expr {
    Expr::col((a(t), a(c)))
}

/// A division (school, class, subject) demo.prof teaches where demo.eleve is not (no demo marks there).
pub(crate) async fn other_class_of_prof(t: &TestApp) -> (Uuid, Uuid, String) {
    let (prof, eleve) = (t.user_id("demo.prof").await, t.user_id("demo.eleve").await);
    let of_eleve = Query::select()
        .column(a("class_id"))
        .from(a("class_students"))
        .and_where(Expr::col(a("student_id")).eq(eleve))
        .to_owned();
    let q = Query::select()
        .column((a("c"), a("school_id")))
        .column((a("t"), a("class_id")))
        .column((a("t"), a("subject_code")))
        .from_as(a("teachings"), a("t"))
        .join_as(
            JoinType::InnerJoin,
            a("classes"),
            a("c"),
            col("c", "id").equals((a("t"), a("class_id"))),
        )
        .and_where(col("t", "teacher_id").eq(prof))
        .and_where(col("c", "kind").eq("classe"))
        .and_where(col("t", "class_id").not_in_subquery(of_eleve))
        .limit(1)
        .to_owned();
    t.db().fetch_one(&q).await.unwrap()
}

/// Another teacher of `class` and the subject they teach there (not `subject`).
async fn colleague(t: &TestApp, class: Uuid, subject: &str) -> (Uuid, String) {
    let q = Query::select()
        .columns([a("teacher_id"), a("subject_code")])
        .from(a("teachings"))
        .and_where(Expr::col(a("class_id")).eq(class))
        .and_where(Expr::col(a("subject_code")).ne(subject))
        .limit(1)
        .to_owned();
    t.db().fetch_one(&q).await.unwrap()
}

async fn students(t: &TestApp, school: Uuid, class: Uuid) -> Vec<directory::model::Person> {
    directory::store::students_of_class(t.db(), kernel::SchoolId(school), kernel::ClassId(class))
        .await
        .unwrap()
}

/// The school of a student's division.
async fn school_of(t: &TestApp, login: &str) -> Uuid {
    let q = Query::select()
        .column(a("school_id"))
        .from(a("class_students"))
        .and_where(Expr::col(a("student_id")).eq(t.user_id(login).await))
        .limit(1)
        .to_owned();
    t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
}

async fn a_legal_guardian(t: &TestApp, student: Uuid) -> Uuid {
    let q = Query::select()
        .column(a("guardian_id"))
        .from(a("guardianships"))
        .and_where(Expr::col(a("student_id")).eq(student))
        .limit(1)
        .to_owned();
    t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
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

/// Acts as a parent in `school` (a parent may have children in several schools).
async fn as_parent_in(b: &Browser, school: Uuid) {
    let token = b.form_token("/").await;
    let res = b
        .post_form(
            "/contexte",
            &[("csrf_token", &token), ("context", &format!("s.{school}.TUT"))],
        )
        .await;
    assert_eq!(res.status(), 303);
}

/// Creates an evaluation through the form; returns its id.
async fn create(
    b: &Browser,
    teaching: &str,
    title: &str,
    kind: &str,
    scale: &str,
    coefficient: &str,
    components: &[&str],
) -> Uuid {
    let token = b.form_token("/notes/evaluations/nouvelle").await;
    let mut form = vec![
        ("csrf_token", token.as_str()),
        ("teaching", teaching),
        ("title", title),
        ("day", "2026-09-02"),
        ("kind", kind),
        ("scale", scale),
        ("coefficient", coefficient),
    ];
    form.extend(components.iter().map(|c| ("components", *c)));
    let res = b.post_form("/notes/evaluations/nouvelle", &form).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    location(&res).rsplit('/').next().unwrap().parse().unwrap()
}

/// Posts the grid: (student, typed mark), plus any other field.
async fn post_grid(
    b: &Browser,
    id: Uuid,
    marks: &[(Uuid, &str)],
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let path = format!("/notes/evaluations/{id}");
    let token = b.form_token(&path).await;
    let names: Vec<String> = marks.iter().map(|(s, _)| format!("note.{s}")).collect();
    let mut form: Vec<(&str, &str)> = vec![("csrf_token", &token)];
    for (name, (_, v)) in names.iter().zip(marks) {
        form.push((name, v));
    }
    form.extend_from_slice(extra);
    b.post_form(&path, &form).await
}

/// The HTML of the subject block `code` on a marks page.
fn subject_block<'a>(html: &'a str, code: &str) -> &'a str {
    let start = html
        .find(&format!("data-subject=\"{code}\""))
        .unwrap_or_else(|| panic!("no subject {code} in {html}"));
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap()]
}

fn averages_in(block: &str) -> (String, String) {
    let pick = |class: &str| {
        let at = block.find(&format!("class=\"{class}\">")).unwrap() + class.len() + 9;
        block[at..].split('<').next().unwrap().to_string()
    };
    (pick("gr-subject-average"), pick("gr-class-average"))
}

fn overall_in(html: &str) -> String {
    let at = html.find("id=\"overall-average\">").unwrap() + "id=\"overall-average\">".len();
    html[at..].split('<').next().unwrap().to_string()
}

#[tokio::test]
async fn marks_are_entered_published_and_averaged_exactly() {
    let t = TestApp::spawn_demo().await;
    let (school, class, subject) = other_class_of_prof(&t).await;
    let pupils = students(&t, school, class).await;
    assert!(pupils.len() >= 5, "the demo class is too small");
    let (s1, s2, s3, s4) = (pupils[0].id, pupils[1].id, pupils[2].id, pupils[3].id);
    let prof = t.signed_in("demo.prof").await;
    let teaching = format!("{class}:{subject}");

    // The form offers the class; a draft evaluation is created, then its grid shows every student.
    let (_, form) = prof.get_html("/notes/evaluations/nouvelle").await;
    assert!(form.contains(&teaching), "{form}");
    let first = create(
        &prof,
        &teaching,
        "Contrôle sur les fractions",
        "notes",
        "20",
        "1",
        &[],
    )
    .await;
    let (status, grid) = prof.get_html(&format!("/notes/evaluations/{first}")).await;
    assert_eq!(status, 200);
    assert!(grid.contains(&pupils[4].list_name().replace('\'', "&#39;")) && grid.contains("Brouillon"));
    assert!(
        grid.contains("Abs (absent)") && grid.contains("compté comme un 0"),
        "the codes are explained"
    );

    // A mark over the scale is refused with its row named; nothing is saved, what was typed stays.
    let res = post_grid(&prof, first, &[(s1, "12"), (s2, "23"), (s3, "douze")], &[]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    let name2 = pupils[1].list_name().replace('\'', "&#39;");
    assert!(
        html.contains(&format!(
            "Ligne 2 ({name2}) : la note « 23 » dépasse le barème (sur 20)."
        )),
        "{html}"
    );
    assert!(html.contains("Ligne 3 (") && html.contains("« douze » n&#39;est pas une note"));
    assert!(html.contains("value=\"23\"") && html.contains("value=\"12\""));
    let (_, grid) = prof.get_html(&format!("/notes/evaluations/{first}")).await;
    assert!(!grid.contains("value=\"12\""), "nothing was saved");

    // Marks with a comma, and codes.
    let res = post_grid(
        &prof,
        first,
        &[(s1, "12"), (s2, "abs"), (s3, "8,5"), (s4, "NR")],
        &[],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, grid) = prof.get_html(&location(&res)).await;
    assert!(
        grid.contains("value=\"8,5\"") && grid.contains("value=\"Abs\"") && grid.contains("value=\"NR\"")
    );
    let second = create(&prof, &teaching, "Interrogation orale", "notes", "10", "2", &[]).await;
    let res = post_grid(
        &prof,
        second,
        &[(s1, "7.5"), (s2, "9"), (s3, "Disp"), (s4, "5")],
        &[],
    )
    .await;
    assert_eq!(res.status(), 303);

    // Drafts are invisible to the student and their parent, on the page and at their address.
    let student = sign_in_as(&t, s1).await;
    let parent = sign_in_as(&t, a_legal_guardian(&t, s1).await).await;
    as_parent_in(&parent, school).await;
    let (status, page) = student.get_html("/notes").await;
    assert_eq!(status, 200);
    assert!(!page.contains("Contrôle sur les fractions") && page.contains("Aucune note publiée"));
    assert_eq!(
        student.get_html(&format!("/notes/evaluations/{first}")).await.0,
        404
    );
    let (status, page) = parent.get_html(&format!("/notes?eleve={s1}")).await;
    assert_eq!(status, 200);
    assert!(!page.contains("Contrôle sur les fractions"));
    assert_eq!(
        parent.get_html(&format!("/notes/evaluations/{first}")).await.0,
        404
    );
    assert_eq!(
        parent
            .get_html(&format!("/notes/evaluations/{first}?eleve={s1}"))
            .await
            .0,
        404
    );

    // Published (one by its button, one while saving), and announced once with the students concerned.
    let token = prof.form_token(&format!("/notes/evaluations/{first}")).await;
    let res = prof
        .post_form(
            &format!("/notes/evaluations/{first}/publier"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = prof
        .post_form(
            &format!("/notes/evaluations/{first}/publier"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = post_grid(
        &prof,
        second,
        &[(s1, "7,5"), (s2, "9"), (s3, "Disp"), (s4, "5")],
        &[("action", "publier")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let events = bus::pending(t.db(), Some("grades.published"), 10).await.unwrap();
    assert_eq!(events.len(), 2, "one event per evaluation published");
    let payload = events[0].payload();
    assert_eq!(payload["evaluation"], first.to_string());
    let concerned: Vec<String> = payload["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    for s in [s1, s2, s3, s4] {
        assert!(concerned.contains(&s.to_string()));
    }
    assert_eq!(concerned.len(), 4);

    // By hand: s1 has 12/20 (coef 1) and 7,5/10 = 15/20 (coef 2): (12 + 30) / 3 = 14. s2: Abs, 18 → 18.
    // s3: 8,5, Disp → 8,5. s4: NR counts 0, 5/10 = 10 (coef 2): 20 / 3 = 6,67. Class: 47,1667 / 4 = 11,79.
    let (_, page) = student.get_html("/notes").await;
    assert!(page.contains("Contrôle sur les fractions") && page.contains("12/20") && page.contains("7,5/10"));
    let block = subject_block(&page, &subject);
    assert_eq!(averages_in(block), ("14,00".into(), "11,79".into()));
    // The evaluations' own average, min and max: first 12, 8,5, 0 → 6,83 [0; 12]; second 7,5, 9, 5.
    assert!(
        block.contains("6,83") && block.contains("0,00") && block.contains("12,00"),
        "{block}"
    );
    assert!(block.contains("7,17") && block.contains("5,00") && block.contains("9,00"));
    assert_eq!(overall_in(&page), "14,00");
    let (_, detail) = student.get_html(&format!("/notes/evaluations/{first}")).await;
    assert!(detail.contains("12/20") && detail.contains("6,83"));
    let (_, page) = parent.get_html(&format!("/notes?eleve={s1}")).await;
    assert_eq!(
        averages_in(subject_block(&page, &subject)),
        ("14,00".into(), "11,79".into())
    );
    assert_eq!(
        parent.get_html(&format!("/notes/evaluations/{first}")).await.0,
        200
    );

    // A colleague's subject (10/20 for s1, 16/20 for s2), then the direction weighs the first subject 2.
    let (other, other_subject) = colleague(&t, class, &subject).await;
    let colleague_browser = sign_in_as(&t, other).await;
    let third = create(
        &colleague_browser,
        &format!("{class}:{other_subject}"),
        "Dictée",
        "notes",
        "20",
        "1",
        &[],
    )
    .await;
    let res = post_grid(
        &colleague_browser,
        third,
        &[(s1, "10"), (s2, "16")],
        &[("action", "publier")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, page) = student.get_html("/notes").await;
    assert_eq!(overall_in(&page), "12,00", "(14 + 10) / 2");
    let direction = t.signed_in("demo.direction").await;
    let token = direction.form_token("/notes/periodes").await;
    let coef = format!("coef.{subject}");
    let res = direction
        .post_form(
            "/notes/reglages",
            &[("csrf_token", &token), ("nr", "zero"), (&coef, "2")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, page) = student.get_html("/notes").await;
    assert_eq!(overall_in(&page), "12,67", "(2 × 14 + 10) / 3");
    // Class overall: s1 38/3, s2 (2 × 18 + 16) / 3 = 52/3, s3 8,5, s4 20/3 → 45,1667 / 4 = 11,29.
    assert!(page.contains("id=\"class-overall\">11,29<"), "{page}");

    // NR not counted: s4's average is 10, the class's (14 + 18 + 8,5 + 10) / 4 = 12,625 → 12,63.
    let res = direction
        .post_form(
            "/notes/reglages",
            &[("csrf_token", &token), ("nr", "non_compte"), (&coef, "2")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, page) = student.get_html("/notes").await;
    assert_eq!(
        averages_in(subject_block(&page, &subject)),
        ("14,00".into(), "12,63".into())
    );
    assert!(page.contains("non compté dans la moyenne (règle"));

    // The report-card API agrees with the pages.
    let grades = grades::Grades::new(
        t.db().clone(),
        std::sync::Arc::new(t.clock.clone()),
        blob::Blobs::new(t.settings.data_dir.join("blobs"), 1_000_000),
    );
    let period = grades.periods(kernel::SchoolId(school)).await.unwrap()[0].id;
    let report = grades
        .class_report(kernel::SchoolId(school), kernel::ClassId(class), period)
        .await
        .unwrap();
    let column = report.subjects.iter().find(|c| c.code == subject).unwrap();
    assert_eq!(
        (
            column.class.average.fr(),
            column.class.min.fr(),
            column.class.max.fr()
        ),
        ("12,63".into(), "8,50".into(), "18,00".into())
    );
    let one = grades
        .student_report(kernel::SchoolId(school), kernel::UserId(s1), period)
        .await
        .unwrap();
    assert_eq!(one.overall.unwrap().fr(), "12,67");
    t.stop().await;
}

#[tokio::test]
async fn teachers_mark_only_what_they_teach_and_families_see_only_their_own() {
    let t = TestApp::spawn_demo().await;
    let (school, class, subject) = other_class_of_prof(&t).await;
    let pupils = students(&t, school, class).await;
    let prof = t.signed_in("demo.prof").await;
    let (other, other_subject) = colleague(&t, class, &subject).await;

    // demo.prof does not teach the colleague's subject in this class: 403, nothing created.
    let token = prof.form_token("/notes/evaluations/nouvelle").await;
    let res = prof
        .post_form(
            "/notes/evaluations/nouvelle",
            &[
                ("csrf_token", &token),
                ("teaching", &format!("{class}:{other_subject}")),
                ("title", "Hors de mes cours"),
                ("day", "2026-09-02"),
                ("kind", "notes"),
                ("scale", "20"),
                ("coefficient", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    // A date outside every period is refused with the field named.
    let res = prof
        .post_form(
            "/notes/evaluations/nouvelle",
            &[
                ("csrf_token", &token),
                ("teaching", &format!("{class}:{subject}")),
                ("title", "Pendant l'été"),
                ("day", "2026-08-15"),
                ("kind", "notes"),
                ("scale", "20"),
                ("coefficient", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Date : aucune période de notation ne contient cette date")
    );

    // The colleague may neither open nor mark demo.prof's evaluation (they teach the class, not this).
    let id = create(
        &prof,
        &format!("{class}:{subject}"),
        "Évaluation du professeur",
        "notes",
        "20",
        "1",
        &[],
    )
    .await;
    let colleague_browser = sign_in_as(&t, other).await;
    assert_eq!(
        colleague_browser
            .get_html(&format!("/notes/evaluations/{id}"))
            .await
            .0,
        403
    );
    let token = colleague_browser.form_token("/notes/evaluations").await;
    let field = format!("note.{}", pupils[0].id);
    let res = colleague_browser
        .post_form(
            &format!("/notes/evaluations/{id}"),
            &[("csrf_token", &token), (&field, "20")],
        )
        .await;
    assert_eq!(res.status(), 403);
    let res = colleague_browser
        .post_form(
            &format!("/notes/evaluations/{id}/publier"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert!(
        bus::pending(t.db(), Some("grades.published"), 10)
            .await
            .unwrap()
            .is_empty()
    );

    // Skills only: levels per component, then the student's cycle summary counts them.
    let skills = create(
        &prof,
        &format!("{class}:{subject}"),
        "Exposé",
        "competences",
        "",
        "",
        &["D2", "D1.3"],
    )
    .await;
    let (_, grid) = prof.get_html(&format!("/notes/evaluations/{skills}")).await;
    assert!(
        grid.contains("name=\"comp.") && !grid.contains("name=\"note."),
        "no mark column"
    );
    let s1 = pupils[0].id;
    let (d2, d13) = (format!("comp.{s1}.d2"), format!("comp.{s1}.d13"));
    let res = post_grid(
        &prof,
        skills,
        &[],
        &[(&d2, "4"), (&d13, "2"), ("action", "publier")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let student = sign_in_as(&t, s1).await;
    let (status, page) = student.get_html("/notes/competences").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("lvl lvl-4\">Très bonne maîtrise") && page.contains("lvl lvl-2\">Maîtrise fragile"),
        "{page}"
    );

    // Another family's parent: the child is not theirs (404), and neither is the evaluation.
    let parent = t.signed_in("demo.parent").await;
    as_parent_in(&parent, school).await;
    assert_eq!(parent.get_html(&format!("/notes?eleve={s1}")).await.0, 404);
    assert_eq!(
        parent
            .get_html(&format!("/notes/evaluations/{skills}?eleve={s1}"))
            .await
            .0,
        404
    );
    assert_eq!(
        parent.get_html(&format!("/notes/competences?eleve={s1}")).await.0,
        404
    );
    assert_eq!(
        parent.get_html(&format!("/notes/evaluations/{skills}")).await.0,
        404
    );
    // A student of another class does not see it either.
    let eleve = t.signed_in("demo.eleve").await;
    assert_eq!(
        eleve.get_html(&format!("/notes/evaluations/{skills}")).await.0,
        404
    );
    assert_eq!(eleve.get_html("/notes/evaluations/nouvelle").await.0, 404);
    t.stop().await;
}

#[tokio::test]
async fn the_demo_shows_published_marks_and_hides_the_draft() {
    let t = TestApp::spawn_demo().await;
    let eleve = t.signed_in("demo.eleve").await;
    let (status, page) = eleve.get_html("/notes").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Contrôle de fin de chapitre") && page.contains("Moyenne générale"),
        "{page}"
    );
    assert!(
        !page.contains("Évaluation en préparation"),
        "the draft stays hidden"
    );
    let prof = t.signed_in("demo.prof").await;
    let (_, list) = prof.get_html("/notes/evaluations").await;
    assert!(list.contains("Évaluation en préparation") && list.contains("Brouillon"));
    let draft = list.split("/notes/evaluations/").find(|s| {
        s.get(36..)
            .is_some_and(|rest| rest.starts_with("\">Évaluation en préparation"))
    });
    let draft: Uuid = draft.unwrap()[..36].parse().unwrap();
    let (status, grid) = prof.get_html(&format!("/notes/evaluations/{draft}")).await;
    assert_eq!(status, 200);
    assert!(grid.contains("data-marks-grid") && grid.contains("/static/saisie."));
    assert_eq!(
        eleve.get_html(&format!("/notes/evaluations/{draft}")).await.0,
        404
    );
    let parent = t.signed_in("demo.parent").await;
    as_parent_in(&parent, school_of(&t, "demo.eleve").await).await;
    let (status, page) = parent.get_html("/notes").await;
    assert_eq!(status, 200);
    assert!(page.contains("Contrôle de fin de chapitre") && !page.contains("Évaluation en préparation"));
    assert_eq!(
        parent.get_html(&format!("/notes/evaluations/{draft}")).await.0,
        404
    );

    // The cycle summary: demo.eleve is in 3e (cycle 4), with brevet points; the head teacher and the
    // direction see the class.
    let (_, skills) = eleve.get_html("/notes/competences").await;
    assert!(
        skills.contains("cycle 4") && skills.contains("Points du socle pour le brevet"),
        "{skills}"
    );
    let (_, skills) = prof.get_html("/notes/competences").await;
    assert!(skills.contains("/notes/competences?classe="), "{skills}");
    let direction = t.signed_in("demo.direction").await;
    let (status, _) = direction.get_html("/notes/competences").await;
    assert_eq!(status, 200);
    let script = prof
        .get(
            grid.split("src=\"")
                .find(|s| s.starts_with("/static/saisie"))
                .unwrap()
                .split('"')
                .next()
                .unwrap(),
        )
        .await;
    assert_eq!(script.status(), 200);
    assert!(script.text().await.unwrap().contains("data-marks-grid"));
    t.stop().await;
}

#[tokio::test]
async fn periods_and_rules_are_set_by_the_direction_only() {
    let t = TestApp::spawn_demo().await;
    let direction = t.signed_in("demo.direction").await;
    let (status, page) = direction.get_html("/notes/periodes").await;
    assert_eq!(status, 200);
    assert!(page.contains("1er trimestre") && page.contains("01/09/2026") && page.contains("30/11/2026"));
    let ids: Vec<String> = (1..=3)
        .map(|i| testkit::hidden_value(&page, &format!("id{i}")).unwrap())
        .collect();
    let token = csrf_token(&page).unwrap();

    // A teacher reads them but may not change them; a student does not even see them.
    let prof = t.signed_in("demo.prof").await;
    let (status, page) = prof.get_html("/notes/periodes").await;
    assert_eq!(status, 200);
    assert!(!page.contains("Enregistrer les périodes"));
    let prof_token = csrf_token(&page).unwrap();
    let semesters = |token: &str| -> Vec<(String, String)> {
        [
            ("csrf_token", token),
            ("id1", &ids[0]),
            ("label1", "1er semestre"),
            ("start1", "2026-09-01"),
            ("end1", "2027-01-31"),
            ("id2", &ids[1]),
            ("label2", "2e semestre"),
            ("start2", "2027-02-01"),
            ("end2", "2027-07-04"),
            ("id3", &ids[2]),
            ("label3", ""),
            ("start3", ""),
            ("end3", ""),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    };
    let post = |b: &Browser, path: &'static str, form: Vec<(String, String)>| {
        let client = b.client.clone();
        let url = format!("{}{path}", b.base);
        async move { client.post(url).form(&form).send().await.unwrap() }
    };
    let res = post(&prof, "/notes/periodes", semesters(&prof_token)).await;
    assert_eq!(res.status(), 403);
    let res = post(
        &prof,
        "/notes/reglages",
        vec![
            ("csrf_token".into(), prof_token.clone()),
            ("nr".into(), "non_compte".into()),
        ],
    )
    .await;
    assert_eq!(res.status(), 403);
    let eleve = t.signed_in("demo.eleve").await;
    assert_eq!(eleve.get_html("/notes/periodes").await.0, 404);

    // Overlapping periods are refused with the reason; semesters replace the trimesters.
    let mut bad = semesters(&token);
    bad[7].1 = "2027-01-15".into();
    let res = post(&direction, "/notes/periodes", bad).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("la période « 2e semestre » chevauche la précédente")
    );
    let res = post(&direction, "/notes/periodes", semesters(&token)).await;
    assert_eq!(res.status(), 303);
    let (_, page) = direction.get_html("/notes/periodes").await;
    assert!(page.contains("1er semestre") && page.contains("31/01/2027") && !page.contains("3e trimestre"));
    assert_eq!(
        testkit::hidden_value(&page, "id1").unwrap(),
        ids[0],
        "a kept period keeps its id"
    );
    let (_, marks) = eleve.get_html("/notes").await;
    assert!(marks.contains("1er semestre") && marks.contains("2e semestre"));
    t.stop().await;
}
