//! A fresh region for one run: a new PostgreSQL database (or SQLite data directory), the server's
//! configuration file, the synthetic population from `ardoise gen`, and a sample of its accounts.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

// Every SQL string built here holds only our own digits (the pid, the sample size).
use sqlx::{AssertSqlSafe, Connection};

use crate::Fallible;

/// Every generated account gets this password (`ardoise gen --password`, hashed once).
pub const PASSWORD: &str = "ardoise-load-2026";
/// The connected service standing in for Pronote: grades are reached through a CAS round trip.
pub const CAS_SERVICE: &str = "https://pronote.load.invalid/eleve.html";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    Postgres,
    Sqlite,
}

/// How to build the region and the server's settings.
pub struct RegionSpec<'a> {
    pub engine: Engine,
    /// A PostgreSQL server URL without database (`postgres://postgres@127.0.0.1:5432`).
    pub pg_url: &'a str,
    /// Extra top-level `key = value` lines of ardoise.toml (`--set`).
    pub settings: &'a [String],
    pub keep: bool,
    /// Configure the EduConnect wicket whose identity provider the harness plays.
    pub delegated: bool,
}

/// The profiles the scenarios sign in as (national codes of `memberships.profile`).
pub const PROFILES: [&str; 3] = ["ELV", "TUT", "ENS"];

/// One account of the sample, with the device cookie its browser keeps between sign-ins (so only its
/// first sign-in counts as a new device).
pub struct Account {
    pub login: String,
    pub profile: String,
    /// The AAF join key EduConnect names the person by (delegated sign-ins).
    pub jointure: Option<String>,
    pub device: Mutex<Option<String>>,
}

impl Account {
    /// The same account for another run, its device cookie kept.
    pub fn clone_fresh(&self) -> Account {
        Account {
            login: self.login.clone(),
            profile: self.profile.clone(),
            jointure: self.jointure.clone(),
            device: Mutex::new(self.device.lock().ok().and_then(|d| d.clone())),
        }
    }
}

pub struct Region {
    pub work: PathBuf,
    pub data_dir: PathBuf,
    pub config: PathBuf,
    pub database_url: String,
    /// (server URL, database name) to drop at the end.
    pg: Option<(String, String)>,
    keep: bool,
}

fn pg_admin_url(pg_url: &str) -> String {
    format!("{}/postgres", pg_url.trim_end_matches('/'))
}

