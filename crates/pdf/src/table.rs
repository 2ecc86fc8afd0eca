//! Tables: columns share the page width by weight, cells wrap, a row taller than what is left of the
//! page moves to the next one (or is split, when taller than a page), and the header row is printed
//! again at the top of each page the table runs onto.

use crate::font::{Weight, font};
use crate::layout::{BOTTOM, Item, LEADING, MARGIN, PAD, Pager, TABLE_TEXT, TOP, WIDTH};
use crate::model::{Align, Row, Table};
use crate::wrap::wrap;
use crate::{Result, french};

/// Largest table cell (characters): an appraisal is a few lines, not a novel. Longer text is
/// cut so a single cell cannot run to thousands of pages.
const MAX_CELL_CHARS: usize = 20_000;

/// Column x positions and widths: the page width spread by the columns' weights.
fn columns(table: &Table) -> Vec<(f32, f32)> {
    let weights: Vec<f32> = table
        .columns
        .iter()
        .map(|c| {
            if c.weight.is_finite() && c.weight > 0.0 {
                c.weight
            } else {
                1.0
            }
        })
        .collect();
    let total: f32 = weights.iter().sum();
    let mut x = MARGIN;
    weights
        .iter()
        .map(|w| {
            let width = WIDTH * w / total;
            let col = (x, width);
            x += width;
            col
        })
        .collect()
}

/// Each cell's lines, wrapped to its column.
fn cells(texts: &[String], cols: &[(f32, f32)], weight: Weight) -> Result<Vec<Vec<String>>> {
    let f = font(weight)?;
    Ok(cols
        .iter()
        .enumerate()
        .map(|(i, (_, w))| {
            let text = texts.get(i).map(String::as_str).unwrap_or("");
            let text: String = text.chars().take(MAX_CELL_CHARS).collect();
            wrap(
                &french::typography(&text),
                f,
                TABLE_TEXT,
                (w - 2.0 * PAD).max(1.0),
            )
        })
        .collect())
}

const LINE: f32 = TABLE_TEXT * LEADING;
const MAX_HEADER_LINES: usize = 4;

pub(crate) fn table(p: &mut Pager, table: &Table) -> Result<()> {
    if table.columns.is_empty() {
        return Ok(());
    }
    let cols = columns(table);
    let aligns: Vec<Align> = table.columns.iter().map(|c| c.align).collect();
    let headers: Vec<String> = table.columns.iter().map(|c| c.header.clone()).collect();
    let mut header = cells(&headers, &cols, Weight::Bold)?;
    // A header repeats on every page: it is kept short so a page always has room for the rows.
    for lines in &mut header {
        lines.truncate(MAX_HEADER_LINES);
    }
    let header_h = rows_height(&header);
    // The header with at least one line of the first row, or a new page.
    p.ensure(header_h + LINE + 2.0 * PAD);
    band(p, &cols, &aligns, &header, Weight::Bold, Some(0.88))?;
    for row in &table.rows {
        body_row(p, &cols, &aligns, row, &header)?;
    }
    p.y -= 6.0;
    Ok(())
}

fn rows_height(cells: &[Vec<String>]) -> f32 {
    cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * LINE + 2.0 * PAD
}

/// Places one row, splitting it across pages when it is taller than what is left, the header printed
/// again at the top of each new page.
fn body_row(
    p: &mut Pager,
    cols: &[(f32, f32)],
    aligns: &[Align],
    row: &Row,
    header: &[Vec<String>],
) -> Result<()> {
    let weight = if row.emphasis {
        Weight::Bold
    } else {
        Weight::Regular
    };
    let shade = row.emphasis.then_some(0.94);
    let mut rest = cells(&row.cells, cols, weight)?;
    let fresh_room = TOP - BOTTOM - rows_height(header);
    let mut started = false;
    loop {
        let needed = rows_height(&rest);
        if p.y - needed >= BOTTOM {
            return band(p, cols, aligns, &rest, weight, shade);
        }
        let fit = ((p.y - BOTTOM - 2.0 * PAD) / LINE).floor();
        // A row that fits on a page of its own moves there whole; a taller one is split.
        if fit < 1.0 || (!started && needed <= fresh_room) {
            p.new_page();
            band(p, cols, aligns, header, Weight::Bold, Some(0.88))?;
            continue;
        }
        let n = fit as usize;
        let now: Vec<Vec<String>> = rest
            .iter_mut()
            .map(|c| c.drain(..n.min(c.len())).collect())
            .collect();
        band(p, cols, aligns, &now, weight, shade)?;
        started = true;
        p.new_page();
        band(p, cols, aligns, header, Weight::Bold, Some(0.88))?;
    }
}

/// Draws one band of cells at the cursor (shaded if asked, bordered) and moves the cursor under it.
fn band(
    p: &mut Pager,
    cols: &[(f32, f32)],
    aligns: &[Align],
    cells: &[Vec<String>],
    weight: Weight,
    shade: Option<f32>,
) -> Result<()> {
    let h = rows_height(cells);
    let (top, bottom) = (p.y, p.y - h);
    if let Some(gray) = shade {
        p.page().push(Item::Fill {
            x: MARGIN,
            y: bottom,
            w: WIDTH,
            h,
            gray,
        });
    }
    for (((x, w), lines), align) in cols.iter().zip(cells).zip(aligns) {
        for (k, line) in lines.iter().enumerate() {
            p.y = top - PAD - k as f32 * LINE;
            p.aligned(x + PAD, w - 2.0 * PAD, TABLE_TEXT, weight, *align, line.clone())?;
        }
    }
    let page = p.page();
    for y in [top, bottom] {
        page.push(Item::Line {
            x1: MARGIN,
            y1: y,
            x2: MARGIN + WIDTH,
            y2: y,
            width: 0.5,
        });
    }
    for x in cols.iter().map(|(x, _)| *x).chain([MARGIN + WIDTH]) {
        page.push(Item::Line {
            x1: x,
            y1: top,
            x2: x,
            y2: bottom,
            width: 0.5,
        });
    }
    p.y = bottom;
    Ok(())
}
