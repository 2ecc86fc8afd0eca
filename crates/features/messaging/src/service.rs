//! Messaging's entry point for pages, the app API and other crates: reading mailboxes and
//! conversations. Sending lives in [`crate::send`], moderation and the kill switches in
//! [`crate::moderation`]; every one of them checks the viewer first.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use blob::Blobs;
use db::Db;
use kernel::{Clock, Context, Profile, SchoolId, UserId};
use uuid::Uuid;
use web::AppError;

use crate::model::{Group, Rules, may_use_group};
use crate::store::mail::{self, AttachmentRow, BoxLine, Conversation, MessageRow};
use crate::store::mailbox;
use crate::store::{self, Person};

type Fut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// When a person's sending device was first seen: identity knows devices, the server wires it (features
/// do not know each other).
pub trait Devices: Send + Sync {
    /// When `device` (the device cookie's value) was first seen signing in as `user` (ms), if known.
    fn first_seen<'a>(&'a self, user: UserId, device: &'a str) -> Fut<'a, Option<i64>>;
}

/// No device records: the new-device check never fires (unit tests, a bare server).
pub struct NoDevices;

impl Devices for NoDevices {
    fn first_seen<'a>(&'a self, _: UserId, _: &'a str) -> Fut<'a, Option<i64>> {
        Box::pin(async { None })
    }
}

/// Who acts: the signed-in person, the school and profile they act in, and their device cookie.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: UserId,
    pub context: Context,
    pub device: Option<String>,
    /// This session proved the account's second factor: a stolen password alone cannot have done it,
    /// so a new device is not suspicious.
    pub second_factor: bool,
}

impl Viewer {
    pub fn of(u: &web::CurrentUser, device: Option<String>) -> Viewer {
        Viewer {
            user: u.user_id,
            context: u.context.context,
            device,
            second_factor: u.second_factor_at.is_some(),
        }
    }

    pub(crate) fn id(&self) -> Uuid {
        self.user.0
    }

    /// The school and profile a message is sent in; region administrators send nothing.
    pub(crate) fn in_school(&self) -> Result<(Uuid, Profile), AppError> {
        match self.context {
            Context::School { school, profile } => Ok((school.0, profile)),
            Context::RegionAdmin { .. } => Err(AppError::Forbidden),
        }
    }
}

/// Who hears that a person's unread messages changed by their own hand (a conversation read, thrown
/// away or taken back): the header counters of their open pages (the notifications, wired by the
/// server). Nobody by default.
pub trait Counters: Send + Sync {
    fn changed<'a>(&'a self, user: Uuid) -> Fut<'a, ()>;
}

struct NoCounters;

impl Counters for NoCounters {
    fn changed<'a>(&'a self, _: Uuid) -> Fut<'a, ()> {
        Box::pin(async {})
    }
}

/// The messaging feature.
#[derive(Clone)]
pub struct Messaging {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) blobs: Blobs,
    pub(crate) devices: Arc<dyn Devices>,
    /// Messages a person may send per hour whatever their profile, instead of [`crate::model::limits`]
    /// (load tests only: `messaging_rate_per_hour`).
    pub(crate) rate_override: Option<i64>,
    counters: Arc<dyn Counters>,
}

/// A folder's page.
#[derive(Debug, Clone)]
pub struct FolderPage {
    pub lines: Vec<BoxLine>,
    pub more: bool,
}

/// A message as a conversation page shows it.
#[derive(Debug, Clone)]
pub struct MessageView {
    pub row: MessageRow,
    pub sender: String,
    /// To and cc as the reader may see them: groups by label, people by name (bcc only to the sender).
    pub to: Vec<String>,
    pub attachments: Vec<AttachmentRow>,
    /// For the sender, when read tracking is on: (read, addressed).
    pub read: Option<(usize, usize)>,
    pub mine: bool,
}

/// A conversation as its reader sees it.
#[derive(Debug, Clone)]
pub struct Thread {
    pub conversation: Conversation,
    pub messages: Vec<MessageView>,
    pub folder: Option<String>,
    pub may_reply_all: bool,
}

