//! A minimal PDF writer for printable letters (activation letters, later report cards): A4 pages of
//! text lines in Helvetica with the WinAnsi encoding, which covers French. No dependency, no images.

/// One line of text on a page, placed from the top-left margin.
pub struct Line {
    pub text: String,
    pub size: u16,
    pub bold: bool,
    /// Extra space before the line, in points.
    pub gap_before: u16,
}

impl Line {
    pub fn new(text: impl Into<String>) -> Line {
        Line {
            text: text.into(),
            size: 11,
            bold: false,
            gap_before: 0,
        }
    }

    pub fn title(text: impl Into<String>) -> Line {
        Line {
            text: text.into(),
            size: 16,
            bold: true,
            gap_before: 0,
        }
    }

    pub fn bold(mut self) -> Line {
        self.bold = true;
        self
    }

    pub fn size(mut self, size: u16) -> Line {
        self.size = size;
        self
    }

    pub fn gap(mut self, points: u16) -> Line {
        self.gap_before = points;
        self
    }
}

/// Maps text to Windows-1252 bytes (what /WinAnsiEncoding means); characters outside it become '?'.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            'Œ' => 0x8c,
            'œ' => 0x9c,
            _ => b'?',
        })
        .collect()
}

fn content_stream(lines: &[Line]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut y: i32 = 842 - 72;
    for line in lines {
        y -= i32::from(line.size) + i32::from(line.size) / 3 + i32::from(line.gap_before);
        let font = if line.bold { "F2" } else { "F1" };
        out.extend_from_slice(format!("BT /{font} {} Tf 64 {y} Td (", line.size).as_bytes());
        for b in win_ansi(&line.text) {
            if matches!(b, b'(' | b')' | b'\\') {
                out.push(b'\\');
            }
            out.push(b);
        }
        out.extend_from_slice(b") Tj ET\n");
    }
    out
}

/// Builds a PDF with one A4 page per element of `pages`.
pub fn document(pages: &[Vec<Line>]) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets: Vec<usize> = Vec::new();
    let mut object = |out: &mut Vec<u8>, body: &[u8]| {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    // Objects 1–4: catalog, page tree, the two fonts; then a page and its content per page.
    let kids: Vec<String> = (0..pages.len()).map(|i| format!("{} 0 R", 5 + 2 * i)).collect();
    object(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
    object(
        &mut out,
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .as_bytes(),
    );
    object(
        &mut out,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    );
    object(
        &mut out,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    );
    for (i, lines) in pages.iter().enumerate() {
        let page = format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
            6 + 2 * i
        );
        object(&mut out, page.as_bytes());
        let stream = content_stream(lines);
        let mut body = format!("<< /Length {} >>\nstream\n", stream.len()).into_bytes();
        body.extend_from_slice(&stream);
        body.extend_from_slice(b"endstream");
        object(&mut out, &body);
    }
    let xref_at = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes());
    for off in &offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n",
            offsets.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cross_reference_table_points_at_every_object() {
        let pdf = document(&[
            vec![
                Line::title("Lettre d'activation"),
                Line::new("Élève : Zoé Lefèvre (3e B) – œuvre 10 €"),
            ],
            vec![Line::new("(parenthèses) et \\ barre")],
        ]);
        // Work on bytes: accents are single WinAnsi bytes, not UTF-8.
        let find = |needle: &[u8]| pdf.windows(needle.len()).rposition(|w| w == needle).unwrap();
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(pdf.windows(8).any(|w| w == b"/Count 2"));
        let after = find(b"startxref\n") + b"startxref\n".len();
        let xref_at: usize = std::str::from_utf8(&pdf[after..])
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(pdf[xref_at..].starts_with(b"xref"));
        let table = std::str::from_utf8(&pdf[xref_at..]).unwrap();
        let entries: Vec<usize> = table
            .lines()
            .skip(3)
            .take_while(|l| l.ends_with(" n "))
            .map(|l| l[..10].parse().unwrap())
            .collect();
        assert_eq!(entries.len(), 8);
        for (i, off) in entries.iter().enumerate() {
            assert!(
                pdf[*off..].starts_with(format!("{} 0 obj", i + 1).as_bytes()),
                "object {}",
                i + 1
            );
        }
        // Accents are single WinAnsi bytes; parentheses and backslashes are escaped.
        assert!(pdf.windows(3).any(|w| w == [0xc9, b'l', 0xe8]));
        assert!(pdf.windows(8).any(|w| w == b"\\(parent"));
        assert!(pdf.windows(2).any(|w| w == [b'\\', b'\\']));
    }
}
