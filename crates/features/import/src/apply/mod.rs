//! Applying AAF files to the directory, in one transaction: structures, subjects and MEFs, students,
//! relatives and staff are created or updated by their join key (never by name); a complete import
//! marks the people of its schools it no longer lists as missing, and deactivates them once the grace
//! period has passed — never deletes them — and they come back intact if they reappear.
//!
//! Rules for bad input: a record that does not validate (missing attribute, bad date, unknown school)
//! is skipped and reported with its file, line and join key; the rest applies. A file that cannot be
//! read (malformed XML, wrong encoding, truncated) stops the import and nothing at all is applied.
//! Re-running the same files changes nothing. A delta's modifyRequest is validated and applied like an
//! add (see `modify`); deleteRequest deactivates the person.

mod modify;
mod people;
mod report;
mod structures;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use db::{Db, Tx};
use kernel::Timestamp;
use sea_query::{Alias, Expr, ExprTrait, Query};
use uuid::Uuid;

pub use report::{Counts, Rejection, Report};

use crate::aaf::{self, Action, FileKind, FileType, Mode, ParseError, Record};

#[derive(Debug, Clone)]
pub struct Options {
    pub now: Timestamp,
    /// Days a person may be missing from complete imports before being deactivated.
    pub grace_days: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("aucun fichier AAF reconnu dans {0} (noms attendus : ENT_…_Complet_AAAAMMJJ_Eleve_0000.xml…)")]
    NoFiles(String),
    #[error("lecture de {0} : {1}")]
    Io(String, std::io::Error),
    #[error(transparent)]
    Db(#[from] db::Error),
}

/// The AAF files of `paths` (files, or folders scanned one level deep), in import order.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<(PathBuf, FileKind)>, ImportError> {
    let mut files = vec![];
    for path in paths {
        if path.is_dir() {
            let entries =
                std::fs::read_dir(path).map_err(|e| ImportError::Io(path.display().to_string(), e))?;
            for entry in entries.flatten() {
                files.push(entry.path());
            }
        } else {
            files.push(path.clone());
        }
    }
    let mut kinds: Vec<(PathBuf, FileKind)> = files
        .into_iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            aaf::classify(&name).map(|k| (p, k))
        })
        .collect();
    kinds.sort_by_key(|(p, k)| (k.order(), p.clone()));
    if kinds.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(ImportError::NoFiles(shown.join(", ")));
    }
    Ok(kinds)
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("?")
        .to_string()
}

fn reject(report: &mut Report, e: &ParseError) {
    report.rejected.push(Rejection {
        file: e.file.to_string(),
        line: e.line,
        record: e.identifier.clone(),
        reason: e.kind.to_string(),
    });
}

/// A family link: (student, school, relative's join key, relationship code, legal representative).
pub(crate) type Link = (Uuid, Uuid, String, String, bool);

/// What the import keeps between records: ids by join key, and the links applied at the end.
pub(crate) struct State {
    pub now: Timestamp,
    pub region: Option<Uuid>,
    pub schools: HashMap<String, Uuid>,
    pub classes: HashMap<(Uuid, String), Uuid>,
    pub relatives: HashMap<String, Uuid>,
    pub links: Vec<Link>,
    pub touched_schools: HashSet<Uuid>,
    pub logins: directory::generator::login::Logins,
    /// Every login and alias in use, loaded at the first new person.
    pub taken_logins: Option<HashSet<String>>,
    /// Students this import created: they have no classes or family links to compare with yet.
    pub new_students: HashSet<Uuid>,
    /// Rows of new people not yet written, and their join keys.
    pub pending: people::Pending,
    pub created: HashMap<String, Uuid>,
    /// The current batch's people as the directory holds them.
    pub prefetch: people::Prefetch,
    /// People found unchanged, whose `last_import_at` is yet to be written.
    pub seen: Vec<Uuid>,
    /// Subject codes known to exist.
    pub subjects: HashSet<String>,
}

