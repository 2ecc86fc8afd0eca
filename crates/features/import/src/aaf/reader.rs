//! The streaming reader: ficAlimMENESR XML in, one [`Operation`] at a time out, in flat memory.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::QName;

use super::error::{ErrorKind, ParseError};
use super::grammar::{Request, Start, Tag};
use super::operation::{Action, Operation};
use super::source::{Failure, MAX_EVENT_BYTES, Source};

/// An event, owned, so that the parse buffer can be reused at once. Text goes to `Reader::text`.
enum Ev {
    Start(Start),
    /// quick-xml has checked that it closes the innermost open element.
    End,
    Text,
    Other,
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Prolog,
    InRoot,
    AfterRoot,
    Done,
}

/// Reads one AAF file as a stream of [`Operation`]s.
///
/// After a structure or record error the next call goes on with the next request; after an XML,
/// encoding or I/O error (see [`ParseError::is_fatal`]) the iteration ends.
pub struct Reader<R: BufRead> {
    xml: quick_xml::Reader<Source<R>>,
    buf: Vec<u8>,
    text: String,
    file: Arc<str>,
    state: State,
}

impl Reader<BufReader<File>> {
    /// Opens a file; errors carry its file name (without the directories).
    pub fn open(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let name = path
            .file_name()
            .map_or_else(|| path.to_string_lossy(), |n| n.to_string_lossy());
        Ok(Reader::new(BufReader::new(File::open(path)?), &name))
    }
}

impl<R: BufRead> Reader<R> {
    pub fn new(reader: R, file_name: &str) -> Self {
        let mut xml = quick_xml::Reader::from_reader(Source::new(reader));
        xml.config_mut().check_end_names = true;
        Reader {
            xml,
            buf: Vec::new(),
            text: String::new(),
            file: Arc::from(file_name),
            state: State::Prolog,
        }
    }

    pub fn file_name(&self) -> &str {
        &self.file
    }

    /// The 1-based line the reader has reached.
    pub fn line(&self) -> u64 {
        self.xml.get_ref().line()
    }

