//! `Db` (a pool) and `Tx` (a transaction): build a sea-query statement for the engine, run it through sqlx.

use std::str::FromStr;
use std::time::Duration;

use sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
use sea_query_sqlx::SqlxBinder;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, PgConnection, PgPool, SqliteConnection, SqlitePool};

use crate::{Engine, Error, Result};

/// A row type both engines can decode: derive `sqlx::FromRow` and it qualifies.
pub trait Row:
    for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> Row for T where
    T: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin
{
}

/// A connection pool on one of the two engines. Cheap to clone.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A transaction: dropped without `commit`, it rolls back, so nothing is half-written.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// One connection of either engine: the single place where statements meet sqlx.
pub(crate) enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

impl Db {
    /// Opens the database named by `url` (`sqlite://path` or `postgres://…`), creating a SQLite file if needed.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections.max(1))
                .connect_with(options)
                .await?;
            Ok(Db::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?.application_name("ardoise");
            // No ping before each use of a pooled connection (sqlx's default): it doubled the round
            // trips of every query. A connection found broken fails its query and leaves the pool.
            let pool = PgPoolOptions::new()
                .max_connections(max_connections.max(1))
                .acquire_timeout(Duration::from_secs(10))
                .test_before_acquire(false)
                .connect_with(options)
                .await?;
            Ok(Db::Postgres(pool))
        } else {
            Err(Error::UnsupportedUrl(url.to_string()))
        }
    }

    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (BEGIN IMMEDIATE), waiting
    /// for it up to the busy timeout: a deferred transaction that reads, then writes after another
    /// connection wrote, fails at once with SQLITE_BUSY (a session purge made an import fail that way).
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }

    /// Answers when the database takes a trivial query (readiness probe).
    pub async fn ping(&self) -> Result<()> {
        self.execute_raw("SELECT 1").await
    }

    pub async fn fetch_all<T: Row>(&self, stmt: &impl SqlxBinder) -> Result<Vec<T>> {
        match self {
            Db::Sqlite(p) => Conn::Sqlite(&mut *p.acquire().await?).fetch_all(stmt).await,
            Db::Postgres(p) => Conn::Postgres(&mut *p.acquire().await?).fetch_all(stmt).await,
        }
    }

    pub async fn fetch_optional<T: Row>(&self, stmt: &impl SqlxBinder) -> Result<Option<T>> {
        match self {
            Db::Sqlite(p) => Conn::Sqlite(&mut *p.acquire().await?).fetch_optional(stmt).await,
            Db::Postgres(p) => {
                Conn::Postgres(&mut *p.acquire().await?)
                    .fetch_optional(stmt)
                    .await
            }
        }
    }

    pub async fn fetch_one<T: Row>(&self, stmt: &impl SqlxBinder) -> Result<T> {
        match self {
            Db::Sqlite(p) => Conn::Sqlite(&mut *p.acquire().await?).fetch_one(stmt).await,
            Db::Postgres(p) => Conn::Postgres(&mut *p.acquire().await?).fetch_one(stmt).await,
        }
    }

    /// Runs a write; returns the number of rows it touched.
    pub async fn execute(&self, stmt: &impl SqlxBinder) -> Result<u64> {
        match self {
            Db::Sqlite(p) => Conn::Sqlite(&mut *p.acquire().await?).execute(stmt).await,
            Db::Postgres(p) => Conn::Postgres(&mut *p.acquire().await?).execute(stmt).await,
        }
    }

    /// Runs fixed SQL text (possibly several statements). Never build it from input.
    pub async fn execute_raw(&self, sql: &'static str) -> Result<()> {
        match self {
            Db::Sqlite(p) => sqlx::raw_sql(sql).execute(p).await.map(drop)?,
            Db::Postgres(p) => sqlx::raw_sql(sql).execute(p).await.map(drop)?,
        }
        Ok(())
    }
}

impl Tx {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(t) => Conn::Sqlite(&mut *t),
            Tx::Postgres(t) => Conn::Postgres(&mut *t),
        }
    }

    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub async fn fetch_all<T: Row>(&mut self, stmt: &impl SqlxBinder) -> Result<Vec<T>> {
        self.conn().fetch_all(stmt).await
    }

    pub async fn fetch_optional<T: Row>(&mut self, stmt: &impl SqlxBinder) -> Result<Option<T>> {
        self.conn().fetch_optional(stmt).await
    }

    pub async fn fetch_one<T: Row>(&mut self, stmt: &impl SqlxBinder) -> Result<T> {
        self.conn().fetch_one(stmt).await
    }

    pub async fn execute(&mut self, stmt: &impl SqlxBinder) -> Result<u64> {
        self.conn().execute(stmt).await
    }
}

impl Conn<'_> {
    async fn fetch_all<T: Row>(self, stmt: &impl SqlxBinder) -> Result<Vec<T>> {
        Ok(match self {
            Conn::Sqlite(c) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_all(c)
                    .await?
            }
            Conn::Postgres(c) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_all(c)
                    .await?
            }
        })
    }

    async fn fetch_optional<T: Row>(self, stmt: &impl SqlxBinder) -> Result<Option<T>> {
        Ok(match self {
            Conn::Sqlite(c) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_optional(c)
                    .await?
            }
            Conn::Postgres(c) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_optional(c)
                    .await?
            }
        })
    }

    async fn fetch_one<T: Row>(self, stmt: &impl SqlxBinder) -> Result<T> {
        Ok(match self {
            Conn::Sqlite(c) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_one(c)
                    .await?
            }
            Conn::Postgres(c) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_one(c)
                    .await?
            }
        })
    }

    async fn execute(self, stmt: &impl SqlxBinder) -> Result<u64> {
        Ok(match self {
            Conn::Sqlite(c) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_with(AssertSqlSafe(sql), values)
                    .execute(c)
                    .await?
                    .rows_affected()
            }
            Conn::Postgres(c) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_with(AssertSqlSafe(sql), values)
                    .execute(c)
                    .await?
                    .rows_affected()
            }
        })
    }
}
