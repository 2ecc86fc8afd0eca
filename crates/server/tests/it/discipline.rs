//! Discipline as people use it: a teacher punishes a student of their class, the CPE records an incident
//! and a punishment, the head decides sanctions within the legal limits, and families see their own
//! child's record by the school's rules, never the other people involved.

use sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use testkit::{Browser, TestApp, csrf_token, location};
use uuid::Uuid;

fn a(n: &str) -> Alias {
    Alias::new(n)
}

fn col(t: &str, c: &str) -> Expr {
    Expr::col((a(t), a(c)))
}

/// (school, class) of demo.eleve's division, which demo.prof teaches.
async fn demo_class(t: &TestApp) -> (Uuid, Uuid) {
    let (prof, eleve) = (t.user_id("demo.prof").await, t.user_id("demo.eleve").await);
    let q = Query::select()
        .column((a("t"), a("school_id")))
        .column((a("t"), a("class_id")))
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
        .limit(1)
        .to_owned();
    t.db().fetch_one(&q).await.unwrap()
}

/// Classmates of demo.eleve the demo's records leave alone (the demo names the first two by name).
async fn fresh_classmates(t: &TestApp, class: Uuid) -> Vec<Uuid> {
    let eleve = t.user_id("demo.eleve").await;
    let q = Query::select()
        .column((a("s"), a("student_id")))
        .from_as(a("class_students"), a("s"))
        .join_as(
            JoinType::InnerJoin,
            a("users"),
            a("u"),
            col("u", "id").equals((a("s"), a("student_id"))),
        )
        .and_where(col("s", "class_id").eq(class))
        .and_where(col("s", "student_id").ne(eleve))
        .order_by((a("u"), a("last_name")), Order::Asc)
        .order_by((a("u"), a("first_name")), Order::Asc)
        .to_owned();
    let all: Vec<(Uuid,)> = t.db().fetch_all(&q).await.unwrap();
    all.into_iter().skip(2).map(|r| r.0).collect()
}

/// A student of the school in no class or group demo.prof teaches.
async fn untaught_student(t: &TestApp, school: Uuid) -> Uuid {
    let prof = t.user_id("demo.prof").await;
    let taught = Query::select()
        .column(a("class_id"))
        .from(a("teachings"))
        .and_where(Expr::col(a("teacher_id")).eq(prof))
        .to_owned();
    let reached = Query::select()
        .column(a("student_id"))
        .from(a("class_students"))
        .and_where(Expr::col(a("class_id")).in_subquery(taught))
        .to_owned();
    let q = Query::select()
        .column(a("student_id"))
        .from(a("class_students"))
        .and_where(Expr::col(a("school_id")).eq(school))
        .and_where(Expr::col(a("student_id")).not_in_subquery(reached))
        .limit(1)
        .to_owned();
    t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
}

async fn student_of_another_school(t: &TestApp, school: Uuid) -> Uuid {
    let q = Query::select()
        .column(a("student_id"))
        .from(a("class_students"))
        .and_where(Expr::col(a("school_id")).ne(school))
        .limit(1)
        .to_owned();
    t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
}

/// "Prénom Nom".
async fn name_of(t: &TestApp, id: Uuid) -> String {
    let q = Query::select()
        .columns([a("first_name"), a("last_name")])
        .from(a("users"))
        .and_where(Expr::col(a("id")).eq(id))
        .to_owned();
    let (first, last): (String, String) = t.db().fetch_one(&q).await.unwrap();
    format!("{first} {last}")
}

/// A browser signed in as the person `id` (given the demo password first), acting as guardian in
/// `school`.
async fn guardian_in(t: &TestApp, id: Uuid, school: Uuid) -> Browser {
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
    let b = t.signed_in(&login).await;
    let token = b.form_token("/").await;
    let res = b
        .post_form(
            "/contexte",
            &[("csrf_token", &token), ("context", &format!("s.{school}.TUT"))],
        )
        .await;
    assert_eq!(res.status(), 303);
    b
}

async fn guardian_of(t: &TestApp, student: Uuid) -> Uuid {
    let q = Query::select()
        .column(a("guardian_id"))
        .from(a("guardianships"))
        .and_where(Expr::col(a("student_id")).eq(student))
        .limit(1)
        .to_owned();
    t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
}

/// The payloads of the outbox's events of `topic`.
async fn events(t: &TestApp, topic: &str) -> Vec<String> {
    let q = Query::select()
        .column(a("payload"))
        .from(a("outbox"))
        .and_where(Expr::col(a("topic")).eq(topic))
        .to_owned();
    t.db()
        .fetch_all::<(String,)>(&q)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.0)
        .collect()
}

