//! Rich text written by people (messages, news, agenda, blogs): what HTML is kept, how plain text
//! becomes HTML, and the plain-text reading of stored HTML (previews, search, e-mails).
//!
//! Everything that reaches a page as HTML goes through [`sanitize`] when it is *stored*, so the pages
//! can print it as is. The allow-list is short on purpose: text formatting, lists, quotes, simple tables
//! and links to web or mail addresses. No images (a remote image in a message is a read tracker), no
//! styles, classes, ids, scripts, forms or frames.

use std::collections::HashSet;
use std::sync::OnceLock;

/// The tags a person's rich text may keep.
const TAGS: [&str; 24] = [
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "h3",
    "h4",
    "pre",
    "code",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
];

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::empty();
        b.tags(TAGS.iter().copied().chain(["th"]).collect::<HashSet<_>>())
            .tag_attributes(
                [("a", ["href"].into_iter().collect::<HashSet<_>>())]
                    .into_iter()
                    .collect(),
            )
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            // Relative links would point inside Ardoise with the reader's session: none.
            .url_relative(ammonia::UrlRelative::Deny)
            .link_rel(Some("noopener noreferrer nofollow ugc"))
            .strip_comments(true);
        b
    })
}

/// The safe HTML to store for `html` written by a person: allow-listed tags, links only to http(s)
/// and mailto addresses, everything else dropped (the text of dropped formatting tags is kept; the
/// content of scripts and styles is not).
pub fn sanitize(html: &str) -> String {
    cleaner().clean(html).to_string()
}

/// HTML for text typed in a plain text area: every character escaped, blank lines between paragraphs,
/// line breaks kept, and the three habits of people writing plain text honoured — lines starting with
/// "- " make a list, `**words**` are bold, web addresses become links.
pub fn from_plain(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out = String::new();
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let lines: Vec<&str> = para.lines().map(str::trim).collect();
        let bullet = |l: &str| {
            l.strip_prefix("- ")
                .or_else(|| l.strip_prefix("• "))
                .map(str::to_string)
        };
        if lines.iter().all(|l| bullet(l).is_some()) {
            out.push_str("<ul>");
            for l in &lines {
                out.push_str("<li>");
                out.push_str(&inline(&bullet(l).unwrap_or_default()));
                out.push_str("</li>");
            }
            out.push_str("</ul>");
        } else {
            out.push_str("<p>");
            out.push_str(&lines.iter().map(|l| inline(l)).collect::<Vec<_>>().join("<br>"));
            out.push_str("</p>");
        }
    }
    out
}

/// One line of plain text as HTML: escaped, `**bold**`, links.
fn inline(line: &str) -> String {
    let parts: Vec<&str> = line.split("**").collect();
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        // Odd parts stand between two "**", unless the last "**" has no partner.
        match (i % 2 == 1, i + 1 < parts.len()) {
            (true, true) => out.push_str(&format!("<strong>{}</strong>", linked(part))),
            (true, false) => out.push_str(&format!("**{}", linked(part))),
            _ => out.push_str(&linked(part)),
        }
    }
    out
}

/// Escaped text with its http(s) addresses as links (trailing punctuation left out of the address).
fn linked(text: &str) -> String {
    let mut out = String::new();
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.starts_with("https://") || word.starts_with("http://") {
            let url = word.trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
            let rest = &word[url.len()..];
            let url = crate::markup_escape(url);
            out.push_str(&format!("<a href=\"{url}\">{url}</a>"));
            out.push_str(&crate::markup_escape(rest));
        } else {
            out.push_str(&crate::markup_escape(word));
        }
    }
    out
}

/// The text of (sanitized) HTML: tags removed, block ends as line breaks, references decoded, runs
/// of blank lines folded. For previews, search and the text part of e-mails.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                let mut tag = String::new();
                let mut quote = None;
                for c in chars.by_ref() {
                    match (quote, c) {
                        (None, '>') => break,
                        (None, '"' | '\'') => quote = Some(c),
                        (Some(q), c) if c == q => quote = None,
                        _ => {}
                    }
                    if tag.len() < 12 {
                        tag.push(c.to_ascii_lowercase());
                    }
                }
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                let closing = tag.starts_with('/');
                match name.as_str() {
                    "br" => out.push('\n'),
                    "p" | "li" | "h3" | "h4" | "blockquote" | "pre" | "tr" | "div" if closing => {
                        out.push('\n')
                    }
                    "td" | "th" if closing => out.push(' '),
                    "li" => out.push_str("• "),
                    _ => {}
                }
            }
            '&' => {
                let mut entity = String::new();
                while let Some(&n) = chars.peek() {
                    if n == ';' || entity.len() > 10 {
                        break;
                    }
                    entity.push(n);
                    chars.next();
                }
                if chars.peek() == Some(&';') {
                    chars.next();
                    match decode(&entity) {
                        Some(c) => out.push(c),
                        None => {
                            out.push('&');
                            out.push_str(&entity);
                            out.push(';');
                        }
                    }
                } else {
                    out.push('&');
                    out.push_str(&entity);
                }
            }
            c => out.push(c),
        }
    }
    fold_blank_lines(&out)
}

fn decode(entity: &str) -> Option<char> {
    match entity {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let n = entity.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

fn fold_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line.trim_start());
    }
    out
}

