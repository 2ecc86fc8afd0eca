//! SSO throughput on this machine: complete CAS round trips (ticket issued by `/cas/login` for a
//! signed-in browser, then validated by the service at `/cas/p3/serviceValidate`) and OIDC exchanges
//! (`/oidc/authorize` then `/oidc/token`, a public client with PKCE), against `ardoise serve`'s router
//! on PostgreSQL with the demo region. The clients run in the same process, on the same two cores.
//!
//!     cargo bench -p server --bench sso                       # PostgreSQL at 127.0.0.1:5432
//!     cargo bench -p server --bench sso -- --seconds 20 --workers 64
//!     cargo bench -p server --bench sso -- --session-cache-secs 0   # every request reads its session
//!     ARDOISE_BENCH_PG_URL=postgres://…/postgres cargo bench -p server --bench sso
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark fails loudly
#![allow(clippy::disallowed_methods)] // Instant measures here

use std::sync::Arc;
use std::time::{Duration, Instant};

use sea_query::{Alias, Expr, ExprTrait, Query};
use server::App;
use server::config::{ServiceSettings, Settings};

const SERVICE: &str = "https://moodle.bench/login/index.php";
const APP_REDIRECT: &str = "skoapp-prod://sign-in-callback";
const PASSWORD: &str = "bench-password-2026";

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(4)
        .build()
        .unwrap()
}

async fn sign_in(base: &str, login: &str) -> reqwest::Client {
    let c = client();
    let html = c
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = testkit::csrf_token(&html).unwrap();
    let res = c
        .post(format!("{base}/login"))
        .form(&[
            ("username", login),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "sign-in of {login}");
    c
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

async fn cas_round_trip(c: &reqwest::Client, validator: &reqwest::Client, base: &str, service: &str) {
    let res = c
        .get(format!("{base}/cas/login?service={service}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let to = location(&res);
    let ticket = to.split("ticket=").nth(1).unwrap();
    let xml = validator
        .get(format!(
            "{base}/cas/p3/serviceValidate?service={service}&ticket={ticket}"
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(xml.contains("authenticationSuccess"), "{xml}");
}

async fn oidc_exchange(c: &reqwest::Client, app: &reqwest::Client, base: &str) {
    let verifier = "b".repeat(43);
    let res = c
        .get(format!(
            "{base}/oidc/authorize?response_type=code&client_id=app&scope=openid&redirect_uri={APP_REDIRECT}&code_challenge={verifier}"
        ))
        .send()
        .await
        .unwrap();
    let to = location(&res);
    let code = to
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let res = app
        .post(format!("{base}/oidc/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", "app"),
            ("code", &code),
            ("redirect_uri", APP_REDIRECT),
            ("code_verifier", &verifier),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

struct Outcome {
    count: usize,
    latencies: Vec<Duration>,
    elapsed: Duration,
}

fn report(name: &str, o: &mut Outcome) {
    o.latencies.sort();
    let pct = |p: f64| o.latencies[((o.latencies.len() as f64 * p) as usize).min(o.latencies.len() - 1)];
    println!(
        "{name}: {} in {:.1} s = {:.0}/s; latency p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms",
        o.count,
        o.elapsed.as_secs_f64(),
        o.count as f64 / o.elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.95).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
    );
}

/// Runs `op` on every browser for `seconds`.
async fn run<F, Fut>(browsers: &[reqwest::Client], seconds: u64, op: F) -> Outcome
where
    F: Fn(reqwest::Client) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let tasks: Vec<_> = browsers
        .iter()
        .cloned()
        .map(|b| {
            let op = op.clone();
            tokio::spawn(async move {
                let mut latencies = vec![];
                while Instant::now() < deadline {
                    let t = Instant::now();
                    op(b.clone()).await;
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = vec![];
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    Outcome {
        count: latencies.len(),
        latencies,
        elapsed: start.elapsed(),
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let seconds = arg("--seconds", 15);
    let workers = arg("--workers", 32) as usize;
    let server_url = std::env::var("ARDOISE_BENCH_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
    let url = db::testing::fresh_postgres(&server_url).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        data_dir: dir.path().to_path_buf(),
        database_url: Some(url.clone()),
        db_max_connections: 16,
        session_cache_secs: arg("--session-cache-secs", 60) as i64,
        mfa_required: vec![],
        services: vec![
            ServiceSettings {
                name: "Moodle".into(),
                protocol: "cas".into(),
                urls: vec![SERVICE.into()],
                ..Default::default()
            },
            ServiceSettings {
                name: "App".into(),
                protocol: "oidc".into(),
                urls: vec![APP_REDIRECT.into()],
                client_id: Some("app".into()),
                token_auth: Some("none".into()),
                pre_approved: true,
                ..Default::default()
            },
        ],
        ..Settings::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let settings = Settings {
        public_url: Some(base.clone()),
        ..settings
    };
    let app = App::build(&settings, Arc::new(kernel::SystemClock))
        .await
        .unwrap();
    println!("generating the demo region into {url} …");
    server::demo::generate(&app, &server::demo::demo_params(), Some(PASSWORD))
        .await
        .unwrap();
    let logins: Vec<(String,)> = app
        .db
        .fetch_all(
            &Query::select()
                .column((Alias::new("users"), Alias::new("login")))
                .from(Alias::new("users"))
                .inner_join(
                    Alias::new("memberships"),
                    Expr::col((Alias::new("memberships"), Alias::new("user_id")))
                        .equals((Alias::new("users"), Alias::new("id"))),
                )
                .and_where(Expr::col((Alias::new("memberships"), Alias::new("profile"))).eq("ELV"))
                // The demo accounts keep the demo password.
                .and_where(Expr::col((Alias::new("users"), Alias::new("login"))).not_like("demo.%"))
                .limit(workers as u64)
                .to_owned(),
        )
        .await
        .unwrap();
    let serving = app.clone();
    tokio::spawn(async move { serving.serve(listener, std::future::pending()).await });
    let mut browsers = vec![];
    for (login,) in &logins {
        browsers.push(sign_in(&base, login).await);
    }
    println!("{} signed-in browsers, {seconds} s per measure", browsers.len());
    let service = web::url_encode(SERVICE);
    let validator = client();
    let (b, s, v) = (base.clone(), service.clone(), validator.clone());
    // Warm-up, then the measures.
    run(&browsers, 2, move |c| {
        let (b, s, v) = (b.clone(), s.clone(), v.clone());
        async move { cas_round_trip(&c, &v, &b, &s).await }
    })
    .await;
    let (b, s, v) = (base.clone(), service.clone(), validator.clone());
    let mut cas = run(&browsers, seconds, move |c| {
        let (b, s, v) = (b.clone(), s.clone(), v.clone());
        async move { cas_round_trip(&c, &v, &b, &s).await }
    })
    .await;
    report("CAS round trips (login + p3/serviceValidate)", &mut cas);
    let (b, v) = (base.clone(), validator.clone());
    let mut oidc = run(&browsers, seconds, move |c| {
        let (b, v) = (b.clone(), v.clone());
        async move { oidc_exchange(&c, &v, &b).await }
    })
    .await;
    report("OIDC code + token exchanges (2 RS256 signatures each)", &mut oidc);
    app.db.close().await;
    db::testing::drop_postgres(&server_url, &url).await;
}
