//! Admission control: when more requests arrive than the node can serve, keep serving at full speed the
//! ones it admits, and answer the others at once with a light waiting page (browsers) or a 503 with
//! `Retry-After` (apps and services) — never a pile of requests that all time out.
//!
//! At most `max_in_flight` requests run at once. Past that, a request waits in a bounded queue for at
//! most `max_wait` — unless the queue is standing (its oldest request has waited `standing` already):
//! then the node is over capacity, not absorbing a burst, and new arrivals get their answer at once
//! instead of a wait that would end the same way (a retry storm must not queue). Waiting requests are
//! admitted by priority: first what the school day runs on (teachers
//! taking the roll, students, school staff, and the back-channel validations of connected services whose
//! person is already waiting), then anonymous requests (sign-in), then parents — as the ENT operators of
//! 2020–2021 had to do by hand. The lower classes may only take part of the queue, so a wave of them
//! cannot fill it. The gate runs before the session is resolved: it learns who asks from what the node
//! already holds in memory ([`WhoAsks`]), so the waiting page touches no database and costs
//! microseconds; it reloads itself after a randomised delay so that a crowd does not come back all at once.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kernel::Profile;
use tokio::sync::oneshot;

use crate::{Lang, Tr};

/// Who goes first when requests must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    /// A roll call being saved (a teacher's or the school-life office's `POST /appel/…`): the
    /// sharpest peak of the day, and the one the school cannot do without; it waits even when the
    /// queue stands.
    RollCall = 0,
    /// Teachers, students, school staff; services validating a ticket for a person.
    School = 1,
    /// Not signed in (the sign-in itself), and regional administrators.
    Anonymous = 2,
    /// Parents: deferred first when the node is saturated.
    Family = 3,
}

/// Tells the profile of the person behind a request from memory only (no database): the identity
/// crate looks the session cookie up in its session cache. `None`: not signed in, or not known here.
pub trait WhoAsks: Send + Sync {
    fn profile(&self, headers: &axum::http::HeaderMap) -> Option<Profile>;
}

impl Priority {
    /// The class of a request, from the profile of the person signed in (if known), the method and
    /// the path.
    pub fn of(profile: Option<Profile>, method: &axum::http::Method, path: &str) -> Priority {
        match profile {
            Some(Profile::Teacher | Profile::SchoolLife | Profile::Direction)
                if method == axum::http::Method::POST && path.starts_with("/appel/") =>
            {
                Priority::RollCall
            }
            Some(Profile::Guardian) => Priority::Family,
            Some(_) => Priority::School,
            None if is_back_channel(path) => Priority::School,
            None => Priority::Anonymous,
        }
    }
}

/// Server-to-server calls that finish a person's sign-in already under way (a connected service
/// validating its ticket or exchanging its code): refusing them wastes the work already done.
fn is_back_channel(path: &str) -> bool {
    path.starts_with("/cas/") && path != "/cas/login" && path != "/cas/logout"
        || path == "/oidc/token"
        || path == "/oidc/userinfo"
}

/// Requests that never queue here: static assets (immutable, cheap), the health probes, and the
/// sign-in itself, which waits for a password-hashing thread in a queue of its own (bounded, answered
/// "busy" when full): holding a turn here while it waits would starve the page views.
fn exempt(method: &axum::http::Method, path: &str) -> bool {
    path.starts_with("/static/")
        || path == "/healthz"
        || path == "/readyz"
        || (method == axum::http::Method::POST && path == "/login")
}

/// What a deployment tunes.
#[derive(Debug, Clone)]
pub struct AdmissionConfig {
    /// Requests served at once (0: no admission control).
    pub max_in_flight: usize,
    /// Requests that may wait for a turn.
    pub max_queue: usize,
    /// How long a request may wait before getting the waiting page.
    pub max_wait: Duration,
    /// A queue whose oldest request waited this long is standing: new arrivals are turned away at once.
    pub standing: Duration,
    /// Seconds browsers and apps are told to wait before trying again (randomised up to twice that).
    pub retry_after_secs: u64,
}

