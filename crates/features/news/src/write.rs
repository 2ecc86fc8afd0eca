//! Writing news: checking the form and its files, storing the files, then the item, its links and its
//! events in one transaction.

use bus::Event;
use kernel::SchoolId;
use serde_json::json;
use uuid::Uuid;
use web::FieldError;

use crate::model::{self, Writer};
use crate::service::{Compose, Error, News, Result, Upload, Viewer};
use crate::store::{self, FileRow, NewsRow};

/// A file once in the blob store.
struct Stored {
    file_name: String,
    content_type: &'static str,
    size: u64,
    key: String,
}

impl News {
    /// Writes an item (a draft, or published at once) and returns its id.
    pub async fn create(&self, v: &Viewer, c: Compose) -> Result<Uuid> {
        let choices = self.choices(v).await?;
        let writer = choices.writer.ok_or(Error::Forbidden)?;
        let now = self.now();
        let checked = model::check(&c.draft, now, c.illustration.is_some())?;
        let classes = match writer {
            Writer::School | Writer::Teacher => {
                if writer == Writer::Teacher && c.draft.classes.is_empty() {
                    return Err(FieldError::new("news-field-classes", "news-problem-teacher-classes").into());
                }
                if c.draft
                    .classes
                    .iter()
                    .any(|id| !choices.classes.iter().any(|k| k.0 == *id))
                {
                    return Err(Error::Forbidden);
                }
                c.draft.classes.clone()
            }
            Writer::Authority | Writer::Region => vec![],
        };
        let (schools, signature) = self.reach(v, &c.target, &choices).await?;
        self.check_illustration(c.illustration.as_ref())?;
        self.check_files(&c.files)?;
        let illustration = match &c.illustration {
            Some(u) => Some(self.store(u).await?),
            None => None,
        };
        let mut files = vec![];
        for f in &c.files {
            files.push(self.store(f).await?);
        }
        let author = directory::store::person(&self.db, v.user)
            .await?
            .map(|p| format!("{} {}", p.first_name, p.last_name))
            .unwrap_or_default();
        let a = c.draft.audience;
        let row = NewsRow {
            id: kernel::new_id(),
            owner_school_id: v
                .context
                .school()
                .map(|s| s.0)
                .filter(|_| classes_allowed(writer)),
            region_id: match v.context {
                kernel::Context::RegionAdmin { region } => Some(region.0),
                _ => None,
            },
            author_id: v.user.0,
            author_name: author,
            signature,
            title: checked.title,
            body: model::body_html(&c.draft.body),
            to_students: a.students,
            to_guardians: a.guardians,
            to_teachers: a.teachers,
            to_staff: a.staff,
            publish_from: checked.from.0,
            publish_until: checked.until.map(|u| u.0),
            pinned: c.draft.pinned,
            status: if c.publish { store::PUBLISHED } else { store::DRAFT }.to_string(),
            illustration_type: illustration.as_ref().map(|i| i.content_type.to_string()),
            illustration_key: illustration.map(|i| i.key),
            illustration_alt: Some(c.draft.illustration_alt.trim().to_string()).filter(|s| !s.is_empty()),
            created_at: now.0,
            published_at: c.publish.then_some(now.0),
        };
        let mut tx = self.db.begin().await?;
        store::insert(
            &mut tx,
            store::NewNews {
                row: &row,
                schools: &schools,
                classes: &classes,
            },
        )
        .await?;
        for f in files {
            let file = FileRow {
                id: kernel::new_id(),
                news_id: row.id,
                file_name: f.file_name,
                content_type: f.content_type.to_string(),
                size: f.size as i64,
                blob_key: f.key,
            };
            store::insert_file(&mut tx, &file).await?;
        }
        if c.publish {
            announce(&mut tx, &row, &schools, &classes, now).await?;
        }
        tx.commit().await?;
        Ok(row.id)
    }

