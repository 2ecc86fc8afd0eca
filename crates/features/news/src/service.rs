//! News's entry point for pages and other crates: who may write to which schools and classes, who
//! reads what, and publishing with its events (outbox) in the same transaction.

use std::sync::Arc;

use blob::Blobs;
use db::Db;
use directory::audience;
use directory::store as dir;
use kernel::{Clock, Context, Profile, Timestamp, UserId};
use uuid::Uuid;
use web::FieldError;

use crate::model::{self, Draft, Writer};
use crate::store::{self, FileRow, NewsRow};

/// The service's failures and refusals: the one type every feature shares.
pub use web::ServiceError as Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Who acts: the signed-in person and where they act.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub user: UserId,
    pub context: Context,
}

impl Viewer {
    pub fn of(u: &web::CurrentUser) -> Viewer {
        Viewer {
            user: u.user_id,
            context: u.context.context,
        }
    }
}

/// Which schools a multi-school item goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The writer's own school (direction, staff, teachers).
    OwnSchool,
    /// Every school of the region (regional administrators).
    Region,
    /// Every school a local authority funds.
    Authority(Uuid),
    /// A chosen list.
    Schools(Vec<Uuid>),
}

/// A file chosen in the form.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// An item to write.
#[derive(Debug, Clone)]
pub struct Compose {
    pub draft: Draft,
    pub target: Target,
    pub publish: bool,
    pub illustration: Option<Upload>,
    pub files: Vec<Upload>,
}

/// What the writing form offers a person.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// Classes one may restrict an item to (id, name).
    pub classes: Vec<(Uuid, String)>,
    /// Schools one may pick (multi-school writers).
    pub schools: Vec<(Uuid, String)>,
    /// Local authorities one may address (regional administrators).
    pub authorities: Vec<(Uuid, String)>,
    pub writer: Option<Writer>,
}

#[derive(Clone)]
pub struct News {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) blobs: Blobs,
}

