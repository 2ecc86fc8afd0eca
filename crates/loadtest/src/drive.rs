//! Arrival processes and the state a run shares between its tasks: the open loop (requests issued on
//! schedule whatever the server's pace, so latency under overload is measured honestly), the closed
//! loop (N workers back to back), the sample of accounts and the pool of signed-in sessions.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::Fallible;
use crate::client::{Http, Session};
use crate::region::Account;
use crate::stats::{Outcome, Recorder, Req, now};

/// splitmix64: cheap, stateless pseudo-randomness from an arrival number.
pub fn rand(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The load model's page mix (§4 A): home 25%, timetable 25%, homework 20%, grades through the
/// Pronote SSO 15%, messages 15%.
pub fn monday_page(i: u64) -> Req {
    match rand(i ^ 0x5EED) % 100 {
        0..25 => Req::Home,
        25..50 => Req::Timetable,
        50..70 => Req::Homework,
        70..85 => Req::Grades,
        _ => Req::Messages,
    }
}

/// What every task of one scenario run shares.
pub struct Ctx {
    pub http: Arc<Http>,
    pub rec: Recorder,
    accounts: Arc<Vec<Account>>,
    next_account: AtomicUsize,
    sessions: RwLock<Vec<Arc<Session>>>,
}

impl Ctx {
    pub fn new(http: Arc<Http>, accounts: Arc<Vec<Account>>) -> Arc<Ctx> {
        Arc::new(Ctx {
            http,
            rec: Recorder::default(),
            accounts,
            next_account: AtomicUsize::new(0),
            sessions: RwLock::default(),
        })
    }

    /// A new run over the same server and accounts (their device cookies kept): no sessions, no figures.
    pub fn fresh(&self) -> Arc<Ctx> {
        Ctx::new(self.http.clone(), self.accounts.clone())
    }

    /// A new run over the same server with only the accounts of `profile` (e.g. `ENS`).
    pub fn only(&self, profile: &str) -> Arc<Ctx> {
        let accounts: Vec<Account> = self
            .accounts
            .iter()
            .filter(|a| a.profile == profile)
            .map(Account::clone_fresh)
            .collect();
        Ctx::new(self.http.clone(), Arc::new(accounts))
    }

    pub fn session_count(&self) -> usize {
        self.sessions.read().map_or(0, |s| s.len())
    }

    /// Sessions of the pool per profile, e.g. `ELV 120, TUT 160, ENS 20`.
    pub fn session_mix(&self) -> String {
        let Ok(pool) = self.sessions.read() else {
            return String::new();
        };
        crate::region::PROFILES
            .iter()
            .map(|p| format!("{p} {}", pool.iter().filter(|s| s.profile == *p).count()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The pool of signed-in sessions as it stands.
    pub fn sessions(&self) -> Vec<Arc<Session>> {
        self.sessions.read().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn session(&self, r: u64) -> Option<Arc<Session>> {
        let sessions = self.sessions.read().ok()?;
        if sessions.is_empty() {
            return None;
        }
        sessions.get((r % sessions.len() as u64) as usize).cloned()
    }

    /// Signs in the next account of the sample (round robin), recording the sign-in from `scheduled`;
    /// the new session joins the pool when `keep`.
    pub async fn sign_in_next(&self, scheduled: Instant, keep: bool) -> Outcome {
        let i = self.next_account.fetch_add(1, Ordering::Relaxed);
        let Some(account) = self.accounts.get(i % self.accounts.len().max(1)) else {
            return Outcome::Unexpected;
        };
        let kind = if self.http.delegated(account) {
            Req::SignInSso
        } else {
            Req::SignIn
        };
        let (outcome, session) = self.http.sign_in(account).await;
        self.rec.record(kind, outcome, scheduled.elapsed());
        if keep
            && let Some(s) = session
            && let Ok(mut pool) = self.sessions.write()
        {
            pool.push(Arc::new(s));
        }
        outcome
    }

    /// A page view (or CAS round trip) by a random session of the pool, recorded from `scheduled`.
    pub async fn view(&self, r: u64, req: Req, scheduled: Instant) -> Outcome {
        let outcome = match self.session(r) {
            Some(s) => self.http.page(req, &s).await,
            None => Outcome::Unexpected,
        };
        self.rec.record(req, outcome, scheduled.elapsed());
        outcome
    }

    /// Signs in `n` sessions before the measure (4 at a time, not recorded).
    pub async fn presign(self: &Arc<Ctx>, n: usize) -> Fallible<()> {
        let scratch = Ctx::new(self.http.clone(), self.accounts.clone());
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let scratch = scratch.clone();
                let target = self.clone();
                tokio::spawn(async move {
                    while scratch.next_account.load(Ordering::Relaxed) < n {
                        let i = scratch.next_account.fetch_add(1, Ordering::Relaxed);
                        let Some(account) = scratch.accounts.get(i % scratch.accounts.len().max(1)) else {
                            return;
                        };
                        if let (_, Some(s)) = scratch.http.sign_in(account).await
                            && let Ok(mut pool) = target.sessions.write()
                        {
                            pool.push(Arc::new(s));
                        }
                    }
                })
            })
            .collect();
        for w in workers {
            w.await?;
        }
        // Later sign-ins of the run continue after the accounts used here.
        self.next_account.store(n, Ordering::Relaxed);
        let signed_in = self.session_count();
        if signed_in < n {
            return Err(format!("only {signed_in} of {n} sign-ins succeeded before the run").into());
        }
        Ok(())
    }
}

/// Open-loop arrivals at `rate` per second for `duration`: arrival `i` is due at `start + i / rate`
/// and runs as its own task, whether or not earlier ones have finished; its latency is taken from the
/// due time, so a slow server cannot slow down the arrivals and hide its own queueing (no coordinated
/// omission). Past `max_outstanding` unfinished arrivals, new ones are not sent and count as dropped
/// by the client. Returns once every task has ended.
pub async fn open_loop<K, F, Fut>(
    ctx: &Arc<Ctx>,
    rate: f64,
    duration: Duration,
    max_outstanding: usize,
    kind_of: K,
    arrival: F,
) where
    K: Fn(u64) -> Req,
    F: Fn(Arc<Ctx>, u64, Req, Instant) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    if rate <= 0.0 {
        return;
    }
    let outstanding = Arc::new(AtomicUsize::new(0));
    let start = now();
    let end = start + duration;
    let mut i: u64 = 0;
    loop {
        let due = start + Duration::from_secs_f64(i as f64 / rate);
        if due >= end {
            break;
        }
        if due > now() {
            tokio::time::sleep_until(tokio::time::Instant::from_std(due)).await;
        }
        let req = kind_of(i);
        if outstanding.load(Ordering::Relaxed) >= max_outstanding {
            ctx.rec.dropped(req);
        } else {
            outstanding.fetch_add(1, Ordering::Relaxed);
            let task = arrival(ctx.clone(), i, req, due);
            let outstanding = outstanding.clone();
            tokio::spawn(async move {
                task.await;
                outstanding.fetch_sub(1, Ordering::Relaxed);
            });
        }
        i += 1;
    }
    while outstanding.load(Ordering::Relaxed) > 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// `workers` tasks, each sending its next request as soon as the previous one is answered, until
/// `duration` has passed.
pub async fn closed_loop<F, Fut>(ctx: &Arc<Ctx>, workers: usize, duration: Duration, op: F)
where
    F: Fn(Arc<Ctx>, usize) -> Fut + Copy + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let end = now() + duration;
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            let ctx = ctx.clone();
            tokio::spawn(async move {
                while now() < end {
                    op(ctx.clone(), w).await;
                }
            })
        })
        .collect();
    for t in tasks {
        let _ = t.await;
    }
}
