//! The streaming writer: ficAlimMENESR files out, one record at a time, chunked and encoded as the AAF sends them.
//!
//! Files are named `ENT_<source>_<Complet|Delta>_<AAAAMMJJ>_<Type>_<NNNN>.xml`, the name [`classify`]
//! recognises. Each record is assembled in a reused buffer, encoded, then appended: memory stays flat
//! whatever the export's size, and a record that cannot be written leaves the file as it was.
//!
//! A character that ISO-8859-15 cannot represent (`ł`, `ğ`, `ș`…) is, by [`Unmappable`] choice, either
//! refused with an error naming the file, the record and the attribute (the default: nothing is
//! changed behind the caller's back), or written as an XML character reference (`&#322;`), which every
//! XML parser, ours included, reads back as the original character.
//!
//! [`classify`]: super::classify

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write as _};
use std::path::{Path, PathBuf};

use encoding_rs::{Encoder, EncoderResult};

use self::record::{escape_into, place_of};
use super::fields::Date;
use super::files::{FileType, Mode};
use super::operation::Action;

pub use self::record::RecordBuilder;

mod record;

/// The two encodings AAF files come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Charset {
    Utf8,
    /// ISO-8859-15 (Latin-9): Latin-1 with `€`, `Œ`, `œ`, `Š`, `š`, `Ž`, `ž` and `Ÿ`.
    Latin9,
}

impl Charset {
    /// The name written in the XML declaration.
    pub fn label(self) -> &'static str {
        match self {
            Charset::Utf8 => "UTF-8",
            Charset::Latin9 => "ISO-8859-15",
        }
    }
}

/// What to do with a character the output encoding cannot represent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Unmappable {
    /// Refuse the record with [`WriteError::Unmappable`]; the file stays as it was.
    #[default]
    Refuse,
    /// Write an XML character reference (`&#322;`): lossless for any XML reader.
    CharRef,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "source « {0} » invalide : lettres, chiffres et tirets seulement (elle entre dans le nom des fichiers)"
    )]
    Source(String),
    #[error("taille de tranche invalide : au moins un enregistrement par fichier")]
    ChunkSize,
    #[error("{0} existe déjà : un export ne remplace jamais un fichier, choisissez un dossier vide")]
    Exists(PathBuf),
    #[error("{file} : plus de 9 999 tranches, augmentez le nombre d'enregistrements par fichier")]
    TooManyChunks { file: String },
    #[error("{file} : enregistrement sans identifiant (<identifier><id> ne peut pas être vide)")]
    EmptyIdentifier { file: String },
    #[error("{file}, enregistrement {identifier} : un fichier Complet ne contient que des addRequest")]
    NotDelta { file: String, identifier: String },
    #[error(
        "{file}, enregistrement {identifier}, {place} : le caractère « {character} » (U+{code:04X}) \
         n'existe pas en {encoding} ; enregistrement non écrit"
    )]
    Unmappable {
        file: String,
        identifier: String,
        /// `attribut sn`, or `identifiant`.
        place: String,
        character: char,
        code: u32,
        encoding: &'static str,
    },
    #[error("{file} : écriture impossible : {source}")]
    Io { file: String, source: io::Error },
}

/// What a finished writer produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    pub file_type: FileType,
    pub records: u64,
    /// The chunks, in order.
    pub files: Vec<PathBuf>,
}

/// A buffer that grew past this for one huge record is dropped rather than kept for the whole file.
const KEEP_BUFFER: usize = 1024 * 1024;

/// Writes one AAF file type as numbered chunks of at most `max_records_per_chunk` records.
///
/// Call [`AafWriter::finish`] at the end: a writer dropped without it leaves its last chunk without
/// the closing `</ficAlimMENESR>`, so that an interrupted export reads as truncated, not as complete.
pub struct AafWriter {
    dir: PathBuf,
    /// `ENT_<source>_<mode>_<date>_<Type>`: the name without the chunk number.
    stem: String,
    file_type: FileType,
    mode: Mode,
    charset: Charset,
    unmappable: Unmappable,
    max_records: usize,
    chunk: u32,
    in_chunk: usize,
    out: BufWriter<File>,
    encoder: Option<Encoder>,
    /// The record being assembled, as UTF-8 XML.
    buf: String,
    /// The record encoded.
    bytes: Vec<u8>,
    identifier: String,
    records: u64,
    files: Vec<PathBuf>,
}