/// A group the sender may address, with its label.
#[derive(Debug, Clone)]
pub struct GroupChoice {
    pub group: Group,
    pub label: String,
}

impl Messaging {
    pub fn new(db: Db, clock: Arc<dyn Clock>, blobs: Blobs, devices: Arc<dyn Devices>) -> Messaging {
        Messaging {
            db,
            clock,
            blobs,
            devices,
            rate_override: None,
            counters: Arc::new(NoCounters),
        }
    }

    /// Tells `counters` when a person reads, throws away or takes back a conversation.
    pub fn with_counters(mut self, counters: Arc<dyn Counters>) -> Messaging {
        self.counters = counters;
        self
    }

    /// Overrides every profile's hourly sending limit (a load test sending hundreds of messages a
    /// second); `None` keeps the limits of [`crate::model::limits`].
    pub fn with_rate_override(mut self, per_hour: Option<i64>) -> Messaging {
        self.rate_override = per_hour;
        self
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now().millis()
    }

    /// A folder of the viewer: inbox, trash or one of their own folders.
    pub async fn folder(
        &self,
        viewer: &Viewer,
        folder: &str,
        search: Option<&str>,
        page: u64,
    ) -> Result<FolderPage, AppError> {
        const PER_PAGE: u64 = 20;
        let mut lines =
            mail::folder(&self.db, viewer.id(), folder, search, page * PER_PAGE, PER_PAGE).await?;
        let more = lines.len() as u64 > PER_PAGE;
        lines.truncate(PER_PAGE as usize);
        Ok(FolderPage { lines, more })
    }

    /// What the viewer sent (or their drafts), newest first.
    pub async fn sent(
        &self,
        viewer: &Viewer,
        drafts: bool,
        page: u64,
    ) -> Result<(Vec<MessageRow>, bool), AppError> {
        const PER_PAGE: u64 = 20;
        let mut rows = mail::sent_by(&self.db, viewer.id(), drafts, page * PER_PAGE, PER_PAGE).await?;
        let more = rows.len() as u64 > PER_PAGE;
        rows.truncate(PER_PAGE as usize);
        Ok((rows, more))
    }

    /// The person's unread messages outside the trash (the inbox's count, the header's counter); with
    /// `since` (ms), only those of the conversations that received one after it (the digest's).
    pub async fn unread(&self, user: UserId, since: Option<i64>) -> db::Result<i64> {
        mail::unread_total(&self.db, user.0, since).await
    }

    pub async fn folders(&self, viewer: &Viewer) -> Result<Vec<(Uuid, String)>, AppError> {
        Ok(mailbox::folders(&self.db, viewer.id()).await?)
    }

