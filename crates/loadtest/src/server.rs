//! The process under test (`ardoise serve`, or the bare axum `hello`) as a child process, and what
//! /proc says about it, PostgreSQL, the machine and the load generator itself during a run.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::Fallible;
use crate::stats::{Usage, now};

pub struct Server {
    child: Child,
    pub pid: u32,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base: String,
    log: PathBuf,
}

/// A port nobody listens on right now (the child binds it a moment later).
pub fn free_port() -> Fallible<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

impl Server {
    /// Starts `command` (its output into `log`) and waits until `base + ready_path` answers 200.
    pub async fn start(
        mut command: Command,
        base: String,
        ready_path: &str,
        log: PathBuf,
        client: &reqwest::Client,
    ) -> Fallible<Server> {
        let out = std::fs::File::create(&log)?;
        let err = out.try_clone()?;
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .spawn()
            .map_err(|e| format!("cannot start {:?}: {e}", command.get_program()))?;
        let mut server = Server {
            pid: child.id(),
            child,
            base,
            log,
        };
        let url = format!("{}{ready_path}", server.base);
        let deadline = now() + Duration::from_secs(90);
        loop {
            if !server.alive() {
                return Err(format!("the server exited while starting:\n{}", server.log_tail()).into());
            }
            if let Ok(res) = client.get(&url).send().await
                && res.status() == 200
            {
                return Ok(server);
            }
            if now() > deadline {
                let tail = server.log_tail();
                server.stop();
                return Err(format!("{url} did not answer within 90 s:\n{tail}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The last lines the server wrote.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// SIGTERM (the server finishes what it is serving), then SIGKILL after 10 s.
    pub fn stop(&mut self) {
        if !self.alive() {
            return;
        }
        // std only sends SIGKILL; `kill` sends the graceful signal without unsafe code.
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status();
        let deadline = now() + Duration::from_secs(10);
        while self.alive() && now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        if self.alive() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// utime + stime of a process, in clock ticks (all its threads).
fn process_ticks(stat_path: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(stat_path).ok()?;
    // The command name may hold spaces: the fields start after its closing parenthesis.
    let fields: Vec<&str> = text.get(text.rfind(')')? + 1..)?.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// CPU ticks of every `postgres` process on the machine (the server and its backends).
fn postgres_ticks() -> u64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0;
    };
    dir.flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter(|e| std::fs::read_to_string(e.path().join("comm")).is_ok_and(|c| c.trim() == "postgres"))
        .filter_map(|e| process_ticks(&e.path().join("stat")))
        .sum()
}

/// (busy, total) ticks of the whole machine, all cores.
fn machine_ticks() -> (u64, u64) {
    let text = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let values: Vec<u64> = text
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    let total: u64 = values.iter().take(8).sum();
    // idle and iowait are the 4th and 5th values.
    let idle = values.get(3).copied().unwrap_or(0) + values.get(4).copied().unwrap_or(0);
    (total.saturating_sub(idle), total)
}

/// VmRSS and VmHWM of a process, in MiB.
fn memory_mib(pid: u32) -> (f64, f64) {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn clock_ticks_per_sec() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// CPU counters at the start of a measured window.
pub struct Meter {
    pid: u32,
    started: Instant,
    server: u64,
    postgres: u64,
    own: u64,
    machine: (u64, u64),
}

impl Meter {
    pub fn start(pid: u32) -> Meter {
        Meter {
            pid,
            started: now(),
            server: process_ticks(Path::new(&format!("/proc/{pid}/stat"))).unwrap_or(0),
            postgres: postgres_ticks(),
            own: process_ticks(Path::new("/proc/self/stat")).unwrap_or(0),
            machine: machine_ticks(),
        }
    }

    /// The window's usage, as % of one core.
    pub fn finish(&self) -> Usage {
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let hz = clock_ticks_per_sec();
        let pct = |ticks: u64| ticks as f64 / hz / secs * 100.0;
        let server = process_ticks(Path::new(&format!("/proc/{}/stat", self.pid))).unwrap_or(0);
        let own = process_ticks(Path::new("/proc/self/stat")).unwrap_or(0);
        let (busy, _) = machine_ticks();
        let (rss, peak) = memory_mib(self.pid);
        Usage {
            window_secs: secs,
            server_pid: self.pid,
            server_cpu_pct: pct(server.saturating_sub(self.server)),
            server_rss_end_mib: rss,
            server_rss_peak_mib: peak,
            postgres_cpu_pct: pct(postgres_ticks().saturating_sub(self.postgres)),
            loadgen_cpu_pct: pct(own.saturating_sub(self.own)),
            machine_cpu_pct: pct(busy.saturating_sub(self.machine.0)),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}
