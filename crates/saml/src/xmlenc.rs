//! XML Encryption of assertions: RSA-OAEP key transport to our key, then AES-CBC or AES-GCM content.
//!
//! RSA PKCS#1 v1.5 key transport is refused (Bleichenbacher). The plaintext is only trusted after the
//! caller verifies its signature (or the response's): decryption proves nothing about who wrote it.
//!
//! Every failure that depends on secret data — RSA unwrapping, padding or tag, and (in the caller) parsing
//! the plaintext — gives the same [`failure`], and a failed RSA unwrapping goes on with a random session key
//! (as xmlsec and Shibboleth do), to starve padding oracles of answers. AES-CBC is unauthenticated, so an
//! altered ciphertext that still decrypts to a well-formed assertion gets a different refusal: AES-GCM is
//! the mode to ask identity providers for.

use aes::cipher::{BlockDecryptMut, KeyIvInit, block_padding::NoPadding};
use aes_gcm::aead::{Aead, KeyInit};
use roxmltree::Node;
use rsa::rand_core::{OsRng, RngCore};
use rsa::{Oaep, RsaPrivateKey};

use crate::SamlError;
use crate::xml::{self, NS_DSIG, NS_XMLENC, NS_XMLENC11};

const RSA_OAEP_MGF1P: &str = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
const RSA_OAEP: &str = "http://www.w3.org/2009/xmlenc11#rsa-oaep";
const SHA1: &str = "http://www.w3.org/2000/09/xmldsig#sha1";
const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
const MGF1_SHA1: &str = "http://www.w3.org/2009/xmlenc11#mgf1sha1";
const MGF1_SHA256: &str = "http://www.w3.org/2009/xmlenc11#mgf1sha256";

/// Content algorithms: (URI, key length, GCM?).
const CONTENT: [(&str, usize, bool); 4] = [
    ("http://www.w3.org/2001/04/xmlenc#aes128-cbc", 16, false),
    ("http://www.w3.org/2001/04/xmlenc#aes256-cbc", 32, false),
    ("http://www.w3.org/2009/xmlenc11#aes128-gcm", 16, true),
    ("http://www.w3.org/2009/xmlenc11#aes256-gcm", 32, true),
];

/// The plaintext (an XML fragment) inside a `saml:EncryptedAssertion`.
pub(crate) fn decrypt(encrypted_assertion: Node, key: &RsaPrivateKey) -> Result<String, SamlError> {
    let data = xml::only_child(encrypted_assertion, NS_XMLENC, "EncryptedData")?;
    let method = algorithm(xml::only_child(data, NS_XMLENC, "EncryptionMethod")?);
    let (_, key_len, gcm) = CONTENT
        .iter()
        .find(|(uri, _, _)| *uri == method)
        .ok_or_else(|| SamlError::UnsupportedAlgorithm(short(method)))?;

    // The EncryptedKey sits in the data's KeyInfo (pysaml2, Shibboleth) or beside the data.
    let in_key_info = xml::opt_child(data, NS_DSIG, "KeyInfo")?
        .and_then(|info| xml::children(info, NS_XMLENC, "EncryptedKey").next());
    let encrypted_key = match in_key_info {
        Some(k) => k,
        None => xml::only_child(encrypted_assertion, NS_XMLENC, "EncryptedKey")?,
    };
    let session_key = unwrap_key(encrypted_key, key, *key_len)?;
    let ciphertext = cipher_value(data)?;
    let plaintext = if *gcm {
        aes_gcm(&session_key, &ciphertext)?
    } else {
        aes_cbc(&session_key, &ciphertext)?
    };
    String::from_utf8(plaintext).map_err(|_| failure())
}

/// The one answer to any secret-dependent decryption failure.
pub(crate) fn failure() -> SamlError {
    SamlError::Decrypt("données chiffrées invalides, ou chiffrées pour une autre clé".into())
}

