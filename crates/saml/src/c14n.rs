//! Exclusive XML Canonicalization 1.0 (with or without comments, with an InclusiveNamespaces PrefixList) of
//! one element's subtree, optionally leaving out one descendant (the enveloped-signature transform).
//!
//! roxmltree keeps no prefixes, so element and attribute qnames are read back from the source text.

use roxmltree::{Node, NodeId, NodeType};

/// How to canonicalize: the parameters a `ds:Transform` or `ds:CanonicalizationMethod` can carry.
#[derive(Debug, Default, Clone)]
pub(crate) struct Options {
    pub with_comments: bool,
    /// Prefixes treated as in inclusive c14n; `""` stands for `#default`.
    pub inclusive_prefixes: Vec<String>,
    /// A node left out with its subtree (the `ds:Signature` being verified).
    pub exclude: Option<NodeId>,
}

/// The canonical form of `apex` and its subtree.
pub(crate) fn canonicalize(apex: Node, options: &Options) -> String {
    let mut out = String::new();
    // Nothing is rendered above the apex: only the empty default namespace is "in effect".
    let rendered = vec![(String::new(), String::new())];
    node(&mut out, apex, options, &rendered);
    out
}

fn node(out: &mut String, n: Node, options: &Options, rendered: &[(String, String)]) {
    if Some(n.id()) == options.exclude {
        return;
    }
    match n.node_type() {
        NodeType::Element => element(out, n, options, rendered),
        NodeType::Text => text(out, n.text().unwrap_or("")),
        NodeType::Comment if options.with_comments => {
            out.push_str("<!--");
            out.push_str(n.text().unwrap_or(""));
            out.push_str("-->");
        }
        NodeType::PI => {
            if let Some(pi) = n.pi() {
                out.push_str("<?");
                out.push_str(pi.target);
                if let Some(value) = pi.value.filter(|v| !v.is_empty()) {
                    out.push(' ');
                    out.push_str(value);
                }
                out.push_str("?>");
            }
        }
        NodeType::Comment | NodeType::Root => {}
    }
}

fn element(out: &mut String, e: Node, options: &Options, rendered: &[(String, String)]) {
    let source = e.document().input_text();
    let qname = element_qname(source, e);
    let prefix = qname.split_once(':').map_or("", |(p, _)| p);

    // Namespaces visibly utilized by the element and its attributes, plus the inclusive ones in scope.
    let mut wanted: Vec<&str> = vec![prefix];
    let attributes: Vec<(&str, roxmltree::Attribute)> = e
        .attributes()
        .map(|a| (source.get(a.range_qname()).unwrap_or(a.name()), a))
        .collect();
    for (name, _) in &attributes {
        if let Some((p, _)) = name.split_once(':')
            && p != "xml"
        {
            wanted.push(p);
        }
    }
    for p in &options.inclusive_prefixes {
        let in_scope = if p.is_empty() {
            true
        } else {
            e.lookup_namespace_uri(Some(p)).is_some()
        };
        if in_scope {
            wanted.push(p);
        }
    }
    wanted.sort_unstable();
    wanted.dedup();

    let mut declared: Vec<(String, String)> = Vec::new();
    for p in wanted {
        let uri = if p.is_empty() {
            if prefix.is_empty() {
                e.tag_name().namespace()
            } else {
                e.default_namespace()
            }
        } else {
            e.lookup_namespace_uri(Some(p))
        }
        .unwrap_or("");
        let current = rendered
            .iter()
            .rev()
            .find(|(rp, _)| rp == p)
            .map(|(_, u)| u.as_str());
        if current != Some(uri) && !(p.is_empty() && uri.is_empty() && current.is_none()) {
            declared.push((p.to_string(), uri.to_string()));
        }
    }

    out.push('<');
    out.push_str(qname);
    for (p, uri) in &declared {
        out.push_str(if p.is_empty() { " xmlns" } else { " xmlns:" });
        out.push_str(p);
        out.push_str("=\"");
        attribute_value(out, uri);
        out.push('"');
    }
    let mut sorted = attributes;
    sorted.sort_by(|(_, a), (_, b)| {
        (a.namespace().unwrap_or(""), a.name()).cmp(&(b.namespace().unwrap_or(""), b.name()))
    });
    for (name, a) in &sorted {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        attribute_value(out, a.value());
        out.push('"');
    }
    out.push('>');

    let inner: Vec<(String, String)>;
    let rendered = if declared.is_empty() {
        rendered
    } else {
        inner = rendered.iter().cloned().chain(declared).collect();
        &inner
    };
    for child in e.children() {
        node(out, child, options, rendered);
    }
    out.push_str("</");
    out.push_str(qname);
    out.push('>');
}

