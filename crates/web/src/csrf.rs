//! The server key and what it signs. CSRF tokens: an HMAC of the session (or, before sign-in, of a random cookie) under the server key.
//!
//! The token cannot be computed without the HttpOnly cookie, which another site can neither read nor set,
//! so a forged cross-site form always fails.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Cookie carrying the random value anonymous forms (sign-in) are bound to.
pub const PRE_SESSION_COOKIE: &str = "ardoise_pre";

/// Name of the hidden field of every form.
pub const FIELD: &str = "csrf_token";

#[derive(Clone)]
pub struct ServerKey([u8; 32]);

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKey(<redacted>)")
    }
}

/// Whether two secrets are equal, in a time that does not tell where they differ (both are hashed
/// first, so not even their lengths show).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use sha2::Digest as _;
    let (a, b) = (Sha256::digest(a), Sha256::digest(b));
    a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl ServerKey {
    pub fn new(secret: [u8; 32]) -> ServerKey {
        ServerKey(secret)
    }

    /// A keyed hash of `data` for `purpose` (activation codes, recovery links): fast to check, useless
    /// to whoever reads the database without the server key.
    pub fn keyed_hash(&self, purpose: &str, data: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return String::new();
        };
        mac.update(purpose.as_bytes());
        mac.update(b":");
        mac.update(data.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Encrypts a small secret (a TOTP seed) for storage: `v1:<nonce>:<ciphertext>`, the ciphertext being
    /// the plaintext XORed with HMAC-SHA256(key, purpose, context, nonce, counter) blocks. Someone who
    /// reads the database without the server key learns nothing of it.
    pub fn seal(&self, purpose: &str, context: &str, plain: &[u8]) -> String {
        let mut nonce = [0u8; 16];
        rand::fill(&mut nonce);
        let sealed = self.keystream_xor(purpose, context, &nonce, plain);
        format!(
            "v1:{}:{}",
            URL_SAFE_NO_PAD.encode(nonce),
            URL_SAFE_NO_PAD.encode(sealed)
        )
    }

    /// The plaintext of a `seal`ed value, None if it is not one (or is damaged).
    pub fn open(&self, purpose: &str, context: &str, sealed: &str) -> Option<Vec<u8>> {
        let mut parts = sealed.strip_prefix("v1:")?.split(':');
        let nonce = URL_SAFE_NO_PAD.decode(parts.next()?).ok()?;
        let data = URL_SAFE_NO_PAD.decode(parts.next()?).ok()?;
        Some(self.keystream_xor(purpose, context, &nonce, &data))
    }

    fn keystream_xor(&self, purpose: &str, context: &str, nonce: &[u8], data: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(data.len());
        for (counter, chunk) in data.chunks(32).enumerate() {
            let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
                return vec![];
            };
            for part in [
                b"seal:".as_slice(),
                purpose.as_bytes(),
                b":",
                context.as_bytes(),
                b":",
                nonce,
            ] {
                mac.update(part);
            }
            mac.update(&(counter as u64).to_be_bytes());
            let block = mac.finalize().into_bytes();
            out.extend(chunk.iter().zip(block.iter()).map(|(a, b)| a ^ b));
        }
        out
    }

    /// The token for forms bound to `binding` (a session token hash or the pre-session cookie).
    pub fn token(&self, binding: &str) -> String {
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.0) {
            Ok(m) => m,
            Err(_) => return String::new(),
        };
        mac.update(b"csrf:");
        mac.update(binding.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// Constant-time check of a submitted token.
    pub fn verify(&self, binding: &str, submitted: &str) -> bool {
        if binding.is_empty() {
            return false;
        }
        let Ok(raw) = URL_SAFE_NO_PAD.decode(submitted.trim()) else {
            return false;
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return false;
        };
        mac.update(b"csrf:");
        mac.update(binding.as_bytes());
        mac.verify_slice(&raw).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_with_their_key_and_context() {
        let key = ServerKey::new([7; 32]);
        let secret = b"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DP";
        let sealed = key.seal("totp", "user-1", secret);
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.contains("JBSWY3DP"), "{sealed}");
        assert_ne!(
            sealed,
            key.seal("totp", "user-1", secret),
            "a fresh nonce each time"
        );
        assert_eq!(
            key.open("totp", "user-1", &sealed).as_deref(),
            Some(secret.as_slice())
        );
        assert_ne!(
            key.open("totp", "user-2", &sealed).as_deref(),
            Some(secret.as_slice())
        );
        let other = ServerKey::new([8; 32]);
        assert_ne!(
            other.open("totp", "user-1", &sealed).as_deref(),
            Some(secret.as_slice())
        );
        assert_eq!(key.open("totp", "user-1", "JBSWY3DP"), None, "not sealed");
    }

    #[test]
    fn tokens_are_bound_to_their_key_and_binding() {
        let key = ServerKey::new([7; 32]);
        let token = key.token("session-a");
        assert!(key.verify("session-a", &token));
        assert!(!key.verify("session-b", &token));
        assert!(!ServerKey::new([8; 32]).verify("session-a", &token));
        assert!(!key.verify("session-a", ""));
        assert!(!key.verify("", &key.token("")));
    }
}
