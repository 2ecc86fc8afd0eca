//! Attendance as people use it: the teacher's roll call at the start of a lesson, the school-life
//! office's dashboard, the family's online justification and the office's decision, absences announced
//! beforehand, and who may see and do what.

use sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use testkit::{TestApp, csrf_token, location};
use uuid::Uuid;

fn a(n: &str) -> Alias {
    Alias::new(n)
}

fn col(t: &str, c: &str) -> Expr {
    Expr::col((a(t), a(c)))
}

/// A weekly lesson of demo.prof in demo.eleve's division, every week: (lesson, class, weekday, start).
async fn demo_lesson(t: &TestApp) -> (Uuid, Uuid, i32, i32) {
    let prof = t.user_id("demo.prof").await;
    let eleve = t.user_id("demo.eleve").await;
    let q = Query::select()
        .column((a("l"), a("id")))
        .column((a("l"), a("class_id")))
        .column((a("l"), a("weekday")))
        .column((a("l"), a("starts_at")))
        .from_as(a("lessons"), a("l"))
        .join_as(
            JoinType::InnerJoin,
            a("lesson_teachers"),
            a("lt"),
            col("lt", "lesson_id").equals((a("l"), a("id"))),
        )
        .join_as(
            JoinType::InnerJoin,
            a("class_students"),
            a("cs"),
            col("cs", "class_id").equals((a("l"), a("class_id"))),
        )
        .and_where(col("lt", "teacher_id").eq(prof))
        .and_where(col("cs", "student_id").eq(eleve))
        .and_where(col("l", "weeks").eq("*"))
        .and_where(col("l", "weekday").lte(5))
        .order_by((a("l"), a("weekday")), Order::Asc)
        .order_by((a("l"), a("starts_at")), Order::Asc)
        .limit(1)
        .to_owned();
    t.db().fetch_one(&q).await.unwrap()
}

/// The day of the week of 7 September 2026 (Monday) with that weekday.
fn day_of_week(weekday: i32) -> jiff::civil::Date {
    jiff::civil::date(2026, 9, 6 + weekday as i8)
}

/// Moves the shared clock to `minute` (school time) of `day`.
fn set_clock(t: &TestApp, day: jiff::civil::Date, minute: i32) {
    use kernel::Clock;
    let target = day
        .at((minute / 60) as i8, (minute % 60) as i8, 0, 0)
        .in_tz("Europe/Paris")
        .unwrap()
        .timestamp()
        .as_millisecond();
    let now = t.clock.now().0;
    t.clock.advance_secs((target - now) / 1000);
}

/// The value of the `<option>` whose text is `label`.
fn option_value(html: &str, label: &str) -> String {
    let end = html
        .find(&format!(">{label}</option>"))
        .unwrap_or_else(|| panic!("no option {label}"));
    let start = html[..end].rfind("value=\"").unwrap() + 7;
    html[start..html[start..].find('"').unwrap() + start].to_string()
}

async fn class_student_other_than(t: &TestApp, class: Uuid, not: Uuid) -> Uuid {
    let q = Query::select()
        .column(a("student_id"))
        .from(a("class_students"))
        .and_where(Expr::col(a("class_id")).eq(class))
        .and_where(Expr::col(a("student_id")).ne(not))
        .limit(1)
        .to_owned();
    t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
}

async fn outbox_topics(t: &TestApp) -> Vec<(String, String)> {
    let q = Query::select()
        .columns([a("topic"), a("payload")])
        .from(a("outbox"))
        .and_where(Expr::col(a("topic")).like("attendance.%"))
        .to_owned();
    t.db().fetch_all(&q).await.unwrap()
}

