//! The two engines' migrations must build the same schema, and migrating twice must change nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // helpers of tests fail loudly on purpose

use db::{Db, schema};

async fn sqlite_db(dir: &tempfile::TempDir) -> Db {
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let db = Db::connect(&url, 2).await.unwrap();
    db.migrate().await.unwrap();
    db
}

#[tokio::test]
async fn migrations_are_idempotent_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_db(&dir).await;
    let before = schema::describe(&db).await.unwrap();
    db.migrate().await.unwrap();
    assert_eq!(before, schema::describe(&db).await.unwrap());
    assert!(before.contains_key("users") && before.contains_key("sessions"));
    // Tenancy: every table holding school data starts its primary key with school_id.
    for (name, table) in &before {
        if let Some(col) = table.columns.iter().find(|c| c.name == "school_id")
            && name != "schools"
        {
            assert_eq!(col.pk, 1, "{name}: school_id must come first in the primary key");
        }
    }
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_are_identical() {
    let Some(server) = db::testing::postgres_url() else {
        eprintln!(
            "skipped: set {} to compare with PostgreSQL",
            db::testing::PG_URL_VAR
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let lite = schema::describe(&sqlite_db(&dir).await).await.unwrap();
    let url = db::testing::fresh_postgres(&server).await.unwrap();
    let pg_db = Db::connect(&url, 2).await.unwrap();
    pg_db.migrate().await.unwrap();
    let pg = schema::describe(&pg_db).await.unwrap();
    pg_db.close().await;
    db::testing::drop_postgres(&server, &url).await;

    let lite_tables: Vec<_> = lite.keys().collect();
    let pg_tables: Vec<_> = pg.keys().collect();
    assert_eq!(lite_tables, pg_tables, "the engines have different tables");
    for (name, table) in &lite {
        assert_eq!(
            table.columns, pg[name].columns,
            "columns of table {name} differ between engines"
        );
        assert_eq!(
            table.indexes, pg[name].indexes,
            "indexes of table {name} differ between engines"
        );
    }
}

#[tokio::test]
async fn bulk_insert_and_unique_conflicts_behave_alike() {
    let dir = tempfile::tempdir().unwrap();
    let mut dbs = vec![sqlite_db(&dir).await];
    let mut cleanup = None;
    if let Some(server) = db::testing::postgres_url() {
        let url = db::testing::fresh_postgres(&server).await.unwrap();
        let pg = Db::connect(&url, 2).await.unwrap();
        pg.migrate().await.unwrap();
        dbs.push(pg);
        cleanup = Some((server, url));
    }
    for db in &dbs {
        let rows: Vec<Vec<db::Cell>> = (0..40_000)
            .map(|i| vec![format!("MEF{i}").into(), format!("libellé\t{i}\\").into()])
            .collect();
        let mut tx = db.begin().await.unwrap();
        tx.bulk_insert("mefs", &["code", "label"], &rows).await.unwrap();
        tx.commit().await.unwrap();

        use db::sea_query::{Alias, Expr, ExprTrait, Query};
        let q = Query::select()
            .expr(Expr::col(Alias::new("label")))
            .from(Alias::new("mefs"))
            .and_where(Expr::col(Alias::new("code")).eq("MEF39999"))
            .to_owned();
        let (label,): (String,) = db.fetch_one(&q).await.unwrap();
        assert_eq!(label, "libellé\t39999\\");

        // A second load of an existing key fails as a conflict and leaves nothing behind.
        let mut tx = db.begin().await.unwrap();
        let again = vec![vec!["NEW".into(), "x".into()], vec!["MEF1".into(), "x".into()]];
        let err = tx.bulk_insert("mefs", &["code", "label"], &again).await;
        drop(tx);
        assert!(err.is_err());
        let count = Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from(Alias::new("mefs"))
            .to_owned();
        let (n,): (i64,) = db.fetch_one(&count).await.unwrap();
        assert_eq!(n, 40_000);
    }
    for db in &dbs {
        db.close().await;
    }
    if let Some((server, url)) = cleanup {
        db::testing::drop_postgres(&server, &url).await;
    }
}