impl News {
    pub fn new(db: Db, clock: Arc<dyn Clock>, blobs: Blobs) -> News {
        News { db, clock, blobs }
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn max_upload_bytes(&self) -> u64 {
        self.blobs.max_bytes()
    }

    /// The largest illustration accepted.
    pub fn max_illustration_bytes(&self) -> u64 {
        model::MAX_ILLUSTRATION_BYTES.min(self.blobs.max_bytes())
    }

    /// The items a person reads now, pinned first, then newest.
    pub async fn feed(&self, v: &Viewer, limit: u64) -> Result<Vec<NewsRow>> {
        let keys = audience::keys(&self.db, v.user, &v.context).await?;
        Ok(store::readable(&self.db, &keys, self.now(), None, limit).await?)
    }

    /// What the person wrote (drafts and scheduled items included).
    pub async fn authored(&self, v: &Viewer) -> Result<Vec<NewsRow>> {
        if model::writer(&v.context).is_none() {
            return Ok(vec![]);
        }
        Ok(store::authored(&self.db, v.user.0, 50).await?)
    }

    /// Whether the viewer may publish, delete or see the draft of an item: its author, or the direction
    /// of the school that wrote it.
    pub fn may_manage(&self, v: &Viewer, n: &NewsRow) -> bool {
        n.author_id == v.user.0
            || matches!(v.context, Context::School { school, profile: Profile::Direction }
                if n.owner_school_id == Some(school.0))
    }

    /// One item, if the viewer reads it now or manages it; otherwise not found (whether it exists is
    /// nobody else's business).
    pub async fn item(&self, v: &Viewer, id: Uuid) -> Result<NewsRow> {
        let n = store::news(&self.db, id).await?.ok_or(Error::NotFound)?;
        if self.may_manage(v, &n) {
            return Ok(n);
        }
        let keys = audience::keys(&self.db, v.user, &v.context).await?;
        store::readable(&self.db, &keys, self.now(), Some(id), 1)
            .await?
            .into_iter()
            .next()
            .ok_or(Error::NotFound)
    }

    pub async fn files(&self, id: Uuid) -> Result<Vec<FileRow>> {
        Ok(store::files_of(&self.db, id).await?)
    }

    /// An attachment's row and bytes, after the same check as its item.
    pub async fn file(&self, v: &Viewer, news: Uuid, file: Uuid) -> Result<(FileRow, Vec<u8>)> {
        self.item(v, news).await?;
        let f = store::files_of(&self.db, news)
            .await?
            .into_iter()
            .find(|f| f.id == file)
            .ok_or(Error::NotFound)?;
        let bytes = self.blobs.get(&f.blob_key).await.map_err(Error::internal)?;
        Ok((f, bytes))
    }

    /// The illustration's type and bytes, after the same check as its item.
    pub async fn illustration(&self, v: &Viewer, news: Uuid) -> Result<(String, Vec<u8>)> {
        let n = self.item(v, news).await?;
        let (Some(key), Some(ty)) = (n.illustration_key, n.illustration_type) else {
            return Err(Error::NotFound);
        };
        Ok((ty, self.blobs.get(&key).await.map_err(Error::internal)?))
    }

    /// The classes, schools and authorities the person's form offers.
    pub async fn choices(&self, v: &Viewer) -> Result<Choices> {
        let writer = model::writer(&v.context).ok_or(Error::Forbidden)?;
        let mut c = Choices {
            writer: Some(writer),
            ..Choices::default()
        };
        match (writer, v.context) {
            (Writer::School, Context::School { school, .. }) => {
                c.classes = dir::classes_of_school(&self.db, school)
                    .await?
                    .into_iter()
                    .filter(|k| k.kind == "classe")
                    .map(|k| (k.id, k.name))
                    .collect();
            }
            (Writer::Teacher, Context::School { school, .. }) => {
                let taught = audience::taught(&self.db, school, v.user).await?;
                c.classes = dir::classes_of_school(&self.db, school)
                    .await?
                    .into_iter()
                    .filter(|k| taught.contains(&k.id))
                    .map(|k| (k.id, k.name))
                    .collect();
            }
            (Writer::Authority, Context::School { school, .. }) => {
                if let Some((authority, _, _)) = store::school_authority(&self.db, school.0).await? {
                    c.schools = store::authority_schools(&self.db, authority).await?;
                }
            }
            (Writer::Region, Context::RegionAdmin { region }) => {
                c.schools = store::region_schools(&self.db, region.0).await?;
                c.authorities = store::authorities_of_region(&self.db, region.0).await?;
            }
            _ => return Err(Error::Forbidden),
        }
        Ok(c)
    }

    /// The schools an item goes to and the name it is signed with, checked against what the writer
    /// may reach.
    pub(crate) async fn reach(
        &self,
        v: &Viewer,
        target: &Target,
        choices: &Choices,
    ) -> Result<(Vec<Uuid>, String)> {
        let pick = |all: &[(Uuid, String)], target: &Target| -> Result<Vec<Uuid>> {
            let ids: Vec<Uuid> = match target {
                Target::Schools(list) => list.clone(),
                _ => all.iter().map(|s| s.0).collect(),
            };
            if ids.is_empty() {
                return Err(FieldError::new("news-field-schools", "news-problem-no-school").into());
            }
            if ids.iter().any(|id| !all.iter().any(|s| s.0 == *id)) {
                return Err(Error::Forbidden);
            }
            Ok(ids)
        };
        match (choices.writer, v.context) {
            (Some(Writer::School | Writer::Teacher), Context::School { school, .. }) => {
                let name = dir::school(&self.db, school)
                    .await?
                    .map(|s| s.name)
                    .unwrap_or_default();
                Ok((vec![school.0], name))
            }
            (Some(Writer::Authority), Context::School { school, .. }) => {
                let name = store::school_authority(&self.db, school.0)
                    .await?
                    .map(|a| a.1)
                    .unwrap_or_default();
                Ok((pick(&choices.schools, target)?, name))
            }
            (Some(Writer::Region), Context::RegionAdmin { region }) => {
                let name = store::region_name(&self.db, region.0).await?.unwrap_or_default();
                match target {
                    Target::Authority(authority) => {
                        if !choices.authorities.iter().any(|a| a.0 == *authority) {
                            return Err(Error::Forbidden);
                        }
                        let schools = store::authority_schools(&self.db, *authority).await?;
                        Ok((pick(&schools, &Target::Region)?, name))
                    }
                    t => Ok((pick(&choices.schools, t)?, name)),
                }
            }
            _ => Err(Error::Forbidden),
        }
    }
}
