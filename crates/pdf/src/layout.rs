//! Pagination: the document's blocks placed on A4 pages as positioned text runs, rules and shaded
//! boxes, in PDF coordinates (points, origin at the bottom left).

use crate::font::{Weight, font};
use crate::model::{Align, Block, Document, Letterhead, Paragraph};
use crate::wrap::wrap;
use crate::{Result, french};

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub(crate) const MARGIN: f32 = 45.0;
pub(crate) const TOP: f32 = PAGE_HEIGHT - MARGIN;
/// Lowest point of the body; the footer lives below it.
pub(crate) const BOTTOM: f32 = 60.0;
pub(crate) const WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const BODY: f32 = 9.5;
pub(crate) const TABLE_TEXT: f32 = 8.5;
const HEADING: f32 = 12.0;
const FOOTER: f32 = 7.5;
pub(crate) const LEADING: f32 = 1.3;
pub(crate) const PAD: f32 = 3.0;
/// From a line's top to its baseline, as a share of the size (DejaVu's ascender is 0.93 em).
const ASCENT: f32 = 0.93;

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A run of text whose baseline starts at (x, y); `gray` 0 is black.
    Text {
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        gray: f32,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        gray: f32,
    },
}

pub type Page = Vec<Item>;

pub(crate) struct Pager {
    pub(crate) pages: Vec<Page>,
    /// Top of the next line on the current page.
    pub(crate) y: f32,
}

impl Pager {
    pub(crate) fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub(crate) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    pub(crate) fn at_top(&self) -> bool {
        self.y >= TOP
    }

    /// Starts a new page unless `height` points fit above the bottom margin.
    pub(crate) fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM && !self.at_top() {
            self.new_page();
        }
    }

    pub(crate) fn text(&mut self, x: f32, top: f32, size: f32, weight: Weight, text: String) {
        if !text.is_empty() {
            let y = top - size * ASCENT;
            self.page().push(Item::Text {
                x,
                y,
                size,
                weight,
                gray: 0.0,
                text,
            });
        }
    }

    /// One line of text aligned within [x, x + width].
    pub(crate) fn aligned(
        &mut self,
        x: f32,
        width: f32,
        size: f32,
        weight: Weight,
        align: Align,
        text: String,
    ) -> Result<()> {
        let w = font(weight)?.width(&text, size);
        let x = match align {
            Align::Left => x,
            Align::Center => x + (width - w).max(0.0) / 2.0,
            Align::Right => x + (width - w).max(0.0),
        };
        self.text(x, self.y, size, weight, text);
        Ok(())
    }

    pub(crate) fn rule(&mut self, y: f32, width: f32) {
        self.page().push(Item::Line {
            x1: MARGIN,
            y1: y,
            x2: MARGIN + WIDTH,
            y2: y,
            width,
        });
    }
}

/// Lays out `doc` and returns its pages, each with its footer.
pub fn layout(doc: &Document) -> Result<Vec<Page>> {
    let mut p = Pager {
        pages: vec![Vec::new()],
        y: TOP,
    };
    if let Some(head) = &doc.letterhead {
        letterhead(&mut p, head)?;
    }
    title(&mut p, doc)?;
    for block in &doc.blocks {
        match block {
            Block::Heading(text) => heading(&mut p, text)?,
            Block::Paragraph(par) => paragraph(&mut p, par)?,
            Block::Table(table) => crate::table::table(&mut p, table)?,
            Block::Space(points) => {
                p.y -= points.clamp(0.0, TOP - BOTTOM);
                p.ensure(0.0);
            }
            Block::PageBreak => p.new_page(),
        }
    }
    footers(&mut p.pages, &doc.footer)?;
    Ok(p.pages)
}

