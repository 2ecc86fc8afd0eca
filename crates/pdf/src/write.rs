//! Serialisation: laid-out pages to PDF bytes. Each face is embedded as a CID-keyed TrueType font,
//! subset to the glyphs the document uses, with a ToUnicode map so that text can be searched, copied
//! and extracted (pdftotext, screen readers). Streams are deflated. The same document always gives the
//! same bytes (no clock, no randomness), so storing it twice stores it once.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;

use crate::font::{Font, Weight, font};
use crate::layout::{Item, PAGE_HEIGHT, PAGE_WIDTH, Page};
use crate::{Error, Result};

const FONT_NAMES: [&[u8]; 2] = [b"F1", b"F2"];

/// Hands out the indirect object numbers in order.
struct Refs(i32);

impl Refs {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// The glyphs one face draws in the document: old glyph id → the character it shows.
#[derive(Default)]
struct Usage {
    glyphs: BTreeMap<u16, char>,
    remapper: Option<GlyphRemapper>,
}

fn deflate(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(bytes)
        .map_err(|e| Error::Write(e.to_string()))?;
    encoder.finish().map_err(|e| Error::Write(e.to_string()))
}

pub fn write(pages: &[Page], title: &str) -> Result<Vec<u8>> {
    let mut usage: [Usage; 2] = Default::default();
    for item in pages.iter().flatten() {
        if let Item::Text { weight, text, .. } = item {
            let f = font(*weight)?;
            let used = &mut usage[weight.index()].glyphs;
            for c in text.chars() {
                // A character the face lacks shows the replacement glyph, and extracts as one.
                let shown = if f.has(c) { c } else { '\u{FFFD}' };
                used.entry(f.glyph(c).0).or_insert(shown);
            }
        }
    }
    for u in &mut usage {
        if !u.glyphs.is_empty() {
            let old: Vec<u16> = u.glyphs.keys().copied().collect();
            u.remapper = Some(GlyphRemapper::new_from_glyphs_sorted(&old));
        }
    }

    let mut refs = Refs(0);
    let catalog = refs.next();
    let tree = refs.next();
    let info = refs.next();
    let font_refs: Vec<Option<Ref>> = usage
        .iter()
        .map(|u| u.remapper.is_some().then(|| refs.next()))
        .collect();
    let page_refs: Vec<(Ref, Ref)> = pages.iter().map(|_| (refs.next(), refs.next())).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog)
        .pages(tree)
        .lang(TextStr("fr-FR"))
        .viewer_preferences()
        .display_doc_title(true);
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("Ardoise"));
    pdf.pages(tree)
        .kids(page_refs.iter().map(|(page, _)| *page))
        .count(page_refs.len() as i32);

    for (page, (page_ref, content_ref)) in pages.iter().zip(&page_refs) {
        let mut p = pdf.page(*page_ref);
        p.parent(tree)
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .contents(*content_ref);
        let mut resources = p.resources();
        let mut fonts = resources.fonts();
        for (name, font_ref) in FONT_NAMES.iter().zip(&font_refs) {
            if let Some(r) = font_ref {
                fonts.pair(Name(name), *r);
            }
        }
        fonts.finish();
        resources.finish();
        p.finish();
        let content = deflate(&content(page, &usage)?)?;
        pdf.stream(*content_ref, &content).filter(Filter::FlateDecode);
    }

    for (weight, (u, font_ref)) in Weight::ALL.iter().zip(usage.iter().zip(&font_refs)) {
        if let (Some(remapper), Some(type0)) = (&u.remapper, font_ref) {
            embed(&mut pdf, &mut refs, *type0, font(*weight)?, u, remapper)?;
        }
    }
    Ok(pdf.finish())
}

