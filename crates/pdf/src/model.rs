//! The document model: what a printable document says, with no idea of pages or positions yet.

/// The school block at the top of the first page, and the document's title under it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Letterhead {
    pub school_name: String,
    /// Postal address, one line per element (street, postcode and town…).
    pub address: Vec<String>,
    pub uai: String,
    /// The académie's name as written, « Académie de Strasbourg ».
    pub academy: String,
}

/// A whole document: letterhead and title on the first page, then the blocks in order, and a footer
/// (`footer` on the left, « Page n sur m » on the right) on every page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub letterhead: Option<Letterhead>,
    pub title: String,
    /// A line under the title (e.g. « Année scolaire 2026-2027 — 1er trimestre »); empty for none.
    pub subtitle: String,
    pub blocks: Vec<Block>,
    pub footer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(String),
    Paragraph(Paragraph),
    Table(Table),
    /// Vertical space, in points.
    Space(f32),
    /// The next block starts on a new page.
    PageBreak,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Paragraph {
    /// Line breaks in the text (`\n`) are kept; other runs of white space become one space.
    pub text: String,
    pub bold: bool,
    /// Font size in points; 0 means the body size.
    pub size: f32,
}

impl Paragraph {
    pub fn new(text: impl Into<String>) -> Paragraph {
        Paragraph {
            text: text.into(),
            ..Paragraph::default()
        }
    }

    pub fn bold(text: impl Into<String>) -> Paragraph {
        Paragraph {
            text: text.into(),
            bold: true,
            ..Paragraph::default()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    /// Relative width: the table spreads the page width among its columns in these proportions.
    pub weight: f32,
    pub align: Align,
}

impl Column {
    pub fn new(header: impl Into<String>, weight: f32) -> Column {
        Column {
            header: header.into(),
            weight,
            align: Align::Left,
        }
    }

    pub fn align(mut self, align: Align) -> Column {
        self.align = align;
        self
    }
}

/// A table whose header row is printed again at the top of each page it runs onto.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// One text per column (missing cells print empty, extra ones are ignored); `\n` breaks a line.
    pub cells: Vec<String>,
    /// A totals or summary row: printed in bold on a light background.
    pub emphasis: bool,
}

impl Row {
    pub fn new<S: Into<String>>(cells: impl IntoIterator<Item = S>) -> Row {
        Row {
            cells: cells.into_iter().map(Into::into).collect(),
            emphasis: false,
        }
    }

    pub fn emphasised<S: Into<String>>(cells: impl IntoIterator<Item = S>) -> Row {
        Row {
            emphasis: true,
            ..Row::new(cells)
        }
    }
}
