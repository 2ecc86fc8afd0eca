//! The cahier de textes and homework through HTTP: a teacher fills in a lesson and sets homework, the
//! student ticks it and hands it in (on time, then late), the teacher returns corrections; families,
//! other classes, other teachers and granted readers see exactly what they may.

use sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use testkit::{Browser, TestApp, csrf_token, location};
use uuid::Uuid;

fn a(n: &str) -> Alias {
    Alias::new(n)
}

fn col(t: &str, c: &str) -> Expr {
    Expr::col((a(t), a(c)))
}

/// The demo lesson: (school, class, class name, subject code) of demo.eleve's class taught by demo.prof.
async fn demo_class(t: &TestApp) -> (Uuid, Uuid, String, String) {
    let (prof, eleve) = (t.user_id("demo.prof").await, t.user_id("demo.eleve").await);
    let q = Query::select()
        .column((a("t"), a("school_id")))
        .column((a("t"), a("class_id")))
        .column((a("c"), a("name")))
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
    t.db().fetch_one(&q).await.unwrap()
}

/// A student of the school in another division than `class`.
async fn student_of_another_class(t: &TestApp, school: Uuid, class: Uuid) -> Uuid {
    let q = Query::select()
        .column((a("s"), a("student_id")))
        .from_as(a("class_students"), a("s"))
        .join_as(
            JoinType::InnerJoin,
            a("classes"),
            a("c"),
            col("c", "id").equals((a("s"), a("class_id"))),
        )
        .and_where(col("s", "school_id").eq(school))
        .and_where(col("c", "kind").eq("classe"))
        .and_where(col("s", "class_id").ne(class))
        .limit(1)
        .to_owned();
    t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
}

/// Teachers of the school: one who teaches `class` another subject than `subject`, and one who does
/// not teach `class` at all.
async fn other_teachers(t: &TestApp, school: Uuid, class: Uuid, subject: &str) -> (Uuid, Uuid) {
    let q = Query::select()
        .column(a("teacher_id"))
        .from(a("teachings"))
        .and_where(Expr::col(a("class_id")).eq(class))
        .and_where(Expr::col(a("subject_code")).ne(subject))
        .limit(1)
        .to_owned();
    let colleague = t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0;
    let of_class = Query::select()
        .column(a("teacher_id"))
        .from(a("teachings"))
        .and_where(Expr::col(a("class_id")).eq(class))
        .to_owned();
    let q = Query::select()
        .column(a("teacher_id"))
        .from(a("teachings"))
        .and_where(Expr::col(a("school_id")).eq(school))
        .and_where(Expr::col(a("teacher_id")).not_in_subquery(of_class))
        .limit(1)
        .to_owned();
    let stranger = t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0;
    (colleague, stranger)
}

fn seance_path(class: Uuid, subject: &str, day: &str, lesson: Uuid) -> String {
    format!("/cahier/seance?classe={class}&matiere={subject}&jour={day}&cours={lesson}")
}

/// The fields identifying a lesson occurrence in the séance forms.
fn seance_fields<'a>(
    token: &'a str,
    class: &'a str,
    subject: &'a str,
    day: &'a str,
    lesson: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf_token", token),
        ("classe", class),
        ("matiere", subject),
        ("jour", day),
        ("cours", lesson),
    ]
}

