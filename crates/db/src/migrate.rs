//! Plain-SQL migrations, one file per engine and version, applied in order, each in its own transaction.
//!
//! Both engines share one list, so a migration cannot exist for one engine and not the other; the schema
//! parity test (tests/schema.rs) checks that the two files of each version build the same tables.

use crate::{Db, Engine, Error, Result};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

macro_rules! migration {
    ($version:literal, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!(
                "../migrations/sqlite/",
                stringify!($version),
                "_",
                $name,
                ".sql"
            )),
            postgres: include_str!(concat!(
                "../migrations/postgres/",
                stringify!($version),
                "_",
                $name,
                ".sql"
            )),
        }
    };
}

pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "directory"),
    migration!(2, "identity"),
    migration!(3, "activation"),
    migration!(4, "mfa"),
    migration!(5, "import"),
    migration!(6, "rollover"),
    migration!(7, "recovery"),
    migration!(8, "federation"),
    migration!(9, "cas"),
    migration!(10, "oidc"),
    migration!(11, "registry"),
    migration!(12, "saml_logout"),
    migration!(13, "outbox"),
    migration!(14, "timetable"),
    migration!(15, "homework"),
    migration!(16, "attendance"),
    migration!(17, "discipline"),
    migration!(18, "grades"),
    migration!(19, "report_cards"),
    migration!(20, "messaging"),
    migration!(21, "notifications"),
    migration!(22, "news"),
    migration!(23, "agenda"),
    migration!(24, "mailbox_addressees"),
];

const CREATE_LEDGER: &str =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL)";

impl Db {
    /// Brings the schema up to date. Safe to run from several nodes at once on PostgreSQL (advisory lock).
    pub async fn migrate(&self) -> Result<()> {
        self.execute_raw(CREATE_LEDGER).await?;
        for m in MIGRATIONS {
            let sql = match self.engine() {
                Engine::Sqlite => m.sqlite,
                Engine::Postgres => m.postgres,
            };
            let wrap = |source| Error::Migration {
                version: m.version,
                name: m.name,
                source,
            };
            match self {
                Db::Sqlite(pool) => {
                    // BEGIN IMMEDIATE takes the write lock first, so two processes cannot both apply it.
                    let mut conn = pool.acquire().await?;
                    sqlx::raw_sql("BEGIN IMMEDIATE")
                        .execute(&mut *conn)
                        .await
                        .map_err(wrap)?;
                    let done: Option<(i64,)> =
                        sqlx::query_as("SELECT version FROM schema_migrations WHERE version = ?")
                            .bind(m.version)
                            .fetch_optional(&mut *conn)
                            .await
                            .map_err(wrap)?;
                    let outcome = if done.is_some() {
                        Ok(())
                    } else {
                        apply_sqlite(&mut conn, m, sql).await
                    };
                    match outcome {
                        Ok(()) => sqlx::raw_sql("COMMIT")
                            .execute(&mut *conn)
                            .await
                            .map(drop)
                            .map_err(wrap)?,
                        Err(e) => {
                            let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
                            return Err(wrap(e));
                        }
                    }
                }
                Db::Postgres(pool) => {
                    let mut tx = pool.begin().await?;
                    sqlx::query("SELECT pg_advisory_xact_lock(7464001)")
                        .execute(&mut *tx)
                        .await
                        .map_err(wrap)?;
                    let done: Option<(i64,)> =
                        sqlx::query_as("SELECT version FROM schema_migrations WHERE version = $1")
                            .bind(m.version)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(wrap)?;
                    if done.is_none() {
                        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                            .execute(&mut *tx)
                            .await
                            .map_err(wrap)?;
                        sqlx::query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)")
                            .bind(m.version)
                            .bind(m.name)
                            .execute(&mut *tx)
                            .await
                            .map_err(wrap)?;
                        tracing::info!(version = m.version, name = m.name, "migration applied");
                    }
                    tx.commit().await.map_err(wrap)?;
                }
            }
        }
        Ok(())
    }
}

async fn apply_sqlite(
    conn: &mut sqlx::SqliteConnection,
    m: &Migration,
    sql: &'static str,
) -> sqlx::Result<()> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO schema_migrations (version, name) VALUES (?, ?)")
        .bind(m.version)
        .bind(m.name)
        .execute(&mut *conn)
        .await?;
    tracing::info!(version = m.version, name = m.name, "migration applied");
    Ok(())
}
