//! One student's report card as a printable document (the `pdf` crate lays it out): letterhead, the
//! student's identity, a line per subject with its teachers, the averages and the appraisals, the
//! overall average, the general appraisal and the council's decision. Labels come from the French
//! Fluent messages: a report card is an official French document whatever language the page uses.

use pdf::french::{day_month_year, decimal};
use pdf::{Align, Block, Column, Document, Letterhead, Paragraph, Row, Table};
use web::{Lang, Tr};

use super::model::Mention;

/// An average in hundredths of a point (12,35 → 1235), or none when nothing counted.
pub type Hundredths = Option<u64>;

/// The student's, the class's, and the class's lowest and highest averages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub student: Hundredths,
    pub class: Hundredths,
    pub min: Hundredths,
    pub max: Hundredths,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SubjectLine {
    pub label: String,
    /// « Prénom Nom » of each teacher of the subject in the class.
    pub teachers: Vec<String>,
    pub figures: Figures,
    pub appraisals: Vec<String>,
}

/// Everything printed on one report card.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Card {
    pub school: Letterhead,
    pub period_label: String,
    pub school_year: Option<String>,
    pub class_name: String,
    pub first_name: String,
    pub last_name: String,
    /// 'YYYY-MM-DD', when the directory has it.
    pub birth_date: Option<String>,
    pub head_teachers: Vec<String>,
    pub subjects: Vec<SubjectLine>,
    pub overall: Figures,
    pub general: Option<String>,
    pub mention: Option<Mention>,
    pub council_summary: String,
    pub issued_on: Option<jiff::civil::Date>,
}

/// « 12,35 », or « — » for no average.
pub fn average(h: Hundredths) -> String {
    match h {
        Some(h) => decimal(h as f64 / 100.0, 2),
        None => "—".to_string(),
    }
}

fn tr(key: &str) -> String {
    Tr(Lang::Fr).get(key)
}

fn tr_with(key: &str, args: &[(&str, String)]) -> String {
    web::i18n::text(Lang::Fr, key, args)
}

/// A birth date as written on the card (« 14 mars 2012 »); anything unreadable is left out.
fn birth(date: &str) -> Option<String> {
    date.trim().parse::<jiff::civil::Date>().ok().map(day_month_year)
}

fn figures_row(first: String, f: &Figures, last: String, emphasis: bool) -> Row {
    let cells = [
        first,
        average(f.student),
        average(f.class),
        average(f.min),
        average(f.max),
        last,
    ];
    if emphasis {
        Row::emphasised(cells)
    } else {
        Row::new(cells)
    }
}

pub fn document(card: &Card) -> Document {
    let student = format!("{} {}", card.first_name, card.last_name.to_uppercase());
    let mut identity = vec![
        Block::Paragraph(Paragraph::bold(tr_with(
            "rc-pdf-student",
            &[("name", student.clone())],
        ))),
        Block::Paragraph(Paragraph::new(tr_with(
            "rc-pdf-class",
            &[("class", card.class_name.clone())],
        ))),
    ];
    if let Some(b) = card.birth_date.as_deref().and_then(birth) {
        identity.push(Block::Paragraph(Paragraph::new(tr_with(
            "rc-pdf-born",
            &[("date", b)],
        ))));
    }
    if !card.head_teachers.is_empty() {
        let names = card.head_teachers.join(", ");
        identity.push(Block::Paragraph(Paragraph::new(tr_with(
            "rc-pdf-head-teacher",
            &[("names", names)],
        ))));
    }

    let columns = vec![
        Column::new(tr("rc-pdf-col-subject"), 2.3),
        Column::new(tr("rc-pdf-col-student"), 1.0).align(Align::Right),
        Column::new(tr("rc-pdf-col-class"), 1.0).align(Align::Right),
        Column::new(tr("rc-pdf-col-min"), 0.8).align(Align::Right),
        Column::new(tr("rc-pdf-col-max"), 0.8).align(Align::Right),
        Column::new(tr("rc-pdf-col-appraisal"), 4.6),
    ];
    let mut rows: Vec<Row> = card
        .subjects
        .iter()
        .map(|s| {
            let mut subject = s.label.clone();
            if !s.teachers.is_empty() {
                subject = format!("{subject}\n{}", s.teachers.join(", "));
            }
            figures_row(subject, &s.figures, s.appraisals.join("\n"), false)
        })
        .collect();
    rows.push(figures_row(
        tr("rc-pdf-overall"),
        &card.overall,
        String::new(),
        true,
    ));

    let mut blocks = identity;
    blocks.push(Block::Space(6.0));
    blocks.push(Block::Table(Table { columns, rows }));
    blocks.push(Block::Heading(tr("rc-pdf-general")));
    let general = card
        .general
        .clone()
        .filter(|g| !g.trim().is_empty())
        .unwrap_or_else(|| tr("rc-pdf-none"));
    blocks.push(Block::Paragraph(Paragraph::new(general)));
    blocks.push(Block::Heading(tr("rc-pdf-council")));
    let mention = match card.mention {
        Some(m) => tr_with("rc-pdf-mention", &[("mention", tr(m.label_key()))]),
        None => tr("rc-pdf-no-mention"),
    };
    blocks.push(Block::Paragraph(Paragraph::bold(mention)));
    if !card.council_summary.trim().is_empty() {
        blocks.push(Block::Paragraph(Paragraph::new(card.council_summary.clone())));
    }

    let period = match &card.school_year {
        Some(y) => format!("{} {y}", card.period_label),
        None => card.period_label.clone(),
    };
    let mut footer = tr_with(
        "rc-pdf-footer",
        &[
            ("name", student),
            ("class", card.class_name.clone()),
            ("period", period),
        ],
    );
    if let Some(d) = card.issued_on {
        footer = format!(
            "{footer} · {}",
            tr_with("rc-pdf-issued", &[("date", pdf::french::long_date(d))])
        );
    }
    Document {
        letterhead: Some(card.school.clone()),
        title: tr_with("rc-pdf-title", &[("period", card.period_label.clone())]),
        subtitle: card
            .school_year
            .as_ref()
            .map(|y| tr_with("rc-pdf-year", &[("year", y.clone())]))
            .unwrap_or_default(),
        blocks,
        footer,
    }
}

