//! Documents rendered and read back with poppler's pdftotext and pdfinfo (poppler-utils, installed by
//! .ci/run), as a reader's software would.

use std::process::Command;

use proptest::prelude::*;

use super::*;

fn letterhead() -> Letterhead {
    Letterhead {
        school_name: "Collège Louise Weiss".into(),
        address: vec!["12 rue de l'Écluse".into(), "67000 Strasbourg".into()],
        uai: "0670001A".into(),
        academy: "Académie de Strasbourg".into(),
    }
}

/// A document of several pages: a long table, then paragraphs.
fn long_document() -> Document {
    let mut rows: Vec<Row> = (1..=70)
        .map(|i| {
            Row::new([
                format!("Élève n°{i}"),
                french::decimal(8.0 + f64::from(i % 12) + 0.25, 2),
                format!("Appréciation {i} : « très bien », des efforts payés ; prix 12 € ! Un travail régulier et soigné, une participation orale à développer."),
            ])
        })
        .collect();
    rows.push(Row::emphasised(["Moyenne de la classe", "13,42", ""]));
    Document {
        letterhead: Some(letterhead()),
        title: "Bulletin du 1er trimestre".into(),
        subtitle: "Année scolaire 2026-2027".into(),
        blocks: vec![
            Block::Heading("Résultats".into()),
            Block::Table(Table {
                columns: vec![
                    Column::new("Élève", 2.0),
                    Column::new("Moyenne", 1.0).align(Align::Right),
                    Column::new("Appréciation", 4.0),
                ],
                rows,
            }),
            Block::Heading("Appréciation générale".into()),
            Block::Paragraph(Paragraph::new(
                "Un trimestre sérieux : continuez ainsi ! Œuvre réussie, cœur à l'ouvrage.",
            )),
        ],
        footer: format!("Édité le {}", french::long_date(jiff::civil::date(2026, 12, 14))),
    }
}

fn write_temp(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut file, bytes).unwrap();
    file
}

/// The text pdftotext extracts, with the layout kept (one page after another, separated by \x0c).
fn pdftotext(bytes: &[u8]) -> String {
    let file = write_temp(bytes);
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(file.path())
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils) must be installed: .ci/run installs it");
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn pdfinfo_pages(bytes: &[u8]) -> usize {
    let file = write_temp(bytes);
    let out = Command::new("pdfinfo")
        .arg(file.path())
        .output()
        .expect("pdfinfo (poppler-utils)");
    assert!(
        out.status.success(),
        "pdfinfo: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info = String::from_utf8(out.stdout).unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("Error"),
        "{:?}",
        out.stderr
    );
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .unwrap()
}

#[test]
fn several_pages_with_numbered_footers() {
    let doc = long_document();
    let bytes = render(&doc).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let pages = pdfinfo_pages(&bytes);
    assert!(
        pages >= 3,
        "70 rows of wrapped cells take several pages, got {pages}"
    );
    assert_eq!(pages, page_count(&doc).unwrap());
    let text = pdftotext(&bytes);
    let per_page: Vec<&str> = text.split('\x0c').filter(|p| !p.trim().is_empty()).collect();
    assert_eq!(per_page.len(), pages);
    for (i, page) in per_page.iter().enumerate() {
        assert!(
            page.contains(&format!("Page {} sur {pages}", i + 1)),
            "page {}: {page}",
            i + 1
        );
        // The header row comes back on every page the table runs onto.
        if i + 1 < pages {
            assert!(
                page.contains("Appréciation"),
                "page {} lacks the table header",
                i + 1
            );
        }
        assert!(page.contains("Édité le lundi 14 décembre 2026"));
    }
    // Every row is there once, in order.
    let mut from = 0;
    for i in 1..=70 {
        let needle = format!("Élève n°{i} ");
        let at = text[from..]
            .find(&needle)
            .unwrap_or_else(|| panic!("row {i} missing"));
        from += at + needle.len();
    }
}