    /// The encoding being decoded (`UTF-8`, `ISO-8859-15`…), known once reading has started.
    pub fn encoding(&self) -> Option<&'static str> {
        self.xml.get_ref().encoding().map(encoding_rs::Encoding::name)
    }

    /// Capacity of the buffers the reader holds between records; stays small whatever the file size.
    pub fn buffered_bytes(&self) -> usize {
        self.xml.get_ref().buffered_bytes() + self.buf.capacity() + self.text.capacity()
    }

    /// The next request of the file, `None` at the end or after a fatal error.
    pub fn next_operation(&mut self) -> Option<Result<Operation, ParseError>> {
        loop {
            let line = self.line();
            let event = match self.state {
                State::Done => return None,
                _ => match self.read() {
                    Ok(event) => event,
                    Err(e) => return Some(Err(e)),
                },
            };
            match (self.state, event) {
                (_, Ev::Other) => {}
                (State::Prolog, Ev::Start(start)) if start.tag == Tag::Root => {
                    self.state = if start.empty {
                        State::AfterRoot
                    } else {
                        State::InRoot
                    };
                }
                (State::Prolog, Ev::Start(start)) => {
                    let message = format!("élément racine <{}> au lieu de <ficAlimMENESR>", start.tag.name());
                    return Some(Err(self.fatal(line, ErrorKind::Xml(message))));
                }
                (
                    State::InRoot,
                    Ev::Start(Start {
                        tag: Tag::Request(action),
                        empty: false,
                        ..
                    }),
                ) => {
                    return Some(self.read_request(action, line));
                }
                (State::InRoot, Ev::Start(start)) => {
                    if !start.empty
                        && let Err(e) = self.skip(&start.tag)
                    {
                        return Some(Err(e));
                    }
                    let message = format!(
                        "élément <{}> vide ou inattendu dans <ficAlimMENESR>",
                        start.tag.name()
                    );
                    return Some(Err(self.error(line, None, ErrorKind::Structure(message))));
                }
                (State::InRoot, Ev::End) => self.state = State::AfterRoot,
                (State::AfterRoot, Ev::Eof) => {
                    self.state = State::Done;
                    return None;
                }
                (_, Ev::Eof) => return Some(Err(self.fatal(line, ErrorKind::Truncated))),
                (_, Ev::Text) => {
                    if !self.text.trim().is_empty() {
                        let message = "texte hors de tout élément".to_string();
                        return Some(Err(self.fatal(line, ErrorKind::Xml(message))));
                    }
                    self.text.clear();
                }
                (_, Ev::Start(_) | Ev::End) => {
                    let message = "contenu après l'élément racine".to_string();
                    return Some(Err(self.fatal(line, ErrorKind::Xml(message))));
                }
            }
        }
    }

    /// Reads one request up to its closing tag. A DTD violation inside it is reported once the request
    /// is over, so that the next call starts cleanly on the following one.
    fn read_request(&mut self, action: Action, line: u64) -> Result<Operation, ParseError> {
        let mut request = Request::new(action);
        self.text.clear();
        while !request.path.is_empty() {
            let event_line = self.line();
            let event = self.read().map_err(|e| ParseError {
                identifier: request.identifier.clone(),
                ..e
            })?;
            match event {
                Ev::Start(start) => {
                    let parent = request.path.last().cloned().unwrap_or(Tag::Root);
                    if !parent.allows(&start.tag) {
                        let message = format!(
                            "élément <{}> inattendu dans <{}>",
                            start.tag.name(),
                            parent.name()
                        );
                        request.problem(event_line, message);
                        if !start.empty {
                            self.skip(&start.tag).map_err(|e| ParseError {
                                identifier: request.identifier.clone(),
                                ..e
                            })?;
                        }
                        continue;
                    }
                    if matches!(start.tag, Tag::Attr | Tag::Modification) {
                        request.open_attribute(&start, event_line);
                    }
                    self.text.clear();
                    request.path.push(start.tag);
                    if start.empty {
                        request.close(&mut self.text, event_line);
                    }
                }
                Ev::End => request.close(&mut self.text, event_line),
                Ev::Text => {
                    if !matches!(request.path.last(), Some(Tag::Value | Tag::Id)) {
                        if !self.text.trim().is_empty() {
                            let message = format!("texte inattendu « {} »", self.text.trim());
                            request.problem(event_line, message);
                        }
                        self.text.clear();
                    }
                }
                Ev::Other => {}
                Ev::Eof => {
                    let error = self.fatal(event_line, ErrorKind::Truncated);
                    return Err(ParseError {
                        identifier: request.identifier,
                        ..error
                    });
                }
            }
        }
        match (request.problem, request.identifier) {
            (Some((line, message)), identifier) => {
                Err(self.error(line, identifier, ErrorKind::Structure(message)))
            }
            (None, None) => {
                let message = "<identifier><id> absent ou vide".to_string();
                Err(self.error(line, None, ErrorKind::Structure(message)))
            }
            (None, Some(identifier)) => Ok(Operation {
                action,
                identifier,
                category: request.category,
                attributes: request.attributes,
                file: self.file.clone(),
                line,
            }),
        }
    }

    /// Reads past an element the DTD does not allow there.
    fn skip(&mut self, tag: &Tag) -> Result<(), ParseError> {
        let line = self.line();
        match self.xml.read_to_end_into(QName(tag.name()), &mut self.buf) {
            Ok(_) => Ok(()),
            Err(e) => {
                let kind = self.xml_error(e);
                Err(self.fatal(line, kind))
            }
        }
    }

    fn read(&mut self) -> Result<Ev, ParseError> {
        self.buf.clear();
        self.xml.get_mut().mark();
        let result = match self.xml.read_event_into(&mut self.buf) {
            Ok(Event::Start(e)) => start(&e, false),
            Ok(Event::Empty(e)) => start(&e, true),
            Ok(Event::End(_)) => Ok(Ev::End),
            Ok(Event::Text(e)) => {
                self.text.push_str(&e.xml10_content());
                Ok(Ev::Text)
            }
            Ok(Event::CData(e)) => {
                self.text.push_str(&e);
                Ok(Ev::Text)
            }
            Ok(Event::GeneralRef(e)) => match resolve(&e) {
                Some(resolved) => {
                    self.text.push(resolved);
                    Ok(Ev::Text)
                }
                None => Err(Err(format!("entité inconnue &{};", &*e))),
            },
            Ok(Event::Eof) => Ok(Ev::Eof),
            Ok(_) => Ok(Ev::Other),
            Err(e) => Err(Ok(e)),
        };
        if self.buf.capacity() > MAX_EVENT_BYTES {
            // One long event is refused anyway; do not keep its buffer for the rest of the file.
            self.buf = Vec::new();
        }
        result.map_err(|e| {
            let kind = match e {
                Ok(xml) => self.xml_error(xml),
                Err(message) => ErrorKind::Xml(message),
            };
            // The parser has consumed up to the fault, so its position is the fault's line.
            self.fatal(self.line(), kind)
        })
    }

    fn xml_error(&self, error: quick_xml::Error) -> ErrorKind {
        use quick_xml::errors::{IllFormedError, SyntaxError};
        if let Some(failure) = self.xml.get_ref().failure() {
            return match failure {
                Failure::Malformed { encoding, .. } => ErrorKind::Encoding { encoding },
                Failure::Unsupported(label) => ErrorKind::UnsupportedEncoding(label.clone()),
                Failure::TooLarge => ErrorKind::TooLarge {
                    limit: MAX_EVENT_BYTES,
                },
            };
        }
        let message = match error {
            quick_xml::Error::Io(e) => return ErrorKind::Io(e.to_string()),
            quick_xml::Error::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
                format!("balise </{found}> au lieu de </{expected}>")
            }
            quick_xml::Error::IllFormed(IllFormedError::UnmatchedEndTag(name)) => {
                format!("balise </{name}> sans balise ouvrante")
            }
            quick_xml::Error::IllFormed(IllFormedError::MissingEndTag(name)) => {
                format!("balise <{name}> jamais refermée")
            }
            quick_xml::Error::Syntax(SyntaxError::UnclosedTag) => {
                "balise non refermée (fichier tronqué ?)".to_string()
            }
            other => other.to_string(),
        };
        ErrorKind::Xml(message)
    }

    fn error(&self, line: u64, identifier: Option<String>, kind: ErrorKind) -> ParseError {
        ParseError {
            file: self.file.clone(),
            line,
            identifier,
            kind,
        }
    }

    /// An error after which nothing more is read.
    fn fatal(&mut self, line: u64, kind: ErrorKind) -> ParseError {
        self.state = State::Done;
        // An encoding failure knows its exact line; the parser's position may be a buffer ahead.
        let line = match self.xml.get_ref().failure() {
            Some(Failure::Malformed { line, .. }) => *line,
            _ => line,
        };
        self.error(line, None, kind)
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Operation, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_operation()
    }
}

fn start(e: &BytesStart<'_>, empty: bool) -> Result<Ev, Result<quick_xml::Error, String>> {
    let tag = Tag::of(e.name().0);
    let (mut name, mut operation) = (None, None);
    if matches!(tag, Tag::Attr | Tag::Modification) {
        for attribute in e.attributes() {
            let attribute = attribute.map_err(|e| Ok(e.into()))?;
            let value = attribute.normalized_value(XmlVersion::Implicit1_0).map_err(Ok)?;
            match attribute.key.0 {
                "name" => name = Some(value.into_owned()),
                "operation" => operation = Some(value.into_owned()),
                _ => {}
            }
        }
    }
    Ok(Ev::Start(Start {
        tag,
        empty,
        name,
        operation,
    }))
}

/// `&#233;`, `&#xE9;` and the five predefined entities; a DTD-defined entity is not supported.
fn resolve(reference: &BytesRef<'_>) -> Option<char> {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return Some(c);
    }
    let resolved = quick_xml::escape::resolve_predefined_entity(reference)?;
    resolved.chars().next()
}
