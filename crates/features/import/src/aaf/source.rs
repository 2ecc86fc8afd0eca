//! The byte side of the reader: finds the declared encoding, transcodes to UTF-8 and counts lines.
//!
//! quick-xml only reads UTF-8, and AAF files are often ISO-8859-15, so this `BufRead` sits between
//! the file and the XML parser. Because the parser consumes exactly the bytes of each event, counting
//! newlines in `consume` gives the current line without ever re-reading the file.

use std::io::{self, BufRead};

use encoding_rs::{DecoderResult, Encoding, UTF_8};

/// Transcoded bytes handed to the parser at a time; also the reader's steady memory.
const OUT_CAPACITY: usize = 16 * 1024;
/// How far to look for the end of the XML declaration.
const PROLOG_LIMIT: usize = 1024;
/// No real AAF element comes near this: a larger one means a broken or hostile file, and refusing it
/// keeps memory flat.
pub(crate) const MAX_EVENT_BYTES: usize = 1024 * 1024;

/// Why the source stopped; the reader reads this after quick-xml reports an I/O error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    Malformed { encoding: &'static str, line: u64 },
    Unsupported(String),
    TooLarge,
}

pub(crate) struct Source<R> {
    inner: R,
    decoder: Option<encoding_rs::Decoder>,
    /// Raw bytes read while looking for the declaration, decoded before the rest.
    prolog: Vec<u8>,
    prolog_pos: usize,
    out: Box<[u8]>,
    out_pos: usize,
    out_len: usize,
    finished: bool,
    newlines_consumed: u64,
    newlines_decoded: u64,
    consumed_since_mark: usize,
    failure: Option<Failure>,
}

impl<R: BufRead> Source<R> {
    pub(crate) fn new(inner: R) -> Self {
        Source {
            inner,
            decoder: None,
            prolog: Vec::new(),
            prolog_pos: 0,
            out: vec![0; OUT_CAPACITY].into_boxed_slice(),
            out_pos: 0,
            out_len: 0,
            finished: false,
            newlines_consumed: 0,
            newlines_decoded: 0,
            consumed_since_mark: 0,
            failure: None,
        }
    }

    /// The 1-based line of the next byte the parser will read.
    pub(crate) fn line(&self) -> u64 {
        self.newlines_consumed + 1
    }

    /// Starts measuring one event, for the size limit.
    pub(crate) fn mark(&mut self) {
        self.consumed_since_mark = 0;
    }

    pub(crate) fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }

    /// The encoding in use, once the first bytes have been read.
    pub(crate) fn encoding(&self) -> Option<&'static Encoding> {
        self.decoder.as_ref().map(encoding_rs::Decoder::encoding)
    }

    /// Bytes of buffer this source holds, to check that memory stays flat.
    pub(crate) fn buffered_bytes(&self) -> usize {
        self.out.len() + self.prolog.capacity()
    }

    fn fail(&mut self, failure: Failure) -> io::Error {
        let message = format!("{failure:?}");
        self.failure = Some(failure);
        io::Error::other(message)
    }

    /// Reads the first bytes raw, picks the encoding from the BOM or the declaration.
    fn sniff(&mut self) -> io::Result<()> {
        while self.prolog.len() < PROLOG_LIMIT && !contains(&self.prolog, b"?>") {
            let chunk = self.inner.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            let take = chunk.len().min(PROLOG_LIMIT - self.prolog.len());
            self.prolog.extend_from_slice(&chunk[..take]);
            self.inner.consume(take);
        }
        let encoding = match declared_encoding(&self.prolog) {
            Ok(Some(encoding)) => encoding,
            Ok(None) => UTF_8,
            Err(label) => return Err(self.fail(Failure::Unsupported(label))),
        };
        if self.prolog.starts_with(b"\xEF\xBB\xBF") {
            self.prolog_pos = 3;
        }
        self.decoder = Some(encoding.new_decoder_without_bom_handling());
        Ok(())
    }

    fn refill(&mut self) -> io::Result<()> {
        if self.consumed_since_mark > MAX_EVENT_BYTES {
            return Err(self.fail(Failure::TooLarge));
        }
        if self.decoder.is_none() {
            self.sniff()?;
        }
        let Some(decoder) = self.decoder.as_mut() else {
            return Ok(());
        };
        self.out_pos = 0;
        self.out_len = 0;
        while self.out_len == 0 && !self.finished {
            let (result, written) = if self.prolog_pos < self.prolog.len() {
                let input = &self.prolog[self.prolog_pos..];
                let (result, read, written) =
                    decoder.decode_to_utf8_without_replacement(input, &mut self.out, false);
                self.prolog_pos += read;
                if self.prolog_pos == self.prolog.len() {
                    self.prolog = Vec::new();
                    self.prolog_pos = 0;
                }
                (result, written)
            } else {
                let input = self.inner.fill_buf()?;
                let last = input.is_empty();
                let (result, read, written) =
                    decoder.decode_to_utf8_without_replacement(input, &mut self.out, last);
                self.inner.consume(read);
                self.finished = last && result == DecoderResult::InputEmpty;
                (result, written)
            };
            self.out_len = written;
            self.newlines_decoded += count_newlines(&self.out[..written]);
            if let DecoderResult::Malformed(..) = result {
                let encoding = decoder.encoding().name();
                // Everything before the bad byte was decoded, so its line is known exactly.
                let line = self.newlines_decoded + 1;
                return Err(self.fail(Failure::Malformed { encoding, line }));
            }
        }
        Ok(())
    }
}