    /// Publishes a draft of the viewer's.
    pub async fn publish(&self, v: &Viewer, id: Uuid) -> Result<()> {
        let n = store::news(&self.db, id).await?.ok_or(Error::NotFound)?;
        if !self.may_manage(v, &n) {
            return Err(Error::NotFound);
        }
        let schools = store::schools_of(&self.db, id).await?;
        let classes = store::classes_of(&self.db, id).await?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        if store::publish(&mut tx, id, now).await? == 1 {
            announce(&mut tx, &n, &schools, &classes, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Deletes an item (its files stay in the content-addressed store, unreferenced).
    pub async fn delete(&self, v: &Viewer, id: Uuid) -> Result<()> {
        let n = store::news(&self.db, id).await?.ok_or(Error::NotFound)?;
        if !self.may_manage(v, &n) {
            return Err(Error::NotFound);
        }
        let mut tx = self.db.begin().await?;
        store::delete(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    fn check_illustration(&self, u: Option<&Upload>) -> Result<()> {
        let Some(u) = u else { return Ok(()) };
        let max = self.max_illustration_bytes();
        if u.bytes.len() as u64 > max {
            return Err(FieldError::new("news-field-illustration", "news-problem-too-big")
                .arg("name", &u.file_name)
                .arg("size", blob::human_size(u.bytes.len() as u64))
                .arg("max", blob::human_size(max))
                .into());
        }
        if !model::IMAGE_TYPES.contains(&blob::sniff(&u.bytes, &u.file_name)) {
            return Err(
                FieldError::new("news-field-illustration", "news-problem-not-image")
                    .arg("name", &u.file_name)
                    .into(),
            );
        }
        Ok(())
    }

    fn check_files(&self, files: &[Upload]) -> Result<()> {
        if files.len() > model::MAX_FILES {
            return Err(FieldError::new("news-field-files", "news-problem-too-many-files")
                .arg("max", model::MAX_FILES)
                .into());
        }
        let max = self.max_upload_bytes();
        for u in files {
            if u.bytes.len() as u64 > max {
                return Err(FieldError::new("news-field-files", "news-problem-too-big")
                    .arg("name", &u.file_name)
                    .arg("size", blob::human_size(u.bytes.len() as u64))
                    .arg("max", blob::human_size(max))
                    .into());
            }
            if !model::FILE_TYPES.contains(&blob::sniff(&u.bytes, &u.file_name)) {
                return Err(FieldError::new("news-field-files", "news-problem-file-type")
                    .arg("name", &u.file_name)
                    .into());
            }
        }
        Ok(())
    }

    /// Writes to the blob store before the transaction (content-addressed: a rolled-back transaction
    /// leaves at worst an unreferenced file).
    async fn store(&self, u: &Upload) -> Result<Stored> {
        let s = self.blobs.put(&u.bytes).await.map_err(Error::internal)?;
        Ok(Stored {
            file_name: web::file_name::clean(&u.file_name),
            content_type: blob::sniff(&u.bytes, &u.file_name),
            size: s.size,
            key: s.key,
        })
    }
}

/// Only a school's own items may be restricted to classes (and are managed by its direction).
fn classes_allowed(w: Writer) -> bool {
    matches!(w, Writer::School | Writer::Teacher)
}

/// `news.published`, once per school reached, in the publishing transaction.
async fn announce(
    tx: &mut db::Tx,
    n: &NewsRow,
    schools: &[Uuid],
    classes: &[Uuid],
    now: kernel::Timestamp,
) -> db::Result<()> {
    let profiles = n.audience().profile_codes();
    for school in schools {
        let event = Event {
            topic: "news.published",
            school: Some(SchoolId(*school)),
            payload: json!({
                "news": n.id,
                "title": n.title,
                "link": format!("/actualites/{}", n.id),
                "actor": n.author_id,
                "audience": {"school": school, "profiles": profiles, "classes": classes},
            }),
        };
        bus::publish(tx, now, event).await?;
    }
    Ok(())
}