/// One page's content stream.
fn content(page: &Page, usage: &[Usage; 2]) -> Result<Vec<u8>> {
    let mut c = Content::new();
    for item in page {
        match item {
            Item::Text {
                x,
                y,
                size,
                weight,
                gray,
                text,
            } => {
                let f = font(*weight)?;
                let remapper = usage[weight.index()]
                    .remapper
                    .as_ref()
                    .ok_or(Error::Write("glyphes".into()))?;
                let mut encoded = Vec::with_capacity(text.len() * 2);
                for ch in text.chars() {
                    let gid = remapper.get(f.glyph(ch).0).unwrap_or(0);
                    encoded.extend_from_slice(&gid.to_be_bytes());
                }
                c.set_fill_gray(*gray);
                c.begin_text();
                c.set_font(Name(FONT_NAMES[weight.index()]), *size);
                c.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, *y]);
                c.show(Str(&encoded));
                c.end_text();
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
            } => {
                c.set_stroke_gray(0.35)
                    .set_line_width(*width)
                    .move_to(*x1, *y1)
                    .line_to(*x2, *y2)
                    .stroke();
            }
            Item::Fill { x, y, w, h, gray } => {
                c.set_fill_gray(*gray).rect(*x, *y, *w, *h).fill_nonzero();
            }
        }
    }
    Ok(c.finish().into_vec())
}

/// A six-letter subset tag derived from the glyph set, as PDF wants for subset fonts (ABCDEF+Name).
fn subset_tag(glyphs: &BTreeMap<u16, char>) -> String {
    let mut hasher = DefaultHasher::new();
    glyphs.keys().collect::<Vec<_>>().hash(&mut hasher);
    let mut h = Hasher::finish(&hasher);
    (0..6)
        .map(|_| {
            let letter = char::from(b'A' + (h % 26) as u8);
            h /= 26;
            letter
        })
        .collect()
}

fn embed(
    pdf: &mut Pdf,
    refs: &mut Refs,
    type0: Ref,
    f: &Font,
    u: &Usage,
    remapper: &GlyphRemapper,
) -> Result<()> {
    let (cid, descriptor, file, cmap) = (refs.next(), refs.next(), refs.next(), refs.next());
    let base = format!("{}+{}", subset_tag(&u.glyphs), f.postscript_name);
    let base = Name(base.as_bytes());
    let info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };

    pdf.type0_font(type0)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap);

    let widths: Vec<f32> = remapper
        .remapped_gids()
        .map(|old| f.advance(ttf_parser::GlyphId(old)).round())
        .collect();
    let mut cid_font = pdf.cid_font(cid);
    cid_font
        .subtype(CidFontType::Type2)
        .base_font(base)
        .system_info(info)
        .font_descriptor(descriptor);
    cid_font.cid_to_gid_map_predefined(Name(b"Identity"));
    cid_font.widths().consecutive(0, widths);
    cid_font.finish();

    let face = &f.face;
    let bbox = face.global_bounding_box();
    let ascent = f.scaled(face.ascender());
    pdf.font_descriptor(descriptor)
        .name(base)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            f.scaled(bbox.x_min),
            f.scaled(bbox.y_min),
            f.scaled(bbox.x_max),
            f.scaled(bbox.y_max),
        ))
        .italic_angle(0.0)
        .ascent(ascent)
        .descent(f.scaled(face.descender()))
        .cap_height(face.capital_height().map(|h| f.scaled(h)).unwrap_or(ascent))
        .stem_v(if f.postscript_name.ends_with("Bold") {
            140.0
        } else {
            80.0
        })
        .font_file2(file);

    let subset = subsetter::subset(f.bytes, 0, remapper).map_err(|e| Error::Font(e.to_string()))?;
    let packed = deflate(&subset)?;
    pdf.stream(file, &packed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), subset.len() as i32);

    let mut unicode = UnicodeCmap::new(Name(b"Custom"), info);
    for (old, ch) in &u.glyphs {
        if let Some(new) = remapper.get(*old) {
            unicode.pair(new, *ch);
        }
    }
    let unicode = unicode.finish();
    pdf.cmap(cmap, unicode.as_slice());
    Ok(())
}
