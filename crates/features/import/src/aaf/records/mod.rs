//! Typed records built from AAF requests, one type per file, each field validated.
//!
//! Every record type reads its attributes through one `set` per type, used both to build a record from
//! an `addRequest` and to apply a `modifyRequest` to a record, so the two cannot disagree.

mod person;
mod school;
mod staff;
mod student;

pub use person::{Address, Contacts, Identity};
pub use school::{CodeLabel, Mef, Structure, Subject};
pub use staff::{Function, Staff, TeachingAssignment};
pub use student::{Membership, Relative, RelativeLink, Student};

use super::error::{ParseError, Problem, RecordError};
use super::fields;
use super::files::FileType;
use super::operation::{Attribute, Operation};

/// A record of one of the six AAF files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Structure(Structure),
    Subject(Subject),
    Mef(Mef),
    Student(Student),
    Relative(Relative),
    Staff(Staff),
}

/// What each record type implements; private so that the two entry points of [`Record`] are the only way in.
trait Build: Sized + Clone {
    /// Builds the record from its mandatory attributes, the other fields left empty.
    fn start(op: &Operation) -> Result<Self, RecordError>;
    /// Reads one attribute into the record, replacing what was there. Unknown attributes are ignored
    /// (AAF files carry many that Ardoise does not use), and so is the join key, which never changes.
    fn set(&mut self, attr: &Attribute) -> Result<(), RecordError>;
}

fn build<T: Build>(op: &Operation) -> Result<T, RecordError> {
    let mut record = T::start(op)?;
    for attr in &op.attributes {
        record.set(attr)?;
    }
    Ok(record)
}

impl Record {
    /// Builds the record of an `addRequest` read from a file of type `file_type`.
    pub fn from_add(file_type: FileType, op: &Operation) -> Result<Record, ParseError> {
        let built = check_category(file_type, op).and_then(|()| match file_type {
            FileType::EtabEducNat => build(op).map(Record::Structure),
            FileType::MatiereEducNat => build(op).map(Record::Subject),
            FileType::MefEducNat => build(op).map(Record::Mef),
            FileType::Eleve => build(op).map(Record::Student),
            FileType::PersRelEleve => build(op).map(Record::Relative),
            FileType::PersEducNat => build(op).map(Record::Staff),
        });
        built.map_err(|e| op.locate(e))
    }

    /// Applies a `modifyRequest`: each attribute it lists replaces the field it feeds. Either every
    /// attribute is valid and all are applied, or the record is left as it was.
    pub fn replace(&mut self, op: &Operation) -> Result<(), ParseError> {
        fn apply<T: Build>(record: &T, op: &Operation) -> Result<T, RecordError> {
            let mut next = record.clone();
            for attr in &op.attributes {
                next.set(attr)?;
            }
            Ok(next)
        }
        let next = match self {
            Record::Structure(r) => apply(r, op).map(Record::Structure),
            Record::Subject(r) => apply(r, op).map(Record::Subject),
            Record::Mef(r) => apply(r, op).map(Record::Mef),
            Record::Student(r) => apply(r, op).map(Record::Student),
            Record::Relative(r) => apply(r, op).map(Record::Relative),
            Record::Staff(r) => apply(r, op).map(Record::Staff),
        };
        *self = next.map_err(|e| op.locate(e))?;
        Ok(())
    }

    /// The join key, equal to the request's identifier.
    pub fn jointure(&self) -> &str {
        match self {
            Record::Structure(r) => &r.jointure,
            Record::Subject(r) => &r.jointure,
            Record::Mef(r) => &r.jointure,
            Record::Student(r) => &r.jointure,
            Record::Relative(r) => &r.jointure,
            Record::Staff(r) => &r.jointure,
        }
    }

    pub fn file_type(&self) -> FileType {
        match self {
            Record::Structure(_) => FileType::EtabEducNat,
            Record::Subject(_) => FileType::MatiereEducNat,
            Record::Mef(_) => FileType::MefEducNat,
            Record::Student(_) => FileType::Eleve,
            Record::Relative(_) => FileType::PersRelEleve,
            Record::Staff(_) => FileType::PersEducNat,
        }
    }
}

/// A person filed in the wrong file would get the wrong profile: refuse it.
fn check_category(file_type: FileType, op: &Operation) -> Result<(), RecordError> {
    let person = matches!(
        file_type,
        FileType::Eleve | FileType::PersRelEleve | FileType::PersEducNat
    );
    match &op.category {
        Some(category) if person && category != file_type.token() => Err(RecordError::new(
            "categoriePersonne",
            Some(category),
            Problem::Category {
                expected: file_type.token(),
            },
        )),
        _ => Ok(()),
    }
}

/// The join key: the attribute if given (it must then equal the identifier), else the identifier.
fn jointure(op: &Operation, name: &str) -> Result<String, RecordError> {
    match op.attributes.get(name).map(fields::single).transpose()?.flatten() {
        Some(value) if value != op.identifier => Err(RecordError::new(
            name,
            Some(&value),
            Problem::NotIdentifier {
                identifier: op.identifier.clone(),
            },
        )),
        _ => Ok(op.identifier.clone()),
    }
}
