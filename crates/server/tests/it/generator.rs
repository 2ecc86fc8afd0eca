//! The synthetic region: deterministic, valid UAIs, realistic families and staff.

use sea_query::{Alias, Expr, ExprTrait, Func, Order, Query};
use testkit::TestApp;

async fn logins(t: &TestApp) -> Vec<String> {
    let q = Query::select()
        .column(Alias::new("login"))
        .from(Alias::new("users"))
        .order_by(Alias::new("login"), Order::Asc)
        .to_owned();
    t.db()
        .fetch_all::<(String,)>(&q)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.0)
        .collect()
}

#[tokio::test]
async fn the_same_seed_gives_the_same_region() {
    let params = directory::generator::Params {
        seed: 7,
        schools: 4,
        students: 900,
        demo_accounts: false,
    };
    let a = TestApp::spawn().await;
    let b = TestApp::spawn().await;
    let ra = directory::generator::generate(a.db(), &params).await.unwrap();
    let rb = directory::generator::generate(b.db(), &params).await.unwrap();
    assert_eq!(ra.accounts, rb.accounts);
    assert_eq!(logins(&a).await, logins(&b).await);
    let c = TestApp::spawn().await;
    directory::generator::generate(
        c.db(),
        &directory::generator::Params {
            seed: 8,
            ..params.clone()
        },
    )
    .await
    .unwrap();
    assert_ne!(
        logins(&a).await,
        logins(&c).await,
        "another seed gives other people"
    );
    // A second run into a database that already holds a region is refused, and writes nothing.
    let before = logins(&a).await.len();
    let err = directory::generator::generate(a.db(), &params).await.unwrap_err();
    assert!(err.to_string().contains("déjà une région"));
    assert_eq!(logins(&a).await.len(), before);
    for t in [a, b, c] {
        t.stop().await;
    }
}

#[tokio::test]
async fn the_region_looks_like_a_real_one() {
    let t = TestApp::spawn().await;
    let params = directory::generator::Params {
        seed: 11,
        schools: 10,
        students: 5_000,
        demo_accounts: false,
    };
    let report = directory::generator::generate(t.db(), &params).await.unwrap();
    assert_eq!(report.schools, 10);
    assert_eq!(report.students, 5_000);
    // Accounts: students, about 2.5 guardians per student, about one staff member per ten students.
    let ratio = report.accounts as f64 / report.students as f64;
    assert!((3.0..4.2).contains(&ratio), "accounts per student: {ratio}");
    assert!(
        report.teachers_on_two_sites > 0,
        "some teachers work in two schools"
    );

    let uais: Vec<(String,)> = t
        .db()
        .fetch_all(
            &Query::select()
                .column(Alias::new("uai"))
                .from(Alias::new("schools"))
                .to_owned(),
        )
        .await
        .unwrap();
    for (uai,) in &uais {
        uai.parse::<kernel::Uai>().unwrap_or_else(|e| panic!("{e}"));
    }

    // Families have 1 to 3 children, and some siblings attend different schools.
    let per_guardian = Query::select()
        .column(Alias::new("guardian_id"))
        .expr_as(Func::count(Expr::col(Alias::new("student_id"))), Alias::new("n"))
        .from(Alias::new("guardianships"))
        .group_by_col(Alias::new("guardian_id"))
        .to_owned();
    let counts: Vec<(uuid::Uuid, i64)> = t.db().fetch_all(&per_guardian).await.unwrap();
    assert!(counts.iter().all(|(_, n)| (1..=3).contains(n)));
    assert!(counts.iter().any(|(_, n)| *n == 3));
    let schools_per_guardian = Query::select()
        .column(Alias::new("user_id"))
        .expr_as(Func::count(Expr::col(Alias::new("school_id"))), Alias::new("n"))
        .from(Alias::new("memberships"))
        .and_where(Expr::col(Alias::new("profile")).eq("TUT"))
        .group_by_col(Alias::new("user_id"))
        .to_owned();
    let spans: Vec<(uuid::Uuid, i64)> = t.db().fetch_all(&schools_per_guardian).await.unwrap();
    assert!(
        spans.iter().any(|(_, n)| *n >= 2),
        "some families have children in two schools"
    );

    // Every student is in exactly one class (division).
    let divisions = Query::select()
        .column((Alias::new("cs"), Alias::new("student_id")))
        .expr_as(
            Func::count(Expr::col((Alias::new("cs"), Alias::new("class_id")))),
            Alias::new("n"),
        )
        .from_as(Alias::new("class_students"), Alias::new("cs"))
        .inner_join(
            Alias::new("classes"),
            Expr::col((Alias::new("classes"), Alias::new("id")))
                .equals((Alias::new("cs"), Alias::new("class_id"))),
        )
        .and_where(Expr::col((Alias::new("classes"), Alias::new("kind"))).eq("classe"))
        .group_by_col((Alias::new("cs"), Alias::new("student_id")))
        .to_owned();
    let per_student: Vec<(uuid::Uuid, i64)> = t.db().fetch_all(&divisions).await.unwrap();
    assert_eq!(per_student.len(), 5_000);
    assert!(per_student.iter().all(|(_, n)| *n == 1));
    t.stop().await;
}

#[tokio::test]
async fn bad_parameters_are_refused_with_a_clear_message() {
    let t = TestApp::spawn().await;
    let err = directory::generator::generate(
        t.db(),
        &directory::generator::Params {
            seed: 1,
            schools: 0,
            students: 10,
            demo_accounts: false,
        },
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("--schools 0"), "{err}");
    let err = directory::generator::generate(
        t.db(),
        &directory::generator::Params {
            seed: 1,
            schools: 10,
            students: 50,
            demo_accounts: false,
        },
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("entre 40 et 3 000 élèves"), "{err}");
    t.stop().await;
}
