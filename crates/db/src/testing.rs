//! Helpers for tests that need a database of their own (used by this crate's tests and by testkit).

use std::str::FromStr;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};

use crate::{Error, Result};

/// Environment variable naming the PostgreSQL server tests use; unset means "SQLite only".
pub const PG_URL_VAR: &str = "ARDOISE_TEST_PG_URL";

/// The PostgreSQL URL given to tests, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var(PG_URL_VAR).ok().filter(|s| !s.trim().is_empty())
}

/// Creates an empty database on the server of `server_url` and returns its URL, so each test runs alone.
pub async fn fresh_postgres(server_url: &str) -> Result<String> {
    let options = PgConnectOptions::from_str(server_url)?;
    let mut conn = PgConnection::connect_with(&options).await?;
    let name = format!("ardoise_t_{}", uuid::Uuid::now_v7().simple());
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .map_err(Error::from)?;
    let _ = conn.close().await;
    let mut url = server_url.to_string();
    match url.rfind('/') {
        Some(slash) if slash > "postgres://".len() => {
            let query = url[slash..]
                .find('?')
                .map(|q| url[slash + q..].to_string())
                .unwrap_or_default();
            url.truncate(slash);
            url.push('/');
            url.push_str(&name);
            url.push_str(&query);
        }
        _ => {
            url.push('/');
            url.push_str(&name);
        }
    }
    Ok(url)
}

/// Drops a database made by [`fresh_postgres`] (best effort: tests call it when they finish).
pub async fn drop_postgres(server_url: &str, database_url: &str) {
    let Some(name) = database_url
        .rsplit('/')
        .next()
        .map(|s| s.split('?').next().unwrap_or(s).to_string())
    else {
        return;
    };
    if !name.starts_with("ardoise_t_") || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return;
    }
    if let Ok(options) = PgConnectOptions::from_str(server_url)
        && let Ok(mut conn) = PgConnection::connect_with(&options).await
    {
        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut conn)
        .await;
        let _ = conn.close().await;
    }
}
