//! argon2id (OWASP parameters) on its own bounded pool: one thread per core, at a lower scheduling
//! priority (nice 10) so that page views always go first on the CPU, and a bounded queue in front of them,
//! so that a login flood gets a quick "busy, try again" instead of piling up.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordVerifier};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use tokio::sync::{Semaphore, oneshot};

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// The queue is full, or every thread stayed busy for the whole wait: too many sign-ins at once.
    #[error("password hashing pool saturated")]
    Busy,
    #[error("password hashing failed: {0}")]
    Hash(String),
}

type Job = Box<dyn FnOnce() + Send>;

#[derive(Clone)]
pub struct PasswordPool {
    permits: Arc<Semaphore>,
    wait: Duration,
    /// Hashes waiting for a thread, and how many may wait.
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
    jobs: mpsc::Sender<Job>,
    dummy: Arc<OnceLock<String>>,
}

impl std::fmt::Debug for PasswordPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordPool")
            .field("threads", &self.permits.available_permits())
            .field("max_waiting", &self.max_waiting)
            .finish()
    }
}

/// m = 19 MiB, t = 2, p = 1: the OWASP recommendation for argon2id.
fn params() -> Params {
    Params::new(19_456, 2, 1, Some(32)).unwrap_or_default()
}

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
}

thread_local! {
    /// The 19 MiB each hash works in, kept by the thread: allocating it afresh costs ~4,900 page faults
    /// a hash (measured: a third of the CPU of a login flood went to the kernel).
    static MEMORY: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// argon2id of `password` with our parameters into `out`, in this thread's kept memory.
fn argon2_into(password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), PasswordError> {
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        let blocks = params().block_count();
        if memory.len() != blocks {
            *memory = vec![Block::default(); blocks];
        }
        hasher()
            .hash_password_into_with_memory(password, salt, out, memory.as_mut_slice())
            .map_err(|e| PasswordError::Hash(e.to_string()))
    })
}

fn hash_now(password: &str) -> Result<String, PasswordError> {
    let mut salt = [0u8; 16];
    rand::fill(&mut salt);
    let mut out = [0u8; 32];
    argon2_into(password.as_bytes(), &salt, &mut out)?;
    let p = params();
    // The PHC string format, as argon2's PasswordHasher writes it (B64: standard alphabet, no padding).
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        p.m_cost(),
        p.t_cost(),
        p.p_cost(),
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(out)
    ))
}

fn verify_now(phc: &str, password: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let ours = parsed.algorithm.as_str() == "argon2id"
        && parsed.version == Some(0x13)
        && Params::try_from(&parsed).is_ok_and(|p| {
            let mine = params();
            (p.m_cost(), p.t_cost(), p.p_cost()) == (mine.m_cost(), mine.t_cost(), mine.p_cost())
        });
    match (ours, &parsed.salt, &parsed.hash) {
        (true, Some(salt), Some(expected)) => {
            let mut salt_bytes = [0u8; 64];
            let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
                return false;
            };
            let mut out = vec![0u8; expected.len()];
            // `Output`'s equality is constant-time.
            argon2_into(password.as_bytes(), salt, &mut out).is_ok()
                && argon2::password_hash::Output::new(&out).is_ok_and(|o| o == *expected)
        }
        // Other parameters (hashes made before a change of them): the library's own path.
        _ => hasher().verify_password(password.as_bytes(), &parsed).is_ok(),
    }
}

/// Starts the hashing threads: each lowers its own priority, then runs jobs until the pool is dropped.
fn start_threads(threads: usize) -> mpsc::Sender<Job> {
    let (tx, rx) = mpsc::channel::<Job>();
    let rx = Arc::new(Mutex::new(rx));
    for i in 0..threads {
        let rx = rx.clone();
        let started = std::thread::Builder::new()
            .name(format!("argon2-{i}"))
            .spawn(move || {
                // Linux: the nice value of this thread only. Failing is harmless (same priority as pages).
                let tid = rustix::thread::gettid();
                if let Err(e) = rustix::process::setpriority_process(Some(tid), 10) {
                    tracing::debug!(error = %e, "password threads keep the normal priority");
                }
                loop {
                    let job = match rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return, // the pool is gone
                    }
                }
            });
        if let Err(e) = started {
            tracing::error!(error = %e, "cannot start a password-hashing thread");
        }
    }
    tx
}

