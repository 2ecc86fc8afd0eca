//! Printable documents: a small document model (letterhead, title, headings, wrapped paragraphs,
//! tables whose header repeats on each page, a footer numbering the pages « Page 1 sur 2 ») rendered to
//! PDF bytes with French typography, in DejaVu Sans embedded and subset. Features build a [`Document`]
//! and store the bytes; nothing here reads the network, the disk or the clock.

mod font;
pub mod french;
mod layout;
mod model;
mod table;
mod wrap;
mod write;

pub use model::{Align, Block, Column, Document, Letterhead, Paragraph, Row, Table};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("police de caractères : {0}")]
    Font(String),
    #[error("écriture du PDF : {0}")]
    Write(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Lays `doc` out on A4 pages and returns the PDF file.
pub fn render(doc: &Document) -> Result<Vec<u8>> {
    let pages = layout::layout(doc)?;
    write::write(&pages, &doc.title)
}

/// How many pages `doc` takes once laid out.
pub fn page_count(doc: &Document) -> Result<usize> {
    Ok(layout::layout(doc)?.len())
}

#[cfg(test)]
mod tests;
