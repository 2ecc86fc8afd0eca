//! AAF files: reading them (ficAlimMENESR in, typed records out) and writing them (`AafWriter`; and,
//! with the `directory` feature, `export_directory` from the directory).
//!
//! The académie's directory (AAF) sends six kinds of files ([`FileType`]), each a stream of
//! `addRequest`, `modifyRequest` and `deleteRequest` elements, in UTF-8 or ISO-8859-15. The
//! [`Reader`] streams one file into [`Operation`]s, holding one request at a time whatever the file's
//! size; [`Record::from_add`] turns an add into a typed, validated record, and [`Record::replace`]
//! applies a modify to one. Every error names its file, line and record ([`ParseError`]).
//!
//! ```no_run
//! use import::aaf::{self, Action, Record};
//!
//! # fn main() -> std::io::Result<()> {
//! let mut names = vec!["ENT_GE_Complet_20260901_Eleve_0000.xml".to_string()];
//! names.retain(|n| aaf::classify(n).is_some());
//! names.sort_by_key(|n| aaf::classify(n).map(|k| k.order()));
//! for name in &names {
//!     let Some(kind) = aaf::classify(name) else { continue };
//!     for operation in aaf::Reader::open(name)? {
//!         let op = match operation {
//!             Ok(op) => op,
//!             // A fatal error ends the iteration by itself; the others concern one record.
//!             Err(e) => { eprintln!("{e}"); continue }
//!         };
//!         match op.action {
//!             Action::Add => match Record::from_add(kind.file_type, &op) {
//!                 Ok(record) => { /* upsert on record.jointure() */ }
//!                 Err(e) => eprintln!("{e}"),
//!             },
//!             Action::Modify => { /* load the record, then record.replace(&op) */ }
//!             Action::Delete => { /* soft-delete op.identifier */ }
//!         }
//!     }
//! }
//! # Ok(())
//! # }
//! ```

mod error;
#[cfg(feature = "directory")]
mod export;
mod fields;
mod files;
mod grammar;
mod operation;
mod profile;
mod reader;
mod records;
mod source;
mod writer;

pub use error::{ErrorKind, ParseError, Problem, RecordError};
#[cfg(feature = "directory")]
pub use export::{ExportError, ExportOptions, ExportReport, export_directory};
pub use fields::{Date, display_name, split_fields};
pub use files::{FileKind, FileType, Mode, classify};
pub use operation::{Action, Attribute, Attributes, Operation};
pub use profile::{NationalProfile, StructureProfile};
pub use reader::Reader;
pub use records::{
    Address, CodeLabel, Contacts, Function, Identity, Mef, Membership, Record, Relative, RelativeLink, Staff,
    Structure, Student, Subject, TeachingAssignment,
};
pub use writer::{AafWriter, Charset, RecordBuilder, Unmappable, WriteError, WriteSummary};
