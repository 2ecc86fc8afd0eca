//! Tenant isolation: people only ever see their own school's data, and parents only their own children.

use sea_query::{Alias, Expr, ExprTrait, Query};
use testkit::TestApp;
use uuid::Uuid;

fn col(name: &str) -> Expr {
    Expr::col(Alias::new(name))
}

/// (school, class) of the division of a student.
async fn division_of(t: &TestApp, student: Uuid) -> (Uuid, Uuid) {
    let q = Query::select()
        .column((Alias::new("cs"), Alias::new("school_id")))
        .column((Alias::new("cs"), Alias::new("class_id")))
        .from_as(Alias::new("class_students"), Alias::new("cs"))
        .inner_join(
            Alias::new("classes"),
            Expr::col((Alias::new("classes"), Alias::new("id")))
                .equals((Alias::new("cs"), Alias::new("class_id"))),
        )
        .and_where(Expr::col((Alias::new("cs"), Alias::new("student_id"))).eq(student))
        .and_where(Expr::col((Alias::new("classes"), Alias::new("kind"))).eq("classe"))
        .to_owned();
    t.db().fetch_one::<(Uuid, Uuid)>(&q).await.unwrap()
}

async fn classes_of_school(t: &TestApp, school: Uuid, same: bool) -> Vec<Uuid> {
    let cond = if same {
        col("school_id").eq(school)
    } else {
        col("school_id").ne(school)
    };
    let q = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new("classes"))
        .and_where(cond)
        .to_owned();
    t.db()
        .fetch_all::<(Uuid,)>(&q)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.0)
        .collect()
}

async fn names_of(t: &TestApp, ids: &[Uuid]) -> Vec<(String, String)> {
    let q = Query::select()
        .columns([Alias::new("first_name"), Alias::new("last_name")])
        .from(Alias::new("users"))
        .and_where(col("id").is_in(ids.to_vec()))
        .to_owned();
    t.db().fetch_all::<(String, String)>(&q).await.unwrap()
}

#[tokio::test]
async fn a_student_sees_their_class_and_never_another_schools() {
    let t = TestApp::spawn_demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let (school, class) = division_of(&t, eleve).await;
    let b = t.signed_in("demo.eleve").await;
    let (status, html) = b.get_html(&format!("/annuaire/classes/{class}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Élèves") && html.contains("Équipe pédagogique"));
    let others = classes_of_school(&t, school, false).await;
    assert!(!others.is_empty());
    for other in others {
        let (status, html) = b.get_html(&format!("/annuaire/classes/{other}")).await;
        assert_eq!(status, 404, "a class of another school must not be shown");
        assert!(!html.contains("Équipe pédagogique"));
    }
    // Another class of their own school is not theirs either.
    let mut own_school = classes_of_school(&t, school, true).await;
    own_school.retain(|c| *c != class);
    let (status, _) = b.get_html(&format!("/annuaire/classes/{}", own_school[0])).await;
    assert_eq!(status, 404);
    t.stop().await;
}

#[tokio::test]
async fn a_parent_sees_only_their_own_children() {
    let t = TestApp::spawn_demo().await;
    let parent = t.user_id("demo.parent").await;
    let q = Query::select()
        .column(Alias::new("student_id"))
        .from(Alias::new("guardianships"))
        .and_where(col("guardian_id").eq(parent))
        .to_owned();
    let children: Vec<Uuid> = t
        .db()
        .fetch_all::<(Uuid,)>(&q)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(children.len(), 2, "demo.parent has two children");
    let b = t.signed_in("demo.parent").await;
    let (status, html) = b.get_html("/annuaire").await;
    assert_eq!(status, 200);
    for (first, last) in names_of(&t, &children).await {
        assert!(
            html.contains(&format!("{first} {last}")),
            "{first} {last} missing from {html}"
        );
    }
    assert_eq!(
        html.matches("<li><strong>").count(),
        2,
        "exactly their two children are listed"
    );

    // Their child's class shows their child but not the classmates.
    let eleve = t.user_id("demo.eleve").await;
    let (school, class) = division_of(&t, eleve).await;
    let (status, html) = b.get_html(&format!("/annuaire/classes/{class}")).await;
    assert_eq!(status, 200);
    assert_eq!(
        html.matches("<li>").count() - html.matches("<li><a").count(),
        1,
        "only their own child is listed: {html}"
    );
    // Any other class of the school is refused.
    for other in classes_of_school(&t, school, true)
        .await
        .into_iter()
        .filter(|c| *c != class)
        .take(5)
    {
        assert_eq!(b.get(&format!("/annuaire/classes/{other}")).await.status(), 404);
    }
    t.stop().await;
}

#[tokio::test]
async fn teachers_see_the_classes_they_teach_and_staff_see_their_whole_school() {
    let t = TestApp::spawn_demo().await;
    let eleve = t.user_id("demo.eleve").await;
    let (school, class) = division_of(&t, eleve).await;
    let prof = t.signed_in("demo.prof").await;
    let (_, html) = prof.get_html("/annuaire").await;
    assert!(
        html.contains(&format!("/annuaire/classes/{class}")),
        "the teacher's class list has demo.eleve's class"
    );
    assert!(html.contains("Professeur principal"));
    assert_eq!(
        prof.get(&format!("/annuaire/classes/{class}")).await.status(),
        200
    );

    let cpe = t.signed_in("demo.cpe").await;
    let (_, html) = cpe.get_html("/annuaire").await;
    assert!(
        html.contains("Réseau d’établissements : Bassin 1"),
        "the school's network is shown"
    );
    for c in classes_of_school(&t, school, true).await {
        assert!(
            html.contains(&c.to_string()),
            "the CPE sees every class of the school"
        );
    }
    for c in classes_of_school(&t, school, false).await.into_iter().take(5) {
        assert!(!html.contains(&c.to_string()));
        assert_eq!(cpe.get(&format!("/annuaire/classes/{c}")).await.status(), 404);
    }
    let admin = t.signed_in("demo.admin").await;
    let (_, html) = admin.get_html("/annuaire").await;
    assert!(html.contains("Établissements de la région (3)"), "{html}");
    t.stop().await;
}
