//! Storage errors, with the cases callers act on (conflicts, missing rows) told apart from the rest.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A unique or primary-key constraint refused the write.
    #[error("conflit : l'enregistrement existe déjà ({0})")]
    Conflict(String),
    #[error(
        "adresse de base de données non prise en charge : « {0} » (attendu : sqlite://… ou postgres://…)"
    )]
    UnsupportedUrl(String),
    #[error("migration {version} ({name}) : {source}")]
    Migration {
        version: i64,
        name: &'static str,
        source: sqlx::Error,
    },
    #[error("base de données : {0}")]
    Sqlx(sqlx::Error),
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e
            && db.is_unique_violation()
        {
            return Error::Conflict(db.constraint().unwrap_or(db.message()).to_string());
        }
        Error::Sqlx(e)
    }
}