impl<R: BufRead> io::Read for Source<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Source<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if let Some(failure) = self.failure.clone() {
            return Err(io::Error::other(format!("{failure:?}")));
        }
        if self.out_pos == self.out_len {
            self.refill()?;
        }
        Ok(&self.out[self.out_pos..self.out_len])
    }

    fn consume(&mut self, amt: usize) {
        let end = (self.out_pos + amt).min(self.out_len);
        self.newlines_consumed += count_newlines(&self.out[self.out_pos..end]);
        self.consumed_since_mark += end - self.out_pos;
        self.out_pos = end;
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The encoding named by the BOM or the `<?xml … encoding="…"?>` declaration; `Err(label)` for one
/// we cannot read (UTF-16 and other encodings that are not ASCII-compatible, or unknown names).
pub(crate) fn declared_encoding(prolog: &[u8]) -> Result<Option<&'static Encoding>, String> {
    if prolog.starts_with(b"\xEF\xBB\xBF") {
        return Ok(Some(UTF_8));
    }
    if prolog.starts_with(b"\xFE\xFF")
        || prolog.starts_with(b"\xFF\xFE")
        || prolog.first() == Some(&0)
        || prolog.get(1) == Some(&0)
    {
        return Err("UTF-16".to_string());
    }
    if !prolog.starts_with(b"<?xml") {
        return Ok(None);
    }
    let end = prolog.windows(2).position(|w| w == b"?>").unwrap_or(prolog.len());
    let decl = String::from_utf8_lossy(&prolog[..end]);
    let Some(at) = decl.find("encoding") else {
        return Ok(None);
    };
    let rest = decl[at + "encoding".len()..].trim_start();
    let Some(rest) = rest.strip_prefix('=') else {
        return Ok(None);
    };
    let rest = rest.trim_start();
    let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
        return Ok(None);
    };
    let label: String = rest[1..].chars().take_while(|c| *c != quote).collect();
    match Encoding::for_label(label.trim().as_bytes()) {
        Some(encoding) if encoding.is_ascii_compatible() && encoding != encoding_rs::REPLACEMENT => {
            Ok(Some(encoding))
        }
        _ => Err(label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_name_their_encoding() {
        let latin9 = declared_encoding(b"<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>").unwrap();
        assert_eq!(latin9, Some(encoding_rs::ISO_8859_15));
        let single = declared_encoding(b"<?xml version='1.0' encoding = 'utf-8' ?><a/>").unwrap();
        assert_eq!(single, Some(UTF_8));
        // encoding_rs follows WHATWG: Latin-1 is read as its superset windows-1252.
        let latin1 = declared_encoding(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>").unwrap();
        assert_eq!(latin1, Some(encoding_rs::WINDOWS_1252));
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\"?>").unwrap(), None);
        assert_eq!(declared_encoding(b"<ficAlimMENESR/>").unwrap(), None);
        assert!(declared_encoding(b"<?xml version=\"1.0\" encoding=\"UTF-16\"?>").is_err());
        assert!(declared_encoding(b"<?xml version=\"1.0\" encoding=\"KLINGON\"?>").is_err());
    }
}
