//! The keys Ardoise signs its JWTs with, kept in the database (sealed with the server key) so every node
//! signs and publishes the same ones, and rotated without breaking anyone:
//! - a new key is made when the newest is [`ROTATE_AFTER_DAYS`] old, and is published in the JWKS for
//!   [`PUBLISH_AHEAD_SECS`] before it signs anything, so relying parties that cache the JWKS know it first;
//! - an older key stays published for [`KEEP_AFTER_SECS`] after its successor starts signing, longer than
//!   any token it signed lives, then is deleted.

use std::sync::Arc;

use db::{Db, Result};
use kernel::Timestamp;
use rsa::RsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::rand_core::OsRng;
use sea_query::{Alias, Expr, ExprTrait, Order, Query};
use serde_json::{Value, json};
use web::csrf::ServerKey;

pub const ROTATE_AFTER_DAYS: i64 = 90;
pub const PUBLISH_AHEAD_SECS: i64 = 24 * 3600;
pub const KEEP_AFTER_SECS: i64 = 2 * 24 * 3600;

const SEAL_PURPOSE: &str = "oidc-signing-key";

pub struct SigningKey {
    pub kid: String,
    /// The private key, for signing (ring).
    pub private: ring::signature::RsaKeyPair,
    pub public: rsa::RsaPublicKey,
    pub created_at: i64,
}

/// The published keys, oldest first.
pub struct KeySet {
    keys: Vec<SigningKey>,
}

impl KeySet {
    /// The key that signs now: the newest one published for long enough, else the oldest (the very first
    /// key signs at once, since no relying party can have cached anything before it).
    pub fn signing(&self, now: Timestamp) -> Option<&SigningKey> {
        let ready = now.plus_secs(-PUBLISH_AHEAD_SECS).millis();
        self.keys
            .iter()
            .rev()
            .find(|k| k.created_at <= ready)
            .or(self.keys.first())
    }

    pub fn find(&self, kid: &str) -> Option<&SigningKey> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    pub fn public_keys(&self) -> Vec<&rsa::RsaPublicKey> {
        self.keys.iter().map(|k| &k.public).collect()
    }

    /// The JWKS document.
    pub fn jwks(&self) -> Value {
        json!({ "keys": self.keys.iter().map(|k| crate::jwt::jwk(&k.public, &k.kid)).collect::<Vec<_>>() })
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    kid: String,
    private_key: String,
    created_at: i64,
}

/// Reads the keys (those whose seal does not open with this server key are skipped, with a warning).
pub async fn load(db: &Db, server_key: &ServerKey) -> Result<KeySet> {
    let q = Query::select()
        .columns(["kid", "private_key", "created_at"].map(Alias::new))
        .from(Alias::new("oidc_keys"))
        .order_by(Alias::new("created_at"), Order::Asc)
        .to_owned();
    let rows: Vec<Row> = db.fetch_all(&q).await?;
    let keys = rows
        .into_iter()
        .filter_map(|r| {
            let pem = server_key.open(SEAL_PURPOSE, &r.kid, &r.private_key)?;
            let private = RsaPrivateKey::from_pkcs8_pem(std::str::from_utf8(&pem).ok()?).ok();
            if private.is_none() {
                tracing::warn!(kid = %r.kid, "OIDC signing key unreadable (another server key?)");
            }
            let private = private?;
            let der = private.to_pkcs8_der().ok()?;
            let ring_key = ring::signature::RsaKeyPair::from_pkcs8(der.as_bytes()).ok()?;
            Some(SigningKey {
                kid: r.kid,
                public: private.to_public_key(),
                private: ring_key,
                created_at: r.created_at,
            })
        })
        .collect();
    Ok(KeySet { keys })
}

/// Makes a key when there is none or the newest is due for rotation, and deletes retired ones. Returns
/// whether anything changed.
pub async fn maintain(
    db: &Db,
    server_key: &ServerKey,
    now: Timestamp,
) -> std::result::Result<bool, KeyError> {
    let set = load(db, server_key).await?;
    let mut changed = false;
    let due = now.plus_secs(-ROTATE_AFTER_DAYS * 24 * 3600).millis();
    if set.keys.last().is_none_or(|k| k.created_at <= due) {
        let private = tokio::task::spawn_blocking(|| RsaPrivateKey::new(&mut OsRng, 2048))
            .await
            .map_err(|e| KeyError::Crypto(e.to_string()))?
            .map_err(|e| KeyError::Crypto(e.to_string()))?;
        let pem = private
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| KeyError::Crypto(e.to_string()))?;
        let kid = format!("k{}", now.millis());
        let q = Query::insert()
            .into_table(Alias::new("oidc_keys"))
            .columns(["kid", "private_key", "created_at"].map(Alias::new))
            .values_panic([
                kid.clone().into(),
                server_key.seal(SEAL_PURPOSE, &kid, pem.as_bytes()).into(),
                now.millis().into(),
            ])
            .to_owned();
        db.execute(&q).await?;
        tracing::info!(%kid, "new OIDC signing key");
        changed = true;
    }
    // A key is retired once its successor has signed for KEEP_AFTER_SECS.
    for pair in set.keys.windows(2) {
        let successor_signs_since = pair[1].created_at + PUBLISH_AHEAD_SECS * 1000;
        if now.millis() > successor_signs_since + KEEP_AFTER_SECS * 1000 {
            let q = Query::delete()
                .from_table(Alias::new("oidc_keys"))
                .and_where(Expr::col(Alias::new("kid")).eq(pair[0].kid.as_str()))
                .to_owned();
            db.execute(&q).await?;
            tracing::info!(kid = %pair[0].kid, "OIDC signing key retired");
            changed = true;
        }
    }
    Ok(changed)
}

/// The key set, shared.
pub type Shared = Arc<KeySet>;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(transparent)]
    Db(#[from] db::Error),
    #[error("clé de signature OIDC : {0}")]
    Crypto(String),
}