/// demo.prof fills in Wednesday 2 September's lesson (with an attachment) and sets homework due the
/// next Wednesday, handed in online before Tuesday 18:00. Returns the homework's id.
async fn prof_sets_homework(prof: &Browser, class: Uuid, subject: &str, lesson: Uuid) -> Uuid {
    let path = seance_path(class, subject, "2026-09-02", lesson);
    let token = prof.form_token(&path).await;
    let (c, l) = (class.to_string(), lesson.to_string());
    let mut fields = seance_fields(&token, &c, subject, "2026-09-02", &l);
    fields.push(("content", "Théorème de Pythagore : énoncé et démonstration."));
    fields.push(("links", "Cours en ligne | https://example.org/pythagore"));
    let res = prof
        .post_multipart(
            "/cahier/seance",
            &fields,
            &[("files", "figure.pdf", b"%PDF-1.4 figure")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let mut fields = seance_fields(&token, &c, subject, "2026-09-02", &l);
    fields.extend([
        ("title", "Exercices 4 et 5 page 32"),
        ("instructions", "Rédigez proprement.\nJustifiez chaque étape."),
        ("due_kind", "jour"),
        ("due_day", "2026-09-09"),
        ("minutes", "30"),
        ("handin", "1"),
        ("deadline", "2026-09-08T18:00"),
        ("hw_links", ""),
    ]);
    let res = prof.post_multipart("/cahier/seance/devoir", &fields, &[]).await;
    assert_eq!(res.status(), 303);
    let to = location(&res);
    let id = to
        .split("devoir=")
        .nth(1)
        .and_then(|s| s.split('#').next())
        .unwrap();
    id.parse().unwrap()
}

/// The id of the first file listed on a page.
fn first_file(html: &str) -> String {
    html.split("/devoirs/fichiers/").nth(1).unwrap()[..36].to_string()
}

#[tokio::test]
async fn homework_is_set_handed_in_on_time_then_late_and_corrected() {
    let t = TestApp::spawn_demo().await;
    let (school, class, class_name, subject) = demo_class(&t).await;
    let lesson = Uuid::now_v7();
    let prof = t.signed_in("demo.prof").await;
    let id = prof_sets_homework(&prof, class, &subject, lesson).await;

    // The lesson's page shows what was written, as saved.
    let (status, html) = prof
        .get_html(&seance_path(class, &subject, "2026-09-02", lesson))
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Théorème de Pythagore")
            && html.contains("figure.pdf")
            && html.contains("Exercices 4 et 5 page 32")
    );
    assert!(html.contains(&class_name));

    // Bad input is refused with the field named, and what was typed is shown again.
    let token = csrf_token(&html).unwrap();
    let (c, l) = (class.to_string(), lesson.to_string());
    let mut fields = seance_fields(&token, &c, &subject, "2026-09-02", &l);
    fields.extend([
        ("title", "Devoir en retard"),
        ("due_kind", "jour"),
        ("due_day", "2026-09-01"),
    ]);
    let res = prof.post_multipart("/cahier/seance/devoir", &fields, &[]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Échéance : l") && html.contains("ne peut pas précéder la séance"),
        "{html}"
    );
    assert!(
        html.contains("value=\"Devoir en retard\""),
        "what was typed is kept"
    );
    let mut fields = seance_fields(&token, &c, &subject, "2026-09-02", &l);
    fields.push(("content", "x"));
    fields.push(("links", "javascript:alert(1)"));
    let res = prof.post_multipart("/cahier/seance", &fields, &[]).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Liens : chaque lien doit être une adresse web")
    );

    // Setting it was announced, in the same transaction.
    let events = bus::pending(t.db(), Some("homework.assigned"), 10).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].payload()["homework"], id.to_string());

    // The timetable's marks: the lesson has content.
    let marks = homework::marks(
        t.db(),
        kernel::SchoolId(school),
        &[class],
        "2026-08-31",
        "2026-09-06",
    )
    .await
    .unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(
        (marks[0].lesson_id, marks[0].day.as_str(), marks[0].has_content),
        (lesson, "2026-09-02", true)
    );

    // The student's list: subject, title, estimated time, hand-in to do.
    let student = t.signed_in("demo.eleve").await;
    let (status, list) = student.get_html("/devoirs").await;
    assert_eq!(status, 200);
    assert!(
        list.contains("Pour mercredi 09/09/2026") && list.contains("Exercices 4 et 5 page 32"),
        "{list}"
    );
    assert!(list.contains("Durée estimée : 30 min") && list.contains("non rendu"));
    assert!(
        list.contains("Apporter le manuel et une calculatrice"),
        "the demo's own homework is there too"
    );
    let token = csrf_token(&list).unwrap();
    let res = student
        .post_form(
            &format!("/devoirs/{id}/fait"),
            &[("csrf_token", &token), ("done", "1")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, list) = student.get_html("/devoirs").await;
    assert!(list.contains("aria-pressed=\"true\""), "ticked done");

    // Handed in on time, with a file.
    let path = format!("/devoirs/{id}");
    let token = student.form_token(&path).await;
    let res = student
        .post_multipart(
            &format!("{path}/rendre"),
            &[("csrf_token", &token), ("text", "Voici ma réponse.")],
            &[("files", "copie.pdf", b"%PDF-1.4 copie")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, page) = student.get_html(&path).await;
    assert!(
        page.contains("rendu à temps") && page.contains("Voici ma réponse.") && page.contains("copie.pdf"),
        "{page}"
    );

    // The teacher sees who handed in, and downloads the work.
    let (_, list) = prof.get_html("/devoirs").await;
    assert!(
        list.contains("Exercices 4 et 5 page 32") && list.contains("1 / "),
        "{list}"
    );
    let (_, page) = prof.get_html(&path).await;
    assert!(
        page.contains("rendu à temps") && page.contains("non rendu"),
        "others have not handed in"
    );
    let copie = first_file(&page);
    let res = prof.get(&format!("/devoirs/fichiers/{copie}")).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"copie.pdf\"")
    );
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"%PDF-1.4 copie");

    // An individual correction and a common one.
    let eleve = t.user_id("demo.eleve").await;
    let token = csrf_token(&page).unwrap();
    let res = prof
        .post_multipart(
            &format!("{path}/corriger/{eleve}"),
            &[
                ("csrf_token", &token),
                ("text", "Très bien, attention aux unités."),
            ],
            &[("files", "annotee.pdf", b"%PDF-1.4 annotee")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = prof
        .post_multipart(
            &format!("{path}/corrige"),
            &[("csrf_token", &token), ("text", "Corrigé : a² + b² = c².")],
            &[],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        bus::pending(t.db(), Some("homework.corrected"), 10)
            .await
            .unwrap()
            .len(),
        1
    );
    let (_, page) = student.get_html(&path).await;
    assert!(
        page.contains("Très bien, attention aux unités.") && page.contains("annotee.pdf"),
        "{page}"
    );
    assert!(page.contains("Corrigé commun") && page.contains("Corrigé : a² + b² = c²."));

    // Handed in again after the deadline (Tuesday 18:00): late.
    t.clock.advance_secs(7 * 24 * 3600);
    let (student, prof) = (t.signed_in("demo.eleve").await, t.signed_in("demo.prof").await);
    let token = student.form_token(&path).await;
    let res = student
        .post_multipart(
            &format!("{path}/rendre"),
            &[("csrf_token", &token), ("text", "Version corrigée.")],
            &[],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, page) = student.get_html(&path).await;
    assert!(page.contains("rendu en retard"), "{page}");
    let (_, page) = prof.get_html(&path).await;
    assert!(page.contains("rendu en retard"));
    t.stop().await;
}

/// Acts as a parent in `school` (demo.parent has children in two schools).
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

#[tokio::test]
async fn families_and_other_classes_see_only_what_is_theirs() {
    let t = TestApp::spawn_demo_with(|s| {
        s.mfa_required.clear();
        s.max_upload_bytes = 50_000;
    })
    .await;
    let (school, class, _, subject) = demo_class(&t).await;
    let lesson = Uuid::now_v7();
    let prof = t.signed_in("demo.prof").await;
    let id = prof_sets_homework(&prof, class, &subject, lesson).await;
    let (_, seance) = prof
        .get_html(&seance_path(class, &subject, "2026-09-02", lesson))
        .await;
    let figure = first_file(&seance);

    // A file over the limit is refused with a clear message, and nothing is recorded.
    let student = t.signed_in("demo.eleve").await;
    let path = format!("/devoirs/{id}");
    let token = student.form_token(&path).await;
    let big = vec![b'x'; 60_000];
    let res = student
        .post_multipart(
            &format!("{path}/rendre"),
            &[("csrf_token", &token), ("text", "Ma copie")],
            &[("files", "scan.jpg", &big)],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Fichiers joints : le fichier « scan.jpg » est trop volumineux (59 ko, maximum 49 ko)"),
        "{html}"
    );
    assert!(html.contains(">Ma copie</textarea>"), "what was typed is kept");
    assert!(student.get_html(&path).await.1.contains("non rendu"));

    // The parent sees their child's homework, read-only, and no one else's.
    let eleve = t.user_id("demo.eleve").await;
    let parent = t.signed_in("demo.parent").await;
    as_parent_in(&parent, school).await;
    let (status, list) = parent.get_html(&format!("/devoirs?eleve={eleve}")).await;
    assert_eq!(status, 200);
    assert!(
        list.contains("Exercices 4 et 5 page 32") && !list.contains("aria-pressed"),
        "{list}"
    );
    let (status, page) = parent.get_html(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Travail de ") && page.contains("non rendu") && !page.contains("/rendre"));
    let res = parent
        .post_form(
            &format!("{path}/fait"),
            &[("csrf_token", &csrf_token(&page).unwrap()), ("done", "1")],
        )
        .await;
    assert_eq!(res.status(), 403, "a parent does not tick for their child");
    let stranger = student_of_another_class(&t, school, class).await;
    assert_eq!(
        parent.get_html(&format!("/devoirs?eleve={stranger}")).await.0,
        404
    );
    assert_eq!(parent.get_html(&format!("/cahier?eleve={stranger}")).await.0, 404);
    assert_eq!(
        parent.get(&format!("/devoirs/fichiers/{figure}")).await.status(),
        200,
        "their child's class file"
    );

    // A student of another class sees nothing of it, not even that it exists.
    let other = t.signed_in_as(stranger).await;
    let (_, list) = other.get_html("/devoirs").await;
    assert!(!list.contains("Exercices 4 et 5 page 32"));
    assert_eq!(other.get_html(&path).await.0, 404);
    assert_eq!(other.get_html(&format!("/cahier/classe/{class}")).await.0, 404);
    assert_eq!(
        other
            .get_html(&seance_path(class, &subject, "2026-09-02", lesson))
            .await
            .0,
        404
    );
    assert_eq!(
        other.get(&format!("/devoirs/fichiers/{figure}")).await.status(),
        404
    );
    let token = csrf_token(&list).unwrap();
    let res = other
        .post_multipart(
            &format!("{path}/rendre"),
            &[("csrf_token", &token), ("text", "x")],
            &[],
        )
        .await;
    assert_eq!(res.status(), 404);
    t.stop().await;
}

#[tokio::test]
async fn only_the_classs_teacher_writes_its_log_in_their_subject() {
    let t = TestApp::spawn_demo().await;
    let (school, class, _, subject) = demo_class(&t).await;
    let lesson = Uuid::now_v7();
    let prof = t.signed_in("demo.prof").await;
    let id = prof_sets_homework(&prof, class, &subject, lesson).await;
    let (colleague, stranger) = other_teachers(&t, school, class, &subject).await;
    let (c, l) = (class.to_string(), lesson.to_string());

    // A colleague of the class reads its log but does not write in demo.prof's subject.
    let colleague = t.signed_in_as(colleague).await;
    let (status, log) = colleague.get_html(&format!("/cahier/classe/{class}")).await;
    assert_eq!(status, 200);
    assert!(log.contains("Théorème de Pythagore"));
    let token = colleague.form_token("/cahier").await;
    let mut fields = seance_fields(&token, &c, &subject, "2026-09-02", &l);
    fields.push(("content", "Effacé"));
    assert_eq!(
        colleague
            .post_multipart("/cahier/seance", &fields, &[])
            .await
            .status(),
        403
    );
    let path = format!("/devoirs/{id}");
    let (status, page) = colleague.get_html(&path).await;
    assert_eq!(status, 200);
    assert!(!page.contains("/corriger/"), "no correction forms for a reader");
    let res = colleague
        .post_multipart(
            &format!("{path}/corrige"),
            &[("csrf_token", &token), ("text", "x")],
            &[],
        )
        .await;
    assert_eq!(res.status(), 403);

    // A teacher who does not teach the class neither reads nor writes it.
    let stranger = t.signed_in_as(stranger).await;
    let token = stranger.form_token("/cahier").await;
    assert_eq!(
        stranger
            .get_html(&seance_path(class, &subject, "2026-09-02", lesson))
            .await
            .0,
        404
    );
    let mut fields = seance_fields(&token, &c, &subject, "2026-09-02", &l);
    fields.push(("content", "Effacé"));
    assert_eq!(
        stranger
            .post_multipart("/cahier/seance", &fields, &[])
            .await
            .status(),
        404
    );
    let mut fields = seance_fields(&token, &c, &subject, "2026-09-02", &l);
    fields.extend([
        ("title", "Intrus"),
        ("due_kind", "jour"),
        ("due_day", "2026-09-09"),
    ]);
    assert_eq!(
        stranger
            .post_multipart("/cahier/seance/devoir", &fields, &[])
            .await
            .status(),
        404
    );
    assert_eq!(stranger.get_html(&path).await.0, 404);
    let res = stranger
        .post_form(&format!("{path}/supprimer"), &[("csrf_token", &token)])
        .await;
    assert_eq!(res.status(), 404);

    // demo.prof's entry is unchanged.
    let (_, log) = prof.get_html(&format!("/cahier/classe/{class}")).await;
    assert!(log.contains("Théorème de Pythagore") && !log.contains("Effacé") && !log.contains("Intrus"));
    t.stop().await;
}

#[tokio::test]
async fn a_granted_reader_reads_every_class_writes_nothing_and_the_log_outlives_the_year() {
    let t = TestApp::spawn_demo().await;
    let (_, class, class_name, subject) = demo_class(&t).await;
    let lesson = Uuid::now_v7();
    let prof = t.signed_in("demo.prof").await;
    prof_sets_homework(&prof, class, &subject, lesson).await;
    let (_, seance) = prof
        .get_html(&seance_path(class, &subject, "2026-09-02", lesson))
        .await;
    let figure = first_file(&seance);

    let cpe = t.signed_in("demo.cpe").await;
    assert_eq!(cpe.get_html(&format!("/cahier/classe/{class}")).await.0, 404);
    assert_eq!(
        cpe.get(&format!("/devoirs/fichiers/{figure}")).await.status(),
        404
    );
    assert_eq!(
        cpe.get_html("/cahier/lecteurs").await.0,
        403,
        "only the direction grants access"
    );

    // The direction reads every class and grants the CPE read access.
    let head = t.signed_in("demo.direction").await;
    let (status, home) = head.get_html("/cahier").await;
    assert_eq!(status, 200);
    assert!(home.contains(&class_name) && home.contains("/cahier/lecteurs"));
    let token = head.form_token("/cahier/lecteurs").await;
    let res = head
        .post_form(
            "/cahier/lecteurs",
            &[("csrf_token", &token), ("login", "personne.inconnue")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Identifiant de la personne : aucune personne de l")
            && html.contains("cet identifiant"),
        "{html}"
    );
    assert!(
        html.contains("value=\"personne.inconnue\""),
        "what was typed is kept"
    );
    let res = head
        .post_form(
            "/cahier/lecteurs",
            &[("csrf_token", &token), ("login", "demo.cpe")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, readers) = head.get_html("/cahier/lecteurs").await;
    assert!(readers.contains("Retirer l"), "{readers}");

    let (status, log) = cpe.get_html(&format!("/cahier/classe/{class}")).await;
    assert_eq!(status, 200);
    assert!(log.contains("Théorème de Pythagore") && log.contains("Exercices 4 et 5 page 32"));
    assert_eq!(
        cpe.get(&format!("/devoirs/fichiers/{figure}")).await.status(),
        200
    );
    let (status, page) = cpe
        .get_html(&seance_path(class, &subject, "2026-09-02", lesson))
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Théorème de Pythagore") && !page.contains("name=\"content\""),
        "read-only"
    );
    let token = csrf_token(&page).unwrap();
    let (c, l) = (class.to_string(), lesson.to_string());
    let mut fields = seance_fields(&token, &c, &subject, "2026-09-02", &l);
    fields.push(("content", "Modifié"));
    assert_eq!(
        cpe.post_multipart("/cahier/seance", &fields, &[]).await.status(),
        403
    );

    // Revoked, the access ends.
    let cpe_id = t.user_id("demo.cpe").await;
    let token = head.form_token("/cahier/lecteurs").await;
    let res = head
        .post_form(
            "/cahier/lecteurs/retirer",
            &[("csrf_token", &token), ("user", &cpe_id.to_string())],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(cpe.get_html(&format!("/cahier/classe/{class}")).await.0, 404);

    // The year rollover deletes the classes; the legal log stays readable by the direction.
    t.app.roll_over("2025-2026").await.unwrap();
    let (status, log) = head.get_html(&format!("/cahier/classe/{class}")).await;
    assert_eq!(status, 200);
    assert!(log.contains(&class_name) && log.contains("Théorème de Pythagore"));
    t.stop().await;
}