    pub async fn add_folder(&self, viewer: &Viewer, name: &str) -> Result<(), AppError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(AppError::BadRequest(web::Msg::new("msg-error-folder-name")));
        }
        Ok(mailbox::add_folder(&self.db, viewer.id(), Uuid::now_v7(), name).await?)
    }

    pub async fn delete_folder(&self, viewer: &Viewer, id: Uuid) -> Result<(), AppError> {
        Ok(mailbox::delete_folder(&self.db, viewer.id(), id).await?)
    }

    /// Moves a conversation of the viewer's mailbox: "inbox", "trash" or one of their folders.
    pub async fn move_to(&self, viewer: &Viewer, conversation: Uuid, folder: &str) -> Result<(), AppError> {
        let allowed = matches!(folder, "inbox" | "trash")
            || self
                .folders(viewer)
                .await?
                .iter()
                .any(|(id, _)| id.to_string() == folder);
        if !allowed {
            return Err(AppError::NotFound);
        }
        if mailbox::move_to(&self.db, viewer.id(), conversation, folder).await? {
            self.counters.changed(viewer.id()).await;
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    pub async fn signature(&self, viewer: &Viewer) -> Result<String, AppError> {
        Ok(mailbox::signature(&self.db, viewer.id()).await?)
    }

    pub async fn set_signature(&self, viewer: &Viewer, text: &str) -> Result<(), AppError> {
        if text.chars().count() > 1000 {
            return Err(AppError::BadRequest(web::Msg::new("msg-error-signature")));
        }
        Ok(mailbox::set_signature(&self.db, viewer.id(), text.trim()).await?)
    }

    /// A conversation, as far as the viewer may read it (404 otherwise); marks it read.
    pub async fn thread(&self, viewer: &Viewer, id: Uuid) -> Result<Thread, AppError> {
        let conversation = mail::conversation(&self.db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let rows = mail::visible_messages(&self.db, id, viewer.id()).await?;
        if rows.is_empty() {
            return Err(AppError::NotFound);
        }
        let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
        let recipients = mail::recipients(&self.db, id, &ids).await?;
        let attachments = mail::attachments(&self.db, &ids).await?;
        let mut people_ids: Vec<Uuid> = rows.iter().map(|m| m.sender_id).collect();
        people_ids.extend(
            recipients
                .iter()
                .filter(|r| r.via_group.is_none())
                .map(|r| r.user_id),
        );
        people_ids.sort();
        people_ids.dedup();
        let people = store::people(&self.db, &people_ids).await?;
        let reads = mail::read_counts(&recipients);
        let me = viewer.id();
        let messages = rows
            .into_iter()
            .map(|row| {
                let mine = row.sender_id == me;
                let mut to: Vec<String> = Vec::new();
                for r in recipients.iter().filter(|r| r.message_id == row.id) {
                    if r.category == "bcc" && !mine && r.user_id != me {
                        continue;
                    }
                    let label = match &r.via_group {
                        Some(g) => g.clone(),
                        None => people.get(&r.user_id).map(Person::name).unwrap_or_default(),
                    };
                    if !to.contains(&label) {
                        to.push(label);
                    }
                }
                MessageView {
                    sender: people.get(&row.sender_id).map(Person::name).unwrap_or_default(),
                    to,
                    attachments: attachments
                        .iter()
                        .filter(|a| a.message_id == row.id)
                        .cloned()
                        .collect(),
                    read: (mine && conversation.read_tracking)
                        .then(|| reads.get(&row.id).copied().unwrap_or_default()),
                    mine,
                    row,
                }
            })
            .collect();
        if mailbox::mark_read(&self.db, id, me, self.now()).await? {
            self.counters.changed(me).await;
        }
        let may_reply_all = conversation.reply_all || conversation.initiator_id == me;
        Ok(Thread {
            folder: mail::box_folder(&self.db, me, id).await?,
            conversation,
            messages,
            may_reply_all,
        })
    }

    /// An attachment of a message the viewer may read: its name, type and bytes.
    pub async fn attachment(
        &self,
        viewer: &Viewer,
        message: Uuid,
        id: Uuid,
    ) -> Result<(AttachmentRow, Vec<u8>), AppError> {
        let row = mail::message(&self.db, message)
            .await?
            .ok_or(AppError::NotFound)?;
        let conversation = row.conversation_id.ok_or(AppError::NotFound)?;
        let visible = mail::visible_messages(&self.db, conversation, viewer.id()).await?;
        if !visible.iter().any(|m| m.id == message) && !self.moderates(viewer, row.school_id) {
            return Err(AppError::NotFound);
        }
        let a = mail::attachments(&self.db, &[message])
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(AppError::NotFound)?;
        let bytes = self
            .blobs
            .get(&a.blob_key)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok((a, bytes))
    }

    pub(crate) fn moderates(&self, viewer: &Viewer, school: Uuid) -> bool {
        matches!(viewer.context, Context::School { school: s, profile } if s.0 == school && crate::model::is_moderator(profile))
    }

    pub async fn rules(&self, school: SchoolId) -> Result<Rules, AppError> {
        Ok(store::rules(&self.db, school.0).await?)
    }

    /// The groups the viewer may address, labelled (« 3e B — élèves »).
    pub async fn groups(&self, viewer: &Viewer) -> Result<Vec<GroupChoice>, AppError> {
        let (school, profile) = viewer.in_school()?;
        let facts = store::facts(&self.db, school, &[viewer.id()]).await?;
        let Some(me) = facts.get(&viewer.id()) else {
            return Ok(vec![]);
        };
        let mut classes: Vec<Uuid> = match profile {
            Profile::Teacher => me.teaches.iter().copied().collect(),
            Profile::Student => me.classes.iter().copied().collect(),
            Profile::Guardian => me.children_classes.iter().copied().collect(),
            _ => vec![],
        };
        if crate::model::is_office(profile) {
            classes = store::directory_classes(&self.db, school).await?;
        }
        let names = store::class_names(&self.db, school, &classes).await?;
        let mut named: Vec<(Uuid, String)> = names.into_iter().collect();
        named.sort_by(|a, b| a.1.cmp(&b.1));
        let t = web::Tr(web::Lang::Fr);
        let mut out = Vec::new();
        for (class, name) in named {
            for (g, key) in [
                (Group::ClassStudents(class), "msg-group-students"),
                (Group::ClassParents(class), "msg-group-parents"),
                (Group::ClassTeachers(class), "msg-group-teachers"),
            ] {
                if may_use_group(profile, me, g) {
                    out.push(GroupChoice {
                        group: g,
                        label: t.with(key, "class", &name),
                    });
                }
            }
        }
        for (g, key) in [
            (Group::Teachers, "msg-group-all-teachers"),
            (Group::Staff, "msg-group-all-staff"),
        ] {
            if may_use_group(profile, me, g) {
                out.push(GroupChoice {
                    group: g,
                    label: t.get(key),
                });
            }
        }
        Ok(out)
    }

    /// People of the viewer's school they may write to: those whose name contains `text`, or (no text)
    /// a student's or parent's usual contacts (their teachers and the school office).
    pub async fn contacts(&self, viewer: &Viewer, text: Option<&str>) -> Result<Vec<Person>, AppError> {
        let (school, profile) = viewer.in_school()?;
        let candidates: Vec<Person> = match text.map(str::trim).filter(|t| t.chars().count() >= 2) {
            Some(t) => store::search_people(&self.db, school, t, 60).await?,
            None => {
                let me = store::facts(&self.db, school, &[viewer.id()]).await?;
                let classes: Vec<Uuid> = me
                    .get(&viewer.id())
                    .map(|f| match profile {
                        Profile::Guardian => f.children_classes.iter().copied().collect(),
                        _ => f.classes.iter().copied().collect(),
                    })
                    .unwrap_or_default();
                if !matches!(profile, Profile::Student | Profile::Guardian) {
                    return Ok(vec![]);
                }
                let mut ids = store::family_contacts(&self.db, school, &classes).await?;
                if let Some(f) = me.get(&viewer.id()) {
                    ids.extend(f.children.iter().chain(f.guardians.iter()));
                }
                let people = store::people(&self.db, &ids).await?;
                let mut v: Vec<Person> = people.into_values().collect();
                v.sort_by(|a, b| (&a.last_name, &a.first_name).cmp(&(&b.last_name, &b.first_name)));
                v
            }
        };
        let ids: Vec<Uuid> = candidates.iter().map(|p| p.id).collect();
        let allowed = self.allowed(school, profile, viewer.id(), &ids).await?;
        Ok(candidates
            .into_iter()
            .filter(|p| allowed.contains(&p.id))
            .collect())
    }

    /// People's display names by id.
    pub async fn names(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, String>, AppError> {
        Ok(store::people(&self.db, ids)
            .await?
            .into_iter()
            .map(|(id, p)| (id, p.name()))
            .collect())
    }

    /// Which of `to` the sender may write to under the school's rules.
    pub(crate) async fn allowed(
        &self,
        school: Uuid,
        profile: Profile,
        sender: Uuid,
        to: &[Uuid],
    ) -> Result<std::collections::HashSet<Uuid>, AppError> {
        let rules = store::rules(&self.db, school).await?;
        let mut everyone = to.to_vec();
        everyone.push(sender);
        let facts: HashMap<Uuid, crate::model::Facts> = store::facts(&self.db, school, &everyone).await?;
        let Some(me) = facts.get(&sender) else {
            return Ok(Default::default());
        };
        Ok(to
            .iter()
            .filter(|u| {
                facts
                    .get(u)
                    .is_some_and(|f| crate::model::may_write(profile, me, f, &rules))
            })
            .copied()
            .collect())
    }
}
