//! What can go wrong while reading an AAF file, said in French, with the place it happened.

use std::fmt;
use std::sync::Arc;

/// An error met while reading an AAF file: which file, which line, which record, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub file: Arc<str>,
    /// 1-based line where the problem was seen (the `<attr>` of a bad value, else the request).
    pub line: u64,
    /// The record's `<identifier><id>`, when it had been read before the problem.
    pub identifier: Option<String>,
    pub kind: ErrorKind,
}

impl ParseError {
    /// True when the reader stopped: the rest of the file cannot be trusted.
    pub fn is_fatal(&self) -> bool {
        self.kind.is_fatal()
    }

    /// The record-level detail, when the error is about one attribute of one record.
    pub fn record_error(&self) -> Option<&RecordError> {
        match &self.kind {
            ErrorKind::Record(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, ligne {}", self.file, self.line)?;
        if let Some(id) = &self.identifier {
            write!(f, ", enregistrement {id}")?;
        }
        write!(f, " : {}", self.kind)
    }
}

impl std::error::Error for ParseError {}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    /// Not well-formed XML (syntax, mismatched tags, unknown entity).
    #[error("XML mal formé : {0}")]
    Xml(String),
    /// The file ended before its root element was closed.
    #[error("fichier tronqué : l'élément racine ficAlimMENESR n'est pas refermé")]
    Truncated,
    /// Bytes that the declared encoding cannot decode (typically Latin-9 bytes in a UTF-8 file).
    #[error("octets invalides pour l'encodage {encoding} (déclaré ou implicite)")]
    Encoding { encoding: &'static str },
    #[error("encodage « {0} » non pris en charge (UTF-8 ou ISO-8859-15 attendu)")]
    UnsupportedEncoding(String),
    /// One piece of XML larger than any real AAF element: refused rather than buffered.
    #[error("élément de plus de {limit} octets : fichier refusé")]
    TooLarge { limit: usize },
    #[error("lecture impossible : {0}")]
    Io(String),
    /// Well-formed XML that breaks the ficAlimMENESR DTD inside one record.
    #[error("structure non conforme à ficAlimMENESR : {0}")]
    Structure(String),
    /// A record whose attribute is missing or malformed.
    #[error("{0}")]
    Record(RecordError),
}

impl ErrorKind {
    /// Structure and record errors stay inside one request: the reader goes on with the next one.
    pub fn is_fatal(&self) -> bool {
        !matches!(self, ErrorKind::Structure(_) | ErrorKind::Record(_))
    }
}

/// A missing or malformed attribute in one record, naming the attribute and the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    pub attribute: String,
    /// The offending value as read (absent when the attribute itself is missing).
    pub value: Option<String>,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A mandatory attribute is absent or has only empty values.
    Missing,
    /// A single-valued attribute came with several values.
    SeveralValues(usize),
    /// Not a real `jj/mm/aaaa` date.
    Date,
    /// Not 7 digits and a letter.
    UaiShape,
    /// The check letter does not match the number (the expected one is given).
    UaiCheckLetter(char),
    /// A `$`-separated value with fewer fields than its format needs.
    Fields { expected: usize, found: usize },
    /// A `$`-separated field that must not be empty (1-based position).
    EmptyField(usize),
    /// A yes/no value other than O, Y, N (or 1, 0).
    Flag,
    /// An INE that is not 11 letters and digits.
    Ine,
    /// A value that must equal the record's `<identifier><id>`.
    NotIdentifier { identifier: String },
    /// The `categoriePersonne` of a record does not match the file's type.
    Category { expected: &'static str },
}

impl RecordError {
    pub(crate) fn new(attribute: &str, value: Option<&str>, problem: Problem) -> Self {
        RecordError {
            attribute: attribute.to_string(),
            value: value.map(str::to_string),
            problem,
        }
    }

    pub(crate) fn missing(attribute: &str) -> Self {
        RecordError::new(attribute, None, Problem::Missing)
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = &self.attribute;
        let v = self.value.as_deref().unwrap_or_default();
        match &self.problem {
            Problem::Missing => write!(f, "attribut {a} obligatoire absent ou vide"),
            Problem::SeveralValues(n) => write!(f, "attribut {a} : une seule valeur attendue, {n} trouvées"),
            Problem::Date => write!(f, "attribut {a} : date « {v} » invalide (jj/mm/aaaa)"),
            Problem::UaiShape => {
                write!(
                    f,
                    "attribut {a} : UAI « {v} » invalide (7 chiffres et une lettre attendus)"
                )
            }
            Problem::UaiCheckLetter(c) => {
                write!(
                    f,
                    "attribut {a} : UAI « {v} » : lettre de contrôle fausse (attendue : {c})"
                )
            }
            Problem::Fields { expected, found } => write!(
                f,
                "attribut {a} : valeur « {v} » : {expected} champs séparés par $ attendus, {found} trouvé(s)"
            ),
            Problem::EmptyField(n) => write!(f, "attribut {a} : valeur « {v} » : le champ {n} est vide"),
            Problem::Flag => write!(f, "attribut {a} : valeur « {v} » invalide (O ou N attendu)"),
            Problem::Ine => write!(
                f,
                "attribut {a} : INE « {v} » invalide (11 chiffres et lettres attendus)"
            ),
            Problem::NotIdentifier { identifier } => {
                write!(
                    f,
                    "attribut {a} : valeur « {v} » différente de l'identifiant « {identifier} »"
                )
            }
            Problem::Category { expected } => {
                write!(f, "attribut {a} : catégorie « {v} » dans un fichier {expected}")
            }
        }
    }
}

impl std::error::Error for RecordError {}
