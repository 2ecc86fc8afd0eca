//! The scenarios of the load model (specs/load-model.md §5) that the server can run today.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::Fallible;
use crate::client::Session;
use crate::drive::{Ctx, closed_loop, monday_page, open_loop, rand};
use crate::server::Meter;
use crate::stats::{Outcome, Report, Req, Usage, now};

/// Starts measuring: throughput and CPU over the next `duration` (the arrivals' window); the usage
/// is ready when it ends, before the requests still outstanding are waited for.
fn measure(t: &Target, duration: Duration) -> tokio::task::JoinHandle<Usage> {
    let meter = Meter::start(t.pid);
    t.ctx.rec.open_window(duration);
    tokio::spawn(async move {
        tokio::time::sleep(duration).await;
        meter.finish()
    })
}

/// The server under test and what the scenarios sign in with.
pub struct Target {
    pub pid: u32,
    pub ctx: Arc<Ctx>,
    /// The region's database (the fan-out picks its accounts there and counts what was delivered).
    pub database_url: String,
}

fn report(ctx: &Ctx, scenario: &str, settings: String, usage: Usage) -> Report {
    let kinds = ctx.rec.summary(usage.window_secs);
    let per_sec: f64 = kinds.iter().map(|k| k.ok_per_sec).sum();
    let server_cpu_us = usage.server_cpu_pct / 100.0 / per_sec.max(1e-9) * 1e6;
    Report {
        scenario: scenario.into(),
        settings,
        kinds,
        usage,
        figures: vec![(
            "server CPU per completed request or action (µs)".into(),
            server_cpu_us,
        )],
        notes: vec![],
    }
}

/// **P1, the ceiling**: GET /healthz on `connections` keep-alive connections, each sending its next
/// request as soon as the answer arrives (closed loop), with the bare client of [`crate::raw`] (the
/// full one costs as much CPU as the server on the two shared cores). Against `hello` (a bare axum
/// "Hello, World!" in its own process) the same client gives the framework's ceiling on this machine,
/// so the ratio of the two is what Ardoise's middleware stack costs.
pub async fn p1(
    t: &Target,
    connections: usize,
    duration: Duration,
    timeout: Duration,
    req: Req,
) -> Fallible<Report> {
    let meter = measure(t, duration);
    let end = now() + duration;
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let ctx = t.ctx.clone();
            let mut conn = crate::raw::Conn::new(ctx.http.health_url(), timeout);
            tokio::spawn(async move {
                while now() < end {
                    let started = now();
                    let outcome = conn.get().await;
                    ctx.rec.record(req, outcome, started.elapsed());
                }
            })
        })
        .collect();
    for task in tasks {
        let _ = task.await;
    }
    let settings = format!(
        "{connections} connections, closed loop, {} s",
        duration.as_secs_f64()
    );
    Ok(report(&t.ctx, "P1 ceiling", settings, meter.await?))
}

pub struct P2 {
    pub logins_per_sec: f64,
    pub pages_per_sec: f64,
    pub page_users: usize,
    pub argon2_secs: f64,
    pub max_outstanding: usize,
}

