//! Files, stored by content: a file's key is the SHA-256 of its bytes (hex), kept under
//! `<root>/<2 hex>/<2 hex>/<key>`. A file is written to a temporary name in `<root>/tmp`, synced, then
//! renamed into place, so a crash leaves either the whole file or nothing under its key. Who may read a
//! file is not this crate's business: the feature that holds its metadata checks that first.
//!
//! The same bytes uploaded twice are stored once; files are never deleted here (a feature that forgets
//! a file keeps its row's key out of sight; a sweeper of unreferenced keys is future work).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

/// The default largest file accepted: 10 MB.
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("fichier trop volumineux : {} (maximum {})", human_size(*size), human_size(*max))]
    TooBig { size: u64, max: u64 },
    #[error("fichier introuvable dans le stockage ({0})")]
    NotFound(String),
    #[error("clé de fichier invalide")]
    BadKey,
    #[error("stockage des fichiers : {0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What the store says of a file it keeps: its key and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// SHA-256 of the content, 64 lower-case hex digits.
    pub key: String,
    pub size: u64,
}

/// The local file store. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Blobs {
    root: PathBuf,
    max_bytes: u64,
}

impl Blobs {
    /// A store under `root` (created on first write) refusing files over `max_bytes`.
    pub fn new(root: impl Into<PathBuf>, max_bytes: u64) -> Blobs {
        Blobs {
            root: root.into(),
            max_bytes,
        }
    }

    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// Refuses a size over the limit, before anything is written.
    pub fn check_size(&self, size: u64) -> Result<()> {
        if size > self.max_bytes {
            return Err(Error::TooBig {
                size,
                max: self.max_bytes,
            });
        }
        Ok(())
    }

    /// Stores `bytes` and returns their key. Storing the same bytes again changes nothing.
    pub async fn put(&self, bytes: &[u8]) -> Result<Stored> {
        self.check_size(bytes.len() as u64)?;
        let key = hex(&Sha256::digest(bytes));
        let stored = Stored {
            key: key.clone(),
            size: bytes.len() as u64,
        };
        let target = self.path_of(&key)?;
        if tokio::fs::try_exists(&target).await? {
            return Ok(stored);
        }
        let tmp_dir = self.root.join("tmp");
        tokio::fs::create_dir_all(&tmp_dir).await?;
        let tmp = tmp_dir.join(uuid::Uuid::now_v7().simple().to_string());
        let written = write_synced(&tmp, bytes).await;
        let moved = match written {
            Ok(()) => match target.parent() {
                Some(dir) => match tokio::fs::create_dir_all(dir).await {
                    Ok(()) => tokio::fs::rename(&tmp, &target).await,
                    Err(e) => Err(e),
                },
                None => Err(std::io::Error::other("no parent directory")),
            },
            Err(e) => Err(e),
        };
        if let Err(e) = moved {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(e.into());
        }
        Ok(stored)
    }

    /// The bytes stored under `key`.
    pub async fn get(&self, key: &str) -> Result<Vec<u8>> {
        let path = self.path_of(key)?;
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::NotFound(key.to_string())),
            Err(e) => Err(e.into()),
        }
    }

    /// `<root>/ab/cd/abcd…`; only a well-formed key becomes a path (no `..` can sneak in).
    fn path_of(&self, key: &str) -> Result<PathBuf> {
        if key.len() != 64
            || !key
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(Error::BadKey);
        }
        Ok(self.root.join(&key[..2]).join(&key[2..4]).join(key))
    }
}

async fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = tokio::fs::File::create(path).await?;
    file.write_all(bytes).await?;
    file.sync_all().await
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// "12,3 Mo", "850 ko", "12 octets": the sizes French people read.
pub fn human_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        let tenths = (bytes * 10 + MB / 2) / MB;
        if tenths.is_multiple_of(10) {
            format!("{} Mo", tenths / 10)
        } else {
            format!("{},{} Mo", tenths / 10, tenths % 10)
        }
    } else if bytes >= KB {
        format!("{} ko", bytes.div_ceil(KB))
    } else {
        format!("{bytes} octets")
    }
}

/// The content type to record for an upload: what the bytes say (magic numbers) first, then the file
/// name's extension; the browser's declaration is not trusted. Downloads go out as attachments with
/// `nosniff` anyway, so the type is what the saved file is opened with, never how Ardoise renders it.
pub fn sniff(bytes: &[u8], file_name: &str) -> &'static str {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF-", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"ID3", "audio/mpeg"),
        (b"OggS", "audio/ogg"),
    ];
    if let Some((_, ty)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return ty;
    }
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let zipped = bytes.starts_with(b"PK\x03\x04");
    match ext.as_str() {
        "docx" if zipped => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" if zipped => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" if zipped => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" if zipped => "application/vnd.oasis.opendocument.text",
        "ods" if zipped => "application/vnd.oasis.opendocument.spreadsheet",
        "odp" if zipped => "application/vnd.oasis.opendocument.presentation",
        _ if zipped => "application/zip",
        "txt" if std::str::from_utf8(bytes).is_ok() => "text/plain; charset=utf-8",
        "webp" if bytes.get(8..12) == Some(b"WEBP") => "image/webp",
        "mp4" | "m4a" if bytes.get(4..8) == Some(b"ftyp") => "video/mp4",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn files_are_stored_by_content_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Blobs::new(dir.path().join("blobs"), 100);
        let a = blobs.put(b"bonjour").await.unwrap();
        assert_eq!(a.size, 7);
        assert_eq!(a.key.len(), 64);
        let path = dir
            .path()
            .join("blobs")
            .join(&a.key[..2])
            .join(&a.key[2..4])
            .join(&a.key);
        assert!(path.is_file(), "two-level fan-out");
        assert_eq!(blobs.get(&a.key).await.unwrap(), b"bonjour");
        let again = blobs.put(b"bonjour").await.unwrap();
        assert_eq!(again, a, "the same bytes keep the same key");
        let tmp = std::fs::read_dir(dir.path().join("blobs/tmp")).unwrap().count();
        assert_eq!(tmp, 0, "no temporary file left behind");
    }

    #[tokio::test]
    async fn too_big_files_are_refused_in_french_and_keys_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Blobs::new(dir.path(), 10);
        let err = blobs.put(&[0u8; 11]).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "fichier trop volumineux : 11 octets (maximum 10 octets)"
        );
        let big = Blobs::new(dir.path(), DEFAULT_MAX_BYTES).check_size(12 * 1024 * 1024 + 300_000);
        assert_eq!(
            big.unwrap_err().to_string(),
            "fichier trop volumineux : 12,3 Mo (maximum 10 Mo)"
        );
        assert!(matches!(blobs.get("../../etc/passwd").await, Err(Error::BadKey)));
        let missing = "0".repeat(64);
        assert!(matches!(blobs.get(&missing).await, Err(Error::NotFound(_))));
    }

    #[test]
    fn content_types_come_from_the_bytes_before_the_name() {
        assert_eq!(sniff(b"%PDF-1.7 ...", "devoir.txt"), "application/pdf");
        assert_eq!(sniff(b"<html><script>", "page.html"), "application/octet-stream");
        assert_eq!(sniff(b"Mon texte", "notes.txt"), "text/plain; charset=utf-8");
        assert_eq!(
            sniff(b"PK\x03\x04rest", "copie.odt"),
            "application/vnd.oasis.opendocument.text"
        );
        assert_eq!(sniff(b"PK\x03\x04rest", "archive.bin"), "application/zip");
        assert_eq!(human_size(850 * 1024), "850 ko");
    }
}
