//! Names of uploaded files: cleaned when a file is kept, and sent back in a download's
//! `Content-Disposition` header.

/// A file name fit to keep and to send back: no directories, no control characters, not too long.
pub fn clean(name: &str) -> String {
    let name: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(150)
        .collect();
    let name = name.trim().trim_start_matches('.').to_string();
    if name.is_empty() {
        "fichier".to_string()
    } else {
        name
    }
}

/// `attachment; filename="copie.pdf"; filename*=UTF-8''copie.pdf` (an ASCII fallback and the real name).
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn downloads_keep_their_name_and_stay_attachments() {
        assert_eq!(
            super::content_disposition("copie élève.pdf"),
            "attachment; filename=\"copie _l_ve.pdf\"; filename*=UTF-8''copie%20%C3%A9l%C3%A8ve.pdf"
        );
    }

    #[test]
    fn kept_names_lose_their_directories_and_hidden_dots() {
        assert_eq!(super::clean("C:\\Users\\eleve\\devoir.pdf"), "devoir.pdf");
        assert_eq!(super::clean("../../.bashrc"), "bashrc");
        assert_eq!(super::clean(" \u{7} "), "fichier");
    }
}
