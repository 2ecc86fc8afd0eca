//! Timetables as people use them: the student's week, a change the vie scolaire makes and who sees it,
//! the import of a timetable file, extra lessons, calendar feeds, and who may see which timetable.

use sea_query::{Alias, Expr, ExprTrait, Order, Query};
use testkit::{Browser, TestApp, csrf_token};
use uuid::Uuid;

fn a(n: &str) -> Alias {
    Alias::new(n)
}

/// The division (class, not group) of a student: (school, class id, class code).
async fn division_of(t: &TestApp, student: Uuid) -> (Uuid, Uuid, String) {
    let q = Query::select()
        .column((a("c"), a("school_id")))
        .column((a("c"), a("id")))
        .column((a("c"), a("code")))
        .from_as(a("class_students"), a("cs"))
        .join_as(
            sea_query::JoinType::InnerJoin,
            a("classes"),
            a("c"),
            Expr::col((a("c"), a("id"))).equals((a("cs"), a("class_id"))),
        )
        .and_where(Expr::col((a("cs"), a("student_id"))).eq(student))
        .and_where(Expr::col((a("c"), a("kind"))).eq("classe"))
        .to_owned();
    t.db().fetch_one(&q).await.unwrap()
}

/// The class's Monday lessons: (lesson id, subject code, starts_at), earliest first.
async fn monday_lessons(t: &TestApp, class: Uuid) -> Vec<(Uuid, String, i32)> {
    let q = Query::select()
        .columns([a("id"), a("subject_code"), a("starts_at")])
        .from(a("lessons"))
        .and_where(Expr::col(a("class_id")).eq(class))
        .and_where(Expr::col(a("weekday")).eq(1))
        .order_by(a("starts_at"), Order::Asc)
        .to_owned();
    t.db().fetch_all(&q).await.unwrap()
}

async fn lesson_count(t: &TestApp, school: Uuid) -> i64 {
    let q = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from(a("lessons"))
        .and_where(Expr::col(a("school_id")).eq(school))
        .and_where(Expr::col(a("valid_to")).gte("2026-09-02"))
        .to_owned();
    t.db().fetch_one::<(i64,)>(&q).await.unwrap().0
}

/// A second node of the deployment (PostgreSQL), once it listens to the other nodes' signals.
async fn listening_node(t: &TestApp) -> testkit::Node {
    let node = t.another_node().await;
    // The other node listens once it started; give its LISTEN a moment.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    node
}