impl AafWriter {
    /// Creates chunk `0000` at once, so that a type with no record still gets its (empty) file: in a
    /// complete export, an absent file and an empty one do not say the same thing.
    pub fn create(
        dir: impl AsRef<Path>,
        source: &str,
        mode: Mode,
        date: Date,
        file_type: FileType,
        charset: Charset,
        max_records_per_chunk: usize,
    ) -> Result<AafWriter, WriteError> {
        // `_` separates the name's tokens, and a source called `Delta` would lie about the mode.
        let valid = !source.is_empty()
            && source.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !source.eq_ignore_ascii_case("Complet")
            && !source.eq_ignore_ascii_case("Delta");
        if !valid {
            return Err(WriteError::Source(source.to_string()));
        }
        if max_records_per_chunk == 0 {
            return Err(WriteError::ChunkSize);
        }
        let mode_token = match mode {
            Mode::Complet => "Complet",
            Mode::Delta => "Delta",
        };
        let stem = format!(
            "ENT_{source}_{mode_token}_{:04}{:02}{:02}_{}",
            date.year(),
            date.month(),
            date.day(),
            file_type.token()
        );
        let dir = dir.as_ref().to_path_buf();
        let encoder = match charset {
            Charset::Utf8 => None,
            Charset::Latin9 => Some(encoding_rs::ISO_8859_15.new_encoder()),
        };
        let (path, out) = open_chunk(&dir, &stem, 0, charset)?;
        Ok(AafWriter {
            dir,
            stem,
            file_type,
            mode,
            charset,
            unmappable: Unmappable::Refuse,
            max_records: max_records_per_chunk,
            chunk: 0,
            in_chunk: 0,
            out,
            encoder,
            buf: String::new(),
            bytes: Vec::new(),
            identifier: String::new(),
            records: 0,
            files: vec![path],
        })
    }

    /// Chooses what happens to characters the encoding cannot represent (refused by default).
    pub fn on_unmappable(mut self, policy: Unmappable) -> Self {
        self.unmappable = policy;
        self
    }

    pub fn file_type(&self) -> FileType {
        self.file_type
    }

