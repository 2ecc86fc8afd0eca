//! Compact JWS with RS256, the only algorithm Ardoise signs with and accepts: enough for id and access
//! tokens, logout tokens and the `private_key_jwt` client assertions, with no JOSE library.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Signs `claims` as a JWT with `key`, naming it `kid` in the header.
pub fn sign(key: &RsaKeyPair, kid: &str, typ: &str, claims: &Value) -> String {
    let header = json!({ "alg": "RS256", "typ": typ, "kid": kid });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    // ring's RSA is constant-time and blinded.
    let mut signature = vec![0u8; key.public().modulus_len()];
    let rng = ring::rand::SystemRandom::new();
    if key
        .sign(&RSA_PKCS1_SHA256, &rng, signing_input.as_bytes(), &mut signature)
        .is_err()
    {
        signature.clear();
    }
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// A JWT split and decoded, not yet verified.
pub struct Parsed {
    pub kid: Option<String>,
    pub claims: Value,
    signing_input: String,
    signature: Vec<u8>,
}

/// Why a JWT is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum JwtError {
    Malformed,
    Algorithm,
    Signature,
}

pub fn parse(token: &str) -> Result<Parsed, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(c), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(JwtError::Malformed);
    };
    let decode = |p: &str| URL_SAFE_NO_PAD.decode(p).map_err(|_| JwtError::Malformed);
    let header: Value = serde_json::from_slice(&decode(h)?).map_err(|_| JwtError::Malformed)?;
    // Only RS256: "none", HMAC with a public key as secret and every other confusion are refused here.
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(JwtError::Algorithm);
    }
    let claims: Value = serde_json::from_slice(&decode(c)?).map_err(|_| JwtError::Malformed)?;
    if !claims.is_object() {
        return Err(JwtError::Malformed);
    }
    Ok(Parsed {
        kid: header.get("kid").and_then(Value::as_str).map(str::to_string),
        claims,
        signing_input: format!("{h}.{c}"),
        signature: decode(s)?,
    })
}

impl Parsed {
    /// Checks the signature with one of `keys`; the claims are trustworthy only after this.
    pub fn verify(&self, keys: &[&RsaPublicKey]) -> Result<(), JwtError> {
        let digest = Sha256::digest(self.signing_input.as_bytes());
        if keys.iter().any(|k| {
            k.verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &self.signature)
                .is_ok()
        }) {
            Ok(())
        } else {
            Err(JwtError::Signature)
        }
    }

    pub fn str_claim(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    pub fn int_claim(&self, name: &str) -> Option<i64> {
        self.claims.get(name).and_then(Value::as_i64)
    }

    /// Whether `aud` (a string or an array) names `audience`.
    pub fn audience_has(&self, audience: &str) -> bool {
        match self.claims.get("aud") {
            Some(Value::String(a)) => a == audience,
            Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(audience)),
            _ => false,
        }
    }
}

/// The public JWK of a key (for our JWKS).
pub fn jwk(key: &RsaPublicKey, kid: &str) -> Value {
    json!({
        "kty": "RSA",
        "use": "sig",
        "alg": "RS256",
        "kid": kid,
        "n": URL_SAFE_NO_PAD.encode(key.n().to_bytes_be()),
        "e": URL_SAFE_NO_PAD.encode(key.e().to_bytes_be()),
    })
}

/// The RSA public keys of a JWKS document (`{"keys": [...]}`), e.g. a client's for `private_key_jwt`.
pub fn keys_of_jwks(jwks: &Value) -> Vec<RsaPublicKey> {
    let Some(list) = jwks.get("keys").and_then(Value::as_array) else {
        return vec![];
    };
    list.iter()
        .filter(|k| k.get("kty").and_then(Value::as_str) == Some("RSA"))
        .filter_map(|k| {
            let n = URL_SAFE_NO_PAD.decode(k.get("n")?.as_str()?).ok()?;
            let e = URL_SAFE_NO_PAD.decode(k.get("e")?.as_str()?).ok()?;
            RsaPublicKey::new(BigUint::from_bytes_be(&n), BigUint::from_bytes_be(&e)).ok()
        })
        .collect()
}

/// `at_hash`: the left half of the SHA-256 of the access token, base64url.
pub fn half_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..16])
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::RsaPrivateKey;
    use rsa::pkcs8::EncodePrivateKey;
    use rsa::rand_core::OsRng;

    struct Key {
        private: RsaPrivateKey,
        ring: RsaKeyPair,
    }

    impl Key {
        fn to_public_key(&self) -> RsaPublicKey {
            self.private.to_public_key()
        }
    }

    fn key() -> Key {
        let private = RsaPrivateKey::new(&mut OsRng, 2048).unwrap();
        let ring = RsaKeyPair::from_pkcs8(private.to_pkcs8_der().unwrap().as_bytes()).unwrap();
        Key { private, ring }
    }

    #[test]
    fn a_signed_token_verifies_with_its_key_only_and_alterations_fail() {
        let (k1, k2) = (key(), key());
        let token = sign(&k1.ring, "k1", "JWT", &json!({"sub": "abc", "exp": 5}));
        let parsed = parse(&token).unwrap();
        assert_eq!(parsed.kid.as_deref(), Some("k1"));
        assert_eq!(parsed.str_claim("sub"), Some("abc"));
        assert_eq!(parsed.verify(&[&k1.to_public_key()]), Ok(()));
        assert_eq!(parsed.verify(&[&k2.to_public_key()]), Err(JwtError::Signature));
        // Same signature, another payload.
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(json!({"sub": "admin", "exp": 5}).to_string());
        parts[1] = &forged;
        let forged = parse(&parts.join(".")).unwrap();
        assert_eq!(forged.verify(&[&k1.to_public_key()]), Err(JwtError::Signature));
        // The JWKS form of the key verifies too.
        let jwks = json!({"keys": [jwk(&k1.to_public_key(), "k1")]});
        let keys = keys_of_jwks(&jwks);
        assert_eq!(parsed.verify(&keys.iter().collect::<Vec<_>>()), Ok(()));
    }

    #[test]
    fn unsigned_and_hmac_tokens_are_refused_before_any_check() {
        let body = URL_SAFE_NO_PAD.encode(r#"{"sub":"x"}"#);
        for alg in ["none", "HS256", "RS512"] {
            let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"{alg}"}}"#));
            assert_eq!(
                parse(&format!("{header}.{body}.")).err(),
                Some(JwtError::Algorithm)
            );
        }
        assert_eq!(parse("a.b").err(), Some(JwtError::Malformed));
        assert_eq!(parse("a.b.c.d").err(), Some(JwtError::Malformed));
    }
}
