//! `ardoise-load`: the load harness of issue 9. It prepares a fresh region (PostgreSQL database or
//! SQLite directory, `ardoise gen`), starts `ardoise serve` as a child process, drives it over HTTP as
//! browsers do with one scenario of specs/load-model.md §5, prints per request kind the throughput,
//! latency percentiles, errors and shed answers, with the CPU and memory of the server, PostgreSQL and
//! the load generator itself (they share the machine), then stops the server and cleans up.
//!
//!     cargo build --release -p server -p loadtest
//!     target/release/ardoise-load p4 --schools 3 --students 1200 --duration 30
//!     cargo run -p loadtest -- smoke --ardoise target/debug/ardoise      # CI

mod client;
mod drive;
mod federation;
mod hello;
mod raw;
mod region;
mod scenarios;
mod server;
mod smoke;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::client::Http;
use crate::drive::Ctx;
use crate::region::{Engine, Region, RegionSpec};
use crate::scenarios::Target;
use crate::server::Server;
use crate::stats::{Report, Req};

pub type Fallible<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[derive(Parser)]
#[command(
    name = "ardoise-load",
    about = "Load harness of Ardoise (specs/load-model.md §5)"
)]
struct Cli {
    /// Threads of the load generator's runtime (it shares the machine with the server).
    #[arg(long, global = true, default_value_t = 2)]
    client_threads: usize,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// P1: GET /healthz on N keep-alive connections, closed loop (`--target hello`: bare axum).
    P1 {
        #[command(flatten)]
        common: Common,
        #[arg(long, default_value_t = 64)]
        connections: usize,
        #[arg(long, value_enum, default_value = "ardoise")]
        target: P1Target,
    },
    /// P2: password-login flood (open loop) while signed-in users view pages.
    P2 {
        #[command(flatten)]
        common: Common,
        #[arg(long, default_value_t = 100.0)]
        logins_per_sec: f64,
        #[arg(long, default_value_t = 200.0)]
        pages_per_sec: f64,
        /// Signed-in users sending the page views.
        #[arg(long, default_value_t = 50)]
        page_users: usize,
        /// Seconds spent measuring argon2id before the load.
        #[arg(long, default_value_t = 3.0)]
        argon2_secs: f64,
        #[arg(long, default_value_t = 2000)]
        max_outstanding: usize,
    },
    /// P4: Monday 8:00 mix (new sessions + page mix over a pool of sessions, open loop).
    P4 {
        #[command(flatten)]
        common: Common,
        #[arg(long, default_value_t = 100.0)]
        logins_per_sec: f64,
        #[arg(long, default_value_t = 1200.0)]
        pages_per_sec: f64,
        /// Sessions signed in before the measure (new ones join during it).
        #[arg(long, default_value_t = 300)]
        sessions: usize,
        #[arg(long, default_value_t = 2000)]
        max_outstanding: usize,
    },
    /// P6: retry storm at --factor × --capacity arrivals, clients retrying on 503 or timeout.
    P6 {
        #[command(flatten)]
        common: Common,
        /// Sign-ins + page views per second the box sustains (measure it with p4).
        #[arg(long, default_value_t = 400.0)]
        capacity: f64,
        #[arg(long, default_value_t = 3.0)]
        factor: f64,
        /// Share of arrivals that are sign-ins.
        #[arg(long, default_value_t = 0.1)]
        login_share: f64,
        /// Honour Retry-After instead of retrying after 0–1 s.
        #[arg(long)]
        polite: bool,
        #[arg(long, default_value_t = 300)]
        sessions: usize,
        #[arg(long, default_value_t = 10)]
        max_attempts: u32,
        /// Arrivals unfinished at once, retries and their waits included (a waiting client holds no
        /// connection).
        #[arg(long, default_value_t = 20000)]
        max_outstanding: usize,
    },
    /// Complete CAS round trips per second, N signed-in browsers, closed loop.
    Cas {
        #[command(flatten)]
        common: Common,
        #[arg(long, default_value_t = 32)]
        workers: usize,
    },
    /// P7: the timetable page, closed loop (students, parents, teachers).
    P7 {
        #[command(flatten)]
        common: Common,
        #[arg(long, default_value_t = 32)]
        workers: usize,
    },
    /// The 8:00 roll call: N teachers at once take the roll (day list, sheet, save), the server's
    /// clock set to a school day.
    Rollcall {
        #[command(flatten)]
        common: Common,
        #[arg(long, default_value_t = 200)]
        teachers: usize,
        /// The school day and time the server's clock starts at (every lesson of the day started
        /// before it has its roll call open).
        #[arg(long, default_value = "2026-12-07T16:55:00+01:00")]
        at: String,
    },
    /// P8, message fan-out: N teachers each writing, back to back, to one of their classes' students
    /// and parents, while M of those students and parents read their inbox (the server's hourly
    /// sending limit lifted with `messaging_rate_per_hour`).
    Fanout {
        #[command(flatten)]
        common: Common,
        #[arg(long, default_value_t = 16)]
        teachers: usize,
        #[arg(long, default_value_t = 200)]
        readers: usize,
        /// A reader's average pause between two visits of their inbox, seconds.
        #[arg(long, default_value_t = 1.0)]
        think: f64,
        /// Share of inbox visits followed by opening the first conversation (0 to 1).
        #[arg(long, default_value_t = 0.3)]
        open_share: f64,
        /// The hourly sending limit the server is given for the run (`messaging_rate_per_hour`).
        #[arg(long, default_value_t = 1_000_000)]
        rate_per_hour: i64,
        /// Send to divisions (classes, not option groups) of at least this many students (0: any
        /// division the teachers teach).
        #[arg(long, default_value_t = 28)]
        min_class: usize,
    },
    /// A few seconds of p1, p2, p4, cas, fanout and rollcall at low rates on a tiny SQLite region;
    /// fails on any error.
    Smoke {
        #[arg(long, default_value = "target/debug/ardoise")]
        ardoise: PathBuf,
        #[arg(long)]
        json: Option<PathBuf>,
        #[arg(long)]
        keep: bool,
    },
    /// Serve a bare axum "Hello, World!" (the framework ceiling `p1 --target hello` measures).
    Hello {
        #[arg(long, default_value = "127.0.0.1:8081")]
        listen: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum P1Target {
    Ardoise,
    Hello,
}

#[derive(Args, Clone)]
pub(crate) struct Common {
    /// The `ardoise` binary to run.
    #[arg(long, default_value = "target/release/ardoise")]
    pub(crate) ardoise: PathBuf,
    #[arg(long, value_enum, default_value = "postgres")]
    pub(crate) engine: Engine,
    /// PostgreSQL server (trust auth); the run creates and drops `ardoise_load_<pid>`.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432")]
    pub(crate) pg_url: String,
    #[arg(long, default_value_t = 3)]
    pub(crate) schools: u32,
    #[arg(long, default_value_t = 1200)]
    pub(crate) students: u32,
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Seconds of measured load.
    #[arg(long, default_value_t = 15.0)]
    pub(crate) duration: f64,
    /// Client timeout per request, seconds (p6 retries after it).
    #[arg(long, default_value_t = 10.0)]
    pub(crate) timeout: f64,
    /// Accounts sampled from the region to sign in (students, parents, teachers).
    #[arg(long, default_value_t = 5000)]
    pub(crate) accounts: usize,
    /// Extra top-level setting of the server's ardoise.toml, e.g. `--set admission_max_in_flight=0`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub(crate) settings: Vec<String>,
    /// ARDOISE_LOG of the server (request logging costs CPU under load).
    #[arg(long, default_value = "warn")]
    pub(crate) server_log: String,
    /// Keep the database and work directory.
    #[arg(long)]
    pub(crate) keep: bool,
    /// Share of sign-ins made through the EduConnect wicket, the harness playing the identity
    /// provider (0 to 1): delegated sign-ins check a SAML assertion instead of an argon2 hash.
    #[arg(long, default_value_t = 0.0)]
    pub(crate) delegated: f64,
    /// Also write the figures as JSON.
    #[arg(long)]
    pub(crate) json: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cli.client_threads.max(1))
        .enable_all()
        .build();
    let outcome = match runtime {
        Ok(rt) => rt.block_on(run(cli.command)),
        Err(e) => Err(e.into()),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("ardoise-load: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a command; false when the run itself went wrong (smoke errors, server died).
async fn run(command: Command) -> Fallible<bool> {
    let (common, reports) = match command {
        Command::Hello { listen } => return hello::serve(&listen).await.map(|()| true),
        Command::Smoke { ardoise, json, keep } => return smoke::run(ardoise, json, keep).await,
        Command::P1 {
            common,
            connections,
            target,
        } => {
            let duration = secs(common.duration);
            let reports = if target == P1Target::Hello {
                vec![hello::p1(&common, connections, duration).await?]
            } else {
                with_server(&common, false, async |t: Target| {
                    Ok(vec![
                        scenarios::p1(&t, connections, duration, secs(common.timeout), Req::Health).await?,
                    ])
                })
                .await?
            };
            (common, reports)
        }
        Command::P2 {
            common,
            logins_per_sec,
            pages_per_sec,
            page_users,
            argon2_secs,
            max_outstanding,
        } => {
            let p = scenarios::P2 {
                logins_per_sec,
                pages_per_sec,
                page_users,
                argon2_secs,
                max_outstanding,
            };
            let d = secs(common.duration);
            let reports = with_server(&common, true, async |t: Target| {
                Ok(vec![scenarios::p2(&t, &p, d).await?])
            })
            .await?;
            (common, reports)
        }
        Command::P4 {
            common,
            logins_per_sec,
            pages_per_sec,
            sessions,
            max_outstanding,
        } => {
            let p = scenarios::P4 {
                logins_per_sec,
                pages_per_sec,
                sessions,
                max_outstanding,
            };
            let d = secs(common.duration);
            let reports = with_server(&common, true, async |t: Target| {
                Ok(vec![scenarios::p4(&t, &p, d).await?])
            })
            .await?;
            (common, reports)
        }
        Command::P6 {
            common,
            capacity,
            factor,
            login_share,
            polite,
            sessions,
            max_attempts,
            max_outstanding,
        } => {
            let p = scenarios::P6 {
                capacity,
                factor,
                login_share,
                polite,
                sessions,
                max_attempts,
                max_outstanding,
            };
            let d = secs(common.duration);
            let reports = with_server(&common, true, async |t: Target| {
                Ok(vec![scenarios::p6(&t, &p, d).await?])
            })
            .await?;
            (common, reports)
        }
        Command::P7 { common, workers } => {
            let d = secs(common.duration);
            let reports = with_server(&common, true, async |t: Target| {
                Ok(vec![scenarios::p7(&t, workers, d).await?])
            })
            .await?;
            (common, reports)
        }
        Command::Rollcall {
            mut common,
            teachers,
            at,
        } => {
            common.settings.push(format!("clock_start=\"{at}\""));
            let d = secs(common.duration);
            let reports = with_server(&common, true, async |t: Target| {
                Ok(vec![scenarios::rollcall(&t, teachers, d).await?])
            })
            .await?;
            (common, reports)
        }
        Command::Fanout {
            mut common,
            teachers,
            readers,
            think,
            open_share,
            rate_per_hour,
            min_class,
        } => {
            common
                .settings
                .push(format!("messaging_rate_per_hour = {rate_per_hour}"));
            let p = scenarios::Fanout {
                teachers,
                readers,
                think: secs(think),
                open_share: open_share.clamp(0.0, 1.0),
                min_class,
            };
            let d = secs(common.duration);
            let reports = with_server(&common, true, async |t: Target| {
                Ok(vec![scenarios::fanout(&t, &p, d).await?])
            })
            .await?;
            (common, reports)
        }
        Command::Cas { common, workers } => {
            let d = secs(common.duration);
            let reports = with_server(&common, true, async |t: Target| {
                Ok(vec![scenarios::cas(&t, workers, d).await?])
            })
            .await?;
            (common, reports)
        }
    };
    for r in &reports {
        r.print();
    }
    write_json(common.json.as_deref(), &reports)?;
    Ok(true)
}

pub(crate) fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s.max(0.1))
}

pub(crate) fn write_json(path: Option<&std::path::Path>, reports: &[Report]) -> Fallible<()> {
    if let Some(path) = path {
        std::fs::write(path, serde_json::to_string_pretty(reports)?)?;
        println!("figures written to {}", path.display());
    }
    Ok(())
}

/// Prepares the region, starts `ardoise serve` on it, runs `body`, then stops the server and cleans
/// up whatever happened. An error if the server died during the run.
pub(crate) async fn with_server<T>(
    common: &Common,
    generate: bool,
    body: impl AsyncFnOnce(Target) -> Fallible<T>,
) -> Fallible<T> {
    let spec = RegionSpec {
        engine: common.engine,
        pg_url: &common.pg_url,
        settings: &common.settings,
        keep: common.keep,
        delegated: common.delegated > 0.0,
    };
    let region = Region::prepare(&spec).await?;
    let outcome = serve_and_run(common, &region, generate, body).await;
    region.cleanup().await;
    outcome
}

async fn serve_and_run<T>(
    common: &Common,
    region: &Region,
    generate: bool,
    body: impl AsyncFnOnce(Target) -> Fallible<T>,
) -> Fallible<T> {
    if generate {
        println!(
            "generating {} schools, {} students ({:?}) …",
            common.schools, common.students, common.engine
        );
        region.generate(&common.ardoise, common.schools, common.students, common.seed)?;
    }
    let accounts = if generate {
        region.sample_accounts(common.accounts, common.seed).await?
    } else {
        vec![]
    };
    let port = server::free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let mut command = region.command(&common.ardoise);
    command
        .arg("serve")
        .env("ARDOISE_LISTEN", format!("127.0.0.1:{port}"))
        .env("ARDOISE_LOG", &common.server_log);
    let probe = client::client(Duration::from_secs(2))?;
    let log = region.work.join("server.log");
    let mut server = Server::start(command, base.clone(), "/readyz", log, &probe).await?;
    println!(
        "ardoise serve: pid {} at {base}; {} accounts sampled ({})",
        server.pid,
        accounts.len(),
        region::profile_mix(&accounts)
    );
    let mut http = Http::new(&base, secs(common.timeout))?;
    if common.delegated > 0.0 {
        let metadata = probe
            .get(format!("{base}/saml/metadata"))
            .send()
            .await?
            .text()
            .await?;
        http = http.with_educonnect(federation::Educonnect::new(&metadata)?, common.delegated);
    }
    let http = Arc::new(http);
    let target = Target {
        pid: server.pid,
        ctx: Ctx::new(http, Arc::new(accounts)),
        database_url: region.database_url.clone(),
    };
    let outcome = body(target).await;
    if !server.alive() {
        return Err(format!("the server died during the run:\n{}", server.log_tail()).into());
    }
    server.stop();
    outcome
}
