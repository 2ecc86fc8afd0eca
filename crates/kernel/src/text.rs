//! Reading what people type or spreadsheets write: names compared without case or accents, and the
//! fields of a CSV line.

/// Lower case, French accents folded ("Prénom" and "PRENOM" read the same).
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c,
        })
        .collect()
}

/// Splits one CSV line on `sep`, honouring double quotes (`"a;b"`, and `""` for a quote inside
/// them); each field trimmed.
pub fn split_fields(line: &str, sep: char) -> Vec<String> {
    let mut fields = vec![];
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                current.push('"');
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => fields.push(std::mem::take(&mut current).trim().to_string()),
            c => current.push(c),
        }
    }
    fields.push(current.trim().to_string());
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Prénom MATHÉMATIQUES Ça"), "prenom mathematiques ca");
    }

    #[test]
    fn splits_on_the_separator_outside_quotes() {
        assert_eq!(
            split_fields(r#"12;"Le Goff; Martin";"dit ""Zo""" "#, ';'),
            ["12", "Le Goff; Martin", "dit \"Zo\""]
        );
        assert_eq!(split_fields("a, b,", ','), ["a", "b", ""]);
    }
}