/// The ids of `table`'s rows about `student`.
async fn rows_of(t: &TestApp, table: &str, student: Uuid) -> Vec<Uuid> {
    let q = Query::select()
        .column(a("id"))
        .from(a(table))
        .and_where(Expr::col(a("student_id")).eq(student))
        .to_owned();
    t.db()
        .fetch_all::<(Uuid,)>(&q)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.0)
        .collect()
}

async fn journal_actions(t: &TestApp, student: Uuid) -> Vec<String> {
    let q = Query::select()
        .column(a("action"))
        .from(a("discipline_journal"))
        .and_where(Expr::col(a("student_id")).eq(student))
        .to_owned();
    t.db()
        .fetch_all::<(String,)>(&q)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.0)
        .collect()
}

const PUNISH: &str = "/discipline/punitions/nouvelle";
const SANCTION: &str = "/discipline/sanctions/nouvelle";

#[tokio::test]
async fn a_teacher_punishes_a_student_of_their_class_and_marks_it_done() {
    let t = TestApp::spawn_demo().await;
    let (_, class) = demo_class(&t).await;
    let mate = fresh_classmates(&t, class).await[0];
    let mate_name = name_of(&t, mate).await;
    let prof = t.signed_in("demo.prof").await;

    // The form, reached from the class, names the student.
    let (status, html) = prof.get_html(&format!("{PUNISH}?classe={class}")).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains(&mate.to_string()),
        "the class's students are offered"
    );
    let form = format!("{PUNISH}?eleve={mate}");
    let token = prof.form_token(&form).await;
    let m = mate.to_string();
    let mut fields = vec![
        ("csrf_token", token.as_str()),
        ("eleve", m.as_str()),
        ("kind", "retenue"),
        ("reason", "Bavardages répétés malgré trois rappels."),
    ];
    // A retenue needs its day, time and place: the field is named.
    let res = prof.post_form(PUNISH, &fields).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Date de la retenue : ce champ est obligatoire."),
        "{html}"
    );
    assert!(rows_of(&t, "discipline_punishments", mate).await.is_empty());

    fields.extend([
        ("detention_day", "2026-09-09"),
        ("detention_time", "13:30"),
        ("detention_place", "Salle d'étude"),
        ("work", "Exercices 4 à 7 page 32."),
    ]);
    let res = prof.post_form(PUNISH, &fields).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("/discipline/eleves/{mate}"));
    let (status, record) = prof.get_html(&location(&res)).await;
    assert_eq!(status, 200);
    assert!(record.contains(&mate_name));
    assert!(
        record.contains("Retenue") && record.contains("09/09/2026 13:30 · Salle d&#39;étude"),
        "{record}"
    );
    assert!(record.contains("Bavardages répétés malgré trois rappels.") && record.contains("à faire"));

    // Written once, journaled, announced for the family's notification.
    let ids = rows_of(&t, "discipline_punishments", mate).await;
    assert_eq!(ids.len(), 1);
    assert_eq!(
        journal_actions(&t, mate).await,
        vec!["punishment_given".to_string()]
    );
    let given = events(&t, "discipline.punishment_given").await;
    assert_eq!(given.iter().filter(|p| p.contains(&m)).count(), 1, "{given:?}");

    // The teacher's list has it; the teacher marks it done.
    let (_, list) = prof.get_html("/discipline?statut=a_faire").await;
    assert!(list.contains(&mate_name), "{list}");
    let token = csrf_token(&record).unwrap();
    let res = prof
        .post_form(
            &format!("/discipline/punitions/{}/etat", ids[0]),
            &[("csrf_token", &token), ("etat", "faite")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, record) = prof.get_html(&format!("/discipline/eleves/{mate}")).await;
    assert!(record.contains("<dd>faite</dd>"), "{record}");
    let (_, list) = prof.get_html("/discipline?statut=a_faire").await;
    assert!(!list.contains(&mate_name));

    // The CPE follows every punishment of the school.
    let cpe = t.signed_in("demo.cpe").await;
    let (_, list) = cpe
        .get_html(&format!("/discipline?classe={class}&type=punition:retenue"))
        .await;
    assert!(list.contains(&mate_name), "{list}");
    t.stop().await;
}

