//! News as people use it: the direction publishes for some profiles and classes, readers see only what
//! is addressed to them while its window is open, pinned items first; the region publishes to several
//! schools at once; illustrations and attachments are checked; publishing announces the item.

use kernel::{Context, Profile, UserId};
use testkit::{Browser, TestApp, location};
use uuid::Uuid;

/// The school where `login` holds `profile`.
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
        .unwrap_or_else(|| panic!("{login} is no {profile} anywhere"))
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

/// A student of `school` (any).
async fn a_student_of(t: &TestApp, school: Uuid) -> Browser {
    let classes = directory::store::classes_of_school(t.db(), kernel::SchoolId(school))
        .await
        .unwrap();
    let class = classes.iter().find(|c| c.kind == "classe").unwrap();
    let students =
        directory::store::students_of_class(t.db(), kernel::SchoolId(school), kernel::ClassId(class.id))
            .await
            .unwrap();
    t.signed_in_as(students[0].id).await
}

/// Posts the writing form with its token: the text fields, then the files.
async fn write(b: &Browser, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> reqwest::Response {
    let token = b.form_token("/actualites/nouvelle").await;
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    b.post_multipart("/actualites/nouvelle", &all, files).await
}

/// Publishes and returns the item's address.
async fn publish(b: &Browser, fields: &[(&str, &str)]) -> String {
    let res = write(b, fields, &[]).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let to = location(&res);
    to.split('?').next().unwrap().to_string()
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xff\xff?\0\x05\xfe\x02\xfe\xa7\x35\x81\x84\0\0\0\0IEND\xaeB`\x82";

#[tokio::test]
async fn each_reader_sees_what_is_addressed_to_them_while_its_window_is_open() {
    let t = TestApp::spawn_demo().await;
    let school = school_of(&t, "demo.direction", Profile::Direction).await;
    let (mine, other) = classes(&t, school).await;
    let dir = t.signed_in("demo.direction").await;
    let parents_only = publish(
        &dir,
        &[
            ("title", "Reunion des parents"),
            ("body", "Mardi 18 h"),
            ("public", "parents"),
        ],
    )
    .await;
    let my_class = mine.to_string();
    let other_class = other.to_string();
    publish(
        &dir,
        &[
            ("title", "Sortie de ma classe"),
            ("body", "Au musee"),
            ("public", "eleves"),
            ("public", "parents"),
            ("classe", &my_class),
        ],
    )
    .await;
    publish(
        &dir,
        &[
            ("title", "Sortie autre classe"),
            ("body", "A la mer"),
            ("public", "eleves"),
            ("public", "parents"),
            ("classe", &other_class),
        ],
    )
    .await;
    publish(
        &dir,
        &[
            ("title", "Annonce tardive"),
            ("body", "Demain"),
            ("public", "parents"),
            ("from", "2026-09-03T09:00"),
        ],
    )
    .await;
    publish(
        &dir,
        &[
            ("title", "Annonce finie"),
            ("body", "Hier"),
            ("public", "parents"),
            ("from", "2026-09-01T09:00"),
            ("until", "2026-09-02T07:00"),
        ],
    )
    .await;
    let res = write(
        &dir,
        &[
            ("title", "Brouillon secret"),
            ("body", "Pas encore"),
            ("public", "parents"),
            ("action", "brouillon"),
        ],
        &[],
    )
    .await;
    assert_eq!(res.status(), 303);
    let draft = location(&res).split('?').next().unwrap().to_string();

    let parent = t.signed_in("demo.parent").await;
    let (status, list) = parent.get_html("/actualites").await;
    assert_eq!(status, 200);
    assert!(list.contains("Reunion des parents"), "{list}");
    assert!(
        list.contains("Sortie de ma classe"),
        "the class of their child: {list}"
    );
    assert!(!list.contains("Sortie autre classe"), "another class: {list}");
    assert!(!list.contains("Annonce tardive"), "not yet in its window");
    assert!(!list.contains("Annonce finie"), "its window closed");
    assert!(!list.contains("Brouillon secret"), "a draft");
    assert_eq!(parent.get(&draft).await.status(), 404, "a draft at its address");

    let student = t.signed_in("demo.eleve").await;
    let (_, list) = student.get_html("/actualites").await;
    assert!(!list.contains("Reunion des parents"), "parent-only news: {list}");
    assert!(list.contains("Sortie de ma classe"));
    assert_eq!(student.get(&parents_only).await.status(), 404);

    // The author sees the draft; the next day the late item is in its window.
    let (status, page) = dir.get_html(&draft).await;
    assert_eq!(status, 200);
    assert!(page.contains("Brouillon secret") && page.contains("Brouillon"));
    t.clock.advance_secs(86_400 + 3 * 3_600);
    let parent = t.signed_in("demo.parent").await;
    let (_, list) = parent.get_html("/actualites").await;
    assert!(list.contains("Annonce tardive"), "{list}");

    // Another school's reader: nothing, not even at the item's address.
    let lycee = school_of(&t, "demo.prof", Profile::Guardian).await;
    assert_ne!(lycee, school);
    let outsider = a_student_of(&t, lycee).await;
    let (_, list) = outsider.get_html("/actualites").await;
    assert!(!list.contains("Sortie de ma classe"));
    let class_item = {
        let (_, l) = t.signed_in("demo.eleve").await.get_html("/actualites").await;
        let at = l.find("Sortie de ma classe").unwrap();
        let start = l[..at].rfind("/actualites/").unwrap();
        l[start..start + l[start..].find('"').unwrap()].to_string()
    };
    assert_eq!(outsider.get(&class_item).await.status(), 404);
    t.stop().await;
}

#[tokio::test]
async fn pinned_items_come_first_and_publishing_announces_the_item() {
    let t = TestApp::spawn_demo().await;
    let school = school_of(&t, "demo.direction", Profile::Direction).await;
    let dir = t.signed_in("demo.direction").await;
    publish(
        &dir,
        &[
            ("title", "Menu epingle"),
            ("body", "Frites"),
            ("public", "eleves"),
            ("pinned", "1"),
            ("from", "2026-09-01T08:00"),
        ],
    )
    .await;
    let item = publish(
        &dir,
        &[
            ("title", "Nouvelle du jour"),
            ("body", "Soleil"),
            ("public", "eleves"),
            ("public", "parents"),
        ],
    )
    .await;
    let (_, list) = t.signed_in("demo.eleve").await.get_html("/actualites").await;
    let pinned = list.find("Menu epingle").unwrap();
    let fresh = list.find("Nouvelle du jour").unwrap();
    assert!(pinned < fresh, "the older pinned item is above the newer one");

    let events = bus::pending(t.db(), Some("news.published"), 100).await.unwrap();
    let id = item.rsplit('/').next().unwrap();
    let e = events
        .iter()
        .find(|e| e.payload()["news"] == id)
        .expect("an event for the item");
    let p = e.payload();
    assert_eq!(e.school, Some(school));
    assert_eq!(p["title"], "Nouvelle du jour");
    assert_eq!(p["link"], item);
    assert_eq!(p["actor"], t.user_id("demo.direction").await.to_string());
    assert_eq!(p["audience"]["school"], school.to_string());
    assert_eq!(p["audience"]["profiles"], serde_json::json!(["ELV", "TUT"]));
    t.stop().await;
}

#[tokio::test]
async fn the_region_publishes_one_item_to_two_schools() {
    let t = TestApp::spawn_demo().await;
    let college = school_of(&t, "demo.direction", Profile::Direction).await;
    let lycee = school_of(&t, "demo.prof", Profile::Guardian).await;
    let admin = t.signed_in("demo.admin").await;
    let (c, l) = (college.to_string(), lycee.to_string());
    let item = publish(
        &admin,
        &[
            ("title", "Concours regional"),
            ("body", "Inscrivez-vous"),
            ("public", "eleves"),
            ("public", "parents"),
            ("cible", "liste"),
            ("ecole", &c),
            ("ecole", &l),
        ],
    )
    .await;

    // demo.parent has a child in each school: the item shows once.
    let (_, list) = t.signed_in("demo.parent").await.get_html("/actualites").await;
    assert_eq!(list.matches("Concours regional").count(), 1, "{list}");
    let (status, _) = a_student_of(&t, lycee).await.get_html(&item).await;
    assert_eq!(status, 200);
    // The third school of the region was not chosen.
    let q = sea_query::Query::select()
        .column(sea_query::Alias::new("id"))
        .from(sea_query::Alias::new("schools"))
        .to_owned();
    let all: Vec<(Uuid,)> = t.db().fetch_all(&q).await.unwrap();
    let third = all
        .into_iter()
        .map(|r| r.0)
        .find(|s| *s != college && *s != lycee)
        .unwrap();
    let outsider = a_student_of(&t, third).await;
    assert!(
        !outsider
            .get_html("/actualites")
            .await
            .1
            .contains("Concours regional")
    );
    assert_eq!(outsider.get(&item).await.status(), 404);

    let id = item.rsplit('/').next().unwrap();
    let mut schools: Vec<Uuid> = bus::pending(t.db(), Some("news.published"), 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.payload()["news"] == id)
        .filter_map(|e| e.school)
        .collect();
    schools.sort();
    let mut expected = vec![college, lycee];
    expected.sort();
    assert_eq!(schools, expected, "one event per school");
    let q = sea_query::Query::select()
        .expr(sea_query::Expr::cust("COUNT(*)"))
        .from(sea_query::Alias::new("news"))
        .and_where(sea_query::ExprTrait::eq(
            sea_query::Expr::col(sea_query::Alias::new("title")),
            "Concours regional",
        ))
        .to_owned();
    assert_eq!(
        t.db().fetch_one::<(i64,)>(&q).await.unwrap().0,
        1,
        "one row, not a copy per school"
    );
    t.stop().await;
}

#[tokio::test]
async fn illustrations_and_attachments_are_checked_and_served_to_readers() {
    let t = TestApp::spawn_demo().await;
    let dir = t.signed_in("demo.direction").await;
    let fields = [
        ("title", "Photo de classe"),
        ("body", "Les photos"),
        ("public", "parents"),
        ("alt", "La classe dans la cour"),
    ];

    let res = write(
        &dir,
        &fields,
        &[("illustration", "photo.pdf", b"%PDF-1.4 pas une image")],
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Illustration : le fichier « photo.pdf » n"),
        "{html}"
    );
    assert!(html.contains("Photo de classe"), "the form keeps what was typed");

    let mut big = PNG.to_vec();
    big.resize(2 * 1024 * 1024 + 10, 0);
    let res = write(&dir, &fields, &[("illustration", "grande.png", &big)]).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Illustration : le fichier « grande.png » est trop volumineux")
    );

    let no_alt = [("title", "Photo"), ("body", "x"), ("public", "parents")];
    let res = write(&dir, &no_alt, &[("illustration", "photo.png", PNG)]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Texte alternatif de l"));

    let res = write(&dir, &fields, &[("fichiers", "outil.exe", b"MZ\x90\0binaire")]).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Pièces jointes : le fichier « outil.exe » n")
    );
    let six: Vec<(&str, &str, &[u8])> = (0..6)
        .map(|_| ("fichiers", "a.pdf", b"%PDF-1.4 a".as_slice()))
        .collect();
    let res = write(&dir, &fields, &six).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Pièces jointes : 5 fichiers au plus")
    );

    let res = write(
        &dir,
        &fields,
        &[
            ("illustration", "photo.png", PNG),
            ("fichiers", "liste.pdf", b"%PDF-1.4 liste"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let item = location(&res).split('?').next().unwrap().to_string();
    let parent = t.signed_in("demo.parent").await;
    let (_, page) = parent.get_html(&item).await;
    assert!(page.contains("alt=\"La classe dans la cour\""), "{page}");
    let res = parent.get(&format!("{item}/illustration")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    let start = page.find(&format!("{item}/fichiers/")).unwrap();
    let file = &page[start..start + page[start..].find('"').unwrap()];
    let res = parent.get(file).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"%PDF-1.4 liste");
    assert_eq!(
        t.signed_in("demo.eleve").await.get(file).await.status(),
        404,
        "not for students"
    );
    t.stop().await;
}
