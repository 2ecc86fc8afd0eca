//! Logins the way French ENTs make them: `prénom.nom` in lower-case ASCII, numbered when taken.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Lower-case ASCII of a name: accents dropped, spaces and apostrophes as hyphens, nothing else kept.
pub fn ascii_part(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.chars().flat_map(char::to_lowercase) {
        let mapped = match ch {
            'à' | 'â' | 'ä' | 'á' | 'ã' => "a",
            'ç' => "c",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' => "i",
            'ô' | 'ö' | 'ó' | 'õ' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ÿ' => "y",
            'ñ' => "n",
            'œ' => "oe",
            'æ' => "ae",
            ' ' | '\'' | '’' | '-' => "-",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "",
        };
        if mapped == "-" && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push_str(mapped);
    }
    out.trim_end_matches('-').to_string()
}

/// Hands out unique logins; remembers only a 64-bit hash per base, so 1.5 M accounts stay cheap.
#[derive(Default)]
pub struct Logins {
    taken: HashMap<u64, u32>,
}

impl Logins {
    pub fn next(&mut self, first: &str, last: &str) -> String {
        let base = format!("{}.{}", ascii_part(first), ascii_part(last));
        let mut h = DefaultHasher::new();
        base.hash(&mut h);
        let n = self.taken.entry(h.finish()).or_insert(0);
        *n += 1;
        if *n == 1 { base } else { format!("{base}{n}") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_ascii_logins() {
        assert_eq!(ascii_part("Élodie"), "elodie");
        assert_eq!(ascii_part("Jean-Baptiste"), "jean-baptiste");
        assert_eq!(ascii_part("Da Silva"), "da-silva");
        assert_eq!(ascii_part("N'Diaye"), "n-diaye");
        assert_eq!(ascii_part("Lefèvre–Œuvray"), "lefevreoeuvray");
    }

    #[test]
    fn homonyms_get_numbers() {
        let mut l = Logins::default();
        assert_eq!(l.next("Emma", "Martin"), "emma.martin");
        assert_eq!(l.next("Emma", "Martin"), "emma.martin2");
        assert_eq!(l.next("Léo", "Martin"), "leo.martin");
    }
}