    /// Records written so far, over all chunks.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// The chunks created so far, the last one still open.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Starts an `addRequest`; nothing is written until [`RecordBuilder::write`].
    pub fn add(&mut self, identifier: &str) -> RecordBuilder<'_> {
        self.start(Action::Add, identifier)
    }

    /// Starts a `modifyRequest` whose attributes each replace the stored one. Delta files only.
    pub fn modify(&mut self, identifier: &str) -> Result<RecordBuilder<'_>, WriteError> {
        self.delta_only(identifier)?;
        Ok(self.start(Action::Modify, identifier))
    }

    /// Writes a `deleteRequest`. Delta files only.
    pub fn delete(&mut self, identifier: &str) -> Result<(), WriteError> {
        self.delta_only(identifier)?;
        self.start(Action::Delete, identifier).write()
    }

    /// Closes the last chunk and flushes it.
    pub fn finish(mut self) -> Result<WriteSummary, WriteError> {
        let file = self.current_name();
        close_chunk(&mut self.out).map_err(|source| WriteError::Io { file, source })?;
        Ok(WriteSummary {
            file_type: self.file_type,
            records: self.records,
            files: self.files,
        })
    }

    /// Removes every chunk written (for an export that failed half-way); best effort.
    pub fn discard(self) {
        let files = self.files;
        drop(self.out);
        for file in files {
            let _ = std::fs::remove_file(file);
        }
    }

    fn delta_only(&self, identifier: &str) -> Result<(), WriteError> {
        match self.mode {
            Mode::Delta => Ok(()),
            Mode::Complet => Err(WriteError::NotDelta {
                file: self.current_name(),
                identifier: identifier.to_string(),
            }),
        }
    }

    fn current_name(&self) -> String {
        chunk_name(&self.stem, self.chunk)
    }

    fn start(&mut self, action: Action, identifier: &str) -> RecordBuilder<'_> {
        if self.buf.capacity() > KEEP_BUFFER {
            self.buf = String::new();
            self.bytes = Vec::new();
        }
        self.buf.clear();
        self.identifier.clear();
        self.identifier.push_str(identifier);
        let tag = match action {
            Action::Add => "addRequest",
            Action::Modify => "modifyRequest",
            Action::Delete => "deleteRequest",
        };
        let category_name = match self.file_type {
            FileType::Eleve | FileType::PersRelEleve | FileType::PersEducNat => "categoriePersonne",
            FileType::EtabEducNat | FileType::MatiereEducNat | FileType::MefEducNat => "categorieStructure",
        };
        self.buf.push_str("  <");
        self.buf.push_str(tag);
        self.buf.push_str(">\n    <operationalAttributes><attr name=\"");
        self.buf.push_str(category_name);
        self.buf.push_str("\"><value>");
        self.buf.push_str(self.file_type.token());
        self.buf
            .push_str("</value></attr></operationalAttributes>\n    <identifier><id>");
        escape_into(&mut self.buf, identifier);
        self.buf.push_str("</id></identifier>\n");
        match action {
            Action::Add => self.buf.push_str("    <attributes>\n"),
            Action::Modify => self.buf.push_str("    <modifications>\n"),
            Action::Delete => {}
        }
        RecordBuilder { writer: self, action }
    }

    /// Encodes the assembled record and appends it, opening the next chunk when this one is full.
    fn commit(&mut self) -> Result<(), WriteError> {
        if self.identifier.trim().is_empty() {
            return Err(WriteError::EmptyIdentifier {
                file: self.current_name(),
            });
        }
        if let Err((character, offset)) = self.encode() {
            return Err(WriteError::Unmappable {
                file: self.current_name(),
                identifier: self.identifier.clone(),
                place: place_of(&self.buf[..offset]),
                character,
                code: u32::from(character),
                encoding: self.charset.label(),
            });
        }
        if self.in_chunk == self.max_records {
            self.next_chunk()?;
        }
        let record = match self.encoder {
            Some(_) => self.bytes.as_slice(),
            None => self.buf.as_bytes(),
        };
        if let Err(source) = self.out.write_all(record) {
            return Err(WriteError::Io {
                file: self.current_name(),
                source,
            });
        }
        self.in_chunk += 1;
        self.records += 1;
        Ok(())
    }

    /// Encodes `buf` into `bytes`; on a refused character, returns it with its byte offset in `buf`.
    fn encode(&mut self) -> Result<(), (char, usize)> {
        let Some(encoder) = self.encoder.as_mut() else {
            return Ok(());
        };
        self.bytes.clear();
        let mut pos = 0;
        loop {
            let rest = &self.buf[pos..];
            let needed = encoder
                .max_buffer_length_from_utf8_without_replacement(rest.len())
                .unwrap_or(rest.len());
            self.bytes.reserve(needed);
            let (result, read) =
                encoder.encode_from_utf8_to_vec_without_replacement(rest, &mut self.bytes, false);
            pos += read;
            match result {
                EncoderResult::InputEmpty => return Ok(()),
                EncoderResult::OutputFull => {}
                // The encoder has consumed the character: it ends at `pos`.
                EncoderResult::Unmappable(c) => match self.unmappable {
                    Unmappable::Refuse => return Err((c, pos - c.len_utf8())),
                    Unmappable::CharRef => {
                        let reference = format!("&#{};", u32::from(c));
                        self.bytes.extend_from_slice(reference.as_bytes());
                    }
                },
            }
        }
    }

    fn next_chunk(&mut self) -> Result<(), WriteError> {
        let file = self.current_name();
        close_chunk(&mut self.out).map_err(|source| WriteError::Io { file, source })?;
        if self.chunk == 9_999 {
            return Err(WriteError::TooManyChunks {
                file: self.stem.clone(),
            });
        }
        self.chunk += 1;
        let (path, out) = open_chunk(&self.dir, &self.stem, self.chunk, self.charset)?;
        self.out = out;
        self.files.push(path);
        self.in_chunk = 0;
        Ok(())
    }
}

fn chunk_name(stem: &str, chunk: u32) -> String {
    format!("{stem}_{chunk:04}.xml")
}

fn open_chunk(
    dir: &Path,
    stem: &str,
    chunk: u32,
    charset: Charset,
) -> Result<(PathBuf, BufWriter<File>), WriteError> {
    let name = chunk_name(stem, chunk);
    let path = dir.join(&name);
    // Never overwrite: two exports of the same day into one folder would otherwise mix their chunks.
    let file = match OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(WriteError::Exists(path)),
        Err(source) => return Err(WriteError::Io { file: name, source }),
    };
    let mut out = BufWriter::with_capacity(64 * 1024, file);
    let header = format!(
        "<?xml version=\"1.0\" encoding=\"{}\"?>\n<ficAlimMENESR>\n",
        charset.label()
    );
    out.write_all(header.as_bytes())
        .map_err(|source| WriteError::Io { file: name, source })?;
    Ok((path, out))
}

fn close_chunk(out: &mut BufWriter<File>) -> io::Result<()> {
    out.write_all(b"</ficAlimMENESR>\n")?;
    out.flush()
}
