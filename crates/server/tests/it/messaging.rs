//! Messaging as people use it: a teacher writes to a class's parents, a parent answers privately, the
//! school's communication rules decide who may write to whom, and the abuse defences (limits, holds,
//! reports, kill switches) stop a hacked account without losing anyone's mail.

use sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use testkit::{Browser, TestApp, location};
use uuid::Uuid;

fn a(n: &str) -> Alias {
    Alias::new(n)
}

/// Posts the compose form as a browser does (multipart), with a fresh CSRF token.
async fn send(b: &Browser, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> reqwest::Response {
    let csrf = b.form_token("/messagerie/nouveau").await;
    let mut all: Vec<(&str, &str)> = vec![("csrf_token", &csrf)];
    all.extend_from_slice(fields);
    b.post_multipart("/messagerie/nouveau", &all, files).await
}

/// Sends a text message to one recipient (a `dest:` field) from the compose form.
async fn write(b: &Browser, to: &str, subject: &str, body: &str) -> reqwest::Response {
    send(
        b,
        &[
            (to, "to"),
            ("subject", subject),
            ("body", body),
            ("action", "send"),
        ],
        &[],
    )
    .await
}

/// demo.eleve's class (the division demo.prof teaches).
async fn demo_class(t: &TestApp) -> Uuid {
    let eleve = t.user_id("demo.eleve").await;
    let q = Query::select()
        .column((a("cs"), a("class_id")))
        .from_as(a("class_students"), a("cs"))
        .join_as(
            JoinType::InnerJoin,
            a("classes"),
            a("c"),
            Expr::col((a("c"), a("id"))).equals((a("cs"), a("class_id"))),
        )
        .and_where(Expr::col((a("cs"), a("student_id"))).eq(eleve))
        .and_where(Expr::col((a("c"), a("kind"))).eq("classe"))
        .to_owned();
    t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
}

/// A student of `class` other than `not`, and one of their legal guardians.
async fn classmate_and_parent(t: &TestApp, class: Uuid, not: Uuid) -> (Uuid, Uuid) {
    let q = Query::select()
        .column((a("cs"), a("student_id")))
        .column((a("g"), a("guardian_id")))
        .from_as(a("class_students"), a("cs"))
        .join_as(
            JoinType::InnerJoin,
            a("guardianships"),
            a("g"),
            Expr::col((a("g"), a("student_id"))).equals((a("cs"), a("student_id"))),
        )
        .and_where(Expr::col((a("cs"), a("class_id"))).eq(class))
        .and_where(Expr::col((a("cs"), a("student_id"))).ne(not))
        .and_where(Expr::col((a("g"), a("legal"))).eq(true))
        .limit(1)
        .to_owned();
    t.db().fetch_one(&q).await.unwrap()
}

/// A student of demo.eleve's school in another division.
async fn student_elsewhere(t: &TestApp, class: Uuid) -> Uuid {
    let eleve = t.user_id("demo.eleve").await;
    let q = Query::select()
        .column((a("cs"), a("student_id")))
        .from_as(a("class_students"), a("cs"))
        .and_where(
            Expr::col((a("cs"), a("school_id"))).in_subquery(
                Query::select()
                    .column(a("school_id"))
                    .from(a("class_students"))
                    .and_where(Expr::col(a("student_id")).eq(eleve))
                    .to_owned(),
            ),
        )
        .and_where(
            Expr::col((a("cs"), a("student_id"))).not_in_subquery(
                Query::select()
                    .column(a("student_id"))
                    .from(a("class_students"))
                    .and_where(Expr::col(a("class_id")).eq(class))
                    .to_owned(),
            ),
        )
        .limit(1)
        .to_owned();
    t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
}

/// The opening `<li …>` of the folder line whose subject is `subject`.
fn line_of<'a>(html: &'a str, subject: &str) -> &'a str {
    let at = html
        .find(subject)
        .unwrap_or_else(|| panic!("no line {subject}: {html}"));
    let start = html[..at].rfind("<li").unwrap();
    &html[start..start + html[start..].find('>').unwrap()]
}

