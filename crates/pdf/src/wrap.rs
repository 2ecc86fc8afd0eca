//! Line breaking: lines break only between words, a lone punctuation mark (« – », « € », « ! ») stays on
//! the line of the word before it, the no-break spaces of French typography never break, and a word is
//! cut only when it is wider than the whole line by itself (a long web address in a narrow column).

use crate::font::Font;

/// Spaces a line may break at. U+00A0 and U+202F are not among them.
fn breaks(c: char) -> bool {
    c.is_whitespace() && c != '\u{A0}' && c != '\u{202F}' && c != '\u{2007}' && c != '\u{2060}'
}

/// A word made only of punctuation or symbols, which must not start a line.
fn lone_punctuation(word: &str) -> bool {
    !word.chars().any(char::is_alphanumeric)
}

/// What of `text` a PDF can show: control characters dropped, tabs and odd spaces as plain spaces.
fn printable(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            c if c.is_control() => (c == '\t').then_some(' '),
            // Zero-width and bidi marks have no glyph and would print as the replacement glyph.
            '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}' => None,
            c => Some(c),
        })
        .collect()
}

/// An opening mark typed apart from its word (« (), which goes with the word after it.
fn opening(word: &str) -> bool {
    word.chars()
        .all(|c| matches!(c, '«' | '(' | '[' | '“' | '‹' | '‘' | '¿' | '¡'))
}

/// The words of one paragraph: a lone opening mark joins the next word, any other lone punctuation
/// mark the word before it (the space between stays, but no line breaks there).
fn words(paragraph: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut pending: Option<String> = None;
    for word in paragraph.split(breaks).filter(|w| !w.is_empty()) {
        let word = match pending.take() {
            Some(open) => format!("{open} {word}"),
            None => word.to_string(),
        };
        if opening(&word) {
            pending = Some(word);
            continue;
        }
        match out.last_mut() {
            Some(last) if lone_punctuation(&word) => {
                last.push(' ');
                last.push_str(&word);
            }
            _ => out.push(word),
        }
    }
    if let Some(open) = pending {
        match out.last_mut() {
            Some(last) => {
                last.push(' ');
                last.push_str(&open);
            }
            None => out.push(open),
        }
    }
    out
}

/// Breaks `text` into lines no wider than `width` points at `size`. Each `\n` starts a new line; an
/// empty input gives one empty line.
pub fn wrap(text: &str, font: &Font, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in printable(text).split('\n') {
        let mut line = String::new();
        for word in words(paragraph) {
            let candidate = if line.is_empty() {
                word.clone()
            } else {
                format!("{line} {word}")
            };
            if font.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if font.width(&word, size) <= width {
                line = word;
            } else {
                let mut pieces = cut(&word, font, size, width);
                line = pieces.pop().unwrap_or_default();
                lines.extend(pieces);
            }
        }
        lines.push(line);
    }
    lines
}

/// Cuts a word wider than a line into pieces that fit, each at least one character long.
fn cut(word: &str, font: &Font, size: f32, width: f32) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for c in word.chars() {
        piece.push(c);
        if font.width(&piece, size) > width && piece.chars().count() > 1 {
            piece.pop();
            // A punctuation mark (or the narrow space before it) takes the last letter along, so
            // that the next line does not start with it.
            let mut carried = vec![c];
            while carried.last().is_some_and(|l| !l.is_alphanumeric()) && piece.chars().count() > 1 {
                carried.extend(piece.pop());
            }
            carried.reverse();
            pieces.push(std::mem::take(&mut piece));
            piece.extend(carried);
        }
    }
    pieces.push(piece);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::{Weight, font};

    fn regular() -> &'static Font {
        font(Weight::Regular).unwrap()
    }

    #[test]
    fn lines_fit_and_words_stay_whole() {
        let text =
            "Élève sérieux et appliqué qui participe volontiers ; des progrès nets en expression écrite.";
        let f = regular();
        let lines = wrap(text, f, 10.0, 150.0);
        assert!(lines.len() > 2, "{lines:?}");
        for l in &lines {
            assert!(f.width(l, 10.0) <= 150.0, "{l}");
        }
        // Joining the lines gives the words back: nothing cut mid-word.
        let words: Vec<&str> = text.split(' ').collect();
        let rejoined = lines.join(" ");
        assert_eq!(rejoined.split(' ').collect::<Vec<_>>(), words);
    }

    #[test]
    fn no_line_starts_with_punctuation() {
        let f = regular();
        let text = "Un trimestre très satisfaisant\u{202F}! Continuez ainsi – bravo\u{202F}? Oui « ok » 12 €";
        for width in (40..300).step_by(7) {
            for l in wrap(text, f, 10.0, width as f32) {
                let first = l.chars().next().unwrap_or('a');
                assert!(
                    first.is_alphanumeric() || first == '«',
                    "width {width}: line {l:?} starts with punctuation"
                );
            }
        }
    }

    #[test]
    fn newlines_are_kept_and_overlong_words_cut() {
        let f = regular();
        assert_eq!(wrap("a\n\nb", f, 10.0, 100.0), vec!["a", "", "b"]);
        assert_eq!(wrap("", f, 10.0, 100.0), vec![""]);
        let url = "https://ardoise.example.fr/un/chemin/vraiment/tres/long/qui/ne/tient/pas";
        let lines = wrap(url, f, 10.0, 60.0);
        assert!(lines.len() > 2);
        assert_eq!(lines.concat(), url);
        // A column narrower than one glyph still makes progress.
        assert_eq!(wrap("abc", f, 10.0, 1.0), vec!["a", "b", "c"]);
    }
}
