//! What happened to each request, per kind: latencies (microseconds, sorted once at the end), outcome
//! counters, and the result table in text and JSON.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

/// The wall clock, read in one place.
#[allow(
    clippy::disallowed_methods,
    reason = "a load harness measures real latency: there is no domain time to inject here"
)]
pub fn now() -> Instant {
    Instant::now()
}

/// How one request (or one composite action: a sign-in, a CAS round trip) ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// 503: the server shed the request (admission control), with its `Retry-After` when given.
    Shed {
        retry_after: Option<u64>,
    },
    /// A status or body the flow did not expect (a 4xx, a sign-in that did not open a session…).
    Unexpected,
    /// Any other 5xx.
    ServerError,
    /// Connection refused or reset, malformed answer.
    Transport,
    /// No answer within the client's timeout.
    Timeout,
}

/// The kinds of requests the scenarios send, in table order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Req {
    Health,
    Hello,
    SignIn,
    SignInSso,
    Home,
    Timetable,
    Homework,
    Grades,
    Messages,
    RollList,
    RollSheet,
    RollSave,
    MsgCompose,
    MsgSend,
    Inbox,
    MsgOpen,
}

pub const ALL: [Req; 16] = [
    Req::Health,
    Req::Hello,
    Req::SignIn,
    Req::SignInSso,
    Req::Home,
    Req::Timetable,
    Req::Homework,
    Req::Grades,
    Req::Messages,
    Req::RollList,
    Req::RollSheet,
    Req::RollSave,
    Req::MsgCompose,
    Req::MsgSend,
    Req::Inbox,
    Req::MsgOpen,
];

impl Req {
    pub fn name(self) -> &'static str {
        match self {
            Req::Health => "healthz",
            Req::Hello => "hello",
            Req::SignIn => "sign-in",
            Req::SignInSso => "sign-in SSO",
            Req::Home => "home",
            Req::Timetable => "timetable",
            Req::Homework => "homework",
            Req::Grades => "grades/CAS",
            Req::Messages => "messages",
            Req::RollList => "roll: my lessons",
            Req::RollSheet => "roll: sheet",
            Req::RollSave => "roll: save",
            Req::MsgCompose => "msg: form",
            Req::MsgSend => "msg: send",
            Req::Inbox => "inbox",
            Req::MsgOpen => "msg: open",
        }
    }

    /// What is actually requested; `*` marks the pages that stand in for ones not written yet.
    pub fn what(self) -> &'static str {
        match self {
            Req::Health => "GET /healthz",
            Req::Hello => "GET / (bare axum Hello, World!)",
            Req::SignIn => "GET /login + POST /login (argon2id)",
            Req::SignInSso => "EduConnect: GET /login/sso/… → signed assertion → POST /login/sso/acs",
            Req::Home => "GET / (portal)",
            Req::Timetable => "GET /edt (this week: a student's, a parent's first child's, a teacher's)",
            Req::Homework => "GET /devoirs (the to-do list; a teacher's homework)",
            Req::Grades => "GET /cas/login + /cas/p3/serviceValidate",
            Req::Messages => "GET /messagerie (the inbox)",
            Req::RollList => "GET /appel (the teacher's lessons of the day)",
            Req::RollSheet => "GET /appel/{lesson}/{day} (the class list with its marks)",
            Req::RollSave => "POST /appel/{lesson}/{day} (one or two absent or late, 303)",
            Req::MsgCompose => {
                "GET /messagerie/nouveau (the compose form: CSRF token, the teacher's classes)"
            }
            Req::MsgSend => {
                "POST /messagerie/nouveau (multipart; a class's students + parents, 303 to ?ok=sent)"
            }
            Req::Inbox => "GET /messagerie (a student's or parent's inbox, first page)",
            Req::MsgOpen => "GET /messagerie/{conversation} (the inbox's first conversation, marked read)",
        }
    }
}

#[derive(Default)]
struct Kind {
    ok: Mutex<Vec<u32>>,
    shed_latencies: Mutex<Vec<u32>>,
    sent: AtomicU64,
    unexpected: AtomicU64,
    server_errors: AtomicU64,
    transport: AtomicU64,
    timeouts: AtomicU64,
    dropped: AtomicU64,
    /// Successes completed before the end of the measured window (the throughput's numerator).
    ok_in_window: AtomicU64,
}

