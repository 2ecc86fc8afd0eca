//! Our RSA key pair and our peers' certificates: loading, signing, verifying.

use std::sync::Arc;

use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use x509_cert::der::{Decode, Encode};

use crate::SamlError;

/// Smaller RSA keys are refused, ours and the identity providers'.
const MIN_RSA_BITS: usize = 2048;

/// Our RSA private key and its (usually self-signed) certificate, as service provider or identity provider.
///
/// As a service provider, the key signs our AuthnRequests and decrypts the assertions identity providers
/// encrypt for us; as an identity provider, it signs our assertions and responses. The certificate is what
/// our metadata publishes. `Debug` never shows the key.
#[derive(Clone)]
pub struct Keys {
    /// Decrypts (RSA-OAEP key transport).
    pub(crate) key: RsaPrivateKey,
    /// The same key, for signing with ring.
    signer: Arc<ring::signature::RsaKeyPair>,
    pub(crate) cert_der: Vec<u8>,
}

/// The name the service provider side has always used for [`Keys`].
pub type SpKeys = Keys;

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("key", &"[redacted]")
            .field("cert_der_len", &self.cert_der.len())
            .finish()
    }
}

impl Keys {
    /// Reads an unencrypted RSA private key (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`) and the X.509
    /// certificate (`CERTIFICATE`) holding its public half; refuses keys under 2048 bits and mismatched pairs.
    pub fn from_pem(key_pem: &str, cert_pem: &str) -> Result<Self, SamlError> {
        let key = RsaPrivateKey::from_pkcs8_pem(key_pem)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(key_pem))
            .map_err(|_| SamlError::BadKey("clé privée RSA PEM non chiffrée attendue".into()))?;
        let cert_der = pem_block(cert_pem, "CERTIFICATE")
            .ok_or_else(|| SamlError::BadKey("certificat PEM (CERTIFICATE) attendu".into()))?;
        let public = public_key_of_cert(&cert_der).map_err(SamlError::BadKey)?;
        if public != key.to_public_key() {
            return Err(SamlError::BadKey("la clé ne correspond pas au certificat".into()));
        }
        let pkcs8 = key
            .to_pkcs8_der()
            .map_err(|_| SamlError::BadKey("clé privée RSA illisible".into()))?;
        let signer = ring::signature::RsaKeyPair::from_pkcs8(pkcs8.as_bytes())
            .map_err(|e| SamlError::BadKey(format!("clé privée RSA refusée ({e})")))?;
        Ok(Keys {
            key,
            signer: Arc::new(signer),
            cert_der,
        })
    }

    /// RSA-SHA256 (PKCS#1 v1.5) signature of `data` (ring: constant-time, blinded).
    pub(crate) fn sign(&self, data: &[u8]) -> Result<Vec<u8>, SamlError> {
        let mut signature = vec![0u8; self.signer.public().modulus_len()];
        self.signer
            .sign(
                &ring::signature::RSA_PKCS1_SHA256,
                &ring::rand::SystemRandom::new(),
                data,
                &mut signature,
            )
            .map_err(|e| SamlError::BadKey(format!("signature impossible ({e})")))?;
        Ok(signature)
    }
}

/// The DER inside the first PEM block labelled `label`.
fn pem_block(pem: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem.find(&begin)? + begin.len();
    let stop = start + pem.get(start..)?.find(&end)?;
    crate::xml::base64_decode(pem.get(start..stop)?).ok()
}

/// The RSA public key of a DER X.509 certificate. The certificate's validity dates and issuer are not
/// checked: in SAML metadata a certificate is only a container for a key trusted by configuration.
pub(crate) fn public_key_of_cert(der: &[u8]) -> Result<RsaPublicKey, String> {
    let cert = x509_cert::Certificate::from_der(der).map_err(|_| "certificat X.509 illisible".to_string())?;
    let spki = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|_| "clé publique illisible".to_string())?;
    let key =
        RsaPublicKey::from_public_key_der(&spki).map_err(|_| "clé publique RSA attendue".to_string())?;
    if key.size() * 8 < MIN_RSA_BITS {
        return Err(format!("clé RSA de moins de {MIN_RSA_BITS} bits"));
    }
    Ok(key)
}

/// Does `signature` (RSA-SHA256, PKCS#1 v1.5) over `data` verify with one of the certificates?
/// Verified by ring (as our signatures are made): every delegated sign-in checks one, and the rsa
/// crate's big-number code took about four times as long.
pub(crate) fn verify_with_any(certs: &[Vec<u8>], data: &[u8], signature: &[u8]) -> bool {
    certs.iter().filter_map(|der| rsa_public_key_der(der)).any(|key| {
        ring::signature::UnparsedPublicKey::new(&ring::signature::RSA_PKCS1_2048_8192_SHA256, key)
            .verify(data, signature)
            .is_ok()
    })
}

/// The PKCS#1 `RSAPublicKey` of a DER X.509 certificate, what ring reads (and refuses under 2048 bits).
fn rsa_public_key_der(der: &[u8]) -> Option<Vec<u8>> {
    let cert = x509_cert::Certificate::from_der(der).ok()?;
    cert.tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .as_bytes()
        .map(<[u8]>::to_vec)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = include_str!("../tests/peer/test-only-sp.key");
    const CERT: &str = include_str!("../tests/peer/test-only-sp.crt");
    const OTHER_CERT: &str = include_str!("../tests/peer/test-only-idp.crt");

    #[test]
    fn a_key_loads_with_its_certificate_and_signs_verifiably() -> Result<(), SamlError> {
        let keys = SpKeys::from_pem(KEY, CERT)?;
        let signature = keys.sign(b"SAMLRequest=x")?;
        assert!(verify_with_any(
            std::slice::from_ref(&keys.cert_der),
            b"SAMLRequest=x",
            &signature
        ));
        assert!(!verify_with_any(
            std::slice::from_ref(&keys.cert_der),
            b"SAMLRequest=y",
            &signature
        ));
        // Another certificate does not verify it; a list holding ours as well does (key rollover).
        let other = pem_block(OTHER_CERT, "CERTIFICATE").ok_or(SamlError::BadKey("pem".into()))?;
        assert!(!verify_with_any(
            std::slice::from_ref(&other),
            b"SAMLRequest=x",
            &signature
        ));
        assert!(verify_with_any(
            &[other, keys.cert_der.clone()],
            b"SAMLRequest=x",
            &signature
        ));
        assert!(!format!("{keys:?}").contains("PRIVATE"));
        let public = public_key_of_cert(&keys.cert_der).map_err(SamlError::BadKey)?;
        assert_eq!(public, keys.key.to_public_key());
        Ok(())
    }

    #[test]
    fn a_key_with_someone_elses_certificate_is_refused() {
        assert!(matches!(
            SpKeys::from_pem(KEY, OTHER_CERT),
            Err(SamlError::BadKey(_))
        ));
        assert!(matches!(
            SpKeys::from_pem("nothing", CERT),
            Err(SamlError::BadKey(_))
        ));
    }
}
