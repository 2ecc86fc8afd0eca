//! Notifications as people live them: marks a teacher publishes reach the students and their parents'
//! feed and unread counter (once for a parent of two children of the class), the live counter's stream
//! sends the new count, preferences turn a kind off, quiet hours hold the push and the mail but not the
//! feed, the digest goes once, events of the contract (news, any feature's) reach their recipients and
//! audiences, a message counts in the header until it is read (the mailbox is its record, not the
//! feed), two delivering nodes deliver each event once, and nobody reads another's notifications.

use std::time::Duration;

use kernel::{Clock, SchoolId};
use sea_query::{Alias, Expr, ExprTrait, Query};
use serde_json::json;
use testkit::{Browser, TestApp, location};
use uuid::Uuid;

fn a(n: &str) -> Alias {
    Alias::new(n)
}

async fn students(t: &TestApp, school: Uuid, class: Uuid) -> Vec<directory::model::Person> {
    directory::store::students_of_class(t.db(), SchoolId(school), kernel::ClassId(class))
        .await
        .unwrap()
}

async fn legal_guardian(t: &TestApp, student: Uuid) -> Uuid {
    let q = Query::select()
        .column(a("guardian_id"))
        .from(a("guardianships"))
        .and_where(Expr::col(a("student_id")).eq(student))
        .and_where(Expr::col(a("legal")).eq(true))
        .limit(1)
        .to_owned();
    t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
}

/// Makes `guardian` a legal guardian of `student` too (the parent of twins).
async fn also_guardian_of(t: &TestApp, guardian: Uuid, student: Uuid) {
    let q = Query::insert()
        .into_table(a("guardianships"))
        .columns([a("student_id"), a("guardian_id"), a("relation"), a("legal")])
        .values_panic([student.into(), guardian.into(), "MERE".into(), true.into()])
        .to_owned();
    t.db().execute(&q).await.unwrap();
}

async fn first_name(t: &TestApp, id: Uuid) -> String {
    directory::store::person(t.db(), kernel::UserId(id))
        .await
        .unwrap()
        .unwrap()
        .first_name
        .replace('\'', "&#39;")
}

/// The demo region, whatever its seeding left in the outbox (news, messages…) already delivered, so
/// counts below change only with what each test does.
async fn demo() -> TestApp {
    let t = TestApp::spawn_demo().await;
    deliver(&t).await;
    t
}

async fn deliver(t: &TestApp) -> usize {
    t.app.notifications.deliver_pending().await.unwrap()
}

async fn unread(b: &Browser) -> i64 {
    let res = b.get("/notifications/compteur").await;
    assert_eq!(res.status(), 200);
    res.text().await.unwrap().trim().parse().unwrap()
}