/// The conversation link of the line whose subject is `subject`.
fn conversation_of(html: &str, subject: &str) -> String {
    let at = html
        .find(subject)
        .unwrap_or_else(|| panic!("no line {subject}: {html}"));
    let start = html[..at].rfind("href=\"").unwrap() + 6;
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// The first address in `html` starting with `prefix` (a form's action, a link).
fn first_link<'a>(html: &'a str, prefix: &str) -> &'a str {
    let start = html
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in {html}"));
    &html[start..start + html[start..].find('"').unwrap()]
}

fn dest(id: Uuid) -> String {
    format!("dest:p:{id}")
}

#[tokio::test]
async fn a_teacher_writes_to_the_class_parents_and_a_parent_answers_privately() {
    let t = TestApp::spawn_demo().await;
    let class = demo_class(&t).await;
    let eleve = t.user_id("demo.eleve").await;
    let (_, other_parent) = classmate_and_parent(&t, class, eleve).await;
    let prof = t.signed_in("demo.prof").await;

    // The compose form offers the class's parents as a group.
    let (status, form) = prof.get_html("/messagerie/nouveau").await;
    assert_eq!(status, 200);
    let group = format!("dest:parents:{class}");
    assert!(form.contains(&group), "the class's parents are offered: {form}");

    let res = send(
        &prof,
        &[
            (&group, "to"),
            ("subject", "Sortie au musée jeudi"),
            (
                "body",
                "Bonjour,\n\nprévoir un pique-nique. <script>alert(1)</script>",
            ),
            ("read_tracking", "1"),
            ("action", "send"),
        ],
        &[],
    )
    .await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    assert_eq!(location(&res), "/messagerie?ok=sent");

    // demo.parent finds it unread in the inbox, opens it: the text is there, the script is not.
    let parent = t.signed_in("demo.parent").await;
    let (_, inbox) = parent.get_html("/messagerie").await;
    assert!(inbox.contains("Sortie au musée jeudi"), "{inbox}");
    assert!(
        line_of(&inbox, "Sortie au musée jeudi").contains("msg-unread"),
        "shown unread: {inbox}"
    );
    let conv = conversation_of(&inbox, "Sortie au musée jeudi");
    let (status, page) = parent.get_html(&conv).await;
    assert_eq!(status, 200);
    assert!(page.contains("prévoir un pique-nique"), "{page}");
    assert!(!page.contains("<script>alert(1)"), "the text is escaped: {page}");
    assert!(page.contains("&lt;script&gt;"), "{page}");
    let (_, inbox) = parent.get_html("/messagerie").await;
    assert!(
        !line_of(&inbox, "Sortie au musée jeudi").contains("msg-unread"),
        "opening it marked it read: {inbox}"
    );

    // The teacher sees who read it.
    let (_, prof_view) = prof.get_html(&conv).await;
    assert!(prof_view.contains("Lu par 1 sur"), "{prof_view}");

    // The teacher follows their own message up: it goes to the same parents, unread by all so far.
    let own = testkit::hidden_value(&prof_view, "reply_to").expect("a reply form");
    let csrf = prof.form_token(&conv).await;
    let res = prof
        .post_multipart(
            "/messagerie/nouveau",
            &[
                ("csrf_token", &csrf),
                ("reply_to", &own),
                ("reply_all", "0"),
                ("body", "Rappel : départ à huit heures devant le collège."),
            ],
            &[],
        )
        .await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let (_, prof_view) = prof.get_html(&conv).await;
    assert!(
        prof_view.contains("Lu par 1 sur"),
        "the first message's count stays: {prof_view}"
    );
    assert!(prof_view.contains("Lu par 0 sur"), "the follow-up's: {prof_view}");
    let (_, inbox) = parent.get_html("/messagerie").await;
    assert!(
        line_of(&inbox, "Sortie au musée jeudi").contains("msg-unread"),
        "the follow-up is unread: {inbox}"
    );
    let (_, page) = parent.get_html(&conv).await;
    assert!(page.contains("départ à huit heures"), "{page}");

    // The parent answers the teacher alone.
    let reply_to = testkit::hidden_value(&page, "reply_to").expect("a reply form");
    let csrf = parent.form_token(&conv).await;
    let res = parent
        .post_multipart(
            "/messagerie/nouveau",
            &[
                ("csrf_token", &csrf),
                ("reply_to", &reply_to),
                ("reply_all", "0"),
                ("body", "Merci, mon fils sera présent."),
            ],
            &[],
        )
        .await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let (_, prof_inbox) = prof.get_html("/messagerie").await;
    assert!(
        prof_inbox.contains("Sortie au musée jeudi"),
        "the reply reached the teacher: {prof_inbox}"
    );
    let (_, thread) = prof.get_html(&conv).await;
    assert!(thread.contains("mon fils sera présent"), "{thread}");

    // Another parent of the class got the message but never sees this private answer.
    let other = t.signed_in_as(other_parent).await;
    let (status, theirs) = other.get_html(&conv).await;
    assert_eq!(status, 200);
    assert!(theirs.contains("prévoir un pique-nique"));
    assert!(
        !theirs.contains("mon fils sera présent"),
        "a private answer stays private"
    );

    // Reply-all was not opened by the teacher: refused with a clear message.
    let (_, theirs) = other.get_html(&conv).await;
    assert!(!theirs.contains("Répondre à tous"), "{theirs}");
    let reply_to = testkit::hidden_value(&theirs, "reply_to").unwrap();
    let csrf = other.form_token(&conv).await;
    let res = other
        .post_multipart(
            "/messagerie/nouveau",
            &[
                ("csrf_token", &csrf),
                ("reply_to", &reply_to),
                ("reply_all", "1"),
                ("body", "À tous !"),
            ],
            &[],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("pas ouverte pour cette conversation"), "{html}");

    // Someone who was not addressed cannot open the conversation at its address.
    let eleve_b = t.signed_in("demo.eleve").await;
    assert_eq!(eleve_b.get(&conv).await.status(), 404);

    // The delivery was announced on the outbox with its recipients.
    let q = Query::select()
        .column(a("payload"))
        .from(a("outbox"))
        .and_where(Expr::col(a("topic")).eq("messaging.received"))
        .to_owned();
    let payloads: Vec<(String,)> = t.db().fetch_all(&q).await.unwrap();
    let first: serde_json::Value = payloads
        .iter()
        .map(|(p,)| serde_json::from_str::<serde_json::Value>(p).unwrap())
        .find(|p| p["subject"] == "Sortie au musée jeudi")
        .expect("the delivery's event");
    let recipients = first["recipients"].as_array().unwrap();
    assert!(recipients.len() >= 2, "the class's parents: {first}");
    assert!(recipients.contains(&serde_json::json!(other_parent)));
}

