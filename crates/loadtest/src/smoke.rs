//! `smoke`: the harness itself under test, for CI.

use std::path::PathBuf;
use std::time::Duration;

use crate::region::Engine;
use crate::scenarios::{self, Target};
use crate::stats::Req;
use crate::{Common, Fallible, with_server, write_json};

/// A few seconds of each scenario at low rates against one server on a tiny SQLite region: any
/// error, shed or unexpected answer (a message held for moderation among them), or a server that
/// dies, fails the run.
pub async fn run(ardoise: PathBuf, json: Option<PathBuf>, keep: bool) -> Fallible<bool> {
    let common = Common {
        ardoise,
        engine: Engine::Sqlite,
        pg_url: String::new(),
        schools: 1,
        students: 100,
        seed: 1,
        duration: 3.0,
        timeout: 10.0,
        accounts: 200,
        // The fan-out's teachers send back to back: the hourly limit lifted, as `fanout` does.
        settings: vec!["messaging_rate_per_hour = 1000000".into()],
        server_log: "warn".into(),
        keep,
        json,
        // Half the sign-ins through the EduConnect wicket, so the delegated path cannot rot either.
        delegated: 0.5,
    };
    let d = Duration::from_secs(3);
    let reports = with_server(&common, true, async |t: Target| {
        let accounts = t.ctx.clone();
        let fresh = || Target {
            pid: t.pid,
            ctx: accounts.fresh(),
            database_url: t.database_url.clone(),
        };
        let p2 = scenarios::P2 {
            logins_per_sec: 5.0,
            pages_per_sec: 10.0,
            page_users: 5,
            argon2_secs: 0.3,
            max_outstanding: 100,
        };
        let p4 = scenarios::P4 {
            logins_per_sec: 5.0,
            pages_per_sec: 40.0,
            sessions: 20,
            max_outstanding: 200,
        };
        let fanout = scenarios::Fanout {
            teachers: 2,
            readers: 8,
            think: Duration::from_millis(200),
            open_share: 0.5,
            min_class: 0,
        };
        Ok(vec![
            scenarios::p1(
                &fresh(),
                8,
                Duration::from_secs(2),
                Duration::from_secs(10),
                Req::Health,
            )
            .await?,
            scenarios::p2(&fresh(), &p2, d).await?,
            scenarios::p4(&fresh(), &p4, d).await?,
            scenarios::cas(&fresh(), 4, Duration::from_secs(2)).await?,
            scenarios::fanout(&fresh(), &fanout, d).await?,
        ])
    })
    .await?;
    // The roll call on a server of its own whose clock reads a Monday afternoon, so that the
    // teachers' roll calls of the day are open (its sign-ins by password: the harness's identity
    // provider dates its assertions by the wall clock).
    let school_day = Common {
        settings: vec!["clock_start = \"2026-12-07T16:55:00+01:00\"".into()],
        delegated: 0.0,
        ..common.clone()
    };
    let mut reports = reports;
    reports.extend(
        with_server(&school_day, true, async |t: Target| {
            Ok(vec![scenarios::rollcall(&t, 4, Duration::from_secs(2)).await?])
        })
        .await?,
    );
    let mut failures = vec![];
    for r in &reports {
        r.print();
        for k in &r.kinds {
            if k.errors + k.shed + k.unexpected + k.dropped > 0 || k.ok == 0 {
                failures.push(format!("{}: {}", r.scenario, k.kind));
            }
        }
    }
    write_json(common.json.as_deref(), &reports)?;
    if failures.is_empty() {
        println!("\nsmoke: every request succeeded");
        Ok(true)
    } else {
        println!(
            "\nsmoke FAILED: errors, shed or unexpected answers in {}",
            failures.join(", ")
        );
        Ok(false)
    }
}
