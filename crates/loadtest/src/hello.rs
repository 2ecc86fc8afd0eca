//! The bare axum ceiling: a "Hello, World!" server run by this binary as a separate process, and P1
//! against it with the same client code as against Ardoise.

use std::sync::Arc;
use std::time::Duration;

use crate::client::{self, Http};
use crate::drive::Ctx;
use crate::scenarios::{self, Target};
use crate::server::{self, Server};
use crate::stats::{Report, Req};
use crate::{Common, Fallible, secs};

/// P1 against the bare axum server, run by this same binary as a separate process.
pub async fn p1(common: &Common, connections: usize, duration: Duration) -> Fallible<Report> {
    let port = server::free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let mut command = std::process::Command::new(std::env::current_exe()?);
    command.args(["hello", "--listen", &format!("127.0.0.1:{port}")]);
    let probe = client::client(Duration::from_secs(2))?;
    let log = std::env::temp_dir().join(format!("ardoise-load-hello-{}.log", std::process::id()));
    let mut server = Server::start(command, base.clone(), "/healthz", log.clone(), &probe).await?;
    let http = Arc::new(Http::new(&base, secs(common.timeout))?);
    let target = Target {
        pid: server.pid,
        ctx: Ctx::new(http, Arc::new(vec![])),
        database_url: String::new(),
    };
    let mut report = scenarios::p1(&target, connections, duration, secs(common.timeout), Req::Hello).await?;
    report.scenario = "P1 ceiling, bare axum".into();
    server.stop();
    let _ = std::fs::remove_file(log);
    Ok(report)
}

/// The bare axum server: "Hello, World!" on every path, on a runtime like the server's.
pub async fn serve(listen: &str) -> Fallible<()> {
    let app = axum::Router::new().fallback(|| async { "Hello, World!" });
    let listener = tokio::net::TcpListener::bind(listen).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
