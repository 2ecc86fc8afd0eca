//! The notifications service: the delivery pass over the outbox, the e-mail digest, and what the pages
//! read and change. The only entry point of the other layers.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use bus::Pending;
use db::{Db, Result, Tx};
use kernel::{Clock, Timestamp};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::live::Live;
use crate::model::{self, Kind};
use crate::recipients::{self, Draft};
use crate::store::{self, Item, Settings};

/// Events read per delivery transaction.
const BATCH: u64 = 100;

/// The topic of a delivered message: the mailbox is its record, so it makes no feed item (see
/// [`Inbox`]).
pub const MESSAGE_TOPIC: &str = "messaging.received";

/// A person's unread messages, as their mailbox counts them (the messaging feature, wired by the
/// server). A message is not repeated as an item of the feed: the header counter adds the mailbox's
/// unread messages to the feed's unread items, and reading a conversation lowers it at once.
pub trait Inbox: Send + Sync {
    /// The unread messages of the person's mailbox; with `since` (ms), only those of the
    /// conversations that received a message after it.
    fn unread<'a>(&'a self, user: Uuid, since: Option<i64>) -> db::BoxFuture<'a, i64>;
}

/// What a deployment tunes.
#[derive(Debug, Clone)]
pub struct Config {
    /// The address links in mails start with (`https://ent.example`).
    pub public_url: String,
    /// The digest goes from this hour on (school time), once a day.
    pub digest_hour: u8,
    /// How often the background worker delivers the outbox (ms); 0: no background worker (tests run
    /// [`Notifications::deliver_pending`] and [`Notifications::send_digests`] themselves).
    pub poll_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            public_url: String::new(),
            digest_hour: 17,
            poll_ms: 1000,
        }
    }
}

/// Cheap to clone.
#[derive(Clone)]
pub struct Notifications {
    pub(crate) db: Db,
    clock: Arc<dyn Clock>,
    mailer: Option<mail::Mailer>,
    pub(crate) live: Arc<Live>,
    config: Arc<Config>,
    inbox: Option<Arc<dyn Inbox>>,
    /// One delivery pass at a time on a node (other nodes are kept apart by [`bus::claim`]).
    pass: Arc<tokio::sync::Mutex<()>>,
}

impl Notifications {
    pub fn new(db: Db, clock: Arc<dyn Clock>, config: Config) -> Notifications {
        Notifications {
            live: Arc::new(Live::new(db.clone())),
            db,
            clock,
            mailer: None,
            config: Arc::new(config),
            inbox: None,
            pass: Arc::default(),
        }
    }

    /// Counts the unread messages of `inbox` in the header counter, the feed and the digest.
    pub fn with_inbox(mut self, inbox: Arc<dyn Inbox>) -> Notifications {
        self.inbox = Some(inbox);
        self
    }