/// The PDF file of a report card.
pub fn render(card: &Card) -> Result<Vec<u8>, pdf::Error> {
    pdf::render(&document(card))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> Card {
        Card {
            period_label: "1er trimestre".into(),
            school_year: Some("2026-2027".into()),
            class_name: "3e A".into(),
            first_name: "Léa".into(),
            last_name: "Dupont".into(),
            birth_date: Some("2012-05-03".into()),
            head_teachers: vec!["Florence Lucas".into()],
            subjects: vec![
                SubjectLine {
                    label: "MATHEMATIQUES".into(),
                    teachers: vec!["Catherine Julien".into()],
                    figures: Figures {
                        student: Some(1235),
                        class: Some(1107),
                        min: Some(450),
                        max: Some(1800),
                    },
                    appraisals: vec!["Bon travail.".into()],
                },
                SubjectLine {
                    label: "TECHNOLOGIE".into(),
                    ..SubjectLine::default()
                },
            ],
            overall: Figures {
                student: Some(1290),
                class: Some(1230),
                min: Some(813),
                max: Some(1538),
            },
            mention: Some(Mention::Compliments),
            issued_on: Some(jiff::civil::date(2026, 12, 14)),
            ..Card::default()
        }
    }

    fn texts(doc: &Document) -> Vec<String> {
        doc.blocks
            .iter()
            .flat_map(|b| match b {
                Block::Paragraph(p) => vec![p.text.clone()],
                Block::Heading(h) => vec![h.clone()],
                Block::Table(t) => t.rows.iter().flat_map(|r| r.cells.clone()).collect(),
                _ => vec![],
            })
            .collect()
    }

    #[test]
    fn a_card_says_who_the_averages_and_the_decision() {
        let doc = document(&card());
        assert_eq!(doc.title, "Bulletin — 1er trimestre");
        assert_eq!(doc.subtitle, "Année scolaire 2026-2027");
        let all = texts(&doc);
        for needle in [
            "Élève : Léa DUPONT",
            "Classe : 3e A",
            "Né(e) le 3 mai 2012",
            "Professeur principal : Florence Lucas",
            "MATHEMATIQUES\nCatherine Julien",
            "12,35",
            "11,07",
            "4,50",
            "18,00",
            "Bon travail.",
            "Moyenne générale",
            "12,90",
            "Mention : Compliments",
            "Pas d'appréciation.",
        ] {
            assert!(all.iter().any(|t| t == needle), "{needle:?} not in {all:?}");
        }
        let Some(Block::Table(table)) = doc.blocks.iter().find(|b| matches!(b, Block::Table(_))) else {
            panic!("no table");
        };
        // No average: a dash, never 0,00.
        assert_eq!(table.rows[1].cells[1..5], ["—", "—", "—", "—"]);
        assert!(table.rows.last().is_some_and(|r| r.emphasis));
        assert!(doc.footer.contains("édité le lundi 14 décembre 2026"));
    }

    #[test]
    fn an_unreadable_birth_date_is_left_out() {
        let doc = document(&Card {
            birth_date: Some("14/03/2012".into()),
            mention: None,
            ..card()
        });
        let all = texts(&doc);
        assert!(!all.iter().any(|t| t.starts_with("Né(e)")));
        assert!(all.iter().any(|t| t == "Pas de mention."));
    }
}
