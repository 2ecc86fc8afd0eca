//! The two embedded faces (DejaVu Sans and DejaVu Sans Bold, compiled into the binary: nothing is read or
//! downloaded at run time) and what layout needs from them: glyph ids and advance widths.

use std::sync::LazyLock;

use ttf_parser::{Face, GlyphId};

use crate::{Error, Result};

static REGULAR_BYTES: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD_BYTES: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Which of the two faces a run of text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

impl Weight {
    pub const ALL: [Weight; 2] = [Weight::Regular, Weight::Bold];

    pub fn index(self) -> usize {
        match self {
            Weight::Regular => 0,
            Weight::Bold => 1,
        }
    }
}

/// A parsed face with the numbers the PDF font descriptor and layout need.
pub struct Font {
    pub bytes: &'static [u8],
    pub face: Face<'static>,
    pub postscript_name: &'static str,
    units_per_em: f32,
    fallback: GlyphId,
}

static FONTS: LazyLock<std::result::Result<[Font; 2], String>> = LazyLock::new(|| {
    Ok([
        Font::parse(REGULAR_BYTES, "DejaVuSans")?,
        Font::parse(BOLD_BYTES, "DejaVuSans-Bold")?,
    ])
});

/// The face of `weight`. Fails only if the embedded font files were damaged at build time.
pub fn font(weight: Weight) -> Result<&'static Font> {
    match &*FONTS {
        Ok(fonts) => Ok(&fonts[weight.index()]),
        Err(e) => Err(Error::Font(e.clone())),
    }
}

impl Font {
    fn parse(bytes: &'static [u8], postscript_name: &'static str) -> std::result::Result<Font, String> {
        let face = Face::parse(bytes, 0).map_err(|e| format!("{postscript_name}: {e}"))?;
        let fallback = face
            .glyph_index('\u{FFFD}')
            .or_else(|| face.glyph_index('?'))
            .unwrap_or(GlyphId(0));
        Ok(Font {
            bytes,
            units_per_em: f32::from(face.units_per_em()),
            postscript_name,
            face,
            fallback,
        })
    }

    /// The glyph drawing `c`, or the replacement glyph for a character the face lacks.
    pub fn glyph(&self, c: char) -> GlyphId {
        self.face.glyph_index(c).unwrap_or(self.fallback)
    }

    /// Whether the face draws `c` itself (rather than the replacement glyph).
    pub fn has(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some()
    }

    /// A glyph's advance in thousandths of an em (the PDF's unit for glyph widths).
    pub fn advance(&self, glyph: GlyphId) -> f32 {
        let units = self.face.glyph_hor_advance(glyph).unwrap_or(0);
        f32::from(units) * 1000.0 / self.units_per_em
    }

    /// The width of `text` set at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(self.glyph(c))).sum::<f32>() * size / 1000.0
    }

    /// Font-unit metrics scaled to thousandths of an em.
    pub fn scaled(&self, units: i16) -> f32 {
        f32::from(units) * 1000.0 / self.units_per_em
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faces_draw_french_text() {
        for w in Weight::ALL {
            let f = font(w).unwrap();
            for c in "àâæçéèêëîïôœùûüÿÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ€«»’–—…\u{202F}\u{A0}".chars()
            {
                assert!(f.has(c), "{} lacks {c:?}", f.postscript_name);
            }
        }
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        let f = font(Weight::Regular).unwrap();
        let a = f.width("Moyenne", 10.0);
        assert!(a > 30.0 && a < 60.0, "{a}");
        assert!((f.width("Moyenne", 20.0) - 2.0 * a).abs() < 0.01);
        assert!(font(Weight::Bold).unwrap().width("Moyenne", 10.0) > a);
    }
}