fn letterhead(p: &mut Pager, head: &Letterhead) -> Result<()> {
    let bold = font(Weight::Bold)?;
    for line in wrap(&head.school_name, bold, 13.0, WIDTH) {
        p.text(MARGIN, p.y, 13.0, Weight::Bold, line);
        p.y -= 13.0 * LEADING;
    }
    let regular = font(Weight::Regular)?;
    let mut lines: Vec<String> = head
        .address
        .iter()
        .filter(|l| !l.trim().is_empty())
        .cloned()
        .collect();
    let mut ids = Vec::new();
    if !head.uai.trim().is_empty() {
        ids.push(french::typography(&format!("UAI : {}", head.uai.trim())));
    }
    if !head.academy.trim().is_empty() {
        ids.push(head.academy.trim().to_string());
    }
    if !ids.is_empty() {
        lines.push(ids.join(" — "));
    }
    for line in lines {
        for l in wrap(&line, regular, BODY, WIDTH) {
            p.text(MARGIN, p.y, BODY, Weight::Regular, l);
            p.y -= BODY * LEADING;
        }
    }
    p.y -= 6.0;
    p.rule(p.y, 0.8);
    p.y -= 14.0;
    Ok(())
}

fn title(p: &mut Pager, doc: &Document) -> Result<()> {
    let bold = font(Weight::Bold)?;
    for line in wrap(&french::typography(&doc.title), bold, 15.0, WIDTH) {
        p.ensure(15.0 * LEADING);
        p.aligned(MARGIN, WIDTH, 15.0, Weight::Bold, Align::Center, line)?;
        p.y -= 15.0 * LEADING;
    }
    let regular = font(Weight::Regular)?;
    if !doc.subtitle.trim().is_empty() {
        for line in wrap(&french::typography(&doc.subtitle), regular, 10.5, WIDTH) {
            p.ensure(10.5 * LEADING);
            p.aligned(MARGIN, WIDTH, 10.5, Weight::Regular, Align::Center, line)?;
            p.y -= 10.5 * LEADING;
        }
    }
    p.y -= 10.0;
    Ok(())
}

fn heading(p: &mut Pager, text: &str) -> Result<()> {
    let lines = wrap(&french::typography(text), font(Weight::Bold)?, HEADING, WIDTH);
    if !p.at_top() {
        p.y -= 8.0;
    }
    // Keep the heading with at least two lines of what follows it.
    p.ensure(lines.len() as f32 * HEADING * LEADING + 2.0 * BODY * LEADING + 4.0);
    for line in lines {
        p.text(MARGIN, p.y, HEADING, Weight::Bold, line);
        p.y -= HEADING * LEADING;
    }
    p.y -= 4.0;
    Ok(())
}

fn paragraph(p: &mut Pager, par: &Paragraph) -> Result<()> {
    let size = if par.size.is_finite() && par.size >= 4.0 {
        par.size.min(36.0)
    } else {
        BODY
    };
    let weight = if par.bold { Weight::Bold } else { Weight::Regular };
    for line in wrap(&french::typography(&par.text), font(weight)?, size, WIDTH) {
        p.ensure(size * LEADING);
        p.text(MARGIN, p.y, size, weight, line);
        p.y -= size * LEADING;
    }
    p.y -= 4.0;
    Ok(())
}

/// « Page n sur m » on the right of every page, the document's footer text on the left.
fn footers(pages: &mut [Page], footer: &str) -> Result<()> {
    let regular = font(Weight::Regular)?;
    let count = pages.len();
    let text_lines = wrap(&french::typography(footer), regular, FOOTER, WIDTH - 90.0);
    for (i, page) in pages.iter_mut().enumerate() {
        let top = BOTTOM - 14.0;
        page.push(Item::Line {
            x1: MARGIN,
            y1: top + 4.0,
            x2: MARGIN + WIDTH,
            y2: top + 4.0,
            width: 0.3,
        });
        let label = format!("Page {} sur {count}", i + 1);
        let w = regular.width(&label, FOOTER);
        let baseline = top - FOOTER * ASCENT;
        page.push(Item::Text {
            x: MARGIN + WIDTH - w,
            y: baseline,
            size: FOOTER,
            weight: Weight::Regular,
            gray: 0.3,
            text: label,
        });
        // The footer is meant as a short line; at most three lines fit under the body.
        for (k, line) in text_lines.iter().take(3).enumerate() {
            if !line.is_empty() {
                let y = baseline - k as f32 * FOOTER * LEADING;
                page.push(Item::Text {
                    x: MARGIN,
                    y,
                    size: FOOTER,
                    weight: Weight::Regular,
                    gray: 0.3,
                    text: line.clone(),
                });
            }
        }
    }
    Ok(())
}