impl Default for AdmissionConfig {
    fn default() -> Self {
        AdmissionConfig {
            max_in_flight: 64,
            max_queue: 512,
            max_wait: Duration::from_millis(1000),
            standing: Duration::from_millis(100),
            retry_after_secs: 5,
        }
    }
}

#[derive(Default)]
struct State_ {
    in_flight: usize,
    /// Each waiting request's turn, with when it started waiting.
    queues: [VecDeque<(tokio::time::Instant, oneshot::Sender<()>)>; 4],
}

impl State_ {
    /// Requests still waiting (those that gave up are dropped from the queues here).
    fn waiting(&mut self) -> usize {
        for queue in &mut self.queues {
            queue.retain(|(_, waiter)| !waiter.is_closed());
        }
        self.queues.iter().map(VecDeque::len).sum()
    }

    /// Since when the longest-waiting request waits.
    fn oldest(&self) -> Option<tokio::time::Instant> {
        self.queues
            .iter()
            .filter_map(|q| q.front().map(|(t, _)| *t))
            .min()
    }
}

/// The admission gate of one node. Cheap to clone.
#[derive(Clone)]
pub struct Admission {
    state: Arc<Mutex<State_>>,
    config: Arc<AdmissionConfig>,
    who: Option<Arc<dyn WhoAsks>>,
}

/// A turn to be served; the next waiting request gets it when this is dropped.
pub struct Turn {
    admission: Option<Admission>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        if let Some(a) = self.admission.take() {
            a.release();
        }
    }
}

impl Admission {
    pub fn new(config: AdmissionConfig) -> Admission {
        Admission {
            state: Arc::default(),
            config: Arc::new(config),
            who: None,
        }
    }