/// argon2id hashes per second on `threads` threads, with Ardoise's parameters (identity's
/// `password.rs`: m = 19,456 KiB, t = 2, p = 1): the ceiling of password sign-ins on this machine.
pub async fn argon2_rate(secs: f64, threads: usize) -> Fallible<f64> {
    use argon2::{Algorithm, Argon2, Params, Version};
    let params = Params::new(19_456, 2, 1, Some(32)).map_err(|e| format!("argon2: {e}"))?;
    let rate = tokio::task::spawn_blocking(move || {
        let started = now();
        let end = started + Duration::from_secs_f64(secs);
        let count = AtomicU64::new(0);
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
                    let mut out = [0u8; 32];
                    while now() < end {
                        if hasher
                            .hash_password_into(b"ardoise-load-2026", b"sixteen-byte-salt", &mut out)
                            .is_ok()
                        {
                            count.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        count.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
    })
    .await?;
    Ok(rate)
}

/// **P2, password-login flood**: sign-ins (GET /login for the CSRF token, then POST /login, which
/// costs the server one argon2id verification) arrive at `logins_per_sec` (open loop), while
/// `page_users` already signed-in people view their home page at `pages_per_sec`. Before the load,
/// the harness measures argon2id on two threads itself, so the login throughput reads as a share of
/// what the hardware can hash. With `--delegated 1` every sign-in goes through the EduConnect wicket
/// instead (a SAML assertion checked, no argon2): that is **P3, the delegated-login flood**.
pub async fn p2(t: &Target, p: &P2, duration: Duration) -> Fallible<Report> {
    let argon2 = argon2_rate(p.argon2_secs, 2).await?;
    t.ctx.presign(p.page_users).await?;
    let meter = measure(t, duration);
    let logins = open_loop(
        &t.ctx,
        p.logins_per_sec,
        duration,
        p.max_outstanding,
        |_| Req::SignIn,
        |ctx, _, _, due| async move {
            ctx.sign_in_next(due, false).await;
        },
    );
    let pages = open_loop(
        &t.ctx,
        p.pages_per_sec,
        duration,
        p.max_outstanding,
        |_| Req::Home,
        |ctx, i, req, due| async move {
            ctx.view(rand(i), req, due).await;
        },
    );
    tokio::join!(logins, pages);
    let usage = meter.await?;
    let settings = format!(
        "{}/s sign-ins + {}/s home pages by {} signed-in users, open loop, {} s",
        p.logins_per_sec,
        p.pages_per_sec,
        p.page_users,
        duration.as_secs_f64()
    );
    let scenario = if t.ctx.http.delegated_share() >= 1.0 {
        "P3 delegated-login flood (EduConnect)"
    } else {
        "P2 password-login flood"
    };
    let mut r = report(&t.ctx, scenario, settings, usage);
    let logins = t.ctx.rec.ok_in_window(Req::SignIn) as f64 / r.usage.window_secs;
    let delegated = t.ctx.rec.ok_in_window(Req::SignInSso) as f64 / r.usage.window_secs;
    if delegated > 0.0 {
        r.figures
            .push(("delegated sign-ins/s completed (EduConnect)".into(), delegated));
    }
    r.figures.extend([
        ("argon2id hashes/s on 2 threads (before the load)".into(), argon2),
        ("sign-ins/s completed".into(), logins),
        (
            "sign-ins/s as % of the argon2 rate".into(),
            logins / argon2.max(1e-9) * 100.0,
        ),
    ]);
    Ok(r)
}

pub struct P4 {
    pub logins_per_sec: f64,
    pub pages_per_sec: f64,
    pub sessions: usize,
    pub max_outstanding: usize,
}

/// **P4, Monday 8:00**: new sessions arrive at `logins_per_sec` and join a pool of signed-in
/// students, parents and teachers (in the region's proportions), which sends `pages_per_sec` page
/// requests in the load model's mix (home 25%, timetable 25%, homework 20%, grades through the
/// Pronote CAS 15%, messages 15%: the inbox), both open loop.
pub async fn p4(t: &Target, p: &P4, duration: Duration) -> Fallible<Report> {
    t.ctx.presign(p.sessions).await?;
    let meter = measure(t, duration);
    let logins = open_loop(
        &t.ctx,
        p.logins_per_sec,
        duration,
        p.max_outstanding,
        |_| Req::SignIn,
        |ctx, _, _, due| async move {
            ctx.sign_in_next(due, true).await;
        },
    );
    let pages = open_loop(
        &t.ctx,
        p.pages_per_sec,
        duration,
        p.max_outstanding,
        monday_page,
        |ctx, i, req, due| async move {
            ctx.view(rand(i), req, due).await;
        },
    );
    tokio::join!(logins, pages);
    let usage = meter.await?;
    let settings = format!(
        "{}/s new sessions + {}/s page requests over {} → {} sessions ({}), open loop, {} s",
        p.logins_per_sec,
        p.pages_per_sec,
        p.sessions,
        t.ctx.session_count(),
        t.ctx.session_mix(),
        duration.as_secs_f64()
    );
    let mut r = report(&t.ctx, "P4 Monday 8:00 mix", settings, usage);
    let total: f64 = r.kinds.iter().map(|k| k.ok_per_sec).sum();
    r.figures
        .extend([("dynamic requests/s completed (all kinds)".into(), total)]);
    r.notes =
        vec!["grades/CAS: one complete CAS round trip (ticket, then service validation) per request".into()];
    Ok(r)
}

/// **P7, timetable read**: `workers` signed-in people (students, parents, teachers in the region's
/// proportions), each asking for their week's timetable (`GET /edt`) again as soon as it arrives.
pub async fn p7(t: &Target, workers: usize, duration: Duration) -> Fallible<Report> {
    t.ctx.presign(workers).await?;
    let meter = measure(t, duration);
    closed_loop(&t.ctx, workers, duration, |ctx, w| async move {
        let started = now();
        let outcome = match ctx.session(w as u64) {
            Some(s) => ctx.http.page(Req::Timetable, &s).await,
            None => Outcome::Unexpected,
        };
        ctx.rec.record(Req::Timetable, outcome, started.elapsed());
    })
    .await;
    let settings = format!(
        "{workers} people ({}), closed loop, {} s",
        t.ctx.session_mix(),
        duration.as_secs_f64()
    );
    Ok(report(&t.ctx, "P7 timetable read", settings, meter.await?))
}

/// **CAS round trips** (issue 4's figure): `workers` signed-in browsers, each repeating
/// `/cas/login?service=…` (ticket) then the service's `/cas/p3/serviceValidate`, back to back.
pub async fn cas(t: &Target, workers: usize, duration: Duration) -> Fallible<Report> {
    t.ctx.presign(workers).await?;
    let meter = measure(t, duration);
    closed_loop(&t.ctx, workers, duration, |ctx, w| async move {
        let started = now();
        let outcome = match ctx.session(w as u64) {
            Some(s) => ctx.http.cas_round_trip(&s).await,
            None => Outcome::Unexpected,
        };
        ctx.rec.record(Req::Grades, outcome, started.elapsed());
    })
    .await;
    let settings = format!("{workers} browsers, closed loop, {} s", duration.as_secs_f64());
    Ok(report(&t.ctx, "CAS round trips", settings, meter.await?))
}

pub struct P6 {
    pub capacity: f64,
    pub factor: f64,
    pub login_share: f64,
    pub polite: bool,
    pub sessions: usize,
    pub max_attempts: u32,
    pub max_outstanding: usize,
}

#[derive(Default)]
struct Storm {
    retries: AtomicU64,
    gave_up: AtomicU64,
    /// Time from a page view's first attempt to its success, retries included (µs).
    pages_end_to_end: Mutex<Vec<u32>>,
}

/// **P6, retry storm** (« effet bulle »): sign-ins and page views (Monday mix) arrive at `factor` ×
/// `capacity` per second; a request answered 503 or timing out is tried again after 0–1 s, ignoring
/// `Retry-After` as impatient people pressing F5 do, or after `Retry-After` with `polite`, up to
/// `max_attempts`. The figure that matters is goodput, page views served per second, against the
/// capacity; shed answers (the waiting page) are timed separately. Works whether or not the server
/// sheds.
pub async fn p6(t: &Target, p: &P6, duration: Duration) -> Fallible<Report> {
    t.ctx.presign(p.sessions).await?;
    let storm = Arc::new(Storm::default());
    let rate = p.factor * p.capacity;
    let share = (p.login_share * 1000.0) as u64;
    let (polite, max_attempts) = (p.polite, p.max_attempts);
    let meter = measure(t, duration);
    let s = storm.clone();
    open_loop(
        &t.ctx,
        rate,
        duration,
        p.max_outstanding,
        move |i| {
            if rand(i) % 1000 < share {
                Req::SignIn
            } else {
                monday_page(i)
            }
        },
        move |ctx, i, req, due| {
            let storm = s.clone();
            async move {
                let mut attempt_start = due;
                for attempt in 0..max_attempts {
                    let outcome = if req == Req::SignIn {
                        ctx.sign_in_next(attempt_start, true).await
                    } else {
                        ctx.view(rand(i ^ u64::from(attempt)), req, attempt_start).await
                    };
                    let wait_ms = match outcome {
                        Outcome::Ok => {
                            if req != Req::SignIn
                                && let Ok(mut v) = storm.pages_end_to_end.lock()
                            {
                                v.push(u32::try_from(due.elapsed().as_micros()).unwrap_or(u32::MAX));
                            }
                            return;
                        }
                        Outcome::Shed {
                            retry_after: Some(secs),
                        } if polite => secs * 1000,
                        Outcome::Shed { .. } | Outcome::Timeout if polite => 1000 + rand(i) % 1000,
                        Outcome::Shed { .. } | Outcome::Timeout => rand(i + u64::from(attempt)) % 1000,
                        _ => return,
                    };
                    storm.retries.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(wait_ms)).await;
                    attempt_start = now();
                }
                storm.gave_up.fetch_add(1, Ordering::Relaxed);
            }
        },
    )
    .await;
    let usage = meter.await?;
    let settings = format!(
        "{:.0}/s arrivals ({} × capacity {}/s, {:.0}% sign-ins), {}, up to {} attempts, {} s",
        rate,
        p.factor,
        p.capacity,
        p.login_share * 100.0,
        if p.polite {
            "clients honour Retry-After"
        } else {
            "clients retry after 0–1 s"
        },
        p.max_attempts,
        duration.as_secs_f64()
    );
    let mut r = report(&t.ctx, "P6 retry storm", settings, usage);
    let secs = r.usage.window_secs;
    let mut e2e = storm
        .pages_end_to_end
        .lock()
        .map(|v| v.clone())
        .unwrap_or_default();
    e2e.sort_unstable();
    let p95 = e2e
        .get((e2e.len() * 95 / 100).min(e2e.len().saturating_sub(1)))
        .map_or(0.0, |us| f64::from(*us) / 1000.0);
    let pages: u64 = [
        Req::Home,
        Req::Timetable,
        Req::Homework,
        Req::Grades,
        Req::Messages,
    ]
    .iter()
    .map(|&k| t.ctx.rec.ok_in_window(k))
    .sum();
    let sign_ins = t.ctx.rec.ok_in_window(Req::SignIn);
    r.figures.extend([
        ("goodput: page views served/s".into(), pages as f64 / secs),
        (
            "goodput: sign-ins + page views served/s as % of capacity".into(),
            (pages + sign_ins) as f64 / secs / p.capacity.max(1e-9) * 100.0,
        ),
        (
            "sign-ins/s completed".into(),
            t.ctx.rec.ok_in_window(Req::SignIn) as f64 / secs,
        ),
        (
            "retries sent".into(),
            storm.retries.load(Ordering::Relaxed) as f64,
        ),
        (
            "arrivals given up after all attempts".into(),
            storm.gave_up.load(Ordering::Relaxed) as f64,
        ),
        (
            "page view p95 from first attempt, retries included (ms)".into(),
            p95,
        ),
    ]);
    Ok(r)
}

/// The roll-call links of a teacher's day page (`/appel/<lesson>/<day>`).
fn roll_links(html: &str) -> Vec<String> {
    let mut out: Vec<String> = html
        .match_indices("href=\"/appel/")
        .filter_map(|(i, m)| {
            let start = i + m.len() - "/appel/".len();
            let end = html[start..].find('"')?;
            Some(html[start..start + end].to_string())
        })
        .collect();
    out.dedup();
    out
}

/// The students of a roll-call sheet (its `m-<id>` radio groups), in order.
fn sheet_students(html: &str) -> Vec<&str> {
    let mut out: Vec<&str> = html
        .match_indices("name=\"m-")
        .filter_map(|(i, m)| {
            let start = i + m.len();
            html.get(start..start + 36)
        })
        .collect();
    out.dedup();
    out
}

/// **The 8:00 roll call**: `teachers` teachers signed in beforehand, all working at once, each
/// repeating what a teacher does at the start of a lesson: the day's lessons (`/appel`), one lesson's
/// sheet, and its roll saved with one student absent and one late (a different pair each time, so
/// every save writes). The server's clock is set to a school day (`clock_start`) so the rolls are
/// open. A teacher shown the waiting page (503) comes back after its `Retry-After`, as the page's
/// reload does. The figures: saves per second and the latency of each step.
pub async fn rollcall(t: &Target, teachers: usize, duration: Duration) -> Fallible<Report> {
    let ctx = t.ctx.only("ENS");
    ctx.presign(teachers).await?;
    let t = Target {
        pid: t.pid,
        ctx,
        database_url: t.database_url.clone(),
    };
    let meter = measure(&t, duration);
    static TURN: AtomicU64 = AtomicU64::new(0);
    closed_loop(&t.ctx, teachers, duration, |ctx, w| {
        async move {
            let i = TURN.fetch_add(1, Ordering::Relaxed);
            let Some(s) = ctx.session(w as u64) else {
                return;
            };
            let started = now();
            let (outcome, day) = ctx.http.get_html("/appel", &s).await;
            ctx.rec.record(Req::RollList, outcome, started.elapsed());
            if let Outcome::Shed { retry_after } = outcome {
                // The waiting page reloads itself after Retry-After, as a browser does.
                tokio::time::sleep(Duration::from_secs(retry_after.unwrap_or(1).max(1))).await;
                return;
            }
            let links = day.as_deref().map(roll_links).unwrap_or_default();
            if links.is_empty() {
                // No lesson today (or an error already counted): this teacher rests a while.
                tokio::time::sleep(Duration::from_secs(1)).await;
                return;
            }
            let lesson = &links[(rand(i) % links.len() as u64) as usize];
            let started = now();
            let (outcome, sheet) = ctx.http.get_html(lesson, &s).await;
            ctx.rec.record(Req::RollSheet, outcome, started.elapsed());
            if let Outcome::Shed { retry_after } = outcome {
                tokio::time::sleep(Duration::from_secs(retry_after.unwrap_or(1).max(1))).await;
                return;
            }
            let Some(sheet) = sheet else {
                return;
            };
            let students = sheet_students(&sheet);
            let (Some(csrf), false) = (crate::client::csrf_token(&sheet), students.is_empty()) else {
                ctx.rec.record(Req::RollSave, Outcome::Unexpected, Duration::ZERO);
                return;
            };
            let absent = students[(rand(i ^ 1) % students.len() as u64) as usize];
            let late = students[(rand(i ^ 2) % students.len() as u64) as usize];
            let mut form = vec![
                ("csrf_token".to_string(), csrf.to_string()),
                (format!("m-{absent}"), "absent".to_string()),
            ];
            if late != absent {
                form.push((format!("m-{late}"), "retard".to_string()));
                form.push((format!("r-{late}"), (5 + rand(i ^ 3) % 10).to_string()));
            }
            let started = now();
            let outcome = ctx.http.post_form(lesson, &s, &form).await;
            ctx.rec.record(Req::RollSave, outcome, started.elapsed());
            if let Outcome::Shed { retry_after } = outcome {
                tokio::time::sleep(Duration::from_secs(retry_after.unwrap_or(1).max(1))).await;
            }
        }
    })
    .await;
    let settings = format!(
        "{teachers} teachers at once, closed loop (list, sheet, save), {} s",
        duration.as_secs_f64()
    );
    Ok(report(&t.ctx, "Roll call at 8:00", settings, meter.await?))
}

/// The classes a compose form offers to write to the parents of (its `dest:parents:<class>` fields).
fn parents_groups(html: &str) -> Vec<&str> {
    let mut out: Vec<&str> = html
        .match_indices("name=\"dest:parents:")
        .filter_map(|(i, m)| {
            let start = i + m.len();
            html.get(start..start + 36)
        })
        .collect();
    out.dedup();
    out
}

/// The first conversation of an inbox page (`/messagerie/<uuid>`), if any.
fn first_conversation(html: &str) -> Option<&str> {
    html.match_indices("href=\"/messagerie/").find_map(|(i, m)| {
        let start = i + m.len() - "/messagerie/".len();
        let link = html.get(start..start + "/messagerie/".len() + 36)?;
        let id = &link["/messagerie/".len()..];
        (id.len() == 36 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')).then_some(link)
    })
}

pub struct Fanout {
    pub teachers: usize,
    pub readers: usize,
    /// A reader's pause between two visits of their inbox (each pause drawn between half and one and a
    /// half times it).
    pub think: Duration,
    /// Share of inbox visits followed by opening the first conversation.
    pub open_share: f64,
    /// The sends go to divisions of at least this many students (the load model's class is 30 with
    /// 60 parents; the generated collèges' classes are smaller, like real ones).
    pub min_class: usize,
}

/// Waits out a 503 as the waiting page does (its `Retry-After`, at least 1 s); true if it was one.
async fn shed_wait(outcome: Outcome) -> bool {
    if let Outcome::Shed { retry_after } = outcome {
        tokio::time::sleep(Duration::from_secs(retry_after.unwrap_or(1).max(1))).await;
        return true;
    }
    false
}

/// A teacher writes to one of their classes, students and parents: the compose form (its CSRF token
/// and the classes it offers), then the form posted as a browser does (multipart), a text of its own
/// each time (the counter), so no copy is held for moderation.
async fn send_to_a_class(ctx: &Ctx, s: &Session, divisions: &HashSet<String>, teacher: usize, n: u64) {
    let started = now();
    let (outcome, form) = ctx.http.get_html("/messagerie/nouveau", s).await;
    ctx.rec.record(Req::MsgCompose, outcome, started.elapsed());
    if shed_wait(outcome).await {
        return;
    }
    let Some(form) = form else {
        // An error already counted: not straight back at it.
        tokio::time::sleep(Duration::from_millis(100)).await;
        return;
    };
    // A division (a class of about 30) rather than an option group, when the form offers one.
    let offered = parents_groups(&form);
    let mut classes: Vec<&str> = offered
        .iter()
        .copied()
        .filter(|c| divisions.contains(*c))
        .collect();
    if classes.is_empty() {
        classes = offered;
    }
    let (Some(csrf), false) = (crate::client::csrf_token(&form), classes.is_empty()) else {
        ctx.rec.record(Req::MsgSend, Outcome::Unexpected, Duration::ZERO);
        tokio::time::sleep(Duration::from_secs(1)).await;
        return;
    };
    let class = classes[(rand(n) % classes.len() as u64) as usize];
    let fields = vec![
        ("csrf_token".to_string(), csrf.to_string()),
        (format!("dest:eleves:{class}"), "to".to_string()),
        (format!("dest:parents:{class}"), "to".to_string()),
        (
            "subject".to_string(),
            format!("Sortie au musée jeudi (information n° {n})"),
        ),
        (
            "body".to_string(),
            format!(
                "Bonjour,\n\nla sortie au musée aura lieu jeudi : prévoir un pique-nique et une tenue \
                 adaptée. Information n° {n} du professeur {teacher}.\n\nCordialement."
            ),
        ),
        ("action".to_string(), "send".to_string()),
    ];
    let started = now();
    let outcome = ctx
        .http
        .post_multipart("/messagerie/nouveau", s, &fields, "/messagerie?ok=sent")
        .await;
    ctx.rec.record(Req::MsgSend, outcome, started.elapsed());
    if !shed_wait(outcome).await && outcome != Outcome::Ok {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A student or parent looks at their inbox and, `open_share` of the time, opens its first
/// conversation.
async fn read_inbox(ctx: &Ctx, s: &Session, r: u64, open_share: f64) {
    let started = now();
    let (outcome, inbox) = ctx.http.get_html("/messagerie", s).await;
    ctx.rec.record(Req::Inbox, outcome, started.elapsed());
    if shed_wait(outcome).await {
        return;
    }
    let Some(link) = inbox.as_deref().and_then(first_conversation) else {
        return;
    };
    if (rand(r ^ 0x0FE7) % 1000) as f64 >= open_share * 1000.0 {
        return;
    }
    let started = now();
    let (outcome, _) = ctx.http.get_html(link, s).await;
    ctx.rec.record(Req::MsgOpen, outcome, started.elapsed());
    shed_wait(outcome).await;
}

/// **P8, message fan-out**: `teachers` teachers of the region (each teaching at least one class, in
/// one school), signed in beforehand, each writing again and again, back to back, to one of their
/// classes' students and parents (the compose form, then the send); meanwhile `readers` students and
/// parents of those classes, signed in too, visit their inbox after a think time and sometimes open
/// the first conversation. The server's hourly sending limit must be lifted
/// (`messaging_rate_per_hour`, which `ardoise-load fanout` sets). The figures: sends per second, the
/// recipients of one send (counted in the database after the run: the class's students and legal
/// guardians the rules let the teacher reach), deliveries per second, and the inbox's latency.
pub async fn fanout(t: &Target, p: &Fanout, duration: Duration) -> Fallible<Report> {
    let (teachers, readers) =
        crate::region::fanout_accounts(&t.database_url, p.teachers, p.readers, p.min_class).await?;
    if teachers.len() < p.teachers.max(1) {
        return Err(format!(
            "the region has {} teachers teaching a class of {} students or more in one school, {} asked: raise --schools or --students, or lower --min-class",
            teachers.len(),
            p.min_class,
            p.teachers
        )
        .into());
    }
    let divisions =
        Arc::new(crate::region::fanout_divisions(&t.database_url, p.teachers, p.min_class).await?);
    let (nt, nr) = (teachers.len(), readers.len());
    let mut accounts = teachers;
    accounts.extend(readers);
    let ctx = Ctx::new(t.ctx.http.clone(), Arc::new(accounts));
    ctx.presign(nt + nr).await?;
    let pool = ctx.sessions();
    let teacher_sessions: Vec<Arc<Session>> = pool
        .iter()
        .filter(|s| s.profile == "ENS")
        .take(nt)
        .cloned()
        .collect();
    let reader_sessions: Vec<Arc<Session>> = pool
        .iter()
        .filter(|s| s.profile != "ENS")
        .take(nr)
        .cloned()
        .collect();
    let reader_mix = ["ELV", "TUT"]
        .iter()
        .map(|p| {
            format!(
                "{p} {}",
                reader_sessions.iter().filter(|s| s.profile == *p).count()
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let (nt, nr) = (teacher_sessions.len(), reader_sessions.len());
    let t = Target {
        pid: t.pid,
        ctx,
        database_url: t.database_url.clone(),
    };
    let (before, _, _) = crate::region::messages_sent(&t.database_url).await?;
    let meter = measure(&t, duration);
    let end = now() + duration;
    static SENT: AtomicU64 = AtomicU64::new(0);
    let mut tasks = Vec::new();
    for (w, s) in teacher_sessions.into_iter().enumerate() {
        let ctx = t.ctx.clone();
        let divisions = divisions.clone();
        tasks.push(tokio::spawn(async move {
            while now() < end {
                let n = SENT.fetch_add(1, Ordering::Relaxed);
                send_to_a_class(&ctx, &s, &divisions.ids, w, n).await;
            }
        }));
    }
    let (think, open_share) = (p.think, p.open_share);
    for (w, s) in reader_sessions.into_iter().enumerate() {
        let ctx = t.ctx.clone();
        tasks.push(tokio::spawn(async move {
            let mut r = (w as u64) << 32;
            // Readers start spread over one think time, not all at once.
            tokio::time::sleep(think.mul_f64((rand(r) % 1000) as f64 / 1000.0)).await;
            while now() < end {
                r += 1;
                read_inbox(&ctx, &s, r, open_share).await;
                let pause = think.mul_f64(0.5 + (rand(r ^ 0x7411) % 1000) as f64 / 1000.0);
                tokio::time::sleep(pause).await;
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let usage = meter.await?;
    let (after, recipients, held) = crate::region::messages_sent(&t.database_url).await?;
    let settings = format!(
        "{nt} teachers sending back to back (compose form, send to a class's students + parents) and {nr} \
         readers ({}) visiting their inbox every {:.1} s on average (opening the first conversation {:.0}% \
         of the time), {} s",
        reader_mix,
        think.as_secs_f64(),
        open_share * 100.0,
        duration.as_secs_f64()
    );
    let mut r = report(&t.ctx, "P8 message fan-out", settings, usage);
    let sends = t.ctx.rec.ok_in_window(Req::MsgSend) as f64 / r.usage.window_secs;
    let delivered = after - before;
    let per_send = recipients as f64 / after.max(1) as f64;
    r.figures.extend([
        (
            "sends/s completed (each to a class's students and parents)".into(),
            sends,
        ),
        (
            "recipients per send (counted in the database after the run)".into(),
            per_send,
        ),
        (
            "deliveries/s (sends/s × recipients per send)".into(),
            sends * per_send,
        ),
        ("messages delivered during the run".into(), delivered as f64),
        ("messages held for moderation (must be 0)".into(), held as f64),
        (
            "classes (divisions) the teachers teach".into(),
            divisions.ids.len() as f64,
        ),
        (
            "students per division (average)".into(),
            divisions.students_per_class,
        ),
        (
            "legal guardians per division (average)".into(),
            divisions.guardians_per_class,
        ),
    ]);
    r.notes = vec![
        "the goal (specs/load-model.md P8): over 200 sends/s, inbox p95 under 100 ms".into(),
        "server setting messaging_rate_per_hour lifts the per-profile hourly limit (60 for a teacher)".into(),
    ];
    Ok(r)
}