/// The first `max` characters of `text` on one line, with an ellipsis when cut (list previews).
pub fn preview(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(max).collect();
    if let Some(space) = cut.rfind(' ').filter(|&i| i > 0) {
        cut.truncate(space);
    }
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Attacks from the usual XSS cheat sheets: none may leave a script, an event handler, a
    /// javascript: or data: URL, a style, a frame or a form in the stored HTML.
    const CORPUS: &[&str] = &[
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">clic</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">clic</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">clic</a>",
        "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<object data=\"x.swf\"></object><embed src=x>",
        "<form action=\"https://evil.example\"><input name=password></form>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<div onclick=\"alert(1)\">x</div>",
        "<body onload=alert(1)>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<link rel=stylesheet href=//evil.example/x.css>",
        "<base href=\"https://evil.example/\">",
        "<<script>script>alert(1)<</script>/script>",
        "<scr<script>ipt>alert(1)</script>",
        "<p title=\"</p><script>alert(1)</script>\">x</p>",
        "<!--<script>alert(1)</script>-->",
        "<![CDATA[<script>alert(1)</script>]]>",
        "<a href=\"/compte/supprimer\">lien interne</a>",
        "<a href=\"//evil.example\">x</a>",
        "<details open ontoggle=alert(1)>",
        "<video><source onerror=alert(1)></video>",
        "<textarea><script>alert(1)</script></textarea>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        "<style>@import 'javascript:alert(1)';</style>",
        "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
        "<button formaction=javascript:alert(1)>x</button>",
    ];

    fn dangerous(html: &str) -> Option<&'static str> {
        let lower = html.to_ascii_lowercase();
        [
            "<script",
            "javascript:",
            "vbscript:",
            "data:",
            " on",
            "<img",
            "<svg",
            "<iframe",
            "<object",
            "<embed",
            "<form",
            "<input",
            "<style",
            "style=",
            "<meta",
            "<link",
            "<base",
            "<math",
            "<textarea",
            "<button",
            "<video",
            "<details",
            "<noscript",
        ]
        .into_iter()
        .find(|bad| lower.contains(bad))
    }

    #[test]
    fn the_xss_corpus_leaves_nothing_executable() {
        for attack in CORPUS {
            let clean = sanitize(attack);
            assert_eq!(dangerous(&clean), None, "{attack} → {clean}");
            // Sanitizing is stable: what is stored comes back unchanged.
            assert_eq!(sanitize(&clean), clean, "{attack}");
        }
    }

    #[test]
    fn formatting_and_web_links_are_kept() {
        let html = "<p>Bonjour <strong>à tous</strong>, <em>voir</em> <a href=\"https://www.education.gouv.fr/x\">le site</a>.</p><ul><li>un</li><li>deux</li></ul>";
        let clean = sanitize(html);
        assert!(clean.contains("<strong>à tous</strong>"), "{clean}");
        assert!(clean.contains("<li>deux</li>"), "{clean}");
        assert!(
            clean.contains("href=\"https://www.education.gouv.fr/x\""),
            "{clean}"
        );
        assert!(
            clean.contains("rel=\"noopener noreferrer nofollow ugc\""),
            "{clean}"
        );
    }

    #[test]
    fn links_inside_ardoise_and_relative_links_are_dropped() {
        let clean = sanitize("<a href=\"/compte/supprimer\">ici</a>");
        assert!(!clean.contains("href"), "{clean}");
        assert!(clean.contains("ici"), "{clean}");
    }

    #[test]
    fn plain_text_is_escaped_into_paragraphs() {
        let html = from_plain("Bonjour,\r\n<script>x</script> & merci\n\nCordialement");
        assert_eq!(
            html,
            "<p>Bonjour,<br>&lt;script&gt;x&lt;/script&gt; &amp; merci</p><p>Cordialement</p>"
        );
        assert_eq!(sanitize(&html), html);
    }

    #[test]
    fn plain_text_habits_become_lists_bold_and_links() {
        let html = from_plain(
            "À apporter :\n\n- un **cahier**\n- https://exemple.fr/liste?a=1&b=2.\n\nMerci **beaucoup",
        );
        assert_eq!(
            html,
            "<p>À apporter :</p><ul><li>un <strong>cahier</strong></li><li><a href=\"https://exemple.fr/liste?a=1&amp;b=2\">https://exemple.fr/liste?a=1&amp;b=2</a>.</li></ul><p>Merci **beaucoup</p>"
        );
        let clean = sanitize(&html);
        assert!(clean.contains("<strong>cahier</strong>"), "{clean}");
        assert!(
            clean.contains("href=\"https://exemple.fr/liste?a=1&amp;b=2\""),
            "{clean}"
        );
        // A "link" with a script scheme stays text.
        assert_eq!(from_plain("javascript:alert(1)"), "<p>javascript:alert(1)</p>");
    }

    #[test]
    fn the_text_of_html_reads_like_the_message() {
        let html = sanitize(
            "<p>Sortie au musée&nbsp;: 12 &lt; 15 &amp; &#233;t&#xE9;</p><ul><li>carnet</li><li>stylo</li></ul><p>Merci</p>",
        );
        assert_eq!(
            plain_text(&html),
            "Sortie au musée\u{a0}: 12 < 15 & été\n• carnet\n• stylo\nMerci"
        );
    }

    #[test]
    fn previews_cut_on_a_word() {
        assert_eq!(
            preview("Réunion parents-professeurs jeudi", 100),
            "Réunion parents-professeurs jeudi"
        );
        assert_eq!(preview("Réunion parents-professeurs jeudi soir", 20), "Réunion…");
    }
}