    /// Ranks requests by the profile `who` finds (without it, every signed-in request is anonymous).
    pub fn with_who_asks(mut self, who: Arc<dyn WhoAsks>) -> Admission {
        self.who = Some(who);
        self
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State_> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How much of the queue a class may hold: all of it for the school day, three quarters for
    /// anonymous requests, half for families.
    fn queue_share(&self, priority: Priority) -> usize {
        let q = self.config.max_queue;
        match priority {
            Priority::RollCall | Priority::School => q,
            Priority::Anonymous => q * 3 / 4,
            Priority::Family => q / 2,
        }
    }

    /// Waits for a turn; `None` when the node is saturated (queue full, or the wait ran out).
    pub async fn enter(&self, priority: Priority) -> Option<Turn> {
        if self.config.max_in_flight == 0 {
            return Some(Turn { admission: None });
        }
        let mut rx = {
            let mut state = self.lock();
            if state.in_flight < self.config.max_in_flight {
                state.in_flight += 1;
                return Some(self.turn());
            }
            if state.waiting() >= self.queue_share(priority) {
                return None;
            }
            let now = tokio::time::Instant::now();
            if priority != Priority::RollCall
                && state
                    .oldest()
                    .is_some_and(|oldest| now.duration_since(oldest) >= self.config.standing)
            {
                return None;
            }
            let (tx, rx) = oneshot::channel();
            state.queues[priority as usize].push_back((now, tx));
            rx
        };
        tokio::select! {
            granted = &mut rx => granted.ok().map(|()| self.turn()),
            () = tokio::time::sleep(self.config.max_wait) => {
                // A turn handed over just as the wait ran out is taken, not lost.
                rx.close();
                rx.try_recv().ok().map(|()| self.turn())
            }
        }
    }

    fn turn(&self) -> Turn {
        Turn {
            admission: Some(self.clone()),
        }
    }

    /// Hands the turn to the first waiting request of the highest class, or frees it.
    fn release(&self) {
        let mut state = self.lock();
        for queue in 0..state.queues.len() {
            while let Some((_, waiter)) = state.queues[queue].pop_front() {
                if waiter.send(()).is_ok() {
                    return; // the turn moves on: in_flight unchanged
                }
                // That request stopped waiting: try the next one.
            }
        }
        state.in_flight = state.in_flight.saturating_sub(1);
    }

    /// Requests being served and waiting (for the metrics and the tests).
    pub fn load(&self) -> (usize, usize) {
        let mut state = self.lock();
        let waiting = state.waiting();
        (state.in_flight, waiting)
    }

    fn retry_after(&self) -> u64 {
        let base = self.config.retry_after_secs.max(1);
        base + rand::random_range(0..=base)
    }
}

/// The middleware: admits the request or answers with the waiting page. Mount it outside the session
/// layer, so that a request turned away costs no database round trip.
pub async fn gate(State(admission): State<Admission>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if exempt(req.method(), path) {
        return next.run(req).await;
    }
    let profile = admission.who.as_ref().and_then(|w| w.profile(req.headers()));
    let priority = Priority::of(profile, req.method(), path);
    match admission.enter(priority).await {
        Some(turn) => {
            let response = next.run(req).await;
            drop(turn);
            response
        }
        None => {
            let wants_html = wants_html(&req);
            let lang = crate::i18n::negotiate_headers(req.headers());
            tracing::debug!(?priority, "request shed: node saturated");
            saturated(admission.retry_after(), wants_html, lang)
        }
    }
}

/// Browsers navigating (they send `Accept: text/html`) get a page; apps and services a JSON 503.
fn wants_html(req: &Request) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// The answer to a request the node cannot take now: 503 with `Retry-After`, and for a browser a tiny
/// page that tries again by itself.
pub fn saturated(retry_after: u64, html: bool, lang: Lang) -> Response {
    let mut response = if html {
        let t = Tr(lang);
        let body = format!(
            "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width\">\
             <meta http-equiv=\"refresh\" content=\"{retry_after}\"><title>{title}</title></head>\
             <body><main><h1>{title}</h1><p>{text}</p><p><a href=\"\">{again}</a></p></main></body></html>",
            lang = lang.code(),
            title = t.get("busy-title"),
            text = t.with("busy-text", "secs", &retry_after.to_string()),
            again = t.get("busy-again"),
        );
        (StatusCode::SERVICE_UNAVAILABLE, axum::response::Html(body)).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "application/json")],
            format!("{{\"error\":\"overloaded\",\"retry_after\":{retry_after}}}"),
        )
            .into_response()
    };
    if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(max_in_flight: usize, max_queue: usize, wait_ms: u64) -> Admission {
        Admission::new(AdmissionConfig {
            max_in_flight,
            max_queue,
            max_wait: Duration::from_millis(wait_ms),
            standing: Duration::from_secs(60),
            retry_after_secs: 5,
        })
    }

    #[tokio::test]
    async fn requests_beyond_the_limit_wait_then_get_their_turn() {
        let a = gate(1, 4, 5_000);
        let first = a.enter(Priority::School).await.unwrap();
        let waiting = tokio::spawn({
            let a = a.clone();
            async move { a.enter(Priority::School).await.is_some() }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(a.load(), (1, 1));
        drop(first);
        assert!(waiting.await.unwrap(), "the waiting request was admitted");
        assert_eq!(a.load(), (0, 0), "and its turn was freed after");
    }

    #[tokio::test]
    async fn the_school_day_goes_before_anonymous_requests_and_parents() {
        let a = gate(1, 8, 5_000);
        let first = a.enter(Priority::School).await.unwrap();
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for p in [Priority::Family, Priority::Anonymous, Priority::School] {
            let (a, order) = (a.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                let turn = a.enter(p).await.unwrap();
                order.lock().unwrap().push(p);
                tokio::time::sleep(Duration::from_millis(5)).await;
                drop(turn);
            }));
            tokio::time::sleep(Duration::from_millis(10)).await; // arrive in this order
        }
        drop(first);
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(
            *order.lock().unwrap(),
            vec![Priority::School, Priority::Anonymous, Priority::Family]
        );
    }

    #[tokio::test]
    async fn a_roll_call_being_saved_goes_first_and_waits_even_when_the_queue_stands() {
        let post = axum::http::Method::POST;
        let get = axum::http::Method::GET;
        assert_eq!(
            Priority::of(Some(Profile::Teacher), &post, "/appel/l/2026-12-07"),
            Priority::RollCall
        );
        assert_eq!(
            Priority::of(Some(Profile::Teacher), &get, "/appel/l/2026-12-07"),
            Priority::School
        );
        assert_eq!(
            Priority::of(Some(Profile::Student), &post, "/appel/l/2026-12-07"),
            Priority::School
        );
        assert_eq!(
            Priority::of(Some(Profile::Guardian), &post, "/appel/x"),
            Priority::Family
        );
        let a = Admission::new(AdmissionConfig {
            max_in_flight: 1,
            max_queue: 8,
            max_wait: Duration::from_millis(5_000),
            standing: Duration::from_millis(100),
            retry_after_secs: 5,
        });
        let first = a.enter(Priority::School).await.unwrap();
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for p in [Priority::School, Priority::RollCall] {
            let (a, order) = (a.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                let turn = a.enter(p).await.unwrap();
                order.lock().unwrap().push(p);
                drop(turn);
            }));
            tokio::time::sleep(Duration::from_millis(150)).await; // the queue now stands
        }
        // Any other request is turned away at once now.
        assert!(a.enter(Priority::School).await.is_none());
        drop(first);
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![Priority::RollCall, Priority::School]);
    }

    #[tokio::test]
    async fn a_full_queue_and_a_long_wait_are_answered_at_once() {
        let a = gate(1, 2, 50);
        let _busy = a.enter(Priority::School).await.unwrap();
        // Parents may hold half the queue (one place): the second parent is refused at once.
        let first_parent = tokio::spawn({
            let a = a.clone();
            async move { a.enter(Priority::Family).await.is_some() }
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert!(
            a.enter(Priority::Family).await.is_none(),
            "queue share of parents full"
        );
        // The first parent gives up after the longest wait.
        assert!(!first_parent.await.unwrap());
        assert_eq!(a.load(), (1, 0));
    }

    #[tokio::test]
    async fn a_standing_queue_turns_new_arrivals_away_at_once() {
        let a = Admission::new(AdmissionConfig {
            max_in_flight: 1,
            max_queue: 100,
            max_wait: Duration::from_secs(30),
            standing: Duration::from_millis(30),
            retry_after_secs: 5,
        });
        let _busy = a.enter(Priority::School).await.unwrap();
        let _waiting = tokio::spawn({
            let a = a.clone();
            async move { a.enter(Priority::School).await.is_some() }
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        // A burst: the queue is young, the next request waits too.
        let second = tokio::spawn({
            let a = a.clone();
            async move { a.enter(Priority::School).await.is_some() }
        });
        tokio::time::sleep(Duration::from_millis(40)).await;
        assert_eq!(a.load().1, 2, "both wait");
        // Now the oldest has waited 50 ms > 30 ms: the node is over capacity, answer at once.
        let refused = tokio::time::timeout(Duration::from_millis(5), a.enter(Priority::School)).await;
        assert!(matches!(refused, Ok(None)), "turned away without waiting");
        second.abort();
    }

    #[test]
    fn priorities_come_from_the_profile_and_the_path() {
        assert_eq!(
            Priority::of(None, &axum::http::Method::GET, "/login"),
            Priority::Anonymous
        );
        assert_eq!(
            Priority::of(None, &axum::http::Method::GET, "/cas/p3/serviceValidate"),
            Priority::School
        );
        assert_eq!(
            Priority::of(None, &axum::http::Method::GET, "/cas/login"),
            Priority::Anonymous
        );
        assert_eq!(
            Priority::of(None, &axum::http::Method::GET, "/oidc/token"),
            Priority::School
        );
        assert_eq!(
            Priority::of(Some(Profile::Guardian), &axum::http::Method::GET, "/"),
            Priority::Family
        );
        assert_eq!(
            Priority::of(Some(Profile::Teacher), &axum::http::Method::GET, "/cas/login"),
            Priority::School
        );
        assert_eq!(
            Priority::of(Some(Profile::Student), &axum::http::Method::GET, "/"),
            Priority::School
        );
    }

    #[tokio::test]
    async fn the_waiting_page_says_when_to_come_back() {
        let res = saturated(7, true, Lang::Fr);
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(res.headers()[header::RETRY_AFTER], "7");
        let body = axum::body::to_bytes(res.into_body(), 10_000).await.unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(
            body.contains("content=\"7\"") && body.contains("très demandé"),
            "{body}"
        );
        let res = saturated(7, false, Lang::Fr);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "application/json");
    }
}
