//! Ardoise's directory out as a complete AAF export: the six ficAlimMENESR file types, streamed.
//!
//! What it is for: feeding the importer region-sized, realistic files (a generated region exported,
//! then imported elsewhere), and handing a directory to a peer that speaks AAF. Schools, subjects and
//! MEFs are read by pages; people by pages of 5,000 user ids, what hangs off each page read by id
//! range, and every record written as soon as it is built. What stays in memory for the whole run is
//! one map from school id to school join key (a few thousand entries at most).
//!
//! Mapping choices (Ardoise stores less than AAF carries):
//! * join keys: `schools.jointure`, or the UAI when the school never came from the AAF; `users.jointure`,
//!   or the user id;
//! * `ENTServAcAcademie` is the académie's code (`STRASBOURG`), the capitals AAF writes and the key the
//!   importer looks académies up by;
//! * relationship codes: `PERE` → 10, `MERE` → 20, a relation already stored as a number (what the
//!   importer keeps) as it is, anything else → 50 (other link); legal representatives are `$1` in the
//!   legal field, other persons in charge `$2`; the financial, contact and payment flags, which Ardoise
//!   does not keep, are 1/1/0 for legal representatives and 0/1/0 for the others;
//! * staff functions from membership profiles: DIR → DIR, EVS → EDU, DOC → DOC, ETA → ADM, ENS → ENS,
//!   COL → COLTER; the label and the discipline label come from `memberships.function`
//!   (`ENSEIGNEMENT - PHYSIQUE-CHIMIE`), and since Ardoise keeps no discipline code (`L1500`), a
//!   teacher's first subject code in that school stands in for it;
//! * deactivated accounts are left out, and so are links to them; accounts with no AAF place (region
//!   administrators, guests) are counted, not written.
//!
//! Reads run in one transaction: on SQLite it is one snapshot; on PostgreSQL (read committed) each
//! page sees the latest commit, so export when no import is running. File writes are blocking and
//! buffered: run the export as a job, not inside a request handler.

mod people;
mod rows;
mod structures;

use std::fmt;
use std::path::{Path, PathBuf};

use db::Db;

use super::fields::Date;
use super::files::{FileType, Mode};
use super::writer::{AafWriter, Charset, Unmappable, WriteError};

/// How to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// The `<source>` of the file names: letters, digits and `-`.
    pub source: String,
    /// The export date in the file names; a parameter, since the clock is not read here.
    pub date: Date,
    pub charset: Charset,
    /// By default characters outside ISO-8859-15 become character references, so that one name in
    /// Polish does not stop a region's export; [`Unmappable::Refuse`] makes it fail instead.
    pub unmappable: Unmappable,
    pub max_records_per_chunk: usize,
    /// Users read per query.
    pub page_size: u64,
}

impl ExportOptions {
    /// UTF-8, 10,000 records a file, pages of 5,000 accounts.
    pub fn new(source: &str, date: Date) -> ExportOptions {
        ExportOptions {
            source: source.to_string(),
            date,
            charset: Charset::Utf8,
            unmappable: Unmappable::CharRef,
            max_records_per_chunk: 10_000,
            page_size: 5_000,
        }
    }
}

/// Keeps the report small however many accounts are odd: the first notes, then only a count.
const MAX_NOTES: usize = 50;

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportReport {
    pub schools: u64,
    pub subjects: u64,
    pub mefs: u64,
    pub students: u64,
    pub relatives: u64,
    pub staff: u64,
    /// Active accounts that are neither student, relative nor staff.
    pub not_exported: u64,
    /// Every chunk written, in import order.
    pub files: Vec<PathBuf>,
    /// Values left out (an unreadable birth date…), the first [`MAX_NOTES`] of them described.
    pub notes: Vec<String>,
    pub notes_total: u64,
}

impl ExportReport {
    /// Records written for one file type.
    pub fn records(&self, file_type: FileType) -> u64 {
        match file_type {
            FileType::EtabEducNat => self.schools,
            FileType::MatiereEducNat => self.subjects,
            FileType::MefEducNat => self.mefs,
            FileType::Eleve => self.students,
            FileType::PersRelEleve => self.relatives,
            FileType::PersEducNat => self.staff,
        }
    }

    pub(crate) fn note(&mut self, note: String) {
        self.notes_total += 1;
        if self.notes.len() < MAX_NOTES {
            self.notes.push(note);
        }
    }
}