#[tokio::test]
async fn the_teacher_takes_the_roll_the_family_justifies_and_the_office_decides() {
    let t = TestApp::spawn_demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let (lesson, class, weekday, start) = demo_lesson(&t).await;
    let day = day_of_week(weekday);
    let other = class_student_other_than(&t, class, eleve).await;
    let roll = format!("/appel/{lesson}/{day}");

    // A quarter of an hour before the lesson, the roll call is not open yet.
    set_clock(&t, day, start - 15);
    let prof = t.signed_in("demo.prof").await;
    let (status, list) = prof.get_html(&format!("/appel?jour={day}")).await;
    assert_eq!(status, 200);
    assert!(
        list.contains(&roll),
        "the day's list links to the lesson's roll call: {list}"
    );
    assert!(list.contains("Appel pas encore ouvert"), "{list}");
    let csrf = prof.form_token(&roll).await;
    let m_eleve = format!("m-{eleve}");
    let res = prof
        .post_form(&roll, &[("csrf_token", &csrf), (&m_eleve, "absent")])
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("appel de ce cours ouvre à"));

    // Five minutes before: one tap for the absent student, one for the late one, then save.
    set_clock(&t, day, start - 5);
    let (status, sheet) = prof.get_html(&roll).await;
    assert_eq!(status, 200);
    assert!(
        sheet.contains(&format!("name=\"m-{eleve}\"")),
        "the student is on the sheet"
    );
    let m_other = format!("m-{other}");
    let r_other = format!("r-{other}");
    let res = prof
        .post_form(
            &roll,
            &[
                ("csrf_token", &csrf),
                (&m_eleve, "absent"),
                (&m_other, "retard"),
                (&r_other, "12"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("{roll}?ok=1"));
    let (_, sheet) = prof.get_html(&format!("{roll}?ok=1")).await;
    assert!(sheet.contains("Appel enregistré"), "{sheet}");
    assert!(sheet.contains(&format!(
        "id=\"a-{eleve}\" name=\"m-{eleve}\" value=\"absent\" checked"
    )));
    assert!(sheet.contains(&format!(
        "id=\"r-{other}\" name=\"r-{other}\" min=\"1\" max=\"120\" inputmode=\"numeric\" value=\"12\""
    )));
    let (_, list) = prof.get_html(&format!("/appel?jour={day}")).await;
    assert!(list.contains("Appel fait"), "{list}");

    // Saving again the same roll records nothing twice; the families are told once.
    let res = prof
        .post_form(
            &roll,
            &[
                ("csrf_token", &csrf),
                (&m_eleve, "absent"),
                (&m_other, "retard"),
                (&r_other, "12"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let events = outbox_topics(&t).await;
    let recorded: Vec<_> = events
        .iter()
        .filter(|(topic, _)| topic == "attendance.recorded")
        .collect();
    assert_eq!(recorded.len(), 2, "{events:?}");
    assert!(
        recorded
            .iter()
            .any(|(_, p)| p.contains(&eleve.to_string()) && p.contains("\"absence\""))
    );

    // The office sees the absent student and that this roll is taken.
    let cpe = t.signed_in("demo.cpe").await;
    let (status, dash) = cpe.get_html(&format!("/vie-scolaire?jour={day}")).await;
    assert_eq!(status, 200);
    let eleve_page = format!("/vie-scolaire/eleves/{eleve}");
    assert!(dash.contains(&eleve_page), "the absent student is listed");
    assert!(
        !dash.contains(&format!("<a href=\"{roll}\">")),
        "the roll is not missing: {dash}"
    );

    // The parent sees the absence, not justified, and justifies it with a reason and a doctor's note.
    let parent = t.signed_in("demo.parent").await;
    let (status, page) = parent.get_html(&format!("/absences?eleve={eleve}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Non justifiée"), "{page}");
    let file_id = {
        let q = Query::select()
            .column(a("id"))
            .from(a("absences"))
            .and_where(Expr::col(a("lesson_id")).eq(lesson))
            .and_where(Expr::col(a("student_id")).eq(eleve))
            .to_owned();
        t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
    };
    assert!(page.contains(&format!("value=\"{file_id}\"")));
    let reason = option_value(&page, "Rendez-vous médical");
    let csrf_p = csrf_token(&page).unwrap();
    let file = file_id.to_string();
    // Without a reason: refused, the field named.
    let res = parent
        .post_multipart(
            "/absences/justifier",
            &[
                ("csrf_token", &csrf_p),
                ("eleve", &eleve.to_string()),
                ("absence", &file),
            ],
            &[],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Motif : choisissez un motif"));
    // A program is not a doctor's note.
    let res = parent
        .post_multipart(
            "/absences/justifier",
            &[
                ("csrf_token", &csrf_p),
                ("eleve", &eleve.to_string()),
                ("absence", &file),
                ("reason", &reason),
            ],
            &[("document", "virus.exe", b"MZ...".as_slice())],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Justificatif : envoyez un PDF ou une photo")
    );
    let res = parent
        .post_multipart(
            "/absences/justifier",
            &[
                ("csrf_token", &csrf_p),
                ("eleve", &eleve.to_string()),
                ("absence", &file),
                ("reason", &reason),
                ("comment", "Rendez-vous chez l'orthodontiste."),
            ],
            &[("document", "convocation.pdf", b"%PDF-1.4 rendez-vous".as_slice())],
        )
        .await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let (_, page) = parent
        .get_html(&format!("/absences?eleve={eleve}&ok=justifie"))
        .await;
    assert!(page.contains("Justification envoyée"));
    assert!(page.contains("Justificatif envoyé, en attente"), "{page}");

    // The office finds it waiting, reads the note, and accepts it.
    let (_, dash) = cpe.get_html(&format!("/vie-scolaire?jour={day}")).await;
    let file_page = format!("/vie-scolaire/absences/{file_id}");
    assert!(dash.contains(&file_page));
    let (status, detail) = cpe.get_html(&file_page).await;
    assert_eq!(status, 200);
    assert!(
        detail.contains("Rendez-vous chez l&#39;orthodontiste.")
            || detail.contains("Rendez-vous chez l'orthodontiste.")
    );
    let doc = cpe.get(&format!("/absences/{file_id}/document")).await;
    assert_eq!(doc.status(), 200);
    assert_eq!(doc.bytes().await.unwrap().as_ref(), b"%PDF-1.4 rendez-vous");
    let csrf_c = csrf_token(&detail).unwrap();
    let res = cpe
        .post_form(
            &file_page,
            &[("csrf_token", &csrf_c), ("decision", "accepter"), ("comment", "")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, page) = parent.get_html(&format!("/absences?eleve={eleve}")).await;
    assert!(page.contains("Justifiée"));
    // Once decided, the family cannot justify it again.
    let res = parent
        .post_multipart(
            "/absences/justifier",
            &[
                ("csrf_token", &csrf_p),
                ("eleve", &eleve.to_string()),
                ("absence", &file),
                ("reason", &reason),
            ],
            &[],
        )
        .await;
    assert_eq!(res.status(), 422);

    // The teacher corrects the roll: the late student had come on time.
    let res = prof
        .post_form(
            &roll,
            &[("csrf_token", &csrf), (&m_eleve, "absent"), (&m_other, "present")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let q = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from(a("absences"))
        .and_where(Expr::col(a("lesson_id")).eq(lesson))
        .to_owned();
    assert_eq!(t.db().fetch_one::<(i64,)>(&q).await.unwrap().0, 1);
    let (_, sheet) = prof.get_html(&roll).await;
    assert!(
        sheet.contains("(Justifiée)"),
        "the justified absence shows on the sheet"
    );
}

#[tokio::test]
async fn only_the_lessons_teacher_and_the_office_take_its_roll_and_families_see_only_their_own() {
    let t = TestApp::spawn_demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let (lesson, class, weekday, start) = demo_lesson(&t).await;
    let day = day_of_week(weekday);
    let roll = format!("/appel/{lesson}/{day}");
    set_clock(&t, day, start);

    // Another teacher of the school does not see this lesson's roll call.
    let q = Query::select()
        .column((a("m"), a("user_id")))
        .from_as(a("memberships"), a("m"))
        .and_where(col("m", "profile").eq("ENS"))
        .and_where(
            col("m", "school_id").in_subquery(
                Query::select()
                    .column(a("school_id"))
                    .from(a("lessons"))
                    .and_where(Expr::col(a("id")).eq(lesson))
                    .to_owned(),
            ),
        )
        .and_where(
            col("m", "user_id").not_in_subquery(
                Query::select()
                    .column(a("teacher_id"))
                    .from(a("lesson_teachers"))
                    .and_where(Expr::col(a("lesson_id")).eq(lesson))
                    .to_owned(),
            ),
        )
        .limit(1)
        .to_owned();
    let (colleague,): (Uuid,) = t.db().fetch_one(&q).await.unwrap();
    let colleague = t.signed_in_as(colleague).await;
    assert_eq!(colleague.get(&roll).await.status(), 404);
    let csrf = colleague.form_token("/appel").await;
    let m = format!("m-{eleve}");
    let res = colleague
        .post_form(&roll, &[("csrf_token", &csrf), (&m, "absent")])
        .await;
    assert_eq!(res.status(), 404);

    // The teacher of the lesson: a student of another class cannot be marked, nor a silly lateness.
    let prof = t.signed_in("demo.prof").await;
    let csrf = prof.form_token(&roll).await;
    let stranger = {
        let q = Query::select()
            .column(a("student_id"))
            .from(a("class_students"))
            .and_where(Expr::col(a("class_id")).ne(class))
            .limit(1)
            .to_owned();
        t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
    };
    let m_stranger = format!("m-{stranger}");
    let res = prof
        .post_form(&roll, &[("csrf_token", &csrf), (&m_stranger, "absent")])
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("est pas inscrit dans cette classe")
    );
    let r = format!("r-{eleve}");
    let res = prof
        .post_form(&roll, &[("csrf_token", &csrf), (&m, "retard"), (&r, "500")])
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("Retard de") && body.contains("entre 1 et 120"),
        "{body}"
    );
    // The day after, the teacher can no longer change it; the office still can.
    set_clock(&t, day.tomorrow().unwrap(), start);
    let prof = t.signed_in("demo.prof").await;
    let (status, sheet) = prof.get_html(&roll).await;
    assert_eq!(status, 200);
    assert!(
        sheet.contains("seule la vie scolaire peut encore corriger"),
        "{sheet}"
    );
    let csrf = csrf_token(&sheet).unwrap();
    let res = prof
        .post_form(&roll, &[("csrf_token", &csrf), (&m, "absent")])
        .await;
    assert_eq!(res.status(), 403);
    let cpe = t.signed_in("demo.cpe").await;
    let csrf_c = cpe.form_token(&roll).await;
    let res = cpe
        .post_form(&roll, &[("csrf_token", &csrf_c), (&m, "absent")])
        .await;
    assert_eq!(res.status(), 303);

    // Students and parents have no school-life dashboard nor anyone's roll call.
    let student = t.signed_in("demo.eleve").await;
    assert_eq!(student.get("/vie-scolaire").await.status(), 403);
    assert_eq!(student.get(&roll).await.status(), 404);
    let (status, own) = student.get_html("/absences").await;
    assert_eq!(status, 200);
    assert!(
        own.contains("Non justifiée"),
        "the student sees their own absences"
    );
    assert!(
        !own.contains("Envoyer la justification"),
        "a student does not justify: {own}"
    );

    // A parent of another family sees nothing of demo.eleve, and cannot justify their absences.
    let other_parent = {
        let q = Query::select()
            .column((a("g"), a("guardian_id")))
            .from_as(a("guardianships"), a("g"))
            .and_where(
                col("g", "guardian_id").not_in_subquery(
                    Query::select()
                        .column(a("guardian_id"))
                        .from(a("guardianships"))
                        .and_where(Expr::col(a("student_id")).eq(eleve))
                        .to_owned(),
                ),
            )
            // A parent only (not also a teacher, whose first context would be the teacher's).
            .and_where(
                col("g", "guardian_id").not_in_subquery(
                    Query::select()
                        .column(a("user_id"))
                        .from(a("memberships"))
                        .and_where(Expr::col(a("profile")).ne("TUT"))
                        .to_owned(),
                ),
            )
            .limit(1)
            .to_owned();
        t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
    };
    let other = t.signed_in_as(other_parent).await;
    assert_eq!(other.get(&format!("/absences?eleve={eleve}")).await.status(), 404);
    let file_id = {
        let q = Query::select()
            .column(a("id"))
            .from(a("absences"))
            .and_where(Expr::col(a("student_id")).eq(eleve))
            .and_where(Expr::col(a("lesson_id")).eq(lesson))
            .to_owned();
        t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
    };
    let (_, page) = other.get_html("/absences").await;
    let csrf_o = csrf_token(&page).unwrap();
    let res = other
        .post_multipart(
            "/absences/justifier",
            &[("csrf_token", &csrf_o), ("absence", &file_id.to_string())],
            &[],
        )
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        other.get(&format!("/absences/{file_id}/document")).await.status(),
        404
    );
}

#[tokio::test]
async fn an_absence_announced_by_the_family_shows_at_the_roll_call_and_counts_once() {
    let t = TestApp::spawn_demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let (lesson, _, weekday, start) = demo_lesson(&t).await;
    let day = day_of_week(weekday);
    // The Friday before, the parent announces the absence for the whole day.
    set_clock(&t, jiff::civil::date(2026, 9, 4), 18 * 60);
    let parent = t.signed_in("demo.parent").await;
    let (_, page) = parent.get_html(&format!("/absences?eleve={eleve}")).await;
    let csrf = csrf_token(&page).unwrap();
    let reason = option_value(&page, "Maladie");
    let eleve_s = eleve.to_string();
    let day_s = day.to_string();
    // The end before the start is refused, the field named.
    let res = parent
        .post_form(
            "/absences/signaler",
            &[
                ("csrf_token", &csrf),
                ("eleve", &eleve_s),
                ("kind", "absence"),
                ("from_day", &day_s),
                ("to_day", "2026-09-01"),
                ("reason", &reason),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("Au : la fin de l") && body.contains("doit venir après son début"),
        "{body}"
    );
    let res = parent
        .post_form(
            "/absences/signaler",
            &[
                ("csrf_token", &csrf),
                ("eleve", &eleve_s),
                ("kind", "absence"),
                ("from_day", &day_s),
                ("to_day", &day_s),
                ("reason", &reason),
                ("comment", "Grippe."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);

    // At the lesson, the teacher sees it and the student comes pre-marked absent.
    set_clock(&t, day, start);
    let prof = t.signed_in("demo.prof").await;
    let roll = format!("/appel/{lesson}/{day}");
    let (_, sheet) = prof.get_html(&roll).await;
    assert!(sheet.contains("absence signalée : Maladie"), "{sheet}");
    assert!(sheet.contains(&format!(
        "id=\"a-{eleve}\" name=\"m-{eleve}\" value=\"absent\" checked"
    )));
    let csrf = csrf_token(&sheet).unwrap();
    let m = format!("m-{eleve}");
    let res = prof
        .post_form(&roll, &[("csrf_token", &csrf), (&m, "absent")])
        .await;
    assert_eq!(res.status(), 303);
    // One file only: the announced one.
    let q = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from(a("absences"))
        .and_where(Expr::col(a("student_id")).eq(eleve))
        .and_where(Expr::col(a("start_day")).eq(day_s.as_str()))
        .to_owned();
    assert_eq!(t.db().fetch_one::<(i64,)>(&q).await.unwrap().0, 1);
    let (_, sheet) = prof.get_html(&roll).await;
    assert!(
        sheet.contains(&format!(
            "id=\"a-{eleve}\" name=\"m-{eleve}\" value=\"absent\" checked"
        )),
        "still absent once the roll is taken"
    );

    // The office sees the announcement waiting and the half-days in the student's file.
    let cpe = t.signed_in("demo.cpe").await;
    let (_, file) = cpe.get_html(&format!("/vie-scolaire/eleves/{eleve}")).await;
    assert!(file.contains("Justificatif envoyé, en attente"), "{file}");
}

#[tokio::test]
async fn the_office_records_absences_and_follows_a_class() {
    let t = TestApp::spawn_demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let (_, class, _, _) = demo_lesson(&t).await;
    set_clock(&t, jiff::civil::date(2026, 9, 14), 10 * 60);
    let cpe = t.signed_in("demo.cpe").await;
    let page_path = format!("/vie-scolaire/eleves/{eleve}");
    let (status, page) = cpe.get_html(&page_path).await;
    assert_eq!(status, 200);
    let csrf = csrf_token(&page).unwrap();
    let reason = option_value(&page, "Problème de transport");
    // A bad time names its field.
    let res = cpe
        .post_form(
            &page_path,
            &[
                ("csrf_token", &csrf),
                ("kind", "absence"),
                ("from_day", "2026-09-14"),
                ("from_time", "25h"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("À partir de : l&#39;heure n&#39;est pas valide")
    );
    // Monday morning, the bus broke down: justified at once since the office gives the reason.
    let res = cpe
        .post_form(
            &page_path,
            &[
                ("csrf_token", &csrf),
                ("kind", "absence"),
                ("from_day", "2026-09-14"),
                ("from_time", "8:00"),
                ("to_day", "2026-09-14"),
                ("to_time", "12:00"),
                ("reason", &reason),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    // Tuesday, a whole day without a reason yet.
    let res = cpe
        .post_form(
            &page_path,
            &[
                ("csrf_token", &csrf),
                ("kind", "absence"),
                ("from_day", "2026-09-15"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, page) = cpe.get_html(&page_path).await;
    // Three demo files before September plus these two: a morning (justified), a whole day (not).
    assert!(page.contains("Problème de transport"));
    let (status, stats) = cpe.get_html(&format!("/vie-scolaire/classes/{class}")).await;
    assert_eq!(status, 200);
    let row_start = stats.find(&format!("/vie-scolaire/eleves/{eleve}")).unwrap();
    let row = &stats[row_start..row_start + stats[row_start..].find("</tr>").unwrap()];
    let cells: Vec<&str> = row
        .split("<td>")
        .skip(1)
        .map(|c| c.split('<').next().unwrap())
        .collect();
    // 3 half-days (Monday morning, Tuesday morning and afternoon), 2 not justified, no lateness.
    assert_eq!(cells[..2], ["3", "2"], "{row}");

    // The school's list of reasons: a new one is offered to families, a withdrawn one is not.
    let (_, reasons) = cpe.get_html("/vie-scolaire/motifs").await;
    let csrf = csrf_token(&reasons).unwrap();
    let res = cpe
        .post_form(
            "/vie-scolaire/motifs",
            &[("csrf_token", &csrf), ("label", "Maladie")],
        )
        .await;
    assert_eq!(res.status(), 422, "a duplicate reason is refused");
    let res = cpe
        .post_form(
            "/vie-scolaire/motifs",
            &[("csrf_token", &csrf), ("label", "Stage en entreprise")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let parent = t.signed_in("demo.parent").await;
    let (_, page) = parent.get_html(&format!("/absences?eleve={eleve}")).await;
    assert!(page.contains("Stage en entreprise"));
    let teacher = t.signed_in("demo.prof").await;
    assert_eq!(teacher.get("/vie-scolaire/motifs").await.status(), 403);
    assert_eq!(teacher.get(&page_path).await.status(), 403);
}