#[tokio::test]
async fn the_communication_rules_decide_who_may_write_to_whom() {
    let t = TestApp::spawn_demo().await;
    let class = demo_class(&t).await;
    let eleve_id = t.user_id("demo.eleve").await;
    let (classmate, classmate_parent) = classmate_and_parent(&t, class, eleve_id).await;
    let elsewhere = student_elsewhere(&t, class).await;
    let prof_id = t.user_id("demo.prof").await;
    let eleve = t.signed_in("demo.eleve").await;

    // A student writes to a classmate and to their teacher…
    for to in [classmate, prof_id] {
        let d = dest(to);
        let res = write(&eleve, &d, "Devoir", "Tu as compris l'exercice 3 ?").await;
        assert_eq!(res.status(), 303, "to {to}");
    }
    // …but not to a student of another class, nor to another student's parent (an adult who is not
    // staff), and the refusal names the person.
    for to in [elsewhere, classmate_parent] {
        let d = dest(to);
        let res = write(&eleve, &d, "Salut", "Bonjour").await;
        assert_eq!(res.status(), 422, "to {to}");
        let html = res.text().await.unwrap();
        assert!(html.contains("ne vous permettent pas"), "{html}");
    }
    // Nor use a class group.
    let g = format!("dest:eleves:{class}");
    let res = write(&eleve, &g, "Fête", "Venez tous").await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("vous ne pouvez pas écrire à ce groupe")
    );

    // A parent writes to their child's teacher, not to another parent — until the direction opens
    // parent-to-parent messages.
    let parent = t.signed_in("demo.parent").await;
    let d = dest(prof_id);
    let res = write(&parent, &d, "Rendez-vous", "Pouvons-nous nous voir ?").await;
    assert_eq!(res.status(), 303);
    let d = dest(classmate_parent);
    let res = write(&parent, &d, "Covoiturage", "Bonjour").await;
    assert_eq!(res.status(), 422);

    let direction = t.signed_in("demo.direction").await;
    let csrf = direction.form_token("/messagerie/regles").await;
    let mut on = vec![("csrf_token", csrf.as_str())];
    for k in [
        "students_to_classmates",
        "students_to_teachers",
        "students_to_office",
        "parents_to_teachers",
        "parents_to_office",
        "parents_to_parents",
        "read_tracking",
    ] {
        on.push((k, "1"));
    }
    let res = direction.post_form("/messagerie/regles", &on).await;
    assert_eq!(res.status(), 303);
    let res = write(&parent, &d, "Covoiturage", "Bonjour").await;
    assert_eq!(res.status(), 303, "parents may now write to each other");

    // Now close students-to-classmates: the same message is refused.
    let csrf = direction.form_token("/messagerie/regles").await;
    let res = direction
        .post_form(
            "/messagerie/regles",
            &[("csrf_token", &csrf), ("students_to_teachers", "1")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let d = dest(classmate);
    let res = write(&eleve, &d, "Devoir", "Encore moi").await;
    assert_eq!(res.status(), 422);
    // Only the direction changes the rules.
    let prof = t.signed_in("demo.prof").await;
    let res = prof
        .post_form(
            "/messagerie/regles",
            &[("csrf_token", &prof.form_token("/messagerie").await)],
        )
        .await;
    assert_eq!(res.status(), 403);
    // The change is in the journal.
    let (_, page) = direction.get_html("/messagerie/moderation").await;
    assert!(page.contains("Règles de communication modifiées"), "{page}");
}

#[tokio::test]
async fn a_burst_of_the_same_text_is_held_and_the_school_decides() {
    let t = TestApp::spawn_demo().await;
    let class = demo_class(&t).await;
    let eleve_id = t.user_id("demo.eleve").await;
    let prof_id = t.user_id("demo.prof").await;
    let (classmate, _) = classmate_and_parent(&t, class, eleve_id).await;
    let threat = "Une menace très grave vise le collège demain matin, ne venez pas.";
    let d = dest(prof_id);
    // Two accounts send the same text: delivered. The third is held.
    let eleve = t.signed_in("demo.eleve").await;
    let res = write(&eleve, &d, "Alerte", threat).await;
    assert_eq!(location(&res), "/messagerie?ok=sent");
    let mate = t.signed_in_as(classmate).await;
    let res = write(&mate, &d, "Alerte", threat).await;
    assert_eq!(location(&res), "/messagerie?ok=sent");
    let parent = t.signed_in("demo.parent").await;
    let res = write(&parent, &d, "ALERTE", &threat.to_uppercase()).await;
    assert_eq!(location(&res), "/messagerie?dossier=sent&ok=held");
    let (_, sent) = parent.get_html("/messagerie?dossier=sent").await;
    assert!(sent.contains("En attente de modération"), "{sent}");

    // The teacher has two conversations, not the held one.
    let prof = t.signed_in("demo.prof").await;
    let (_, inbox) = prof.get_html("/messagerie").await;
    assert_eq!(inbox.matches("Alerte").count(), 2, "{inbox}");
    assert!(!inbox.contains("ALERTE"));

    // The CPE sees it in the moderation queue with the reason, and rejects it.
    let cpe = t.signed_in("demo.cpe").await;
    let (status, queue) = cpe.get_html("/messagerie/moderation").await;
    assert_eq!(status, 200);
    assert!(
        queue.contains("Même texte envoyé par plusieurs comptes"),
        "{queue}"
    );
    let action = first_link(queue.as_str(), "/messagerie/moderation/messages/");
    let csrf = cpe.form_token("/messagerie/moderation").await;
    let res = cpe
        .post_form(action, &[("csrf_token", &csrf), ("decision", "reject")])
        .await;
    assert_eq!(res.status(), 303);
    let (_, queue) = cpe.get_html("/messagerie/moderation").await;
    assert!(queue.contains("Aucun message retenu"), "{queue}");
    assert!(queue.contains("Message refusé"), "the journal: {queue}");
    let (_, inbox) = prof.get_html("/messagerie").await;
    assert!(!inbox.contains("ALERTE"), "a rejected message is never delivered");

    // A family cannot open the moderation queue.
    assert_eq!(parent.get("/messagerie/moderation").await.status(), 403);

    // Held then released: delivered.
    let other_text = "Rappel: la réunion des délégués est déplacée à jeudi dix-sept heures.";
    for who in [&eleve, &mate, &parent] {
        send(
            who,
            &[
                (&d, "to"),
                ("subject", "Réunion"),
                ("body", other_text),
                ("action", "send"),
            ],
            &[],
        )
        .await;
    }
    let (_, queue) = cpe.get_html("/messagerie/moderation").await;
    let action = first_link(queue.as_str(), "/messagerie/moderation/messages/");
    let csrf = cpe.form_token("/messagerie/moderation").await;
    cpe.post_form(action, &[("csrf_token", &csrf), ("decision", "release")])
        .await;
    let (_, inbox) = prof.get_html("/messagerie").await;
    assert_eq!(inbox.matches("Réunion").count(), 3, "{inbox}");
    // Each reads like any other, the released one too: its addressees were kept while it waited.
    let mut rest = inbox.as_str();
    for _ in 0..3 {
        let conv = conversation_of(rest, "Réunion");
        rest = &rest[rest.find("Réunion").unwrap() + "Réunion".len()..];
        let (status, page) = prof.get_html(&conv).await;
        assert_eq!(status, 200, "{conv}");
        assert!(page.contains("délégués est déplacée"), "{page}");
    }
}

#[tokio::test]
async fn a_new_device_mass_send_is_held() {
    let t = TestApp::spawn_demo().await;
    let class = demo_class(&t).await;
    let prof_id = t.user_id("demo.prof").await;
    // demo.prof has used another device for a month.
    let q = Query::insert()
        .into_table(a("known_devices"))
        .columns([
            a("user_id"),
            a("device_hash"),
            a("first_seen_at"),
            a("last_seen_at"),
        ])
        .values_panic([prof_id.into(), "old-laptop".into(), 0i64.into(), 0i64.into()])
        .to_owned();
    t.db().execute(&q).await.unwrap();
    // Signing in from this new browser is a new device: writing to a whole class's parents is held.
    let prof = t.signed_in("demo.prof").await;
    let group = format!("dest:parents:{class}");
    let res = write(&prof, &group, "Information", "Bonjour à tous").await;
    assert_eq!(location(&res), "/messagerie?dossier=sent&ok=held");
    // One parent is not a mass send.
    let parent_id = t.user_id("demo.parent").await;
    let d = dest(parent_id);
    let res = write(&prof, &d, "Information", "Bonjour madame").await;
    assert_eq!(location(&res), "/messagerie?ok=sent");
    let direction = t.signed_in("demo.direction").await;
    let (_, queue) = direction.get_html("/messagerie/moderation").await;
    assert!(queue.contains("appareil inconnu"), "{queue}");
}

#[tokio::test]
async fn the_rate_limit_stops_a_flood_and_keeps_the_text() {
    let t = TestApp::spawn_demo().await;
    let prof_id = t.user_id("demo.prof").await;
    let eleve = t.signed_in("demo.eleve").await;
    let d = dest(prof_id);
    for n in 0..20 {
        let body = format!("Question numéro {n}");
        let res = write(&eleve, &d, "Question", &body).await;
        assert_eq!(res.status(), 303, "message {n}");
    }
    let res = write(&eleve, &d, "Encore", "La vingt et unième").await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("20 messages depuis une heure"), "{html}");
    assert!(html.contains("conservé dans vos brouillons"), "{html}");
    let (_, drafts) = eleve.get_html("/messagerie?dossier=drafts").await;
    assert!(drafts.contains("Encore"), "nothing is lost: {drafts}");
    // A teacher has a larger allowance; recipients are capped per profile too (a student: 10).
    let (classmates, _) = {
        let class = demo_class(&t).await;
        let q = Query::select()
            .column(a("student_id"))
            .from(a("class_students"))
            .and_where(Expr::col(a("class_id")).eq(class))
            .to_owned();
        (t.db().fetch_all::<(Uuid,)>(&q).await.unwrap(), ())
    };
    let me = t.user_id("demo.eleve").await;
    let mate = classmates.iter().map(|(u,)| *u).find(|u| *u != me).unwrap();
    let other = t.signed_in_as(mate).await;
    let fields: Vec<(String, &str)> = classmates
        .iter()
        .filter(|(u,)| *u != mate)
        .take(11)
        .map(|(u,)| (dest(*u), "to"))
        .collect();
    let mut form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    form.extend([
        ("subject", "Tous"),
        ("body", "Message à beaucoup"),
        ("action", "send"),
    ]);
    let res = send(&other, &form, &[]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("plus que les 10 permises"));
}