/// Shared by every task of a run.
pub struct Recorder {
    kinds: [Kind; ALL.len()],
    base: Instant,
    /// End of the measured window, in µs after `base` (open until set).
    window_end: AtomicU64,
}

impl Default for Recorder {
    fn default() -> Recorder {
        Recorder {
            kinds: Default::default(),
            base: now(),
            window_end: AtomicU64::new(u64::MAX),
        }
    }
}

fn micros(d: Duration) -> u32 {
    u32::try_from(d.as_micros()).unwrap_or(u32::MAX)
}

impl Recorder {
    /// Successes count toward throughput from now until `duration` has passed; the requests still
    /// outstanding after it are waited for and their latency recorded, but not counted as throughput.
    pub fn open_window(&self, duration: Duration) {
        let end = now() + duration - self.base;
        let end = u64::try_from(end.as_micros()).unwrap_or(u64::MAX);
        self.window_end.store(end, Ordering::Relaxed);
    }

    fn in_window(&self) -> bool {
        let at = u64::try_from((now() - self.base).as_micros()).unwrap_or(u64::MAX);
        at <= self.window_end.load(Ordering::Relaxed)
    }

    pub fn record(&self, req: Req, outcome: Outcome, latency: Duration) {
        let k = &self.kinds[req as usize];
        k.sent.fetch_add(1, Ordering::Relaxed);
        let counter = match outcome {
            Outcome::Ok => {
                if self.in_window() {
                    k.ok_in_window.fetch_add(1, Ordering::Relaxed);
                }
                if let Ok(mut v) = k.ok.lock() {
                    v.push(micros(latency));
                }
                return;
            }
            Outcome::Shed { .. } => {
                if let Ok(mut v) = k.shed_latencies.lock() {
                    v.push(micros(latency));
                }
                return;
            }
            Outcome::Unexpected => &k.unexpected,
            Outcome::ServerError => &k.server_errors,
            Outcome::Transport => &k.transport,
            Outcome::Timeout => &k.timeouts,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// An arrival the client did not send because too many requests were already outstanding.
    pub fn dropped(&self, req: Req) {
        self.kinds[req as usize].dropped.fetch_add(1, Ordering::Relaxed);
    }

    /// Successes of `req` within the measured window.
    pub fn ok_in_window(&self, req: Req) -> u64 {
        self.kinds[req as usize].ok_in_window.load(Ordering::Relaxed)
    }

    /// The figures of every kind that saw traffic, over a measured window of `secs`.
    pub fn summary(&self, secs: f64) -> Vec<KindReport> {
        ALL.iter()
            .filter_map(|&req| {
                let k = &self.kinds[req as usize];
                let mut ok = k.ok.lock().map(|v| v.clone()).unwrap_or_default();
                let mut shed = k.shed_latencies.lock().map(|v| v.clone()).unwrap_or_default();
                let sent = k.sent.load(Ordering::Relaxed);
                let dropped = k.dropped.load(Ordering::Relaxed);
                if sent == 0 && dropped == 0 {
                    return None;
                }
                ok.sort_unstable();
                shed.sort_unstable();
                let errors = k.server_errors.load(Ordering::Relaxed)
                    + k.transport.load(Ordering::Relaxed)
                    + k.timeouts.load(Ordering::Relaxed);
                Some(KindReport {
                    kind: req.name(),
                    what: req.what(),
                    sent,
                    ok: ok.len() as u64,
                    ok_per_sec: k.ok_in_window.load(Ordering::Relaxed) as f64 / secs.max(1e-9),
                    p50_ms: percentile(&ok, 0.50),
                    p95_ms: percentile(&ok, 0.95),
                    p99_ms: percentile(&ok, 0.99),
                    max_ms: percentile(&ok, 1.0),
                    errors,
                    error_rate: errors as f64 / sent.max(1) as f64,
                    timeouts: k.timeouts.load(Ordering::Relaxed),
                    shed: shed.len() as u64,
                    shed_p50_ms: percentile(&shed, 0.50),
                    shed_p95_ms: percentile(&shed, 0.95),
                    unexpected: k.unexpected.load(Ordering::Relaxed),
                    dropped,
                })
            })
            .collect()
    }
}

/// Nearest-rank percentile of sorted microseconds, in milliseconds.
fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    f64::from(sorted[rank - 1]) / 1000.0
}

#[derive(Debug, Clone, Serialize)]
pub struct KindReport {
    pub kind: &'static str,
    pub what: &'static str,
    /// Requests (or composite actions) sent, whatever their outcome.
    pub sent: u64,
    pub ok: u64,
    /// Successes completed within the measured window, per second of it.
    pub ok_per_sec: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Status ≥ 500 other than 503, transport errors and timeouts.
    pub errors: u64,
    pub error_rate: f64,
    pub timeouts: u64,
    /// 503 answers (admission control) and their latency: the « waiting page ».
    pub shed: u64,
    pub shed_p50_ms: f64,
    pub shed_p95_ms: f64,
    /// 4xx or an answer the flow did not expect.
    pub unexpected: u64,
    /// Arrivals not sent because the client's cap on outstanding requests was reached.
    pub dropped: u64,
}

/// CPU as % of one core over the measured window, memory in MiB.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Usage {
    pub window_secs: f64,
    pub server_pid: u32,
    pub server_cpu_pct: f64,
    pub server_rss_end_mib: f64,
    pub server_rss_peak_mib: f64,
    /// Every `postgres` process of the machine (0 on SQLite).
    pub postgres_cpu_pct: f64,
    pub loadgen_cpu_pct: f64,
    /// The whole machine, all cores (200% is both cores busy).
    pub machine_cpu_pct: f64,
    pub cores: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub scenario: String,
    pub settings: String,
    pub kinds: Vec<KindReport>,
    pub usage: Usage,
    /// Scenario-specific figures (argon2 rate, goodput…), printed under the table.
    pub figures: Vec<(String, f64)>,
    pub notes: Vec<String>,
}