#[tokio::test]
async fn a_teacher_decides_no_sanction_and_reaches_no_student_beyond_their_classes() {
    let t = TestApp::spawn_demo().await;
    let (school, class) = demo_class(&t).await;
    let mate = fresh_classmates(&t, class).await[0];
    let prof = t.signed_in("demo.prof").await;
    let cpe = t.signed_in("demo.cpe").await;
    let (prof_token, cpe_token) = (prof.form_token(PUNISH).await, cpe.form_token(PUNISH).await);
    let sanction = |token: &str, student: Uuid| {
        vec![
            ("csrf_token", token.to_string()),
            ("eleve", student.to_string()),
            ("kind", "avertissement".to_string()),
            ("reason", "Insolence".to_string()),
            ("decided_day", "2026-09-02".to_string()),
        ]
    };
    let punishment = |token: &str, student: Uuid| {
        vec![
            ("csrf_token", token.to_string()),
            ("eleve", student.to_string()),
            ("kind", "devoir".to_string()),
            ("reason", "Travail non fait".to_string()),
        ]
    };

    // Sanctions are the head's: the teacher and the CPE are refused.
    assert_eq!(prof.get(SANCTION).await.status(), 403);
    assert_eq!(post(&prof, SANCTION, sanction(&prof_token, mate)).await, 403);
    assert_eq!(post(&cpe, SANCTION, sanction(&cpe_token, mate)).await, 403);
    assert!(rows_of(&t, "discipline_sanctions", mate).await.is_empty());

    // A student of another school does not exist for them; one of their school outside their classes
    // is refused.
    let stranger = student_of_another_school(&t, school).await;
    assert_eq!(post(&prof, PUNISH, punishment(&prof_token, stranger)).await, 404);
    assert_eq!(
        prof.get(&format!("/discipline/eleves/{stranger}")).await.status(),
        404
    );
    assert_eq!(
        prof.get(&format!("{PUNISH}?eleve={stranger}")).await.status(),
        404
    );
    let untaught = untaught_student(&t, school).await;
    assert_eq!(post(&prof, PUNISH, punishment(&prof_token, untaught)).await, 403);
    assert_eq!(
        prof.get(&format!("/discipline/eleves/{untaught}")).await.status(),
        403
    );
    assert!(rows_of(&t, "discipline_punishments", untaught).await.is_empty());
    // The CPE reaches every student of the school, and no other.
    assert_eq!(post(&cpe, PUNISH, punishment(&cpe_token, untaught)).await, 303);
    assert_eq!(post(&cpe, PUNISH, punishment(&cpe_token, stranger)).await, 404);
    assert!(rows_of(&t, "discipline_punishments", stranger).await.is_empty());

    // Another's incident is not the teacher's to read; families have no staff pages.
    let q = Query::select()
        .column(a("id"))
        .from(a("discipline_incidents"))
        .and_where(Expr::col(a("school_id")).eq(school))
        .to_owned();
    let incidents: Vec<(Uuid,)> = t.db().fetch_all(&q).await.unwrap();
    assert_eq!(incidents.len(), 2, "the demo's two incidents");
    let res = cpe
        .post_form(
            "/discipline/incidents/nouveau",
            &[
                ("csrf_token", cpe_token.as_str()),
                ("day", "2026-09-01"),
                ("time", "09:00"),
                ("place", "Cantine"),
                ("type_id", &type_id(&t, school, "degradation").await.to_string()),
                ("description", "Plateau jeté au sol."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let by_cpe = location(&res);
    assert_eq!(prof.get(&by_cpe).await.status(), 404);
    assert_eq!(cpe.get(&by_cpe).await.status(), 200);
    let (_, list) = prof.get_html("/discipline").await;
    assert!(!list.contains("Cantine") && !list.contains(&by_cpe));
    let parent = t.signed_in("demo.parent").await;
    assert_eq!(parent.get("/discipline/incidents/nouveau").await.status(), 404);
    assert_eq!(parent.get(&by_cpe).await.status(), 404);
    assert_eq!(
        parent.get(&format!("/discipline/eleves/{mate}")).await.status(),
        404
    );
    t.stop().await;
}

async fn post(b: &Browser, path: &str, fields: Vec<(&str, String)>) -> u16 {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.post_form(path, &pairs).await.status().as_u16()
}

async fn type_id(t: &TestApp, school: Uuid, code: &str) -> Uuid {
    let q = Query::select()
        .column(a("id"))
        .from(a("discipline_incident_types"))
        .and_where(Expr::col(a("school_id")).eq(school))
        .and_where(Expr::col(a("code")).eq(code))
        .to_owned();
    t.db().fetch_one::<(Uuid,)>(&q).await.unwrap().0
}

#[tokio::test]
async fn the_head_decides_sanctions_within_the_legal_limits() {
    let t = TestApp::spawn_demo().await;
    let (_, class) = demo_class(&t).await;
    let mate = fresh_classmates(&t, class).await[0];
    let m = mate.to_string();
    let head = t.signed_in("demo.direction").await;
    let token = head.form_token(&format!("{SANCTION}?eleve={mate}")).await;
    let base = [
        ("csrf_token", token.as_str()),
        ("eleve", m.as_str()),
        ("reason", "Violence envers un camarade"),
        ("decided_day", "2026-09-02"),
        ("start_day", "2026-09-03"),
    ];
    let post = |extra: &[(&'static str, &'static str)]| {
        let mut f = base.to_vec();
        f.extend_from_slice(extra);
        let head = &head;
        async move { head.post_form(SANCTION, &f).await }
    };

    let res = post(&[("kind", "exclusion_etablissement"), ("days", "9")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains(
            "Durée de l&#39;exclusion (jours) : 8 jours au plus pour une exclusion temporaire (article R511-13 du code de l&#39;éducation)."
        ),
        "{html}"
    );
    let res = post(&[("kind", "exclusion_definitive")]).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Date du conseil de discipline : l&#39;exclusion définitive")
    );
    let res = post(&[("kind", "responsabilisation"), ("hours", "21")]).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Durée de la mesure (heures) : de 1 à 20 heures")
    );
    let res = post(&[("kind", "blame"), ("sursis", "total")]).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Sursis : un avertissement ou un blâme")
    );
    assert!(rows_of(&t, "discipline_sanctions", mate).await.is_empty());
    assert!(
        events(&t, "discipline.sanction_decided")
            .await
            .iter()
            .all(|p| !p.contains(&m))
    );

    // Eight days from Thursday 3 September end on Monday 14 (weekends skipped), two of them suspended.
    let res = post(&[
        ("kind", "exclusion_classe"),
        ("days", "8"),
        ("sursis", "partiel"),
        ("sursis_days", "2"),
    ])
    .await;
    assert_eq!(res.status(), 303);
    let (_, record) = head.get_html(&location(&res)).await;
    assert!(record.contains("Exclusion temporaire de la classe"), "{record}");
    assert!(
        record.contains("du 03/09/2026 au 14/09/2026 (8 jours)"),
        "{record}"
    );
    assert!(record.contains("sursis partiel (2 jours)"));
    assert_eq!(rows_of(&t, "discipline_sanctions", mate).await.len(), 1);
    let decided = events(&t, "discipline.sanction_decided").await;
    assert_eq!(decided.iter().filter(|p| p.contains(&m)).count(), 1);
    assert!(
        journal_actions(&t, mate)
            .await
            .contains(&"sanction_decided".to_string())
    );
    let (_, journal) = head.get_html("/discipline/journal").await;
    assert!(journal.contains("Sanction décidée"));
    t.stop().await;
}

#[tokio::test]
async fn families_see_their_childs_record_by_the_schools_rules_and_never_the_other_people() {
    let t = TestApp::spawn_demo().await;
    let (school, class) = demo_class(&t).await;
    let eleve = t.user_id("demo.eleve").await;
    let mates = fresh_classmates(&t, class).await;
    let (victim, witness, other) = (mates[0], mates[1], mates[2]);
    let others = [name_of(&t, victim).await, name_of(&t, witness).await];

    // The CPE records the incident with the people involved.
    let cpe = t.signed_in("demo.cpe").await;
    let path = format!("/discipline/incidents/nouveau?classe={class}");
    let (status, form) = cpe.get_html(&path).await;
    assert_eq!(status, 200);
    let type_id = {
        let end = form.find(">Violence physique</option>").unwrap();
        let start = form[..end].rfind("value=\"").unwrap() + 7;
        form[start..start + 36].to_string()
    };
    let cpe_token = csrf_token(&form).unwrap();
    let (c, e, v, w) = (
        class.to_string(),
        format!("role_{eleve}"),
        format!("role_{victim}"),
        format!("role_{witness}"),
    );
    let fields = [
        ("csrf_token", cpe_token.as_str()),
        ("classe", c.as_str()),
        ("day", "2026-09-01"),
        ("time", "11:05"),
        ("place", "Couloir du 2e étage"),
        ("type_id", type_id.as_str()),
        ("description", "Bousculade volontaire, le camarade est tombé."),
        (e.as_str(), "auteur"),
        (v.as_str(), "victime"),
        (w.as_str(), "temoin"),
        ("adult_name_1", "Mme Girard (AED)"),
        ("adult_role_1", "temoin"),
    ];
    let res = cpe.post_form("/discipline/incidents/nouveau", &fields).await;
    assert_eq!(res.status(), 303);
    let incident = location(&res);
    let (_, page) = cpe.get_html(&incident).await;
    for name in others.iter().chain([&"Mme Girard (AED)".to_string()]) {
        assert!(page.contains(name.as_str()), "the staff see {name}");
    }
    let id = incident.rsplit('/').next().unwrap().to_string();
    let (e, o) = (eleve.to_string(), other.to_string());
    let punish = |student: &str| {
        [
            ("csrf_token", cpe_token.clone()),
            ("eleve", student.to_string()),
            ("incident", id.clone()),
            ("kind", "observation".to_string()),
            ("reason", "Bousculade volontaire dans un couloir.".to_string()),
        ]
    };
    let post = |f: [(&'static str, String); 5], to: &'static str| {
        let b = &cpe;
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            b.post_form(to, &pairs).await
        }
    };
    // A punishment for an incident goes to someone involved in it.
    let res = post(punish(&o), PUNISH).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Incident : l&#39;élève n&#39;est pas parmi")
    );
    let res = post(punish(&e), PUNISH).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), incident);

    let head = t.signed_in("demo.direction").await;
    let head_token = head.form_token(&incident).await;
    let blame = [
        ("csrf_token", head_token.as_str()),
        ("eleve", e.as_str()),
        ("incident", id.as_str()),
        ("kind", "blame"),
        ("reason", "Violence physique envers un camarade."),
        ("decided_day", "2026-09-02"),
    ];
    assert_eq!(head.post_form(SANCTION, &blame).await.status(), 303);

    // Default rules: the sanctions (the demo's avertissement too) and the punishments, no incident.
    let parent = guardian_in(&t, t.user_id("demo.parent").await, school).await;
    let family = format!("/discipline?eleve={eleve}");
    let (status, html) = parent.get_html(&family).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("Blâme") && html.contains("Violence physique envers un camarade."),
        "{html}"
    );
    assert!(html.contains("Avertissement"), "the demo's sanction: {html}");
    assert!(
        html.contains("Observation écrite dans le carnet")
            && html.contains("Bousculade volontaire dans un couloir.")
    );
    let never = |html: &str| {
        for name in &others {
            assert!(!html.contains(name.as_str()), "{name} shown to a family: {html}");
        }
        assert!(
            !html.contains("Mme Girard") && !html.contains("le camarade est tombé"),
            "{html}"
        );
    };
    never(&html);
    assert!(!html.contains("Couloir du 2e étage"));

    // The school shows the incidents where the child is an author: the fact, nobody else.
    let head_rules = |fields: &'static [(&'static str, &'static str)]| {
        let head = &head;
        let token = head_token.clone();
        async move {
            let mut f = vec![("csrf_token", token.as_str())];
            f.extend_from_slice(fields);
            head.post_form("/discipline/reglages", &f).await.status()
        }
    };
    assert_eq!(
        head_rules(&[("show_punishments", "1"), ("show_incidents", "1")]).await,
        303
    );
    let (_, html) = parent.get_html(&family).await;
    assert!(
        html.contains("01/09/2026 11:05 · Violence physique · Couloir du 2e étage"),
        "{html}"
    );
    never(&html);
    // The victim of the demo's first incident is demo.eleve: that incident is not shown.
    assert!(!html.contains("Violence verbale"), "{html}");

    // Punishments hidden by the school: the parent no longer sees them, the sanctions stay.
    assert_eq!(head_rules(&[("show_incidents", "1")]).await, 303);
    let (_, html) = parent.get_html(&family).await;
    assert!(!html.contains("Observation écrite dans le carnet") && !html.contains("Bousculade volontaire"));
    assert!(html.contains("Blâme") && html.contains("Avertissement"));
    let student = t.signed_in("demo.eleve").await;
    let (_, own) = student.get_html("/discipline").await;
    assert!(
        own.contains("Blâme") && !own.contains("Observation écrite"),
        "{own}"
    );
    never(&own);

    // Another family sees nothing of it: the witness's, and the victim's.
    for child in [witness, victim] {
        let b = guardian_in(&t, guardian_of(&t, child).await, school).await;
        let (status, html) = b.get_html(&format!("/discipline?eleve={child}")).await;
        assert_eq!(status, 200);
        assert!(
            !html.contains("Blâme") && !html.contains("Couloir du 2e étage"),
            "{html}"
        );
        assert!(!html.contains("Avertissement") && html.contains("Aucune sanction."));
        assert_eq!(b.get(&family).await.status(), 404, "not their child");
    }
    t.stop().await;
}
