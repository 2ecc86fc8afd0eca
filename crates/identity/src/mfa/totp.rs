//! TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), the secret's base32 form and its QR code.

use hmac::{Hmac, Mac};
use sha1::Sha1;

pub const STEP_SECS: i64 = 30;
const DIGITS: u32 = 6;
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// 20 random bytes, base32 without padding: what authenticator apps expect.
pub fn new_secret() -> String {
    let mut raw = [0u8; 20];
    rand::fill(&mut raw);
    base32_encode(&raw)
}

pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for b in bytes {
        buffer = (buffer << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            out.push(BASE32[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = BASE32.iter().position(|b| *b as char == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push(((buffer >> (bits - 8)) & 0xff) as u8);
            bits -= 8;
        }
    }
    Some(out)
}

/// The code of `step` for a raw key.
pub fn code_at(key: &[u8], step: i64) -> Option<u32> {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).ok()?;
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let bin = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    Some(bin % 10u32.pow(DIGITS))
}

/// Checks a typed code against the steps around `now_secs` (one step of clock drift either way).
/// Returns the matching step, which must be later than `last_step` so a code works only once.
pub fn verify(secret: &str, typed: &str, now_secs: i64, last_step: i64) -> Option<i64> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != DIGITS as usize || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let typed: u32 = digits.parse().ok()?;
    let key = base32_decode(secret)?;
    let now = now_secs.div_euclid(STEP_SECS);
    (now - 1..=now + 1).find(|step| *step > last_step && code_at(&key, *step) == Some(typed))
}

/// The otpauth URI authenticator apps read from the QR code.
pub fn otpauth_uri(secret: &str, account: &str) -> String {
    let account: String = account
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || ".-_@".contains(*c))
        .collect();
    format!(
        "otpauth://totp/Ardoise:{account}?secret={secret}&issuer=Ardoise&algorithm=SHA1&digits=6&period=30"
    )
}

/// The QR code of `uri` as inline SVG (dark modules on white, with a quiet zone).
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_sha1_vectors() {
        // RFC 6238 appendix B, SHA1 key "12345678901234567890", 8-digit codes truncated to our 6.
        let key = b"12345678901234567890";
        for (time, code8) in [
            (59i64, 94287082u32),
            (1111111109, 7081804),
            (1234567890, 89005924),
            (2000000000, 69279037),
        ] {
            assert_eq!(
                code_at(key, time / STEP_SECS),
                Some(code8 % 1_000_000),
                "t = {time}"
            );
        }
    }

    #[test]
    fn base32_round_trips() {
        let raw = b"12345678901234567890";
        assert_eq!(base32_encode(raw), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(base32_decode(&base32_encode(raw)).unwrap(), raw);
        assert_eq!(new_secret().len(), 32);
    }

    #[test]
    fn codes_work_once_and_within_one_step() {
        let secret = base32_encode(b"12345678901234567890");
        let now = 1_234_567_890;
        let code = format!(
            "{:06}",
            code_at(b"12345678901234567890", now / STEP_SECS).unwrap()
        );
        let step = verify(&secret, &code, now, 0).unwrap();
        assert_eq!(
            verify(&secret, &code, now, step),
            None,
            "a code cannot be replayed"
        );
        assert!(
            verify(&secret, &code, now + STEP_SECS, 0).is_some(),
            "one step of drift is fine"
        );
        assert_eq!(verify(&secret, &code, now + 3 * STEP_SECS, 0), None);
        assert_eq!(verify(&secret, "12345", now, 0), None);
    }

    #[test]
    fn the_qr_code_is_svg() {
        let svg = qr_svg(&otpauth_uri("GEZDGNBV", "demo.cpe")).unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}