/// The session key, or a random one of `len` bytes when unwrapping fails (see the module documentation).
fn unwrap_key(encrypted_key: Node, key: &RsaPrivateKey, len: usize) -> Result<Vec<u8>, SamlError> {
    let method = xml::only_child(encrypted_key, NS_XMLENC, "EncryptionMethod")?;
    let transport = algorithm(method);
    if transport != RSA_OAEP_MGF1P && transport != RSA_OAEP {
        return Err(SamlError::UnsupportedAlgorithm(short(transport)));
    }
    if xml::children(method, NS_XMLENC, "OAEPparams").next().is_some() {
        return Err(SamlError::UnsupportedAlgorithm("OAEPparams".into()));
    }
    let digest = xml::opt_child(method, NS_DSIG, "DigestMethod")?.map_or(SHA1, algorithm);
    let mgf = match xml::opt_child(method, NS_XMLENC11, "MGF")? {
        Some(m) if transport == RSA_OAEP => algorithm(m),
        _ => MGF1_SHA1,
    };
    let padding = match (digest, mgf) {
        (SHA1, MGF1_SHA1) => Oaep::new::<sha1::Sha1>(),
        (SHA256, MGF1_SHA1) => Oaep::new_with_mgf_hash::<sha2::Sha256, sha1::Sha1>(),
        (SHA256, MGF1_SHA256) => Oaep::new::<sha2::Sha256>(),
        (SHA1, MGF1_SHA256) => Oaep::new_with_mgf_hash::<sha1::Sha1, sha2::Sha256>(),
        (SHA1 | SHA256, other) => return Err(SamlError::UnsupportedAlgorithm(short(other))),
        (other, _) => return Err(SamlError::UnsupportedAlgorithm(short(other))),
    };
    let wrapped = cipher_value(encrypted_key)?;
    // Blinded: the decryption time must not depend on the key (an attacker chooses the ciphertext).
    match key.decrypt_blinded(&mut OsRng, padding, &wrapped) {
        Ok(session_key) if session_key.len() == len => Ok(session_key),
        _ => {
            let mut random = vec![0u8; len];
            OsRng.fill_bytes(&mut random);
            Ok(random)
        }
    }
}

fn cipher_value(node: Node) -> Result<Vec<u8>, SamlError> {
    let data = xml::only_child(node, NS_XMLENC, "CipherData")?;
    let value = xml::only_child(data, NS_XMLENC, "CipherValue")?;
    xml::base64_decode(&xml::text_of(value))
}

fn aes_cbc(key: &[u8], data: &[u8]) -> Result<Vec<u8>, SamlError> {
    let bad = failure;
    if data.len() < 32 || !data.len().is_multiple_of(16) {
        return Err(bad());
    }
    let (iv, body) = data.split_at(16);
    let mut buf = body.to_vec();
    let plain_len = match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
            .map_err(|_| bad())?
            .decrypt_padded_mut::<NoPadding>(&mut buf)
            .map_err(|_| bad())?
            .len(),
        _ => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .map_err(|_| bad())?
            .decrypt_padded_mut::<NoPadding>(&mut buf)
            .map_err(|_| bad())?
            .len(),
    };
    // xmlenc padding: the last byte says how many bytes to drop; the others are arbitrary.
    let pad = usize::from(*buf.get(plain_len.wrapping_sub(1)).ok_or_else(bad)?);
    if pad == 0 || pad > 16 || pad > plain_len {
        return Err(bad());
    }
    buf.truncate(plain_len - pad);
    Ok(buf)
}

fn aes_gcm(key: &[u8], data: &[u8]) -> Result<Vec<u8>, SamlError> {
    let bad = failure;
    if data.len() < 12 + 16 {
        return Err(bad());
    }
    let (iv, body) = data.split_at(12);
    let nonce: [u8; 12] = iv.try_into().map_err(|_| bad())?;
    let nonce = aes_gcm::Nonce::from(nonce);
    match key.len() {
        16 => aes_gcm::Aes128Gcm::new_from_slice(key)
            .map_err(|_| bad())?
            .decrypt(&nonce, body),
        _ => aes_gcm::Aes256Gcm::new_from_slice(key)
            .map_err(|_| bad())?
            .decrypt(&nonce, body),
    }
    .map_err(|_| bad())
}

fn algorithm<'a>(node: Node<'a, '_>) -> &'a str {
    node.attribute("Algorithm").unwrap_or("")
}

fn short(uri: &str) -> String {
    let name = uri.rsplit_once('#').map_or(uri, |(_, s)| s);
    name.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes::cipher::BlockEncryptMut;

    #[test]
    fn cbc_strips_xmlenc_padding_whose_filler_bytes_are_arbitrary() -> Result<(), SamlError> {
        let key = [7u8; 16];
        let iv = [9u8; 16];
        let mut block = *b"<a/>\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c";
        let len = block.len();
        cbc::Encryptor::<aes::Aes128>::new_from_slices(&key, &iv)
            .map_err(|_| SamlError::malformed("key"))?
            .encrypt_padded_mut::<NoPadding>(&mut block, len)
            .map_err(|_| SamlError::malformed("pad"))?;
        let mut data = iv.to_vec();
        data.extend_from_slice(&block);
        assert_eq!(aes_cbc(&key, &data)?, b"<a/>");
        assert!(aes_cbc(&key, &data[..20]).is_err());
        Ok(())
    }
}