    /// Sends the digest with `mailer`.
    pub fn with_mailer(mut self, mailer: mail::Mailer) -> Notifications {
        self.mailer = Some(mailer);
        self
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Delivers every pending event of the outbox, in order; returns the items written or updated.
    ///
    /// Safe on several nodes at once: each batch is claimed in the transaction that writes its items
    /// and marks it delivered ([`bus::claim`]: `FOR UPDATE SKIP LOCKED` on PostgreSQL, the write lock
    /// on SQLite), so an event is delivered once, never twice, and never lost if a node dies mid-way
    /// (its transaction rolls back and the events stay pending).
    pub async fn deliver_pending(&self) -> Result<usize> {
        let _pass = self.pass.lock().await;
        let mut written = 0;
        loop {
            let events = bus::pending(&self.db, None, BATCH).await?;
            if events.is_empty() {
                break;
            }
            let (claimed, n) = self.deliver(&events).await?;
            written += n;
            // Nothing claimed: another node holds them; a short batch: the outbox is drained.
            if claimed == 0 || (events.len() as u64) < BATCH {
                break;
            }
        }
        Ok(written)
    }

    async fn deliver(&self, events: &[Pending]) -> Result<(usize, usize)> {
        let mut drafts = vec![];
        // A delivered message makes no item: its recipients' counters are told (the mailbox counts).
        let mut messages: Vec<(Uuid, Vec<Uuid>)> = vec![];
        for event in events {
            if event.topic == MESSAGE_TOPIC {
                messages.push((event.id, recipients::of_message(&event.payload())));
            } else {
                drafts.extend(recipients::resolve(&self.db, event).await?);
            }
        }
        let users: Vec<Uuid> = drafts
            .iter()
            .map(|d| d.user)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let muted: HashSet<(Uuid, String)> = store::muted_of(&self.db, &users).await?.into_iter().collect();
        drafts.retain(|d| !muted.contains(&(d.user, d.kind.code().to_string())));
        let now = self.now();
        let ids: Vec<Uuid> = events.iter().map(|e| e.id).collect();
        let mut tx = self.db.begin().await?;
        let claimed = bus::claim(&mut tx, &ids).await?;
        let held: HashSet<Uuid> = claimed.iter().copied().collect();
        drafts.retain(|d| held.contains(&d.event));
        let (new, joined) = gather(&mut tx, drafts, now).await?;
        store::insert_items(&mut tx, &new).await?;
        for item in &joined {
            store::update_item(&mut tx, item).await?;
        }
        bus::delivered_in(&mut tx, &claimed, now).await?;
        tx.commit().await?;
        let mut told: BTreeSet<Uuid> = new.iter().chain(&joined).map(|i| i.user_id).collect();
        for (event, to) in messages {
            if held.contains(&event) {
                told.extend(to);
            }
        }
        self.push(told, now).await?;
        Ok((claimed.len(), new.len() + joined.len()))
    }

    /// Announces the changed feeds live, except to the people in their quiet hours: their items
    /// wait in the feed, and the counter shows them when they next open a page.
    async fn push(&self, users: BTreeSet<Uuid>, now: Timestamp) -> Result<()> {
        if users.is_empty() {
            return Ok(());
        }
        let users: Vec<Uuid> = users.into_iter().collect();
        let quiet_now = model::is_quiet(now);
        let mut to_tell = users.clone();
        if quiet_now {
            let chosen: HashMap<Uuid, Settings> = store::settings_of(&self.db, &users)
                .await?
                .into_iter()
                .map(|s| (s.user_id, s))
                .collect();
            to_tell.retain(|u| chosen.get(u).is_some_and(|s| !s.quiet_hours));
        }
        self.live.announce(&to_tell).await;
        Ok(())
    }

    /// Mails their digest to the people who asked for one, once a day from the digest hour and
    /// outside their quiet hours: the unread items that changed since their last digest. Returns the
    /// mails sent. Safe to run again and on several nodes: a digest is claimed before it is sent.
    pub async fn send_digests(&self) -> Result<usize> {
        let Some(mailer) = &self.mailer else {
            return Ok(0);
        };
        let now = self.now();
        let day = kernel::school_time::school_day_and_minute(now).0.to_string();
        let readers = store::digest_readers(&self.db).await?;
        let mut sent = 0;
        for s in store::settings_of(&self.db, &readers).await? {
            if !s.digest || !model::digest_due(now, self.config.digest_hour, s.quiet_hours) {
                continue;
            }
            let since = store::last_digest(&self.db, s.user_id).await?.unwrap_or(0);
            if since > 0
                && kernel::school_time::school_day_and_minute(Timestamp(since))
                    .0
                    .to_string()
                    == day
            {
                continue; // today's went already: nothing more to read
            }
            let items = store::unread_since(&self.db, s.user_id, since, 50).await?;
            let messages = self.unread_messages(s.user_id, Some(since)).await?;
            if items.is_empty() && messages == 0 {
                continue;
            }
            let Some(to) = store::email_of(&self.db, s.user_id).await? else {
                continue;
            };
            if !store::claim_digest(&self.db, s.user_id, &day, now, items.len() as i32).await? {
                continue;
            }
            let mail = crate::digest::compose(&to, &items, messages, &self.config.public_url);
            match mailer.send(&mail).await {
                Ok(()) => sent += 1,
                Err(e) => {
                    tracing::warn!(error = %e, "notification digest not sent; next run tries again");
                    store::release_digest(&self.db, s.user_id, &day).await?;
                }
            }
        }
        Ok(sent)
    }

    /// Delivers every `poll_ms` and sends the digests every five minutes, for the server's life.
    pub async fn run_worker(&self) {
        if self.config.poll_ms == 0 {
            return;
        }
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(self.config.poll_ms));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut digest = tokio::time::interval(std::time::Duration::from_secs(300));
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    if let Err(e) = self.deliver_pending().await {
                        tracing::warn!(error = %e, "notifications not delivered; next pass tries again");
                    }
                }
                _ = digest.tick() => {
                    if let Err(e) = self.send_digests().await {
                        tracing::warn!(error = %e, "notification digests not sent");
                    }
                }
            }
        }
    }

    /// Carries the live counters between nodes, for the server's life.
    pub async fn run_live(&self) {
        self.live.run().await;
    }

    /// Ends the live streams (the server is stopping).
    pub fn close_streams(&self) {
        self.live.close();
    }

    // ----- what the pages read and change -----

    /// The header's counter: the feed's unread items and the mailbox's unread messages.
    pub async fn unread(&self, user: Uuid) -> Result<i64> {
        Ok(self.feed_unread(user).await? + self.unread_messages(user, None).await?)
    }

    /// The feed's unread items.
    pub async fn feed_unread(&self, user: Uuid) -> Result<i64> {
        store::unread_count(&self.db, user).await
    }

    /// The mailbox's unread messages (with `since`, of the conversations that received one after
    /// it), unless the person turned messaging notifications off.
    pub async fn unread_messages(&self, user: Uuid, since: Option<i64>) -> Result<i64> {
        let Some(inbox) = &self.inbox else {
            return Ok(0);
        };
        let muted = store::muted_of(&self.db, &[user]).await?;
        if muted.iter().any(|(_, kind)| kind == Kind::Messaging.code()) {
            return Ok(0);
        }
        inbox.unread(user, since).await
    }

    pub async fn feed(&self, user: Uuid, offset: u64, limit: u64) -> Result<Vec<Item>> {
        store::feed(&self.db, user, offset, limit).await
    }

    /// One of the person's items (`None` for anyone else's).
    pub async fn item(&self, user: Uuid, id: Uuid) -> Result<Option<Item>> {
        store::item(&self.db, user, id).await
    }

    /// Tells the open pages of `users` to read their counter again (their unread messages changed).
    pub async fn tell(&self, users: &[Uuid]) {
        self.live.announce(users).await;
    }

    /// Marks one item (or all) read; the person's other pages see their counter change.
    pub async fn mark_read(&self, user: Uuid, id: Option<Uuid>) -> Result<u64> {
        let n = store::mark_read(&self.db, user, id, self.now()).await?;
        if n > 0 {
            self.live.announce(&[user]).await;
        }
        Ok(n)
    }

    /// The person's choices and the kinds they turned off.
    pub async fn preferences(&self, user: Uuid) -> Result<(Settings, Vec<Kind>)> {
        let settings = store::settings_of(&self.db, &[user])
            .await?
            .pop()
            .unwrap_or_else(|| Settings::default_for(user));
        let muted = store::muted_of(&self.db, &[user])
            .await?
            .into_iter()
            .filter_map(|(_, k)| Kind::parse(&k))
            .collect();
        Ok((settings, muted))
    }

    pub async fn save_preferences(&self, settings: Settings, muted: &[Kind]) -> Result<()> {
        let codes: Vec<&str> = muted.iter().map(|k| k.code()).collect();
        let mut tx = self.db.begin().await?;
        store::save_preferences(&mut tx, settings, &codes, self.now()).await?;
        tx.commit().await
    }
}

