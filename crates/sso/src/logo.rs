//! Connected services' logos: a small PNG, JPEG or WebP image given in `ardoise.toml` (`logo_file`) or
//! uploaded on the region's admin page (kept in the service's spec as a `data:` URI). Ardoise serves it
//! itself (`/services/{id}/logo`), cached for a year under a versioned address, so the portal's
//! launcher shows it without reaching the publisher's site (the CSP allows only our own images).

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use web::AppError;

use crate::Sso;

/// The largest logo accepted: a launcher tile needs a few kilobytes.
pub const MAX_BYTES: usize = 100 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
    /// Changes with the image: the served address carries it, so browsers cache it for good.
    pub version: String,
}

/// The image type, from the file's first bytes (never from its name or a declared type).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

impl Logo {
    /// Checks an image: PNG, JPEG or WebP, at most [`MAX_BYTES`]. The error is for the administrator.
    pub fn new(bytes: Vec<u8>) -> Result<Logo, String> {
        if bytes.len() > MAX_BYTES {
            return Err(format!(
                "logo trop lourd ({} Ko ; {} Ko au plus)",
                bytes.len().div_ceil(1024),
                MAX_BYTES / 1024
            ));
        }
        let content_type = sniff(&bytes).ok_or("le logo doit être une image PNG, JPEG ou WebP")?;
        let version = Sha256::digest(&bytes)
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Logo {
            content_type,
            bytes,
            version,
        })
    }

    /// From a `data:image/…;base64,…` URI (how the admin page stores it).
    pub fn from_data_uri(uri: &str) -> Result<Logo, String> {
        let data = uri
            .strip_prefix("data:")
            .and_then(|rest| rest.split_once(";base64,"))
            .map(|(_, data)| data)
            .ok_or("logo : adresse data: attendue")?;
        let bytes = STANDARD
            .decode(data.trim())
            .map_err(|_| "logo : base64 invalide".to_string())?;
        Logo::new(bytes)
    }

    pub fn to_data_uri(&self) -> String {
        format!(
            "data:{};base64,{}",
            self.content_type,
            STANDARD.encode(&self.bytes)
        )
    }

    /// Where the portal shows it.
    pub fn href(&self, service_id: &str) -> String {
        format!("/services/{service_id}/logo?v={}", self.version)
    }
}

/// `GET /services/{id}/logo`: the image, cached for a year (its address changes with it).
pub async fn serve(State(sso): State<Sso>, Path(id): Path<String>) -> Result<Response, AppError> {
    let logo = sso
        .service_by_id(&id)
        .and_then(|s| s.logo.clone())
        .ok_or(AppError::NotFound)?;
    let mut response = logo.bytes.clone().into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(logo.content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn images_are_recognised_by_their_bytes() {
        assert_eq!(sniff(PNG), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), None);
        assert_eq!(sniff(b"GIF89a"), None);
    }

    #[test]
    fn logos_are_checked_and_round_trip_through_data_uris() {
        let logo = Logo::new(PNG.to_vec()).unwrap();
        assert_eq!(Logo::from_data_uri(&logo.to_data_uri()).unwrap(), logo);
        assert!(logo.href("pronote").starts_with("/services/pronote/logo?v="));
        let err = Logo::new(vec![0x89; MAX_BYTES + 1]).unwrap_err();
        assert!(err.contains("trop lourd"), "{err}");
        let err = Logo::new(b"<svg/>".to_vec()).unwrap_err();
        assert!(err.contains("PNG, JPEG ou WebP"), "{err}");
        assert!(Logo::from_data_uri("https://example.org/logo.png").is_err());
    }
}
