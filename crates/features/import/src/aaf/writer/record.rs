//! One request being assembled by the writer: its attributes, escaped as they are added.

use std::fmt::Write as _;

use super::{AafWriter, WriteError};
use crate::aaf::operation::Action;

/// One request being assembled. Dropped without [`RecordBuilder::write`], it writes nothing.
pub struct RecordBuilder<'w> {
    pub(super) writer: &'w mut AafWriter,
    pub(super) action: Action,
}

impl RecordBuilder<'_> {
    /// Adds a multi-valued attribute. No value writes `<value/>`, which AAF reads as "none" (and a
    /// `modifyRequest` as "clear this attribute").
    pub fn attr<I, S>(&mut self, name: &str, values: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        if self.action == Action::Delete {
            return self;
        }
        let (tag, operation) = match self.action {
            Action::Modify => ("modification", " operation=\"replace\""),
            _ => ("attr", ""),
        };
        let buf = &mut self.writer.buf;
        let _ = write!(buf, "      <{tag} name=\"");
        escape_into(buf, name);
        buf.push('"');
        buf.push_str(operation);
        buf.push('>');
        let mut any = false;
        for value in values {
            buf.push_str("<value>");
            escape_into(buf, value.as_ref());
            buf.push_str("</value>");
            any = true;
        }
        if !any {
            buf.push_str("<value/>");
        }
        let _ = writeln!(buf, "</{tag}>");
        self
    }

    /// Adds a single-valued attribute.
    pub fn value(&mut self, name: &str, value: &str) -> &mut Self {
        self.attr(name, [value])
    }

    /// Adds the attribute when there is a value; for optional fields such as `mail`.
    pub fn optional(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) if !v.trim().is_empty() => self.attr(name, [v]),
            _ => self,
        }
    }

    /// Closes the request and appends it to the current chunk.
    pub fn write(self) -> Result<(), WriteError> {
        let buf = &mut self.writer.buf;
        match self.action {
            Action::Add => buf.push_str("    </attributes>\n  </addRequest>\n"),
            Action::Modify => buf.push_str("    </modifications>\n  </modifyRequest>\n"),
            Action::Delete => buf.push_str("  </deleteRequest>\n"),
        }
        self.writer.commit()
    }
}

/// Escapes text for element content and attribute values. Control characters that XML 1.0 forbids
/// even as references (they come from pasted text) become spaces; a carriage return is kept as a
/// reference, which parsers would otherwise turn into a newline.
pub(super) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push(' '),
            c => out.push(c),
        }
    }
}

/// Where in the record a refused character sits, from the markup before it: the last attribute
/// opened, unless the identifier comes later.
pub(super) fn place_of(before: &str) -> String {
    let attr = before.rfind(" name=\"");
    let id = before.rfind("<id>");
    match attr {
        Some(at) if id < Some(at) => {
            let name = &before[at + " name=\"".len()..];
            let name = name.split('"').next().unwrap_or(name);
            format!("attribut {name}")
        }
        _ => "identifiant".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_text_and_drops_forbidden_controls() {
        let mut out = String::new();
        escape_into(&mut out, "A&B <c> \"d\"\r\u{1}é\t");
        assert_eq!(out, "A&amp;B &lt;c&gt; &quot;d&quot;&#13; é\t");
    }

    #[test]
    fn places_name_the_attribute_or_the_identifier() {
        let record = "<attr name=\"categoriePersonne\"><value>Eleve</value></attr><identifier><id>12";
        assert_eq!(place_of(record), "identifiant");
        let record = format!("{record}</id></identifier><attributes><attr name=\"sn\"><value>Ł");
        assert_eq!(place_of(&record), "attribut sn");
    }
}