impl PasswordPool {
    /// `threads` hashes may run at once, `max_waiting` more may wait, each at most `wait`.
    pub fn new(threads: usize, max_waiting: usize, wait: Duration) -> PasswordPool {
        let threads = threads.max(1);
        PasswordPool {
            permits: Arc::new(Semaphore::new(threads)),
            wait,
            waiting: Arc::default(),
            max_waiting,
            jobs: start_threads(threads),
            dummy: Arc::default(),
        }
    }

    /// One thread per core; 32 waiting per core (about half a second of hashing).
    pub fn per_core() -> PasswordPool {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        PasswordPool::new(cores, 32 * cores, Duration::from_secs(3))
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PasswordError> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                // Wait in the bounded queue, or be told at once that sign-ins are saturated.
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(PasswordError::Busy);
                }
                let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned()).await;
                self.waiting.fetch_sub(1, Ordering::SeqCst);
                permit
                    .map_err(|_| PasswordError::Busy)?
                    .map_err(|_| PasswordError::Busy)?
            }
        };
        let (tx, rx) = oneshot::channel();
        let sent = self.jobs.send(Box::new(move || {
            let _ = tx.send(job());
            drop(permit);
        }));
        if sent.is_err() {
            return Err(PasswordError::Hash("password threads stopped".into()));
        }
        rx.await
            .map_err(|_| PasswordError::Hash("password hashing interrupted".into()))
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
        let pool = PasswordPool::new(2, 8, Duration::from_secs(5));
        let h = pool.hash("correct horse").await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(pool.verify(Some(h.clone()), "correct horse").await.unwrap());
        assert!(!pool.verify(Some(h), "Correct horse").await.unwrap());
        assert!(!pool.verify(None, "ardoise-dummy-password").await.unwrap());
    }

    #[tokio::test]
    async fn a_saturated_pool_answers_busy_instead_of_queueing_forever() {
        let pool = PasswordPool::new(1, 8, Duration::from_millis(1));
        let held = pool.permits.clone().acquire_owned().await.unwrap();
        assert!(matches!(pool.hash("x").await, Err(PasswordError::Busy)));
        drop(held);
        assert!(pool.hash("x").await.is_ok());
    }

    #[test]
    fn our_hashes_are_standard_phc_strings_read_by_the_library_and_the_other_way_round() {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let ours = hash_now("mot de passe").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(hasher().verify_password(b"mot de passe", &parsed).is_ok());
        assert!(verify_now(&ours, "mot de passe") && !verify_now(&ours, "mot de passe!"));
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let theirs = hasher().hash_password(b"secret", &salt).unwrap().to_string();
        assert!(verify_now(&theirs, "secret") && !verify_now(&theirs, "Secret"));
        // A hash made with other parameters still verifies (the library's path).
        let old = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8192, 1, 1, None).unwrap(),
        )
        .hash_password(b"ancien", &salt)
        .unwrap()
        .to_string();
        assert!(verify_now(&old, "ancien") && !verify_now(&old, "nouveau"));
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy_at_once() {
        let pool = PasswordPool::new(1, 1, Duration::from_secs(30));
        let held = pool.permits.clone().acquire_owned().await.unwrap();
        let queued = tokio::spawn({
            let pool = pool.clone();
            async move { pool.hash("first in the queue").await.is_ok() }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        // The queue's one place is taken: the next is refused without waiting 30 s.
        let refused = tokio::time::timeout(Duration::from_secs(1), pool.hash("x")).await;
        assert!(matches!(refused, Ok(Err(PasswordError::Busy))));
        drop(held);
        assert!(
            queued.await.unwrap(),
            "the queued hash ran once a thread was free"
        );
    }

    #[test]
    fn hashing_threads_run_below_the_normal_priority() {
        let pool = PasswordPool::new(1, 1, Duration::from_secs(5));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let nice = rt
            .block_on(pool.run(|| rustix::process::getpriority_process(Some(rustix::thread::gettid()))))
            .unwrap()
            .unwrap();
        assert_eq!(nice, 10);
    }
}
