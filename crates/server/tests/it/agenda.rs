//! The agenda as people use it: the direction adds events for some profiles and classes, readers see
//! theirs in the month, a feed address shows a person's events to a calendar app and nobody else's.

use kernel::{Context, Profile, UserId};
use testkit::{Browser, TestApp, location};
use uuid::Uuid;

async fn school_of(t: &TestApp, login: &str, profile: Profile) -> Uuid {
    let id = t.user_id(login).await;
    directory::store::contexts_of(t.db(), UserId(id))
        .await
        .unwrap()
        .into_iter()
        .find_map(|(c, _)| match c {
            Context::School { school, profile: p } if p == profile => Some(school.0),
            _ => None,
        })
        .unwrap()
}

/// demo.eleve's division and another division of the same school.
async fn classes(t: &TestApp, school: Uuid) -> (Uuid, Uuid) {
    let eleve = t.user_id("demo.eleve").await;
    let s = kernel::SchoolId(school);
    let mine = directory::store::classes_of_student(t.db(), s, UserId(eleve))
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.kind == "classe")
        .unwrap()
        .id;
    let other = directory::store::classes_of_school(t.db(), s)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.kind == "classe" && c.id != mine)
        .unwrap()
        .id;
    (mine, other)
}

async fn add(b: &Browser, fields: &[(&str, &str)]) -> reqwest::Response {
    let token = b.form_token("/agenda/nouveau").await;
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    b.post_form("/agenda/nouveau", &all).await
}

/// A new feed address for the signed-in person: its path.
async fn feed_path(b: &Browser) -> String {
    let token = b.form_token("/agenda/abonnement").await;
    let res = b
        .post_form("/agenda/abonnement", &[("csrf_token", &token), ("action", "new")])
        .await;
    let html = res.text().await.unwrap();
    let start = html.find("/agenda/flux/").unwrap();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn readers_see_the_events_meant_for_them_and_their_feed_only_theirs() {
    let t = TestApp::spawn_demo().await;
    let school = school_of(&t, "demo.direction", Profile::Direction).await;
    let (mine, other) = classes(&t, school).await;
    let dir = t.signed_in("demo.direction").await;
    let (m, o) = (mine.to_string(), other.to_string());
    let base = [
        ("first_day", "2026-09-15"),
        ("start_time", "18:00"),
        ("end_time", "20:00"),
    ];
    let mut parents = vec![
        ("title", "Reunion parents, 3e"),
        ("place", "Salle 12; bat. B"),
        ("public", "parents"),
        ("classe", m.as_str()),
    ];
    parents.extend_from_slice(&base);
    let res = add(&dir, &parents).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let event = location(&res).split('?').next().unwrap().to_string();
    let mut others = vec![
        ("title", "Reunion autre classe"),
        ("public", "parents"),
        ("classe", o.as_str()),
    ];
    others.extend_from_slice(&base);
    assert_eq!(add(&dir, &others).await.status(), 303);
    let open_day = [
        ("title", "Portes ouvertes"),
        ("first_day", "2026-09-19"),
        ("all_day", "1"),
        ("public", "eleves"),
        ("public", "parents"),
    ];
    assert_eq!(add(&dir, &open_day).await.status(), 303);
    let bad = [
        ("title", "A l'envers"),
        ("first_day", "2026-09-15"),
        ("start_time", "18:00"),
        ("end_time", "17:00"),
        ("public", "parents"),
    ];
    let res = add(&dir, &bad).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Heure de fin : la fin doit suivre le début.")
    );

    let parent = t.signed_in("demo.parent").await;
    let (status, month) = parent.get_html("/agenda?mois=2026-09").await;
    assert_eq!(status, 200);
    assert!(
        month.contains("Reunion parents, 3e") && month.contains("18:00–20:00"),
        "{month}"
    );
    assert!(month.contains("Portes ouvertes"));
    assert!(
        !month.contains("Reunion autre classe"),
        "another class's event: {month}"
    );
    let student = t.signed_in("demo.eleve").await;
    let (_, month) = student.get_html("/agenda?mois=2026-09").await;
    assert!(
        month.contains("Portes ouvertes") && !month.contains("Reunion parents"),
        "{month}"
    );
    assert_eq!(student.get(&event).await.status(), 404);
    assert_eq!(parent.get(&event).await.status(), 200);

    let id = event.rsplit('/').next().unwrap();
    let events = bus::pending(t.db(), Some("agenda.event_published"), 100)
        .await
        .unwrap();
    let e = events.iter().find(|e| e.payload()["event"] == id).unwrap();
    assert_eq!(e.payload()["link"], event);
    assert_eq!(e.payload()["audience"]["profiles"], serde_json::json!(["TUT"]));
    assert_eq!(e.payload()["audience"]["classes"], serde_json::json!([m]));

    // The feeds: a calendar app has no session, the secret is enough, and it is one person's.
    let parent_feed = feed_path(&parent).await;
    let student_feed = feed_path(&student).await;
    let res = t.browser().get(&parent_feed).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = res.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.contains("SUMMARY:Reunion parents\\, 3e"), "{ics}");
    assert!(ics.contains("LOCATION:Salle 12\\; bat. B"));
    assert!(ics.contains("DTSTART:20260915T160000Z"), "18:00 in Paris: {ics}");
    assert!(ics.contains("DTSTART;VALUE=DATE:20260919") && ics.contains("DTEND;VALUE=DATE:20260920"));
    #[cfg(feature = "peer-tests")]
    check_with_python_icalendar(&ics);
    let ics = t.browser().get(&student_feed).await.text().await.unwrap();
    assert!(!ics.contains("Reunion parents"), "the student's feed: {ics}");
    assert!(ics.contains("SUMMARY:Portes ouvertes"));

    let token = parent.form_token("/agenda/abonnement").await;
    parent
        .post_form(
            "/agenda/abonnement",
            &[("csrf_token", &token), ("action", "revoke")],
        )
        .await;
    assert_eq!(t.browser().get(&parent_feed).await.status(), 404);
    assert_eq!(
        t.browser().get("/agenda/flux/pas-un-secret.ics").await.status(),
        404
    );
    t.stop().await;
}

/// The feed read by a real iCalendar parser (Python `icalendar`).
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
    assert str(e['SUMMARY'])
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
    assert!(n >= 2, "{n} events");
}