impl State {
    pub(crate) fn new(now: Timestamp) -> State {
        State {
            now,
            region: None,
            schools: HashMap::new(),
            classes: HashMap::new(),
            relatives: HashMap::new(),
            links: vec![],
            touched_schools: HashSet::new(),
            logins: Default::default(),
            taken_logins: None,
            new_students: HashSet::new(),
            pending: Default::default(),
            created: HashMap::new(),
            prefetch: Default::default(),
            seen: vec![],
            subjects: HashSet::new(),
        }
    }

    /// Records a family link, applied with the others once every person is known.
    pub(crate) fn link(
        &mut self,
        student: Uuid,
        school_jointure: &str,
        relative: &str,
        relationship: &str,
        legal: bool,
    ) {
        if let Some(school) = self.schools.get(school_jointure) {
            self.links.push((
                student,
                *school,
                relative.to_string(),
                relationship.to_string(),
                legal,
            ));
        }
    }
}

/// Loads what the import needs to know before the first record (schools by join key, the region).
pub(crate) async fn load(tx: &mut Tx, st: &mut State) -> db::Result<()> {
    structures::load_schools(tx, st).await
}

/// Applies the family links, marks missing people after a complete import, keeps the report, commits.
pub(crate) async fn finish(
    mut tx: Tx,
    mut st: State,
    report: &mut Report,
    source: &str,
    options: &Options,
    complete: bool,
) -> Result<(), ImportError> {
    people::link_relatives(&mut tx, &mut st, report).await?;
    if complete {
        people::mark_missing(&mut tx, &st, options.grace_days, report).await?;
    }
    let run = Query::insert()
        .into_table(Alias::new("import_runs"))
        .columns(["id", "started_at", "finished_at", "source", "report"].map(Alias::new))
        .values_panic([
            kernel::new_id().into(),
            options.now.millis().into(),
            options.now.millis().into(),
            source.into(),
            report.to_json().into(),
        ])
        .to_owned();
    tx.execute(&run).await?;
    tx.commit().await?;
    Ok(())
}

/// Imports `paths` into the directory. See the module documentation for the rules.
pub async fn import_aaf(db: &Db, paths: &[PathBuf], options: &Options) -> Result<Report, ImportError> {
    let files = collect_files(paths)?;
    let mut report = Report {
        files: files.iter().map(|(p, _)| name_of(p)).collect(),
        applied: true,
        ..Report::default()
    };
    let complete = files.iter().any(|(_, k)| k.mode == Some(Mode::Complet));
    refresh_statistics(db).await?;
    let mut tx = db.begin().await?;
    let mut st = State::new(options.now);
    load(&mut tx, &mut st).await?;
    let mut batch = Batch::default();
    for (path, kind) in &files {
        let reader = aaf::Reader::open(path).map_err(|e| ImportError::Io(path.display().to_string(), e))?;
        for item in reader {
            let op = match item {
                Ok(op) => op,
                Err(e) if e.is_fatal() => {
                    reject(&mut report, &e);
                    report.applied = false;
                    return Ok(report); // the transaction is dropped: nothing applied
                }
                Err(e) => {
                    reject(&mut report, &e);
                    continue;
                }
            };
            match op.action {
                Action::Add => match Record::from_add(kind.file_type, &op) {
                    Ok(record) => {
                        batch
                            .records
                            .push((op.file.clone(), op.line, op.identifier.clone(), record));
                        if batch.records.len() >= BATCH {
                            batch.apply(&mut tx, &mut st, &mut report).await?;
                        }
                    }
                    Err(e) => reject(&mut report, &e),
                },
                Action::Delete => {
                    batch.apply(&mut tx, &mut st, &mut report).await?;
                    people::flush(&mut tx, &mut st).await?;
                    if kind.file_type != FileType::EtabEducNat {
                        report.deactivated += people::deactivate(&mut tx, &op.identifier, st.now).await?;
                    }
                }
                Action::Modify => {
                    batch.apply(&mut tx, &mut st, &mut report).await?;
                    people::flush(&mut tx, &mut st).await?;
                    if let Err(reason) =
                        modify::modify(&mut tx, &mut st, kind.file_type, &op, &mut report).await?
                    {
                        let record = Some(op.identifier.clone());
                        report.rejected.push(Rejection {
                            file: op.file.to_string(),
                            line: op.line,
                            record,
                            reason,
                        });
                    }
                }
            }
        }
        batch.apply(&mut tx, &mut st, &mut report).await?;
    }
    finish(tx, st, &mut report, "aaf", options, complete).await?;
    refresh_statistics(db).await?;
    Ok(report)
}