/// Publishes an event in the outbox as a feature does (in its own transaction).
async fn publish(t: &TestApp, topic: &'static str, school: Option<Uuid>, payload: serde_json::Value) {
    let mut tx = t.db().begin().await.unwrap();
    bus::publish(
        &mut tx,
        t.clock.now(),
        bus::Event {
            topic,
            school: school.map(SchoolId),
            payload,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// Moves the clock to `h:m` (school time) of `day`.
fn set_clock(t: &TestApp, day: &str, h: i8, m: i8) {
    let day: jiff::civil::Date = day.parse().unwrap();
    let target = day
        .at(h, m, 0, 0)
        .in_tz("Europe/Paris")
        .unwrap()
        .timestamp()
        .as_millisecond();
    t.clock.advance_secs((target - t.clock.now().0) / 1000);
}

/// The next count the stream sends, or `None` if none comes within `wait`.
async fn next_count(res: &mut reqwest::Response, wait: Duration) -> Option<i64> {
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        if let Some(line) = text.lines().find(|l| l.starts_with("data:")) {
            return line[5..].trim().parse().ok();
        }
        let chunk = tokio::time::timeout_at(deadline, res.chunk())
            .await
            .ok()?
            .unwrap()?;
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
}

async fn open_stream(b: &Browser) -> reqwest::Response {
    let res = b.get("/notifications/flux").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    res
}

/// Every kind the preferences page offers.
const KINDS: [&str; 9] = [
    "absences",
    "discipline",
    "notes",
    "devoirs",
    "edt",
    "messagerie",
    "actualites",
    "agenda",
    "autres",
];

/// Every kind but `off`.
fn all_but(off: &str) -> Vec<&'static str> {
    KINDS.into_iter().filter(|k| *k != off).collect()
}

/// Saves the preferences page as a person does: the kinds left on, quiet hours kept, the digest as
/// asked.
async fn save_preferences(b: &Browser, on: &[&str], digest: bool) {
    let token = b.form_token("/notifications/preferences").await;
    let mut form = vec![("csrf_token", token.as_str()), ("quiet", "1")];
    if digest {
        form.push(("digest", "1"));
    }
    form.extend(on.iter().map(|k| ("kind", *k)));
    let res = b.post_form("/notifications/preferences", &form).await;
    assert_eq!(res.status(), 303);
}

/// The unread items of a person, straight from the table.
async fn items_of(t: &TestApp, user: Uuid) -> Vec<(Uuid, String, String)> {
    let q = Query::select()
        .columns([a("id"), a("topic"), a("params")])
        .from(a("notifications"))
        .and_where(Expr::col(a("user_id")).eq(user))
        .to_owned();
    t.db().fetch_all(&q).await.unwrap()
}

#[tokio::test]
async fn published_marks_reach_a_parent_of_two_children_of_the_class_once() {
    let t = demo().await;
    let (school, class, subject) = crate::grades::other_class_of_prof(&t).await;
    let pupils = students(&t, school, class).await;
    let (s1, s2) = (pupils[0].id, pupils[1].id);
    let parent = legal_guardian(&t, s1).await;
    also_guardian_of(&t, parent, s2).await;
    let family = t.signed_in_as(parent).await;
    let before = unread(&family).await;

    // demo.prof creates an evaluation and publishes it with marks for both children.
    let prof = t.signed_in("demo.prof").await;
    let token = prof.form_token("/notes/evaluations/nouvelle").await;
    let teaching = format!("{class}:{subject}");
    let res = prof
        .post_form(
            "/notes/evaluations/nouvelle",
            &[
                ("csrf_token", &token),
                ("teaching", &teaching),
                ("title", "Contrôle sur les fractions"),
                ("day", "2026-09-02"),
                ("kind", "notes"),
                ("scale", "20"),
                ("coefficient", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let evaluation = location(&res).rsplit('/').next().unwrap().to_string();
    let path = format!("/notes/evaluations/{evaluation}");
    let token = prof.form_token(&path).await;
    let (n1, n2) = (format!("note.{s1}"), format!("note.{s2}"));
    let res = prof
        .post_form(
            &path,
            &[
                ("csrf_token", &token),
                (&n1, "12"),
                (&n2, "15"),
                ("action", "publier"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(unread(&family).await, before, "nothing before the delivery");

    assert!(deliver(&t).await > 0);
    assert_eq!(unread(&family).await, before + 1, "one item for both children");
    let (status, feed) = family.get_html("/notifications").await;
    assert_eq!(status, 200);
    let (f1, f2) = (first_name(&t, s1).await, first_name(&t, s2).await);
    assert!(feed.contains("Nouvelle évaluation pour"), "{feed}");
    assert!(
        feed.contains(&f1) && feed.contains(&f2),
        "both children named: {feed}"
    );
    assert!(feed.contains("Contrôle sur les fractions"));
    assert_eq!(feed.matches("Contrôle sur les fractions").count(), 1);
    // The student is told too; the teacher who published is not.
    let student = t.signed_in_as(s1).await;
    assert_eq!(unread(&student).await, 1);
    let prof_id = t.user_id("demo.prof").await;
    assert!(
        items_of(&t, prof_id)
            .await
            .iter()
            .all(|(_, topic, _)| topic != "grades.published")
    );
    // A second pass finds nothing left: the event was delivered once.
    assert_eq!(deliver(&t).await, 0);
    assert_eq!(unread(&family).await, before + 1);

    // Opening the item marks it read and leads to the marks.
    let item = items_of(&t, parent)
        .await
        .into_iter()
        .find(|(_, topic, _)| topic == "grades.published")
        .unwrap()
        .0;
    let res = family.get(&format!("/notifications/{item}")).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/notes");
    assert_eq!(unread(&family).await, before);
}

#[tokio::test]
async fn an_absence_reaches_the_legal_guardians_and_a_burst_of_marks_gathers() {
    let t = demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let parent = t.signed_in("demo.parent").await;
    let parent_id = t.user_id("demo.parent").await;
    let school = directory::store::children_of(t.db(), kernel::UserId(parent_id))
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.id == eleve)
        .unwrap()
        .school_id;
    let base = unread(&parent).await;
    publish(
        &t,
        "attendance.recorded",
        Some(school),
        json!({ "absence": Uuid::now_v7(), "student": eleve, "kind": "absence", "day": "2026-09-02",
                "from": "08:00", "to": "09:00", "subject": "Mathématiques" }),
    )
    .await;
    for title in ["Dictée", "Exposé", "Devoir maison"] {
        publish(
            &t,
            "grades.published",
            Some(school),
            json!({ "evaluation": Uuid::now_v7(), "class": Uuid::now_v7(), "subject": "FRANC",
                    "title": title, "students": [eleve] }),
        )
        .await;
    }
    deliver(&t).await;
    assert_eq!(
        unread(&parent).await,
        base + 2,
        "the absence, and one item for three marks"
    );
    let (_, feed) = parent.get_html("/notifications").await;
    let name = first_name(&t, eleve).await;
    assert!(feed.contains(&format!("Absence : {name}")), "{feed}");
    assert!(
        feed.contains("le 02/09/2026, 08:00–09:00 · Mathématiques"),
        "{feed}"
    );
    assert!(
        feed.contains(&format!("3 nouvelles évaluations pour {name}")),
        "{feed}"
    );
    // The student is not told of their absence (their family is); they are of their marks.
    let student = t.signed_in("demo.eleve").await;
    let (_, feed) = student.get_html("/notifications").await;
    assert!(!feed.contains("Absence"));
    assert!(feed.contains("3 nouvelles évaluations"), "{feed}");
}

#[tokio::test]
async fn a_kind_turned_off_stays_out_of_the_feed() {
    let t = demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let parent = t.signed_in("demo.parent").await;
    let base = unread(&parent).await;
    let (status, page) = parent.get_html("/notifications/preferences").await;
    assert_eq!(status, 200);
    assert!(page.contains("Notes et bulletins") && page.contains("checked"));
    save_preferences(&parent, &all_but("notes"), false).await;
    let (_, page) = parent.get_html("/notifications/preferences?ok=1").await;
    assert!(page.contains("Préférences enregistrées"));
    assert!(
        page.contains("id=\"k-notes\" name=\"kind\" value=\"notes\">"),
        "unticked: {page}"
    );
    // A bad token changes nothing.
    let res = parent
        .post_form(
            "/notifications/preferences",
            &[("csrf_token", "x"), ("kind", "notes")],
        )
        .await;
    assert_eq!(res.status(), 403);

    publish(
        &t,
        "grades.published",
        None,
        json!({ "evaluation": Uuid::now_v7(), "subject": "MATHS", "title": "Calcul", "students": [eleve] }),
    )
    .await;
    publish(
        &t,
        "attendance.decided",
        None,
        json!({ "absence": Uuid::now_v7(), "student": eleve, "status": "justifie" }),
    )
    .await;
    deliver(&t).await;
    let (_, feed) = parent.get_html("/notifications").await;
    assert!(!feed.contains("Calcul"), "marks are off");
    assert!(feed.contains("Absence justifiée"), "absences are on");
    assert_eq!(unread(&parent).await, base + 1);
}

#[tokio::test]
async fn quiet_hours_hold_the_push_and_the_mail_never_the_feed_and_the_digest_goes_once() {
    let t = demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let parent_id = t.user_id("demo.parent").await;
    let q = Query::update()
        .table(a("users"))
        .value(a("email"), "parent.demo@example.test")
        .and_where(Expr::col(a("id")).eq(parent_id))
        .to_owned();
    t.db().execute(&q).await.unwrap();
    let parent = t.signed_in("demo.parent").await;
    save_preferences(&parent, &["absences", "notes"], true).await;
    // Whatever the demo left unread is read: the digest below holds only what follows.
    let token = parent.form_token("/notifications").await;
    parent
        .post_form("/notifications/tout-lu", &[("csrf_token", &token)])
        .await;

    // Wednesday, 22:00: the item reaches the feed, but the open page hears nothing, and no mail goes.
    set_clock(&t, "2026-09-02", 22, 0);
    let parent = t.signed_in("demo.parent").await; // the session ended with the day
    let mut stream = open_stream(&parent).await;
    assert_eq!(next_count(&mut stream, Duration::from_secs(5)).await, Some(0));
    publish(
        &t,
        "attendance.recorded",
        None,
        json!({ "absence": Uuid::now_v7(), "student": eleve, "kind": "retard", "day": "2026-09-02",
                "from": "16:00", "to": "17:00" }),
    )
    .await;
    deliver(&t).await;
    assert_eq!(
        next_count(&mut stream, Duration::from_millis(800)).await,
        None,
        "nothing pushed in quiet hours"
    );
    assert_eq!(t.app.notifications.send_digests().await.unwrap(), 0);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(t.mail.to("parent.demo@example.test").is_empty());
    let (_, feed) = parent.get_html("/notifications").await;
    let name = first_name(&t, eleve).await;
    assert!(
        feed.contains(&format!("Retard : {name}")),
        "still in the feed: {feed}"
    );
    drop(stream);

    // Thursday 17:30: the digest goes, once however often the job runs.
    set_clock(&t, "2026-09-03", 17, 30);
    assert_eq!(t.app.notifications.send_digests().await.unwrap(), 1);
    assert_eq!(t.app.notifications.send_digests().await.unwrap(), 0);
    let mails = t.mail.wait_for("parent.demo@example.test", 1).await;
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].subject.contains("1 notification"),
        "{}",
        mails[0].subject
    );
    assert!(mails[0].body.contains(&format!(
        "Retard : {}",
        first_name(&t, eleve).await.replace("&#39;", "'")
    )));
    assert!(mails[0].body.contains("/notifications/"));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(t.mail.to("parent.demo@example.test").len(), 1);
    // The next day with nothing new: no mail.
    set_clock(&t, "2026-09-04", 17, 30);
    assert_eq!(t.app.notifications.send_digests().await.unwrap(), 0);
}

#[tokio::test]
async fn the_stream_sends_the_new_count_after_a_delivery() {
    let t = demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let parent = t.signed_in("demo.parent").await;
    let mut stream = open_stream(&parent).await;
    let first = next_count(&mut stream, Duration::from_secs(5)).await.unwrap();
    assert_eq!(first, unread(&parent).await);
    publish(
        &t,
        "discipline.sanction_decided",
        None,
        json!({ "sanction_id": Uuid::now_v7(), "student_id": eleve, "kind": "avertissement",
                "decided_by": t.user_id("demo.direction").await }),
    )
    .await;
    deliver(&t).await;
    assert_eq!(
        next_count(&mut stream, Duration::from_secs(5)).await,
        Some(first + 1)
    );
    // Reading the whole feed on another page brings the count down on this one, to the unread
    // messages of the mailbox (read there, not here).
    let parent_id = t.user_id("demo.parent").await;
    let messages = t
        .app
        .notifications
        .unread_messages(parent_id, None)
        .await
        .unwrap();
    let token = parent.form_token("/notifications").await;
    let res = parent
        .post_form("/notifications/tout-lu", &[("csrf_token", &token)])
        .await;
    assert_eq!(location(&res), "/notifications?ok=tout");
    assert_eq!(
        next_count(&mut stream, Duration::from_secs(5)).await,
        Some(messages)
    );
}

#[tokio::test]
async fn an_open_stream_holds_no_admission_turn() {
    let t = TestApp::spawn_with(|s| {
        s.mfa_required.clear();
        s.admission_max_in_flight = 1;
        s.admission_wait_ms = 200;
    })
    .await;
    server::demo::generate(&t.app, &server::demo::demo_params(), None)
        .await
        .unwrap();
    deliver(&t).await;
    let parent = t.signed_in("demo.parent").await;
    let mut streams = vec![];
    for _ in 0..3 {
        let mut s = open_stream(&parent).await;
        assert!(next_count(&mut s, Duration::from_secs(5)).await.is_some());
        streams.push(s);
    }
    let (status, _) = parent.get_html("/notifications").await;
    assert_eq!(
        status, 200,
        "three open streams, one turn: pages are still served"
    );
}

#[tokio::test]
async fn nobody_reads_or_marks_anothers_notifications() {
    let t = demo().await;
    let parent_id = t.user_id("demo.parent").await;
    let (id, _, _) = items_of(&t, parent_id)
        .await
        .into_iter()
        .next()
        .expect("demo items");
    let other = t.signed_in("demo.prof").await;
    assert_eq!(other.get_html(&format!("/notifications/{id}")).await.0, 404);
    let token = other.form_token("/notifications").await;
    let res = other
        .post_form(&format!("/notifications/{id}/lu"), &[("csrf_token", &token)])
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(other.get_html("/notifications/pas-un-id").await.0, 404);
    let (_, feed) = other.get_html("/notifications").await;
    assert!(!feed.contains(&id.to_string()));
    assert_eq!(
        t.browser().get("/notifications").await.status(),
        303,
        "signed out: to sign in"
    );
    // The owner's demo feed is intact.
    let parent = t.signed_in("demo.parent").await;
    let (_, feed) = parent.get_html("/notifications").await;
    assert!(feed.contains(&id.to_string()) && feed.contains("Réunion parents-professeurs"));
}

#[tokio::test]
async fn contract_events_reach_recipients_and_audiences_once_never_their_actor() {
    let t = demo().await;
    let (school, class, _) = crate::grades::other_class_of_prof(&t).await;
    let pupils = students(&t, school, class).await;
    let (s1, s2) = (pupils[0].id, pupils[1].id);
    let twins_parent = legal_guardian(&t, s1).await;
    also_guardian_of(&t, twins_parent, s2).await;
    let prof = t.user_id("demo.prof").await;
    let parent = t.user_id("demo.parent").await;
    publish(
        &t,
        "forum.replied",
        Some(school),
        json!({ "title": "Nouvelle réponse de M. Prof : Sortie <b>au musée</b>",
                "recipients": [parent, prof],
                "audience": { "school": school, "profiles": ["TUT"], "classes": [class] },
                "link": "/forums/1", "actor": prof }),
    )
    .await;
    publish(
        &t,
        "news.published",
        Some(school),
        json!({ "title": "Portes ouvertes", "body": "Samedi de 9 h à 12 h", "link": "https://evil.example/",
                "audience": { "school": school, "profiles": ["ENS"] } }),
    )
    .await;
    deliver(&t).await;
    let messages = |items: Vec<(Uuid, String, String)>| {
        items
            .into_iter()
            .filter(|(_, topic, params)| topic == "forum.replied" && params.contains("au musée"))
            .count()
    };
    assert_eq!(messages(items_of(&t, parent).await), 1, "a recipient");
    assert_eq!(
        messages(items_of(&t, twins_parent).await),
        1,
        "reached through two children, once"
    );
    assert_eq!(messages(items_of(&t, prof).await), 0, "the sender");
    assert_eq!(
        messages(items_of(&t, s1).await),
        0,
        "students were not in the audience"
    );
    let family = t.signed_in("demo.parent").await;
    let (_, feed) = family.get_html("/notifications").await;
    assert!(
        feed.contains("Nouvelle réponse de M. Prof : Sortie &#60;b&#62;au musée&#60;/b&#62;"),
        "{feed}"
    );
    let item = items_of(&t, parent)
        .await
        .into_iter()
        .find(|(_, topic, params)| topic == "forum.replied" && params.contains("au musée"))
        .unwrap()
        .0;
    assert_eq!(
        location(&family.get(&format!("/notifications/{item}")).await),
        "/forums/1"
    );
    // News to the school's teachers: demo.prof has it, with its link kept on the site.
    let teacher = t.signed_in("demo.prof").await;
    let (_, feed) = teacher.get_html("/notifications").await;
    assert!(feed.contains("Portes ouvertes") && feed.contains("Samedi de 9 h à 12 h"));
    let news = items_of(&t, prof)
        .await
        .into_iter()
        .find(|(_, topic, params)| topic == "news.published" && params.contains("Portes ouvertes"))
        .unwrap()
        .0;
    assert_eq!(
        location(&teacher.get(&format!("/notifications/{news}")).await),
        "/notifications"
    );
}

#[tokio::test]
async fn two_nodes_delivering_at_once_deliver_each_event_once() {
    let t = demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let parent = t.user_id("demo.parent").await;
    let before = items_of(&t, parent).await.len();
    for i in 0..40 {
        publish(
            &t,
            "attendance.decided",
            None,
            json!({ "absence": Uuid::now_v7(), "student": eleve, "status": if i % 2 == 0 { "justifie" } else { "refuse" } }),
        )
        .await;
    }
    let other = notifications::Notifications::new(
        t.db().clone(),
        std::sync::Arc::new(t.clock.clone()),
        notifications::Config::default(),
    );
    let (a, b) = tokio::join!(t.app.notifications.deliver_pending(), other.deliver_pending());
    a.unwrap();
    b.unwrap();
    assert_eq!(items_of(&t, parent).await.len(), before + 40);
    assert!(bus::pending(t.db(), None, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_delivery_on_one_node_reaches_a_page_open_on_another() {
    let t = demo().await;
    if t.db().engine() != db::Engine::Postgres {
        return; // SQLite is one node
    }
    let eleve = t.user_id("demo.eleve").await;
    let parent = t.signed_in("demo.parent").await;
    let node = t.another_node().await;
    let there = node.browser_like(&parent);
    let mut stream = open_stream(&there).await;
    let first = next_count(&mut stream, Duration::from_secs(5)).await.unwrap();
    // The other node listens once it started; give its LISTEN a moment.
    tokio::time::sleep(Duration::from_millis(300)).await;
    publish(
        &t,
        "attendance.decided",
        None,
        json!({ "absence": Uuid::now_v7(), "student": eleve, "status": "refuse" }),
    )
    .await;
    deliver(&t).await;
    assert_eq!(
        next_count(&mut stream, Duration::from_secs(5)).await,
        Some(first + 1),
        "announced through PostgreSQL NOTIFY"
    );
    drop(stream);
    node.stop().await;
}

/// Posts the compose form as a browser does: a text message to one person.
async fn write_to(b: &Browser, to: Uuid, subject: &str) -> reqwest::Response {
    let csrf = b.form_token("/messagerie/nouveau").await;
    let dest = format!("dest:p:{to}");
    b.post_multipart(
        "/messagerie/nouveau",
        &[
            ("csrf_token", csrf.as_str()),
            (dest.as_str(), "to"),
            ("subject", subject),
            ("body", "Bonjour, la cantine sera fermée vendredi midi."),
            ("action", "send"),
        ],
        &[],
    )
    .await
}

#[tokio::test]
async fn a_message_counts_in_the_header_until_it_is_read_and_is_not_repeated_in_the_feed() {
    let t = demo().await;
    let parent_id = t.user_id("demo.parent").await;
    let prof = t.signed_in("demo.prof").await;
    let parent = t.signed_in("demo.parent").await;
    let mut stream = open_stream(&parent).await;
    let before = next_count(&mut stream, Duration::from_secs(5)).await.unwrap();
    assert_eq!(unread(&parent).await, before);

    let res = write_to(&prof, parent_id, "Cantine fermée vendredi").await;
    assert_eq!(location(&res), "/messagerie?ok=sent");
    deliver(&t).await;
    assert_eq!(
        next_count(&mut stream, Duration::from_secs(5)).await,
        Some(before + 1),
        "the open page's counter is told at once"
    );
    assert_eq!(unread(&parent).await, before + 1);
    assert!(
        !items_of(&t, parent_id)
            .await
            .iter()
            .any(|(_, topic, _)| topic == "messaging.received"),
        "no feed item repeats the message"
    );
    let (_, feed) = parent.get_html("/notifications").await;
    assert!(feed.contains("href=\"/messagerie\">Messagerie : "), "{feed}");

    // Reading the conversation lowers the counter: nothing else to mark read.
    let (_, inbox) = parent.get_html("/messagerie").await;
    let at = inbox.find("Cantine fermée vendredi").expect("in the inbox");
    let start = inbox[..at].rfind("href=\"").unwrap() + 6;
    let conversation = &inbox[start..start + inbox[start..].find('"').unwrap()];
    assert_eq!(parent.get(conversation).await.status(), 200);
    assert_eq!(unread(&parent).await, before);
    assert_eq!(
        next_count(&mut stream, Duration::from_secs(5)).await,
        Some(before),
        "a page open elsewhere is told at once"
    );
    drop(stream);

    // The digest names the unread messages that came since the last one, and only those.
    let q = Query::update()
        .table(a("users"))
        .value(a("email"), "parent.demo@example.test")
        .and_where(Expr::col(a("id")).eq(parent_id))
        .to_owned();
    t.db().execute(&q).await.unwrap();
    save_preferences(&parent, &KINDS, true).await;
    let res = write_to(&prof, parent_id, "Réunion de rentrée").await;
    assert_eq!(location(&res), "/messagerie?ok=sent");
    deliver(&t).await;
    set_clock(&t, "2026-09-03", 17, 30);
    assert_eq!(t.app.notifications.send_digests().await.unwrap(), 1);
    let mails = t.mail.wait_for("parent.demo@example.test", 1).await;
    assert!(mails[0].body.contains("Messagerie : "), "{}", mails[0].body);
    assert!(mails[0].body.contains("/messagerie\n"), "{}", mails[0].body);
    set_clock(&t, "2026-09-04", 17, 30);
    assert_eq!(
        t.app.notifications.send_digests().await.unwrap(),
        0,
        "the same unread messages do not make a mail every day"
    );
    let prof = t.signed_in("demo.prof").await; // the sessions ended with the day
    let parent = t.signed_in("demo.parent").await;

    // Messaging notifications turned off: messages no longer count in the header or the feed.
    save_preferences(&parent, &all_but("messagerie"), false).await;
    let muted = unread(&parent).await;
    let res = write_to(&prof, parent_id, "Sortie annulée").await;
    assert_eq!(location(&res), "/messagerie?ok=sent");
    deliver(&t).await;
    assert_eq!(unread(&parent).await, muted);
    let (_, feed) = parent.get_html("/notifications").await;
    assert!(!feed.contains("href=\"/messagerie\">Messagerie : "), "{feed}");
}