impl Region {
    /// A work directory and an empty database, and the configuration file of the server.
    pub async fn prepare(spec: &RegionSpec<'_>) -> Fallible<Region> {
        let pid = std::process::id();
        let work = std::env::temp_dir().join(format!("ardoise-load-{pid}"));
        if work.exists() {
            std::fs::remove_dir_all(&work)?;
        }
        let data_dir = work.join("data");
        std::fs::create_dir_all(&data_dir)?;
        let (database_url, pg) = match spec.engine {
            Engine::Sqlite => (
                format!("sqlite://{}", data_dir.join("ardoise.db").display()),
                None,
            ),
            Engine::Postgres => {
                let name = format!("ardoise_load_{pid}");
                let mut admin = sqlx::PgConnection::connect(&pg_admin_url(spec.pg_url))
                    .await
                    .map_err(|e| format!("PostgreSQL at {}: {e}", spec.pg_url))?;
                sqlx::raw_sql(AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await?;
                sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await?;
                admin.close().await?;
                let url = format!("{}/{name}", spec.pg_url.trim_end_matches('/'));
                (url, Some((spec.pg_url.to_string(), name)))
            }
        };
        let config = work.join("ardoise.toml");
        let mut toml = config_file(spec.settings);
        if spec.delegated {
            toml.push('\n');
            toml.push_str(&crate::federation::config_section(&work)?);
        }
        std::fs::write(&config, toml)?;
        Ok(Region {
            work,
            data_dir,
            config,
            database_url,
            pg,
            keep: spec.keep,
        })
    }

    /// The environment of every `ardoise` command of this region.
    pub fn command(&self, ardoise: &Path) -> Command {
        let mut cmd = Command::new(ardoise);
        cmd.arg("--config")
            .arg(&self.config)
            .env("ARDOISE_DATABASE_URL", &self.database_url)
            .env("ARDOISE_DATA_DIR", &self.data_dir);
        cmd
    }

    /// `ardoise gen`: the synthetic region, every account with [`PASSWORD`], plus the demo accounts.
    pub fn generate(&self, ardoise: &Path, schools: u32, students: u32, seed: u64) -> Fallible<()> {
        let output = self
            .command(ardoise)
            .env("ARDOISE_LOG", "warn")
            .args(["gen", "--demo-accounts", "--password", PASSWORD])
            .args(["--schools", &schools.to_string()])
            .args(["--students", &students.to_string()])
            .args(["--seed", &seed.to_string()])
            .output()
            .map_err(|e| format!("cannot run {}: {e}", ardoise.display()))?;
        if !output.status.success() {
            return Err(format!(
                "ardoise gen failed:\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        let report = String::from_utf8_lossy(&output.stdout);
        println!("{}", report.trim_end());
        Ok(())
    }

    /// Up to `n` accounts picked at random among students, guardians and teachers who hold that one
    /// profile only, so the sample keeps the population's proportions; the demo accounts are left out
    /// (they keep the demo password). The same `seed` picks the same accounts in the same order, so
    /// two runs (two builds) serve the same people.
    pub async fn sample_accounts(&self, n: usize, seed: u64) -> Fallible<Vec<Account>> {
        let sql = "SELECT u.login, MIN(m.profile), MIN(u.jointure) FROM users u JOIN memberships m ON m.user_id = u.id \
             WHERE u.login NOT LIKE 'demo.%' GROUP BY u.login \
             HAVING COUNT(DISTINCT m.profile) = 1 AND MIN(m.profile) IN ('ELV', 'TUT', 'ENS') \
             ORDER BY u.login";
        let rows: Vec<(String, String, Option<String>)> = if self.pg.is_some() {
            let mut c = sqlx::PgConnection::connect(&self.database_url).await?;
            let rows = sqlx::query_as(AssertSqlSafe(sql)).fetch_all(&mut c).await?;
            c.close().await?;
            rows
        } else {
            let mut c = sqlx::SqliteConnection::connect(&self.database_url).await?;
            let rows = sqlx::query_as(AssertSqlSafe(sql)).fetch_all(&mut c).await?;
            c.close().await?;
            rows
        };
        if rows.is_empty() {
            return Err("the region holds no student, guardian or teacher account".into());
        }
        let mut rows = rows;
        // Fisher–Yates, drawing from the seed.
        for i in (1..rows.len()).rev() {
            let j =
                (crate::drive::rand(seed.wrapping_mul(0x1_0000_0001) ^ i as u64) % (i as u64 + 1)) as usize;
            rows.swap(i, j);
        }
        rows.truncate(n);
        Ok(rows
            .into_iter()
            .map(|(login, profile, jointure)| Account {
                login,
                profile,
                jointure,
                device: Mutex::new(None),
            })
            .collect())
    }

    /// Drops the database and the work directory, unless `--keep`.
    pub async fn cleanup(self) {
        if self.keep {
            println!("kept: {} and {}", self.work.display(), self.database_url);
            return;
        }
        if let Some((pg_url, name)) = &self.pg {
            match sqlx::PgConnection::connect(&pg_admin_url(pg_url)).await {
                Ok(mut admin) => {
                    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    if let Err(e) = sqlx::raw_sql(AssertSqlSafe(drop)).execute(&mut admin).await {
                        eprintln!("could not drop {name}: {e}");
                    }
                    let _ = admin.close().await;
                }
                Err(e) => eprintln!("could not drop {name}: {e}"),
            }
        }
        let _ = std::fs::remove_dir_all(&self.work);
    }
}

/// The server's ardoise.toml: no second factor required (a sign-in must land on the portal, not on
/// an enrolment page), the `--set` lines, and the CAS service the grades go through.
fn config_file(settings: &[String]) -> String {
    let mut toml = String::from("mfa_required = []\n");
    for line in settings {
        toml.push_str(line);
        toml.push('\n');
    }
    toml.push_str(&format!(
        "\n[[services]]\nname = \"Pronote (load test)\"\nprotocol = \"cas\"\nurls = [\"{CAS_SERVICE}\"]\n"
    ));
    toml
}

/// Counts per profile in a sample, for the run's description.
pub fn profile_mix(accounts: &[Account]) -> String {
    PROFILES
        .iter()
        .map(|p| format!("{p} {}", accounts.iter().filter(|a| a.profile == *p).count()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows of `sql` (our own text, no input) from the region's database, PostgreSQL or SQLite.
async fn rows<T>(database_url: &str, sql: &str) -> Fallible<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + Send
        + Unpin,
{
    if database_url.starts_with("postgres") {
        let mut c = sqlx::PgConnection::connect(database_url).await?;
        let rows = sqlx::query_as(AssertSqlSafe(sql)).fetch_all(&mut c).await?;
        c.close().await?;
        Ok(rows)
    } else {
        let mut c = sqlx::SqliteConnection::connect(database_url).await?;
        let rows = sqlx::query_as(AssertSqlSafe(sql)).fetch_all(&mut c).await?;
        c.close().await?;
        Ok(rows)
    }
}

/// The divisions (classes, not option groups) of at least `min` students: a fan-out's classes.
fn fanout_classes_sql(min: usize) -> String {
    format!(
        "SELECT c.id FROM classes c WHERE c.kind = 'classe' \
         AND (SELECT COUNT(*) FROM class_students cs WHERE cs.class_id = c.id) >= {min}"
    )
}

/// The teachers of a fan-out run: the first `n` (by login, so a region always gives the same ones)
/// who teach at least one division of `min_class` students or more and hold one membership only (one
/// school, the teacher profile: their compose form offers the classes of that school).
fn fanout_teachers_sql(n: usize, min_class: usize) -> String {
    let big = fanout_classes_sql(min_class);
    format!(
        "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id \
         WHERE u.login NOT LIKE 'demo.%' \
         AND u.id IN (SELECT teacher_id FROM teachings WHERE class_id IN ({big})) \
         GROUP BY u.id, u.login HAVING COUNT(*) = 1 AND MIN(m.profile) = 'ENS' \
         ORDER BY u.login LIMIT {n}"
    )
}

/// The accounts of a fan-out run: `teachers` teachers (see [`fanout_teachers_sql`]) and up to
/// `readers` students and legal guardians (one profile only) of the divisions of `min_class` students
/// or more those teachers teach, picked at random; the teachers first.
pub async fn fanout_accounts(
    database_url: &str,
    teachers: usize,
    readers: usize,
    min_class: usize,
) -> Fallible<(Vec<Account>, Vec<Account>)> {
    let t = fanout_teachers_sql(teachers, min_class);
    let big = fanout_classes_sql(min_class);
    let teacher_rows: Vec<(String, String)> = rows(
        database_url,
        &format!("SELECT u.login, 'ENS' FROM users u WHERE u.id IN ({t}) ORDER BY u.login"),
    )
    .await?;
    let reader_rows: Vec<(String, String)> = rows(
        database_url,
        &format!(
            "WITH c AS (SELECT DISTINCT class_id FROM teachings WHERE teacher_id IN ({t}) \
                        AND class_id IN ({big})), \
             p AS (SELECT student_id AS id FROM class_students WHERE class_id IN (SELECT class_id FROM c) \
                   UNION SELECT g.guardian_id FROM guardianships g \
                   JOIN class_students cs ON cs.student_id = g.student_id \
                   WHERE g.legal AND cs.class_id IN (SELECT class_id FROM c)) \
             SELECT u.login, MIN(m.profile) FROM users u JOIN memberships m ON m.user_id = u.id \
             WHERE u.id IN (SELECT id FROM p) AND u.login NOT LIKE 'demo.%' GROUP BY u.login \
             HAVING COUNT(DISTINCT m.profile) = 1 AND MIN(m.profile) IN ('ELV', 'TUT') \
             ORDER BY random() LIMIT {readers}"
        ),
    )
    .await?;
    let account = |(login, profile): (String, String)| Account {
        login,
        profile,
        jointure: None,
        device: Mutex::new(None),
    };
    Ok((
        teacher_rows.into_iter().map(account).collect(),
        reader_rows.into_iter().map(account).collect(),
    ))
}

/// The classes (divisions, not option groups) the fan-out's teachers teach, with the size of one
/// send's two groups there.
pub struct Divisions {
    /// Their ids, as the compose form writes them.
    pub ids: std::collections::HashSet<String>,
    pub students_per_class: f64,
    pub guardians_per_class: f64,
}

/// The divisions of `min_class` students or more the fan-out's teachers teach, and their students
/// and legal guardians.
pub async fn fanout_divisions(database_url: &str, teachers: usize, min_class: usize) -> Fallible<Divisions> {
    let t = fanout_teachers_sql(teachers, min_class);
    let big = fanout_classes_sql(min_class);
    let sizes: Vec<(sqlx::types::Uuid, i64, i64)> = rows(
        database_url,
        &format!(
            "SELECT c.id, (SELECT COUNT(*) FROM class_students cs WHERE cs.class_id = c.id), \
                    (SELECT COUNT(DISTINCT g.guardian_id) FROM class_students cs \
                     JOIN guardianships g ON g.student_id = cs.student_id \
                     WHERE cs.class_id = c.id AND g.legal) \
             FROM classes c WHERE c.id IN ({big}) \
             AND c.id IN (SELECT class_id FROM teachings WHERE teacher_id IN ({t}))"
        ),
    )
    .await?;
    let n = sizes.len().max(1) as f64;
    Ok(Divisions {
        ids: sizes.iter().map(|(id, _, _)| id.to_string()).collect(),
        students_per_class: sizes.iter().map(|(_, s, _)| *s as f64).sum::<f64>() / n,
        guardians_per_class: sizes.iter().map(|(_, _, g)| *g as f64).sum::<f64>() / n,
    })
}

/// The messages the run's accounts (not the demo's) sent: (delivered, their recipients, held for
/// moderation).
pub async fn messages_sent(database_url: &str) -> Fallible<(i64, i64, i64)> {
    let mine = "SELECT id FROM users WHERE login NOT LIKE 'demo.%'";
    let counts: Vec<(i64, i64, i64)> = rows(
        database_url,
        &format!(
            "SELECT (SELECT COUNT(*) FROM msg_messages WHERE state = 'sent' AND sender_id IN ({mine})), \
                    (SELECT COUNT(*) FROM msg_recipients r JOIN msg_messages m ON m.id = r.message_id \
                     WHERE m.state = 'sent' AND m.sender_id IN ({mine})) \
                    + (SELECT COUNT(*) FROM msg_boxes b JOIN msg_messages m ON m.id = b.entry_message_id \
                     WHERE m.state = 'sent' AND m.sender_id IN ({mine})), \
                    (SELECT COUNT(*) FROM msg_messages WHERE state = 'held' AND sender_id IN ({mine}))"
        ),
    )
    .await?;
    Ok(counts.into_iter().next().unwrap_or((0, 0, 0)))
}