/// Turns drafts into items: a draft joins the person's unread item of its group begun within
/// [`model::GATHER_MS`] (written earlier or in this batch), else makes a new one. Returns the new items
/// and the earlier ones that changed.
async fn gather(tx: &mut Tx, drafts: Vec<Draft>, now: Timestamp) -> Result<(Vec<Item>, Vec<Item>)> {
    let users: Vec<Uuid> = drafts
        .iter()
        .map(|d| d.user)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let groups: Vec<String> = drafts
        .iter()
        .filter(|d| d.group != d.event.to_string())
        .map(|d| d.group.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let since = Timestamp(now.0 - model::GATHER_MS);
    #[derive(PartialEq)]
    enum State {
        Untouched,
        Joined,
        New,
    }
    let mut open: HashMap<(Uuid, String), (Item, State)> = store::open_items(tx, &users, &groups, since)
        .await?
        .into_iter()
        .map(|i| ((i.user_id, i.group_key.clone()), (i, State::Untouched)))
        .collect();
    let mut order = vec![];
    for d in drafts {
        let key = (d.user, d.group.clone());
        match open.get_mut(&key) {
            Some((item, state)) => {
                join(item, &d, now);
                if *state == State::Untouched {
                    *state = State::Joined;
                }
            }
            None => {
                order.push(key.clone());
                open.insert(key, (new_item(&d, now), State::New));
            }
        }
    }
    let mut new = vec![];
    for key in order {
        if let Some((item, State::New)) = open.remove(&key) {
            new.push(item);
        }
    }
    let joined = open
        .into_values()
        .filter(|(_, state)| *state == State::Joined)
        .map(|(i, _)| i)
        .collect();
    Ok((new, joined))
}

fn params_with_children(d: &Draft, earlier: &[String]) -> String {
    let mut params = d.params.clone();
    let mut children: Vec<String> = earlier.to_vec();
    for c in &d.children {
        if !children.contains(c) {
            children.push(c.clone());
        }
    }
    if !children.is_empty() {
        params.insert("children".into(), json!(children));
    }
    Value::Object(params).to_string()
}

fn new_item(d: &Draft, now: Timestamp) -> Item {
    Item {
        id: kernel::new_id(),
        user_id: d.user,
        school: d.school,
        kind: d.kind.code().to_string(),
        topic: d.topic.clone(),
        group_key: d.group.clone(),
        params: params_with_children(d, &[]),
        link: d.link.clone(),
        events: 1,
        created_at: now.0,
        updated_at: now.0,
        read_at: None,
    }
}

fn join(item: &mut Item, d: &Draft, now: Timestamp) {
    let earlier: Vec<String> = item
        .params()
        .get("children")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    item.params = params_with_children(d, &earlier);
    item.link = d.link.clone();
    item.events += 1;
    item.updated_at = now.0;
}
