//! Attachments: uploads into the blob store, their rows, and downloads checked like what they hang from.

use kernel::Timestamp;
use uuid::Uuid;

use crate::model::{self, Access, FieldError};
use crate::service::{Error, Homework, Result, Viewer};
use crate::store::{self, FileKind, FileRow};

/// A file chosen in a form.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// An upload once in the blob store, to be recorded.
pub(crate) struct StoredUpload {
    pub file_name: String,
    pub content_type: &'static str,
    pub size: u64,
    pub key: String,
}

impl Homework {
    /// Writes files to the blob store (before the transaction: content-addressed, so a rolled-back
    /// transaction leaves at worst an unreferenced file).
    pub(crate) async fn store_uploads(&self, uploads: &[Upload]) -> Result<Vec<StoredUpload>> {
        if uploads.len() > model::MAX_FILES_PER_FORM {
            return Err(FieldError::new("hw-field-files", "hw-problem-too-many-files")
                .arg("max", model::MAX_FILES_PER_FORM)
                .into());
        }
        for u in uploads {
            if self.blobs.check_size(u.bytes.len() as u64).is_err() {
                return Err(FieldError::new("hw-field-files", "hw-problem-too-big")
                    .arg("name", &u.file_name)
                    .arg("size", blob::human_size(u.bytes.len() as u64))
                    .arg("max", blob::human_size(self.blobs.max_bytes()))
                    .into());
            }
        }
        let mut stored = vec![];
        for u in uploads {
            let s = self.blobs.put(&u.bytes).await.map_err(Error::internal)?;
            stored.push(StoredUpload {
                file_name: web::file_name::clean(&u.file_name),
                content_type: blob::sniff(&u.bytes, &u.file_name),
                size: s.size,
                key: s.key,
            });
        }
        Ok(stored)
    }

    pub(crate) async fn record_files(
        &self,
        tx: &mut db::Tx,
        v: &Viewer,
        (kind, parent, student): (FileKind, Uuid, Option<Uuid>),
        files: &[StoredUpload],
        now: Timestamp,
    ) -> Result<()> {
        for f in files {
            let new = store::NewFile {
                kind,
                parent_id: parent,
                student_id: student,
                file_name: &f.file_name,
                content_type: f.content_type,
                size: f.size,
                blob_key: &f.key,
                uploaded_by: v.user,
            };
            store::insert_file(tx, v.school, new, now).await?;
        }
        Ok(())
    }

    /// The file and its bytes, if the viewer may read what it is attached to.
    pub async fn download(&self, v: &Viewer, id: Uuid) -> Result<(FileRow, Vec<u8>)> {
        let file = store::file(&self.db, v.school, id)
            .await?
            .ok_or(Error::NotFound)?;
        let allowed = match FileKind::parse(&file.kind) {
            Some(FileKind::Entry) => match store::entry(&self.db, v.school, file.parent_id).await? {
                Some(e) => self.access(v, e.class_id, Some(&e.subject_code)).await? >= Access::Read,
                None => false,
            },
            Some(FileKind::Homework | FileKind::Common) => {
                match store::homework(&self.db, v.school, file.parent_id).await? {
                    Some(h) => self.access(v, h.class_id, Some(&h.subject_code)).await? >= Access::Read,
                    None => false,
                }
            }
            Some(FileKind::Submission | FileKind::Correction) => {
                match (
                    store::homework(&self.db, v.school, file.parent_id).await?,
                    file.student_id,
                ) {
                    (Some(h), Some(student)) => self.may_see_work_of(v, &h, student).await?,
                    _ => false,
                }
            }
            None => false,
        };
        if !allowed {
            return Err(Error::NotFound);
        }
        let bytes = self.blobs.get(&file.blob_key).await.map_err(Error::internal)?;
        Ok((file, bytes))
    }
}