/// The element's name as written, read back from the source after its `<`.
fn element_qname<'i>(source: &'i str, e: Node<'_, 'i>) -> &'i str {
    let start = e.range().start + 1;
    let rest = source.get(start..).unwrap_or("");
    let end = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    rest.get(..end)
        .filter(|q| !q.is_empty())
        .unwrap_or(e.tag_name().name())
}

fn text(out: &mut String, t: &str) {
    for c in t.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

fn attribute_value(out: &mut String, v: &str) {
    for c in v.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SamlError;

    fn c14n_of(xml: &str, path: &[&str], options: &Options) -> Result<String, SamlError> {
        let doc = crate::xml::parse(xml)?;
        let mut at = doc.root_element();
        for name in path {
            at = at
                .children()
                .find(|c| c.tag_name().name() == *name)
                .ok_or_else(|| SamlError::malformed(*name))?;
        }
        Ok(canonicalize(at, options))
    }

    #[test]
    fn only_visibly_used_namespaces_are_rendered_where_first_used() -> Result<(), SamlError> {
        let xml = r#"<r:root xmlns:r="urn:r" xmlns:a="urn:a" xmlns:unused="urn:u" xmlns="urn:d">
<a:child a:x="1"><inner/></a:child></r:root>"#;
        let out = c14n_of(xml, &["child"], &Options::default())?;
        assert_eq!(
            out,
            r#"<a:child xmlns:a="urn:a" a:x="1"><inner xmlns="urn:d"></inner></a:child>"#
        );
        Ok(())
    }

    #[test]
    fn a_namespace_already_rendered_by_an_ancestor_is_not_repeated() -> Result<(), SamlError> {
        let xml = r#"<a:x xmlns:a="urn:a"><a:y><a:z xmlns:a="urn:a"/><a:w xmlns:a="urn:other"/></a:y></a:x>"#;
        let out = c14n_of(xml, &[], &Options::default())?;
        assert_eq!(
            out,
            r#"<a:x xmlns:a="urn:a"><a:y><a:z></a:z><a:w xmlns:a="urn:other"></a:w></a:y></a:x>"#
        );
        Ok(())
    }

    #[test]
    fn attributes_sort_by_namespace_uri_then_local_name() -> Result<(), SamlError> {
        let xml = r#"<e xmlns:b="urn:b" xmlns:a="urn:z" b:attr="1" z="2" a:attr="3" ID="4"/>"#;
        let out = c14n_of(xml, &[], &Options::default())?;
        assert_eq!(
            out,
            r#"<e xmlns:a="urn:z" xmlns:b="urn:b" ID="4" z="2" b:attr="1" a:attr="3"></e>"#
        );
        Ok(())
    }

    #[test]
    fn empty_elements_are_expanded_and_text_escaped() -> Result<(), SamlError> {
        let xml = "<e a='x&amp;&lt;&quot;&#9;&#10;y'>1 &lt; 2 &amp;&amp; 3 &gt; 2\r\n<![CDATA[<c>]]><f/></e>";
        let out = c14n_of(xml, &[], &Options::default())?;
        assert_eq!(
            out,
            "<e a=\"x&amp;&lt;&quot;&#x9;&#xA;y\">1 &lt; 2 &amp;&amp; 3 &gt; 2\n&lt;c&gt;<f></f></e>"
        );
        Ok(())
    }

    #[test]
    fn comments_are_kept_only_when_asked_and_excluded_subtree_dropped() -> Result<(), SamlError> {
        let xml = "<e><!-- note --><s><t/></s><k/></e>";
        let doc = crate::xml::parse(xml)?;
        let root = doc.root_element();
        let s = root
            .first_element_child()
            .ok_or_else(|| SamlError::malformed("s"))?;
        let mut options = Options {
            exclude: Some(s.id()),
            ..Options::default()
        };
        assert_eq!(canonicalize(root, &options), "<e><k></k></e>");
        options.with_comments = true;
        assert_eq!(canonicalize(root, &options), "<e><!-- note --><k></k></e>");
        Ok(())
    }

    #[test]
    fn inclusive_prefixes_render_unused_namespaces_and_default_can_be_undeclared() -> Result<(), SamlError> {
        let xml =
            r#"<root xmlns="urn:d" xmlns:xs="urn:xs" xmlns:p="urn:p"><p:e><plain xmlns=""/></p:e></root>"#;
        let options = Options {
            inclusive_prefixes: vec!["xs".into(), String::new()],
            ..Options::default()
        };
        let out = c14n_of(xml, &["e"], &options)?;
        assert_eq!(
            out,
            r#"<p:e xmlns="urn:d" xmlns:p="urn:p" xmlns:xs="urn:xs"><plain xmlns=""></plain></p:e>"#
        );
        // Without the list, nothing declares a default namespace, so none is undeclared.
        assert_eq!(
            c14n_of(xml, &["e"], &Options::default())?,
            r#"<p:e xmlns:p="urn:p"><plain></plain></p:e>"#
        );
        Ok(())
    }
}
