//! Activation codes and the password rules a person meets when they first set a password.
//! No I/O here: the store keeps code hashes, the service decides.

/// Letters and digits that cannot be misread on a printed letter (no 0/O, 1/I/L).
const ALPHABET: &[u8; 31] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 12;

/// A fresh code, printed as `XXXX-XXXX-XXXX` (31^12 ≈ 8·10^17 possibilities).
pub fn new_code() -> String {
    let mut raw = [0u8; CODE_LEN];
    rand::fill(&mut raw);
    let chars: Vec<char> = raw
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// What a person typed, reduced to the code's characters: case, spaces and dashes do not matter, and
/// the look-alikes people confuse are read as the character the alphabet holds.
pub fn normalize_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

/// Why a chosen password is refused (each maps to a French message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordRule {
    TooShort,
    ContainsName,
    TooCommon,
    Mismatch,
}

impl PasswordRule {
    pub fn message_key(self) -> &'static str {
        match self {
            PasswordRule::TooShort => "password-too-short",
            PasswordRule::ContainsName => "password-contains-name",
            PasswordRule::TooCommon => "password-too-common",
            PasswordRule::Mismatch => "password-mismatch",
        }
    }
}

pub const MIN_PASSWORD_CHARS: usize = 10;

/// Passwords people pick first, in France and everywhere; a longer breached list can replace this file.
const COMMON: &str = include_str!("common_passwords.txt");

/// The rules: long enough, not built on the person's name or login, not a well-known password.
pub fn check_password(password: &str, confirm: &str, names: &[&str]) -> Result<(), PasswordRule> {
    if password != confirm {
        return Err(PasswordRule::Mismatch);
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordRule::TooShort);
    }
    let lower = password.to_lowercase();
    for name in names {
        for part in name.to_lowercase().split(['.', ' ', '-', '\'']) {
            if part.chars().count() >= 3 && lower.contains(part) {
                return Err(PasswordRule::ContainsName);
            }
        }
    }
    let stripped: String = lower
        .trim_end_matches(|c: char| c.is_ascii_digit() || "!?.*".contains(c))
        .to_string();
    if COMMON
        .lines()
        .map(str::trim)
        .any(|p| !p.is_empty() && (p == lower || p == stripped))
    {
        return Err(PasswordRule::TooCommon);
    }
    Ok(())
}

/// A login alias a person may choose: 3 to 40 lower-case letters, digits, hyphens or underscores, starting with
/// a letter, and never shaped like a generated login (`prenom.nom`), so it cannot collide with one.
pub fn valid_alias(alias: &str) -> bool {
    let len = alias.chars().count();
    (3..=40).contains(&len)
        && alias.starts_with(|c: char| c.is_ascii_lowercase())
        && alias
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_readable_and_normalize_back() {
        let code = new_code();
        assert_eq!(code.len(), 14);
        assert_eq!(code.matches('-').count(), 2);
        assert!(code.chars().all(|c| c == '-' || ALPHABET.contains(&(c as u8))));
        assert_eq!(
            normalize_code(&code.to_lowercase().replace('-', " ")),
            code.replace('-', "")
        );
        assert_ne!(new_code(), new_code());
        assert_eq!(normalize_code("abcd-efgh-jkmo"), "ABCDEFGHJKM0");
    }

    #[test]
    fn password_rules() {
        assert_eq!(check_password("court", "court", &[]), Err(PasswordRule::TooShort));
        assert_eq!(
            check_password("abcdefghijk", "abcdefghijx", &[]),
            Err(PasswordRule::Mismatch)
        );
        assert_eq!(
            check_password("Martin-2026-x!", "Martin-2026-x!", &["emma.martin"]),
            Err(PasswordRule::ContainsName)
        );
        assert_eq!(
            check_password("azertyuiop", "azertyuiop", &[]),
            Err(PasswordRule::TooCommon)
        );
        assert_eq!(
            check_password("motdepasse123", "motdepasse123", &[]),
            Err(PasswordRule::TooCommon)
        );
        assert_eq!(
            check_password(
                "Hérisson sous la pluie",
                "Hérisson sous la pluie",
                &["emma.martin"]
            ),
            Ok(())
        );
    }

    #[test]
    fn aliases() {
        assert!(valid_alias("zoe-du-67"));
        assert!(!valid_alias("zoe.lefevre"), "looks like a generated login");
        assert!(!valid_alias("Zoe"));
        assert!(!valid_alias("ab"));
        assert!(!valid_alias("9lives"));
    }
}