#[tokio::test]
async fn kill_switches_stop_sending_at_once_and_lose_nothing() {
    let t = TestApp::spawn_demo().await;
    let prof_id = t.user_id("demo.prof").await;
    let eleve = t.signed_in("demo.eleve").await;
    let d = dest(prof_id);
    let res = write(&eleve, &d, "Avant", "Premier message").await;
    assert_eq!(res.status(), 303);

    // The direction suspends students' sending.
    let direction = t.signed_in("demo.direction").await;
    let csrf = direction.form_token("/messagerie/moderation").await;
    let res = direction
        .post_form(
            "/messagerie/moderation/suspensions",
            &[
                ("csrf_token", &csrf),
                ("profile", "ELV"),
                ("reason", "messages malveillants en cours"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = write(&eleve, &d, "Pendant", "Deuxième message").await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("messages malveillants en cours"), "{html}");
    assert!(html.contains("conservé dans vos brouillons"), "{html}");
    // Teachers still send; received mail is still readable by students.
    let prof = t.signed_in("demo.prof").await;
    let e = dest(t.user_id("demo.eleve").await);
    let res = write(&prof, &e, "Consigne", "Lisez le chapitre 2").await;
    assert_eq!(res.status(), 303);
    let (_, inbox) = eleve.get_html("/messagerie").await;
    assert!(inbox.contains("Consigne"));
    let (_, drafts) = eleve.get_html("/messagerie?dossier=drafts").await;
    assert!(drafts.contains("Pendant"), "{drafts}");

    // Lifting it: the draft can be sent.
    let (_, queue) = direction.get_html("/messagerie/moderation").await;
    let action = first_link(queue.as_str(), "/messagerie/moderation/suspensions/");
    let csrf = direction.form_token("/messagerie/moderation").await;
    assert_eq!(
        direction
            .post_form(action, &[("csrf_token", &csrf)])
            .await
            .status(),
        303
    );
    let res = write(&eleve, &d, "Après", "Troisième message").await;
    assert_eq!(res.status(), 303);

    // The region-wide switch, by the regional administrator, stops everyone, staff included.
    let admin = t.signed_in("demo.admin").await;
    let (status, _) = admin.get_html("/messagerie/region").await;
    assert_eq!(status, 200);
    let csrf = admin.form_token("/messagerie/region").await;
    let res = admin
        .post_form(
            "/messagerie/moderation/suspensions",
            &[
                ("csrf_token", &csrf),
                ("region", "1"),
                ("reason", "attaque nationale"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = write(&prof, &e, "Consigne 2", "Lisez le chapitre 3").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("attaque nationale"));
    // A school cannot lift the region's switch; the region can.
    let (_, queue) = direction.get_html("/messagerie/moderation").await;
    assert!(queue.contains("Toute la région"), "{queue}");
    assert!(!queue.contains("/lever"), "{queue}");
    assert_eq!(direction.get("/messagerie/region").await.status(), 403);
    let (_, page) = admin.get_html("/messagerie/region").await;
    let action = first_link(page.as_str(), "/messagerie/moderation/suspensions/");
    let csrf = admin.form_token("/messagerie/region").await;
    assert_eq!(
        admin.post_form(action, &[("csrf_token", &csrf)]).await.status(),
        303
    );
    let res = write(&prof, &e, "Consigne 2", "Lisez le chapitre 3").await;
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn attachments_are_checked_and_only_recipients_read_them_and_reports_reach_the_school() {
    let t = TestApp::spawn_demo().await;
    let parent_id = t.user_id("demo.parent").await;
    let prof = t.signed_in("demo.prof").await;
    let d = dest(parent_id);
    let pdf = b"%PDF-1.4\n% autorisation de sortie\n%%EOF\n";
    let res = send(
        &prof,
        &[
            (&d, "to"),
            ("subject", "Autorisation"),
            ("body", "Merci de signer le document joint."),
            ("action", "send"),
        ],
        &[("files", "autorisation.pdf", pdf)],
    )
    .await;
    assert_eq!(res.status(), 303);
    // A program is refused, naming the file.
    let res = send(
        &prof,
        &[
            (&d, "to"),
            ("subject", "Outil"),
            ("body", "Installez ceci."),
            ("action", "send"),
        ],
        &[("files", "outil.exe", b"MZ\x90\x00binary")],
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("le type du fichier « outil.exe » n’est pas accepté")
    );
    // Too big: refused.
    let big = vec![b'a'; 10 * 1024 * 1024 + 1];
    let res = send(
        &prof,
        &[
            (&d, "to"),
            ("subject", "Gros"),
            ("body", "Fichier."),
            ("action", "send"),
        ],
        &[("files", "gros.txt", &big)],
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("« gros.txt » pèse"));

    let parent = t.signed_in("demo.parent").await;
    let (_, inbox) = parent.get_html("/messagerie").await;
    let conv = conversation_of(&inbox, "Autorisation");
    let (_, page) = parent.get_html(&conv).await;
    let link = first_link(page.as_str(), "/messagerie/messages/");
    assert!(link.contains("/pieces/"), "{link}");
    let res = parent.get(link).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), pdf);
    // Someone else gets nothing.
    let eleve = t.signed_in("demo.eleve").await;
    assert_eq!(eleve.get(link).await.status(), 404);

    // The parent reports the message; the school sees the report and closes it.
    let msg_id = link
        .trim_start_matches("/messagerie/messages/")
        .split('/')
        .next()
        .unwrap();
    let csrf = parent.form_token(&conv).await;
    let res = parent
        .post_form(
            &format!("/messagerie/messages/{msg_id}/signaler"),
            &[("csrf_token", &csrf), ("reason", "lien suspect")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let cpe = t.signed_in("demo.cpe").await;
    let (_, queue) = cpe.get_html("/messagerie/moderation").await;
    assert!(queue.contains("lien suspect"), "{queue}");
    let action = first_link(queue.as_str(), "/messagerie/moderation/signalements/");
    let csrf = cpe.form_token("/messagerie/moderation").await;
    assert_eq!(
        cpe.post_form(action, &[("csrf_token", &csrf)]).await.status(),
        303
    );
    let (_, queue) = cpe.get_html("/messagerie/moderation").await;
    assert!(queue.contains("Aucun signalement en attente"), "{queue}");
    // The sender cannot report their own message.
    let csrf = prof.form_token(&conv).await;
    let res = prof
        .post_form(
            &format!("/messagerie/messages/{msg_id}/signaler"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn blind_copies_folders_search_signature_and_trash() {
    let t = TestApp::spawn_demo().await;
    let class = demo_class(&t).await;
    let eleve_id = t.user_id("demo.eleve").await;
    let (_, other_parent) = classmate_and_parent(&t, class, eleve_id).await;
    let parent_id = t.user_id("demo.parent").await;
    let prof = t.signed_in("demo.prof").await;

    // A signature set once comes pre-filled in new messages.
    let csrf = prof.form_token("/messagerie/reglages").await;
    prof.post_form(
        "/messagerie/reglages",
        &[
            ("csrf_token", &csrf),
            ("action", "signature"),
            ("signature", "M. le professeur principal"),
        ],
    )
    .await;
    let (_, form) = prof.get_html("/messagerie/nouveau").await;
    assert!(form.contains("M. le professeur principal"), "{form}");

    let (to, bcc) = (dest(parent_id), dest(other_parent));
    let res = send(
        &prof,
        &[
            (&to, "to"),
            (&bcc, "bcc"),
            ("subject", "Conseil de classe"),
            ("body", "Le conseil aura lieu mardi."),
            ("action", "send"),
        ],
        &[],
    )
    .await;
    assert_eq!(res.status(), 303);
    let other = t.signed_in_as(other_parent).await;
    let (_, inbox) = other.get_html("/messagerie").await;
    let conv = conversation_of(&inbox, "Conseil de classe");
    let parent = t.signed_in("demo.parent").await;
    let (_, page) = parent.get_html(&conv).await;
    let names = t
        .db()
        .fetch_one::<(String, String)>(
            &Query::select()
                .columns([a("first_name"), a("last_name")])
                .from(a("users"))
                .and_where(Expr::col(a("id")).eq(other_parent))
                .to_owned(),
        )
        .await
        .unwrap();
    assert!(
        !page.contains(&names.1.to_uppercase()),
        "the blind copy is hidden from the others: {page}"
    );
    let (_, mine) = prof.get_html(&conv).await;
    assert!(mine.contains(&names.1.to_uppercase()), "the sender sees it");

    // Search, a personal folder, the trash.
    let (_, found) = parent.get_html("/messagerie?q=conseil").await;
    assert!(found.contains("Conseil de classe"));
    let (_, none) = parent.get_html("/messagerie?q=piscine").await;
    assert!(!none.contains("Conseil de classe"));
    let csrf = parent.form_token("/messagerie/reglages").await;
    parent
        .post_form(
            "/messagerie/reglages",
            &[("csrf_token", &csrf), ("action", "add_folder"), ("name", "École")],
        )
        .await;
    let (_, settings) = parent.get_html("/messagerie/reglages").await;
    let folder = testkit::hidden_value(&settings, "folder").unwrap();
    let csrf = parent.form_token(&conv).await;
    let res = parent
        .post_form(
            &format!("{conv}/deplacer"),
            &[("csrf_token", &csrf), ("folder", &folder)],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, inbox) = parent.get_html("/messagerie").await;
    assert!(!inbox.contains("Conseil de classe"));
    let (_, filed) = parent.get_html(&format!("/messagerie?dossier={folder}")).await;
    assert!(filed.contains("Conseil de classe"));
    let csrf = parent.form_token(&conv).await;
    parent
        .post_form(
            &format!("{conv}/deplacer"),
            &[("csrf_token", &csrf), ("folder", "trash")],
        )
        .await;
    let (_, trash) = parent.get_html("/messagerie?dossier=trash").await;
    assert!(trash.contains("Conseil de classe"));
    // Moving someone else's conversation or to someone else's folder: 404.
    let csrf = other.form_token(&conv).await;
    let res = other
        .post_form(
            &format!("{conv}/deplacer"),
            &[("csrf_token", &csrf), ("folder", &folder)],
        )
        .await;
    assert_eq!(res.status(), 404);
}
