//! The ficAlimMENESR DTD as the reader applies it: its elements, what each may contain, and the request
//! being assembled from them.

use super::operation::{Action, Attribute, Attributes};

/// A record's values beyond this are not kept: no real AAF record comes near, and it bounds memory.
const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// The elements of the DTD; anything else is `Other`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tag {
    Root,
    Request(Action),
    OperationalAttributes,
    Identifier,
    Id,
    Attributes,
    Modifications,
    Attr,
    Modification,
    Value,
    Other(String),
}

impl Tag {
    pub(crate) fn of(name: &str) -> Tag {
        match name {
            "ficAlimMENESR" => Tag::Root,
            "addRequest" => Tag::Request(Action::Add),
            "modifyRequest" => Tag::Request(Action::Modify),
            "deleteRequest" => Tag::Request(Action::Delete),
            "operationalAttributes" => Tag::OperationalAttributes,
            "identifier" => Tag::Identifier,
            "id" => Tag::Id,
            "attributes" => Tag::Attributes,
            "modifications" => Tag::Modifications,
            "attr" => Tag::Attr,
            "modification" => Tag::Modification,
            "value" => Tag::Value,
            other => Tag::Other(other.to_string()),
        }
    }

    /// The elements each element may contain, per the DTD.
    pub(crate) fn allows(&self, child: &Tag) -> bool {
        matches!(
            (self, child),
            (Tag::Request(_), Tag::OperationalAttributes | Tag::Identifier)
                | (Tag::Request(Action::Add), Tag::Attributes)
                | (Tag::Request(Action::Modify), Tag::Modifications)
                | (Tag::OperationalAttributes | Tag::Attributes, Tag::Attr)
                | (Tag::Modifications, Tag::Modification)
                | (Tag::Identifier, Tag::Id)
                | (Tag::Attr | Tag::Modification, Tag::Value)
        )
    }

    pub(crate) fn name(&self) -> &str {
        match self {
            Tag::Root => "ficAlimMENESR",
            Tag::Request(Action::Add) => "addRequest",
            Tag::Request(Action::Modify) => "modifyRequest",
            Tag::Request(Action::Delete) => "deleteRequest",
            Tag::OperationalAttributes => "operationalAttributes",
            Tag::Identifier => "identifier",
            Tag::Id => "id",
            Tag::Attributes => "attributes",
            Tag::Modifications => "modifications",
            Tag::Attr => "attr",
            Tag::Modification => "modification",
            Tag::Value => "value",
            Tag::Other(name) => name,
        }
    }
}

/// An opening tag with the two XML attributes the DTD uses.
pub(crate) struct Start {
    pub(crate) tag: Tag,
    pub(crate) empty: bool,
    pub(crate) name: Option<String>,
    pub(crate) operation: Option<String>,
}

/// What has been read of the request in progress.
#[derive(Default)]
pub(crate) struct Request {
    /// Open elements, the request itself first; the request is over when it is empty.
    pub(crate) path: Vec<Tag>,
    pub(crate) identifier: Option<String>,
    pub(crate) category: Option<String>,
    pub(crate) attributes: Attributes,
    /// The `<attr>` or `<modification>` being read.
    current: Option<Attribute>,
    /// The first DTD violation, with its line.
    pub(crate) problem: Option<(u64, String)>,
    size: usize,
}

impl Request {
    pub(crate) fn new(action: Action) -> Request {
        Request {
            path: vec![Tag::Request(action)],
            ..Request::default()
        }
    }

    pub(crate) fn problem(&mut self, line: u64, message: String) {
        self.problem.get_or_insert((line, message));
    }

    pub(crate) fn open_attribute(&mut self, start: &Start, line: u64) {
        let replace = start.tag == Tag::Attr || start.operation.as_deref() == Some("replace");
        match (&start.name, replace) {
            (Some(name), true) => {
                self.current = Some(Attribute {
                    name: name.clone(),
                    values: Vec::new(),
                    line,
                });
            }
            (None, _) => self.problem(line, format!("<{}> sans attribut name", start.tag.name())),
            (Some(name), false) => {
                let op = start.operation.as_deref().unwrap_or_default();
                let message =
                    format!("<modification name=\"{name}\"> : opération « {op} » au lieu de « replace »");
                self.problem(line, message);
            }
        }
    }

    /// Closes the innermost element of the request, storing what it held.
    pub(crate) fn close(&mut self, text: &mut String, line: u64) {
        let Some(tag) = self.path.pop() else {
            return;
        };
        match tag {
            Tag::Value => {
                self.size += text.len();
                if let Some(attr) = self.current.as_mut() {
                    attr.values.push(std::mem::take(text));
                }
            }
            Tag::Id => {
                let id = text.trim();
                self.identifier = (!id.is_empty()).then(|| id.to_string());
            }
            Tag::Attr if self.path.last() == Some(&Tag::OperationalAttributes) => {
                if let Some(attr) = self.current.take().filter(|a| a.name.starts_with("categorie")) {
                    self.category = attr.values.into_iter().next();
                }
            }
            Tag::Attr | Tag::Modification => {
                if let Some(attr) = self.current.take() {
                    self.attributes.push(attr);
                }
            }
            _ => {}
        }
        text.clear();
        if self.size > MAX_RECORD_BYTES {
            let message = format!("enregistrement de plus de {MAX_RECORD_BYTES} octets");
            self.problem(line, message);
            self.attributes = Attributes::default();
            self.size = 0;
        }
    }
}