#[test]
fn letterhead_and_french_text_survive() {
    let bytes = render(&long_document()).unwrap();
    let text = pdftotext(&bytes);
    for needle in [
        "Collège Louise Weiss",
        "12 rue de l'Écluse",
        "67000 Strasbourg",
        "UAI\u{202F}: 0670001A — Académie de Strasbourg",
        "Bulletin du 1er trimestre",
        "Moyenne de la classe",
        "«\u{202F}très bien\u{202F}»",
        "12\u{202F}€\u{202F}!",
        "continuez ainsi\u{202F}!",
        "Œuvre réussie, cœur à l'ouvrage.",
        "17,25",
    ] {
        // poppler extracts the narrow no-break space as a plain space.
        let needle = needle.replace('\u{202F}', " ");
        assert!(text.contains(&needle), "{needle:?} not found in:\n{text}");
    }
}

#[test]
fn subset_fonts_keep_files_small() {
    let bytes = render(&long_document()).unwrap();
    // The two faces weigh 1.4 MB whole; subset and deflated they are a few tens of KB.
    assert!(bytes.len() < 120_000, "{} bytes", bytes.len());
    // The same document gives the same bytes.
    assert_eq!(bytes, render(&long_document()).unwrap());
}

#[test]
fn a_row_taller_than_a_page_is_split() {
    let long = "Très long commentaire. ".repeat(800);
    let doc = Document {
        title: "Une ligne immense".into(),
        blocks: vec![Block::Table(Table {
            columns: vec![Column::new("Nom", 1.0), Column::new("Texte", 3.0)],
            rows: vec![Row::new(["Durand", long.as_str()]), Row::new(["Martin", "court"])],
        })],
        ..Document::default()
    };
    let bytes = render(&doc).unwrap();
    let pages = pdfinfo_pages(&bytes);
    assert!(pages >= 2);
    let text = pdftotext(&bytes);
    assert_eq!(text.matches("commentaire.").count(), 800);
    assert!(text.contains("Martin"));
}

#[test]
fn missing_glyphs_do_not_break_the_file() {
    let doc = Document {
        title: "Emoji 😀 et \u{0007}contrôle".into(),
        blocks: vec![Block::Paragraph(Paragraph::new("Bravo 👏 ! Zéro\u{200B}largeur"))],
        ..Document::default()
    };
    let text = pdftotext(&render(&doc).unwrap());
    assert!(text.contains("Emoji"));
    assert!(text.contains("Zérolargeur"));
}

fn any_document() -> impl Strategy<Value = Document> {
    let text = || proptest::string::string_regex("(?s).{0,300}").unwrap();
    (
        text(),
        proptest::collection::vec(text(), 0..4),
        proptest::collection::vec((0.0f32..5.0, any::<bool>()), 0..5),
        proptest::collection::vec(proptest::collection::vec(text(), 0..6), 0..6),
        any::<f32>(),
    )
        .prop_map(|(title, pars, cols, rows, space)| {
            let mut blocks: Vec<Block> = pars
                .iter()
                .map(|t| {
                    Block::Paragraph(Paragraph {
                        text: t.clone(),
                        bold: t.len() % 2 == 0,
                        size: space,
                    })
                })
                .collect();
            blocks.push(Block::Space(space));
            blocks.push(Block::Table(Table {
                columns: cols
                    .iter()
                    .enumerate()
                    .map(|(i, (w, right))| {
                        Column::new(title.chars().skip(i).collect::<String>(), *w).align(if *right {
                            Align::Right
                        } else {
                            Align::Center
                        })
                    })
                    .collect(),
                rows: rows.into_iter().map(Row::new).collect(),
            }));
            blocks.push(Block::Heading(title.clone()));
            Document {
                letterhead: Some(Letterhead {
                    school_name: title.clone(),
                    ..letterhead()
                }),
                title: title.clone(),
                subtitle: title.clone(),
                blocks,
                footer: title,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever the text (any Unicode, control characters, empty, huge words), rendering never panics
    /// and gives a PDF.
    #[test]
    fn any_text_renders(doc in any_document()) {
        let bytes = render(&doc).unwrap();
        prop_assert!(bytes.starts_with(b"%PDF-"));
    }

    #[test]
    fn typography_and_wrapping_never_panic(text in "(?s).{0,400}") {
        let _ = french::typography(&text);
        let doc = Document { title: text.clone(), blocks: vec![Block::Paragraph(Paragraph::new(text))], ..Document::default() };
        prop_assert!(render(&doc).is_ok());
    }
}