/// Refreshes the planner's statistics of the directory tables. After a bulk load they describe the
/// tables as they were before it, and PostgreSQL then scans 1.8 million memberships to find a thousand
/// (a re-import of the region took 6.6 min instead of 1.5). Cheap: ANALYZE samples.
///
/// PostgreSQL only: SQLite's ANALYZE reads whole tables, and without statistics its planner keeps to the
/// indexes, which is what the import needs.
pub async fn refresh_statistics(db: &Db) -> Result<(), ImportError> {
    if db.engine() != db::Engine::Postgres {
        return Ok(());
    }
    db.execute_raw(
        "ANALYZE users; ANALYZE memberships; ANALYZE class_students; ANALYZE guardianships; \
         ANALYZE teachings; ANALYZE head_teachers; ANALYZE classes",
    )
    .await?;
    Ok(())
}

/// Records applied together: the directory's view of their people is read in a few queries first.
const BATCH: usize = 1_000;

#[derive(Default)]
struct Batch {
    /// (file, line, join key, record), in file order.
    records: Vec<(std::sync::Arc<str>, u64, String, Record)>,
}

impl Batch {
    async fn apply(&mut self, tx: &mut Tx, st: &mut State, report: &mut Report) -> Result<(), ImportError> {
        if self.records.is_empty() {
            return Ok(());
        }
        let jointures = self
            .records
            .iter()
            .filter_map(|(_, _, _, r)| match r {
                Record::Student(s) => Some(s.jointure.clone()),
                Record::Relative(r) => Some(r.jointure.clone()),
                Record::Staff(s) => Some(s.jointure.clone()),
                _ => None,
            })
            .collect();
        people::prefetch(tx, st, jointures).await?;
        for (file, line, identifier, record) in std::mem::take(&mut self.records) {
            if let Err(reason) = apply(tx, st, record, report).await? {
                report.rejected.push(Rejection {
                    file: file.to_string(),
                    line,
                    record: Some(identifier),
                    reason,
                });
            }
            people::flush_if_full(tx, st).await?;
        }
        st.prefetch = Default::default();
        Ok(())
    }
}

/// Applies one record; `Ok(Err(reason))` when the record is refused (and nothing of it written).
pub(crate) async fn apply(
    tx: &mut Tx,
    st: &mut State,
    record: Record,
    report: &mut Report,
) -> Result<Result<(), String>, db::Error> {
    match record {
        Record::Structure(s) => structures::structure(tx, st, &s, &mut report.structures).await,
        Record::Subject(s) => {
            structures::reference(tx, "subjects", &s.jointure, &s.label, &mut report.subjects)
                .await
                .map(Ok)
        }
        Record::Mef(m) => structures::reference(tx, "mefs", &m.jointure, &m.label, &mut report.mefs)
            .await
            .map(Ok),
        Record::Student(s) => people::student(tx, st, &s, report).await,
        Record::Relative(r) => people::relative(tx, st, &r, &mut report.relatives).await.map(Ok),
        Record::Staff(s) => people::staff(tx, st, &s, &mut report.staff).await,
    }
}

/// `col = value` on a column named at run time (table and column names are code constants).
pub(crate) fn col_eq<V: Into<sea_query::Value>>(column: &'static str, value: V) -> sea_query::SimpleExpr {
    Expr::col(Alias::new(column)).eq(value.into())
}