impl fmt::Display for ExportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Export AAF : {} fichier(s)", self.files.len())?;
        let lines = [
            ("établissements", FileType::EtabEducNat),
            ("matières", FileType::MatiereEducNat),
            ("niveaux (MEF)", FileType::MefEducNat),
            ("élèves", FileType::Eleve),
            ("responsables", FileType::PersRelEleve),
            ("personnels", FileType::PersEducNat),
        ];
        for (label, file_type) in lines {
            writeln!(f, "  {label:<16} {:>9}  ({file_type})", self.records(file_type))?;
        }
        write!(f, "  comptes hors AAF {:>9}", self.not_exported)?;
        if self.notes_total > 0 {
            write!(f, "\n  {} valeur(s) omise(s) :", self.notes_total)?;
            for note in &self.notes {
                write!(f, "\n    {note}")?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("lecture de l'annuaire impossible : {0}")]
    Db(#[from] db::Error),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("dossier d'export {path} inutilisable : {source}")]
    OutDir { path: PathBuf, source: std::io::Error },
}

/// Writes a complete AAF export of the whole directory into `out_dir` (created if needed; existing
/// files are never replaced). On failure, the files already written are removed: a partial export
/// read as a complete one would make an importer deactivate everyone missing from it.
pub async fn export_directory(
    db: &Db,
    out_dir: impl AsRef<Path>,
    options: &ExportOptions,
) -> Result<ExportReport, ExportError> {
    let out_dir = out_dir.as_ref();
    std::fs::create_dir_all(out_dir).map_err(|source| ExportError::OutDir {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let mut writers = Writers::create(out_dir, options)?;
    let mut report = ExportReport::default();
    match run(db, &mut writers, options, &mut report).await {
        Ok(()) => {
            report.files = writers.finish()?;
            Ok(report)
        }
        Err(e) => {
            writers.discard();
            Err(e)
        }
    }
}

async fn run(
    db: &Db,
    writers: &mut Writers,
    options: &ExportOptions,
    report: &mut ExportReport,
) -> Result<(), ExportError> {
    // Read-only: dropped at the end, it rolls back.
    let mut tx = db.begin().await?;
    let schools = structures::schools(&mut tx, writers.get(FileType::EtabEducNat), report).await?;
    structures::nomenclatures(&mut tx, writers, report).await?;
    people::people(&mut tx, writers, &schools, options.page_size.max(1), report).await?;
    Ok(())
}

/// The six writers, in [`FileType::ALL`] order.
pub(crate) struct Writers(Vec<AafWriter>);

impl Writers {
    fn create(dir: &Path, options: &ExportOptions) -> Result<Writers, ExportError> {
        let mut writers = Writers(Vec::with_capacity(FileType::ALL.len()));
        for file_type in FileType::ALL {
            let created = AafWriter::create(
                dir,
                &options.source,
                Mode::Complet,
                options.date,
                file_type,
                options.charset,
                options.max_records_per_chunk,
            );
            match created {
                Ok(writer) => writers.0.push(writer.on_unmappable(options.unmappable)),
                Err(e) => {
                    writers.discard();
                    return Err(e.into());
                }
            }
        }
        Ok(writers)
    }

    /// The writer of a file type; all six exist from `create` on.
    pub(crate) fn get(&mut self, file_type: FileType) -> &mut AafWriter {
        &mut self.0[usize::from(file_type.rank())]
    }

    fn finish(self) -> Result<Vec<PathBuf>, ExportError> {
        let mut files = Vec::new();
        let mut writers = self.0.into_iter();
        while let Some(writer) = writers.next() {
            match writer.finish() {
                Ok(summary) => files.extend(summary.files),
                Err(e) => {
                    Writers(writers.collect()).discard();
                    for file in files {
                        let _ = std::fs::remove_file(file);
                    }
                    return Err(e.into());
                }
            }
        }
        Ok(files)
    }

    fn discard(self) {
        for writer in self.0 {
            writer.discard();
        }
    }
}

/// Joins the fields of a compound AAF value. A `$` inside a field would shift the ones after it, so
/// it becomes `-` in every field but the last, which readers keep whole.
pub(crate) fn compound(fields: &[&str]) -> String {
    let mut out = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push('$');
        }
        if i + 1 < fields.len() {
            out.push_str(&field.replace('$', "-"));
        } else {
            out.push_str(field);
        }
    }
    out
}

/// A code (class, subject, MEF) as it appears in compound values, wherever it sits: the same code
/// must read the same in `ENTStructureClasses` (first field) and `ENTEleveClasses` (last field).
pub(crate) fn code(value: &str) -> String {
    value.replace('$', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compound_values_keep_their_field_count() {
        assert_eq!(
            compound(&["1", "6$A", "label $ with dollar"]),
            "1$6-A$label $ with dollar"
        );
        assert_eq!(compound(&["1", "DIR", "DIRECTION", "", ""]), "1$DIR$DIRECTION$$");
        assert_eq!(code("G$1"), "G-1");
    }
}