impl Report {
    pub fn print(&self) {
        println!("\n== {} — {}", self.scenario, self.settings);
        println!(
            "{:<11} {:>8} {:>9} {:>8} {:>8} {:>8} {:>8} {:>7} {:>7} {:>6} {:>7}  what",
            "kind", "sent", "ok/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "err %", "503", "4xx", "dropped"
        );
        for k in &self.kinds {
            println!(
                "{:<11} {:>8} {:>9.1} {:>8.2} {:>8.2} {:>8.2} {:>8.1} {:>7.3} {:>7} {:>6} {:>7}  {}",
                k.kind,
                k.sent,
                k.ok_per_sec,
                k.p50_ms,
                k.p95_ms,
                k.p99_ms,
                k.max_ms,
                k.error_rate * 100.0,
                k.shed,
                k.unexpected,
                k.dropped,
                k.what
            );
        }
        for k in self.kinds.iter().filter(|k| k.shed > 0) {
            println!(
                "  {}: {} answers 503 (waiting page), latency p50 {:.2} ms, p95 {:.2} ms",
                k.kind, k.shed, k.shed_p50_ms, k.shed_p95_ms
            );
        }
        for k in self.kinds.iter().filter(|k| k.timeouts > 0) {
            println!("  {}: {} client timeouts (counted in err %)", k.kind, k.timeouts);
        }
        let u = &self.usage;
        println!(
            "server (pid {}): CPU {:.0}% of one core, RSS {:.0} MiB at the end, {:.0} MiB peak | PostgreSQL CPU {:.0}% | load generator CPU {:.0}% | machine {:.0}% of {}% ({:.1} s window)",
            u.server_pid,
            u.server_cpu_pct,
            u.server_rss_end_mib,
            u.server_rss_peak_mib,
            u.postgres_cpu_pct,
            u.loadgen_cpu_pct,
            u.machine_cpu_pct,
            u.cores * 100,
            u.window_secs
        );
        for (name, value) in &self.figures {
            println!("{name}: {value:.1}");
        }
        for note in &self.notes {
            println!("note: {note}");
        }
    }
}
