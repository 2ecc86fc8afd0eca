//! One request of an AAF file as read: add, modify (replace) or delete, with its raw attributes.

use std::sync::Arc;

use super::error::{ErrorKind, ParseError, RecordError};

/// The three requests of the ficAlimMENESR DTD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// `addRequest`: the whole record; an upsert on its join key.
    Add,
    /// `modifyRequest`: each listed attribute replaces the stored one; the others stay.
    Modify,
    /// `deleteRequest`: only the identifier.
    Delete,
}

/// One `<attr>` (or `<modification operation="replace">`) with its `<value>`s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    /// Values as written, entities resolved; `<value/>` gives an empty string.
    pub values: Vec<String>,
    /// Line of the `<attr>` tag, for error messages.
    pub line: u64,
}

/// The attributes of a request, in file order. A name given twice has its values merged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes(Vec<Attribute>);

impl Attributes {
    pub fn get(&self, name: &str) -> Option<&Attribute> {
        self.0.iter().find(|a| a.name == name)
    }

    /// The values of an attribute; empty when the attribute is absent.
    pub fn values(&self, name: &str) -> &[String] {
        self.get(name).map(|a| a.values.as_slice()).unwrap_or_default()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Attribute> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn push(&mut self, attribute: Attribute) {
        match self.0.iter_mut().find(|a| a.name == attribute.name) {
            Some(existing) => existing.values.extend(attribute.values),
            None => self.0.push(attribute),
        }
    }

    /// Applies a `modifyRequest`: each attribute of `replacements` takes the place of the same-named one.
    /// For a consumer that keeps the raw attributes of each entity.
    pub fn replace_with(&mut self, replacements: &Attributes) {
        for new in replacements.iter() {
            match self.0.iter_mut().find(|a| a.name == new.name) {
                Some(existing) => *existing = new.clone(),
                None => self.0.push(new.clone()),
            }
        }
    }
}

impl<'a> IntoIterator for &'a Attributes {
    type Item = &'a Attribute;
    type IntoIter = std::slice::Iter<'a, Attribute>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// One request read from the file. The reader hands them out one at a time and keeps none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub action: Action,
    /// `<identifier><id>`: the join key (`ENTPersonJointure`, `ENTStructureJointure`…).
    pub identifier: String,
    /// `categoriePersonne` or `categorieStructure` from `<operationalAttributes>`, when given.
    pub category: Option<String>,
    /// Empty for a delete; only the replaced attributes for a modify.
    pub attributes: Attributes,
    pub file: Arc<str>,
    /// Line of the request's opening tag.
    pub line: u64,
}

impl Operation {
    /// Places a record error in the file: at the line of the attribute it names, else of the request.
    pub fn locate(&self, error: RecordError) -> ParseError {
        let line = self
            .attributes
            .get(&error.attribute)
            .map_or(self.line, |a| a.line);
        ParseError {
            file: self.file.clone(),
            line,
            identifier: Some(self.identifier.clone()),
            kind: ErrorKind::Record(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(name: &str, values: &[&str]) -> Attribute {
        Attribute {
            name: name.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
            line: 1,
        }
    }

    #[test]
    fn repeated_names_merge_and_replacements_replace() {
        let mut attrs = Attributes::default();
        attrs.push(attr("ENTEleveGroupes", &["1$G1"]));
        attrs.push(attr("sn", &["MARTIN"]));
        attrs.push(attr("ENTEleveGroupes", &["1$G2"]));
        assert_eq!(attrs.values("ENTEleveGroupes"), ["1$G1", "1$G2"]);

        let mut delta = Attributes::default();
        delta.push(attr("ENTEleveGroupes", &[""]));
        delta.push(attr("mail", &["a@b.fr"]));
        attrs.replace_with(&delta);
        assert_eq!(attrs.values("ENTEleveGroupes"), [""]);
        assert_eq!(attrs.values("sn"), ["MARTIN"]);
        assert_eq!(attrs.values("mail"), ["a@b.fr"]);
        assert!(attrs.values("absent").is_empty());
    }
}
