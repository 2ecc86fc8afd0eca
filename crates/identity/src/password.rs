//! argon2id (OWASP parameters) on a bounded blocking pool: one permit per core, so a login flood queues
//! here instead of starving the threads that serve pages.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// Every permit stayed busy for the whole wait: the server is saturated with sign-ins.
    #[error("password hashing pool saturated")]
    Busy,
    #[error("password hashing failed: {0}")]
    Hash(String),
}

#[derive(Debug, Clone)]
pub struct PasswordPool {
    permits: Arc<Semaphore>,
    wait: Duration,
    dummy: Arc<OnceLock<String>>,
}

/// m = 19 MiB, t = 2, p = 1: the OWASP recommendation for argon2id.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_now(password: &str) -> Result<String, PasswordError> {
    let mut salt = [0u8; 16];
    rand::fill(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| PasswordError::Hash(e.to_string()))?;
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

fn verify_now(phc: &str, password: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
}

impl PasswordPool {
    /// `permits` hashes may run at once; a caller waits at most `wait` for one.
    pub fn new(permits: usize, wait: Duration) -> PasswordPool {
        PasswordPool {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            wait,
            dummy: Arc::default(),
        }
    }

    /// One permit per core.
    pub fn per_core() -> PasswordPool {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        PasswordPool::new(cores, Duration::from_secs(10))
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PasswordError> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| PasswordError::Busy)?
            .map_err(|_| PasswordError::Busy)?;
        let out = tokio::task::spawn_blocking(move || {
            let out = job();
            drop(permit);
            out
        })
        .await
        .map_err(|e| PasswordError::Hash(e.to_string()))?;
        Ok(out)
    }

    pub async fn hash(&self, password: &str) -> Result<String, PasswordError> {
        let password = password.to_string();
        self.run(move || hash_now(&password)).await?
    }

    /// Checks `password` against `phc`. With no stored hash it still spends one verification on a dummy,
    /// so an unknown login answers in the same time as a wrong password.
    pub async fn verify(&self, phc: Option<String>, password: &str) -> Result<bool, PasswordError> {
        let password = password.to_string();
        let (phc, real) = match phc {
            Some(p) => (p, true),
            None => (self.dummy_hash()?, false),
        };
        let ok = self.run(move || verify_now(&phc, &password)).await?;
        Ok(ok && real)
    }

    fn dummy_hash(&self) -> Result<String, PasswordError> {
        if let Some(h) = self.dummy.get() {
            return Ok(h.clone());
        }
        let h = hash_now("ardoise-dummy-password")?;
        Ok(self.dummy.get_or_init(|| h).clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_wrong_passwords_do_not() {
        let pool = PasswordPool::new(2, Duration::from_secs(5));
        let h = pool.hash("correct horse").await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(pool.verify(Some(h.clone()), "correct horse").await.unwrap());
        assert!(!pool.verify(Some(h), "Correct horse").await.unwrap());
        assert!(!pool.verify(None, "ardoise-dummy-password").await.unwrap());
    }

    #[tokio::test]
    async fn a_saturated_pool_answers_busy_instead_of_queueing_forever() {
        let pool = PasswordPool::new(1, Duration::from_millis(1));
        let held = pool.permits.clone().acquire_owned().await.unwrap();
        assert!(matches!(pool.hash("x").await, Err(PasswordError::Busy)));
        drop(held);
        assert!(pool.hash("x").await.is_ok());
    }
}