/// Whether `path` shows `text` (or, with `shown` false, no longer shows it) within five seconds.
async fn within_5s(who: &Browser, path: &str, text: &str, shown: bool) -> bool {
    for _ in 0..50 {
        if who.get_html(path).await.1.contains(text) == shown {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

/// Posts `file` (named `name`) to the timetable import form, as the direction does.
async fn import_file(who: &Browser, token: &str, name: &str, file: &str) -> reqwest::Response {
    who.post_multipart(
        "/edt/import",
        &[("csrf_token", token)],
        &[("file", name, file.as_bytes())],
    )
    .await
}

#[tokio::test]
async fn a_cancelled_lesson_shows_to_the_student_and_the_parent_and_is_announced() {
    let t = TestApp::spawn_demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let (_, class, _) = division_of(&t, eleve).await;
    let lessons = monday_lessons(&t, class).await;
    assert!(!lessons.is_empty(), "the demo class has lessons on Mondays");
    let (lesson, _, _) = lessons[0];

    // The week of Monday 7 September 2026, as the student sees it.
    let student = t.signed_in("demo.eleve").await;
    let (status, week) = student.get_html("/edt?semaine=2026-09-07").await;
    assert_eq!(status, 200);
    assert!(
        week.contains("Semaine du lundi 7 septembre · semaine B"),
        "{week}"
    );
    assert!(week.contains("Mathématiques") && week.contains("Français"));
    assert!(!week.contains("Cours annulé"));

    // The CPE cancels that Monday's first lesson, with a word for the families.
    let cpe = t.signed_in("demo.cpe").await;
    let path = format!("/edt/cours/{lesson}/2026-09-07");
    let token = cpe.form_token(&path).await;
    let res = cpe
        .post_form(
            &path,
            &[
                ("csrf_token", &token),
                ("cancelled", "1"),
                ("substitute", ""),
                ("room", ""),
                ("note", "Professeur absent"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);

    let (_, week) = student.get_html("/edt?semaine=2026-09-07").await;
    assert!(
        week.contains("Changements") && week.contains("Cours annulé") && week.contains("Professeur absent"),
        "{week}"
    );
    // Only that Monday: the next one is as usual.
    let (_, next) = student.get_html("/edt?semaine=2026-09-14").await;
    assert!(!next.contains("Cours annulé"));

    let parent = t.signed_in("demo.parent").await;
    let (status, day) = parent
        .get_html(&format!("/edt?eleve={eleve}&jour=2026-09-07"))
        .await;
    assert_eq!(status, 200);
    assert!(day.contains("Cours annulé"), "{day}");

    // The change went to the outbox, for the notifications.
    let events = bus::pending(t.db(), Some("timetable.lesson_changed"), 10)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].payload()["lesson"], lesson.to_string());
    assert_eq!(events[0].payload()["class"], class.to_string());

    // Restoring it (nothing set) brings the lesson back.
    let token = cpe.form_token(&path).await;
    cpe.post_form(
        &path,
        &[
            ("csrf_token", &token),
            ("substitute", ""),
            ("room", ""),
            ("note", ""),
        ],
    )
    .await;
    let (_, week) = student.get_html("/edt?semaine=2026-09-07").await;
    assert!(!week.contains("Cours annulé"));
    t.stop().await;
}

#[tokio::test]
async fn a_substitute_sees_the_lesson_in_their_week_with_the_new_room() {
    let t = TestApp::spawn_demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let (school, class, _) = division_of(&t, eleve).await;
    let prof = t.user_id("demo.prof").await;
    // A lesson of the class taught by someone other than demo.prof, whom the CPE sends instead.
    let q = Query::select()
        .column((a("l"), a("id")))
        .from_as(a("lessons"), a("l"))
        .join_as(
            sea_query::JoinType::InnerJoin,
            a("lesson_teachers"),
            a("lt"),
            Expr::col((a("lt"), a("lesson_id"))).equals((a("l"), a("id"))),
        )
        .and_where(Expr::col((a("l"), a("class_id"))).eq(class))
        .and_where(Expr::col((a("l"), a("weekday"))).eq(2))
        .and_where(Expr::col((a("lt"), a("teacher_id"))).ne(prof))
        .and_where(Expr::col((a("l"), a("school_id"))).eq(school))
        .limit(1)
        .to_owned();
    let (lesson,): (Uuid,) = t.db().fetch_one(&q).await.unwrap();
    let cpe = t.signed_in("demo.cpe").await;
    let path = format!("/edt/cours/{lesson}/2026-09-08");
    let token = cpe.form_token(&path).await;
    let res = cpe
        .post_form(
            &path,
            &[
                ("csrf_token", &token),
                ("substitute", &prof.to_string()),
                ("room", "Salle polyvalente"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);

    let teacher = t.signed_in("demo.prof").await;
    let (status, day) = teacher.get_html("/edt?jour=2026-09-08").await;
    assert_eq!(status, 200);
    assert!(
        day.contains("Salle polyvalente") && day.contains("Changement de salle"),
        "{day}"
    );
    let (_, student_day) = t
        .signed_in("demo.eleve")
        .await
        .get_html("/edt?jour=2026-09-08")
        .await;
    assert!(student_day.contains("Remplacé par"), "{student_day}");
    // A substitute who is not a teacher of the school is refused with a clear message.
    let token = cpe.form_token(&path).await;
    let res = cpe
        .post_form(
            &path,
            &[
                ("csrf_token", &token),
                ("substitute", &eleve.to_string()),
                ("room", ""),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Remplaçant : choisissez un enseignant")
    );
    t.stop().await;
}

#[tokio::test]
async fn people_see_only_the_timetables_that_are_theirs() {
    let t = TestApp::spawn_demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let (school, class, _) = division_of(&t, eleve).await;
    let q = Query::select()
        .column(a("id"))
        .from(a("classes"))
        .and_where(Expr::col(a("school_id")).eq(school))
        .and_where(Expr::col(a("id")).ne(class))
        .and_where(Expr::col(a("kind")).eq("classe"))
        .to_owned();
    let others: Vec<(Uuid,)> = t.db().fetch_all(&q).await.unwrap();
    let student = t.signed_in("demo.eleve").await;
    assert_eq!(
        student.get_html(&format!("/edt/classes/{}", others[0].0)).await.0,
        404
    );
    assert_eq!(
        student.get_html(&format!("/edt/classes/{class}")).await.0,
        404,
        "class timetables are the staff's"
    );
    assert_eq!(student.get_html("/edt/etablissement").await.0, 404);

    // A parent sees their child's timetable, and nobody else's.
    let parent = t.signed_in("demo.parent").await;
    assert_eq!(parent.get_html(&format!("/edt?eleve={eleve}")).await.0, 200);
    let stranger = t.user_id("demo.cpe").await;
    assert_eq!(parent.get_html(&format!("/edt?eleve={stranger}")).await.0, 404);

    // A teacher sees the classes they teach, not the others; they do not change lessons.
    let teacher = t.signed_in("demo.prof").await;
    assert_eq!(teacher.get_html(&format!("/edt/classes/{class}")).await.0, 200);
    let prof = t.user_id("demo.prof").await;
    let q = Query::select()
        .column(a("id"))
        .from(a("classes"))
        .and_where(Expr::col(a("school_id")).eq(school))
        .and_where(
            Expr::col(a("id")).not_in_subquery(
                Query::select()
                    .column(a("class_id"))
                    .from(a("teachings"))
                    .and_where(Expr::col(a("teacher_id")).eq(prof))
                    .to_owned(),
            ),
        )
        .limit(1)
        .to_owned();
    let (not_taught,): (Uuid,) = t.db().fetch_one(&q).await.unwrap();
    assert_eq!(
        teacher.get_html(&format!("/edt/classes/{not_taught}")).await.0,
        404
    );
    let lesson = monday_lessons(&t, class).await[0].0;
    let path = format!("/edt/cours/{lesson}/2026-09-07");
    let token = teacher.form_token(&path).await;
    let res = teacher
        .post_form(&path, &[("csrf_token", &token), ("cancelled", "1")])
        .await;
    assert_eq!(res.status(), 403);

    // Another school's lesson is not found, even for its staff's counterparts here.
    let q = Query::select()
        .column(a("id"))
        .from(a("lessons"))
        .and_where(Expr::col(a("school_id")).ne(school))
        .limit(1)
        .to_owned();
    let (elsewhere,): (Uuid,) = t.db().fetch_one(&q).await.unwrap();
    let cpe = t.signed_in("demo.cpe").await;
    assert_eq!(
        cpe.get_html(&format!("/edt/cours/{elsewhere}/2026-09-07"))
            .await
            .0,
        404
    );
    assert_eq!(cpe.get_html(&format!("/edt/classes/{class}")).await.0, 200);
    t.stop().await;
}

#[tokio::test]
async fn a_timetable_file_is_imported_once_and_a_wrong_line_writes_nothing() {
    let t = TestApp::spawn_demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let (school, _, code) = division_of(&t, eleve).await;
    let before = lesson_count(&t, school).await;
    let direction = t.signed_in("demo.direction").await;
    let token = direction.form_token("/edt/import").await;

    let wrong = format!(
        "classe;matière;enseignants;salle;jour;début;fin;semaine\n{code};Mathématiques;demo.prof;B12;samedi;08:00;09:00;\n{code};Astrologie;demo.prof;B12;samedi;09:00;10:00;\n"
    );
    let res = import_file(&direction, &token, "edt.csv", &wrong).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("ligne 3 : matière « Astrologie » inconnue"),
        "{html}"
    );
    assert_eq!(lesson_count(&t, school).await, before, "nothing written");

    let good = format!(
        "classe;matière;enseignants;salle;jour;début;fin;semaine\n{code};Mathématiques;demo.prof;B12;samedi;08:00;09:00;\n{code};FRANCAIS;demo.prof;B12;samedi;09:00;10:00;A\n"
    );
    for _ in 0..2 {
        let res = import_file(&direction, &token, "edt.csv", &good).await;
        assert_eq!(res.status(), 200);
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("Import terminé : 2 cours enregistrés")
        );
        assert_eq!(
            lesson_count(&t, school).await,
            before + 2,
            "importing twice changes nothing"
        );
    }
    // Saturday 19 September 2026 is in week A: both lessons; the 12th (week B) has mathematics only.
    let student = t.signed_in("demo.eleve").await;
    let (_, day) = student.get_html("/edt?jour=2026-09-19").await;
    assert!(
        day.contains("08:00–09:00") && day.contains("09:00–10:00"),
        "{day}"
    );
    let (_, day) = student.get_html("/edt?jour=2026-09-12").await;
    assert!(day.contains("08:00–09:00") && !day.contains("09:00–10:00"));

    // A new file without the French lesson ends it from today, keeping the rest.
    let smaller = format!(
        "classe;matière;enseignants;salle;jour;début;fin\n{code};Mathématiques;demo.prof;B12;samedi;08:00;09:00\n"
    );
    let res = import_file(&direction, &token, "edt.csv", &smaller).await;
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("1 cours absents du fichier arrêtés")
    );
    let (_, day) = student.get_html("/edt?jour=2026-09-19").await;
    assert!(day.contains("08:00–09:00") && !day.contains("09:00–10:00"));

    // Teachers do not import.
    let teacher = t.signed_in("demo.prof").await;
    assert_eq!(teacher.get_html("/edt/import").await.0, 403);
    t.stop().await;
}

#[tokio::test]
async fn an_icalendar_timetable_is_imported() {
    let t = TestApp::spawn_demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let (_, _, code) = division_of(&t, eleve).await;
    let direction = t.signed_in("demo.direction").await;
    let token = direction.form_token("/edt/import").await;
    let ics = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:sat-1@edt\r\nDTSTART;TZID=Europe/Paris:20260912T110000\r\nDTEND;TZID=Europe/Paris:20260912T115500\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:Mathématiques\r\nLOCATION:Labo 2\r\nCATEGORIES:{code}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    let res = import_file(&direction, &token, "edt.ics", &ics).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let (_, day) = t
        .signed_in("demo.eleve")
        .await
        .get_html("/edt?jour=2026-09-19")
        .await;
    assert!(day.contains("11:00–11:55") && day.contains("Labo 2"), "{day}");
    let broken =
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:2026-09-12\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let res = import_file(&direction, &token, "edt.ics", broken).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("ligne 2 :"));
    t.stop().await;
}

#[tokio::test]
async fn an_extra_lesson_appears_on_its_day() {
    let t = TestApp::spawn_demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let (_, class, _) = division_of(&t, eleve).await;
    let prof = t.user_id("demo.prof").await;
    // The student looks at that day first: the node keeps the class's lessons, and must not show
    // its copy from before the extra lesson.
    let student = t.signed_in("demo.eleve").await;
    assert!(
        !student
            .get_html("/edt?jour=2026-09-09")
            .await
            .1
            .contains("14:00–15:00")
    );
    let cpe = t.signed_in("demo.cpe").await;
    let token = cpe.form_token("/edt/ajout").await;
    let mut form = vec![
        ("csrf_token", token.clone()),
        ("class", class.to_string()),
        ("subject", "061200".to_string()),
        ("teacher", prof.to_string()),
        ("day", "2026-09-09".to_string()),
        ("start", "14:00".to_string()),
        ("end", "13:00".to_string()),
        ("room", "CDI".to_string()),
    ];
    let as_refs = |f: &[(&'static str, String)]| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let pairs = as_refs(&form);
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = cpe.post_form("/edt/ajout", &pairs).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Fin : l&#39;heure de fin doit suivre") && html.contains("value=\"CDI\""),
        "{html}"
    );
    form[6].1 = "15:00".into();
    let pairs = as_refs(&form);
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(cpe.post_form("/edt/ajout", &pairs).await.status(), 303);
    let (_, day) = student.get_html("/edt?jour=2026-09-09").await;
    assert!(
        day.contains("14:00–15:00") && day.contains("Cours supplémentaire"),
        "{day}"
    );
    assert_eq!(
        bus::pending(t.db(), Some("timetable.lesson_added"), 10)
            .await
            .unwrap()
            .len(),
        1
    );
    t.stop().await;
}

#[tokio::test]
async fn a_calendar_feed_follows_its_secret_and_stops_when_revoked() {
    let t = TestApp::spawn_demo().await;
    let student = t.signed_in("demo.eleve").await;
    let token = student.form_token("/edt/abonnement").await;
    let res = student
        .post_form("/edt/abonnement", &[("csrf_token", &token), ("action", "new")])
        .await;
    let html = res.text().await.unwrap();
    let start = html.find("/edt/flux/").unwrap();
    let path = &html[start..start + html[start..].find('"').unwrap()];
    assert!(path.ends_with(".ics"));

    // A calendar app has no session: the secret is enough.
    let res = t.browser().get(path).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = res.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.contains("SUMMARY:Mathématiques"));
    #[cfg(feature = "peer-tests")]
    check_with_python_icalendar(&ics);

    let token = student.form_token("/edt/abonnement").await;
    student
        .post_form("/edt/abonnement", &[("csrf_token", &token), ("action", "revoke")])
        .await;
    assert_eq!(t.browser().get(path).await.status(), 404);
    assert_eq!(t.browser().get("/edt/flux/not-a-secret.ics").await.status(), 404);
    t.stop().await;
}

/// The feed read by a real iCalendar parser (Python `icalendar`): every event has its times in order.
#[cfg(feature = "peer-tests")]
fn check_with_python_icalendar(ics: &str) {
    let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
events = cal.walk('VEVENT')
assert events, 'no events'
for e in events:
    assert e.decoded('DTEND') > e.decoded('DTSTART'), e
    assert str(e['UID'])
print(len(events))
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs (pip install icalendar)");
    use std::io::Write;
    child.stdin.take().unwrap().write_all(ics.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let n: usize = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    assert!(n > 20, "{n} events");
}

/// Posts the calendar form for the 2026-2027 year with these holidays.
async fn save_calendar(b: &Browser, token: &str, holidays: &str) -> reqwest::Response {
    b.post_form(
        "/edt/calendrier",
        &[
            ("csrf_token", token),
            ("first_day", "2026-09-01"),
            ("last_day", "2027-07-03"),
            ("holidays", holidays),
        ],
    )
    .await
}

#[tokio::test]
async fn the_direction_adds_a_day_off_and_timetables_follow() {
    let t = TestApp::spawn_demo().await;
    let direction = t.signed_in("demo.direction").await;
    let (status, page) = direction.get_html("/edt/calendrier").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Zone B") && page.contains("Vacances de la Toussaint"),
        "{page}"
    );
    let lines = testkit::textarea_value(&page, "holidays").unwrap();
    let token = csrf_token(&page).unwrap();

    let wrong = format!("{lines}\n2026-09-14;2026-09-13;Journée banalisée");
    let res = save_calendar(&direction, &token, &wrong).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("le premier jour suit le dernier")
    );

    let student = t.signed_in("demo.eleve").await;
    assert!(
        student
            .get_html("/edt?jour=2026-09-14")
            .await
            .1
            .contains("tt-time"),
        "a Monday of lessons before the change"
    );
    let right = format!("{lines}\n2026-09-14;2026-09-14;Journée banalisée");
    let res = save_calendar(&direction, &token, &right).await;
    assert_eq!(res.status(), 200);
    let (_, day) = student.get_html("/edt?jour=2026-09-14").await;
    assert!(
        day.contains("Journée banalisée") && !day.contains("tt-time"),
        "{day}"
    );

    // The vie scolaire reads the calendar; only the direction and the administration change it.
    let cpe = t.signed_in("demo.cpe").await;
    let (status, page) = cpe.get_html("/edt/calendrier").await;
    assert_eq!(status, 200);
    assert!(!page.contains("Adapter le calendrier"));
    let res = save_calendar(&cpe, &csrf_token(&page).unwrap(), "").await;
    assert_eq!(res.status(), 403);
    assert_eq!(student.get_html("/edt/calendrier").await.0, 404);
    t.stop().await;
}

/// Nodes keep each class's lessons in memory; an import on one node shows on every node at once
/// (PostgreSQL NOTIFY), not when their copy expires.
#[tokio::test]
async fn an_import_on_one_node_shows_on_the_others_at_once() {
    let t = TestApp::spawn_demo().await;
    if t.db().engine() != db::Engine::Postgres {
        return t.stop().await; // SQLite is a single node
    }
    let eleve = t.user_id("demo.eleve").await;
    let (_, _, code) = division_of(&t, eleve).await;
    let node = listening_node(&t).await;
    let student = node.browser_like(&t.signed_in("demo.eleve").await);
    let (status, day) = student.get_html("/edt?jour=2026-09-19").await;
    assert_eq!(status, 200);
    assert!(!day.contains("Salle Z9"), "{day}");

    let direction = t.signed_in("demo.direction").await;
    let token = direction.form_token("/edt/import").await;
    let file = format!(
        "classe;matière;enseignants;salle;jour;début;fin\n{code};Mathématiques;demo.prof;Salle Z9;samedi;08:00;09:00\n"
    );
    let res = import_file(&direction, &token, "edt.csv", &file).await;
    assert_eq!(res.status(), 200);
    assert!(
        within_5s(&student, "/edt?jour=2026-09-19", "Salle Z9", true).await,
        "the other node still showed its copy from before the import"
    );
    node.stop().await;
    t.stop().await;
}

/// Nodes keep each student's classes in memory (the directory's families); the year rollover, run
/// beside the servers, tells every node at once: a student whose classes were closed sees no more
/// lessons, on this node and (PostgreSQL) on the others, not a minute later.
#[tokio::test]
async fn the_rollover_shows_in_every_nodes_timetable_at_once() {
    let t = TestApp::spawn_demo().await;
    let other = if t.db().engine() == db::Engine::Postgres {
        Some(listening_node(&t).await)
    } else {
        None // SQLite is a single node
    };
    let here = t.signed_in("demo.eleve").await;
    let there = other.as_ref().map(|node| node.browser_like(&here));
    let viewers: Vec<&Browser> = std::iter::once(&here).chain(there.as_ref()).collect();
    for student in &viewers {
        let (status, week) = student.get_html("/edt?semaine=2026-09-07").await;
        assert_eq!(status, 200);
        assert!(week.contains("Mathématiques"), "{week}");
    }

    t.app.roll_over("2026-2027").await.unwrap();
    for student in &viewers {
        assert!(
            within_5s(student, "/edt?semaine=2026-09-07", "Mathématiques", false).await,
            "a node still showed the closed classes' lessons"
        );
    }
    if let Some(node) = other {
        node.stop().await;
    }
    t.stop().await;
}

/// Nodes keep the school's changes of the week in memory too; a lesson the vie scolaire cancels on
/// one node shows on the others at once (PostgreSQL NOTIFY).
#[tokio::test]
async fn a_cancelled_lesson_shows_on_the_other_nodes_at_once() {
    let t = TestApp::spawn_demo().await;
    if t.db().engine() != db::Engine::Postgres {
        return t.stop().await; // SQLite is a single node
    }
    let eleve = t.user_id("demo.eleve").await;
    let (_, class, _) = division_of(&t, eleve).await;
    let (lesson, _, _) = monday_lessons(&t, class).await[0];
    let node = listening_node(&t).await;
    let student = node.browser_like(&t.signed_in("demo.eleve").await);
    let (status, week) = student.get_html("/edt?semaine=2026-09-07").await;
    assert_eq!(status, 200);
    assert!(!week.contains("Cours annulé"), "{week}");

    let cpe = t.signed_in("demo.cpe").await;
    let path = format!("/edt/cours/{lesson}/2026-09-07");
    let token = cpe.form_token(&path).await;
    let fields = [
        ("csrf_token", token.as_str()),
        ("cancelled", "1"),
        ("substitute", ""),
        ("room", ""),
        ("note", "Sortie scolaire"),
    ];
    assert_eq!(cpe.post_form(&path, &fields).await.status(), 303);
    assert!(
        within_5s(&student, "/edt?semaine=2026-09-07", "Sortie scolaire", true).await,
        "the other node still showed the lesson as usual"
    );
    node.stop().await;
    t.stop().await;
}
