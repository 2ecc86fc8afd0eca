//! Sending: a new message or a reply goes through, in order, the kill switches, the rate limit, the
//! communication rules (every person, every group member), the recipient cap and the anomaly checks,
//! then is written with its mailboxes and its event in one transaction. A send that is refused for a
//! switch or a limit keeps its text as a draft: nothing the person wrote is lost.

use std::collections::{HashMap, HashSet};

use bus::Event;
use kernel::{Profile, Timestamp};
use serde_json::json;
use uuid::Uuid;
use web::{AppError, Msg};

use crate::model::{self, Group, Hold, Signals, anomaly, limits, may_use_group, text_fingerprint};
use crate::service::{Messaging, Viewer};
use crate::store::mail::{self, Addressee, AttachmentRow, Conversation, MessageRow, NewMessage};
use crate::store::{self, abuse};

/// Someone or a group a message is addressed to, as the compose form names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Person(Uuid),
    Group(Group),
}

impl Target {
    /// "p:<uuid>" or a group's code.
    pub fn parse(s: &str) -> Option<Target> {
        match s.strip_prefix("p:") {
            Some(id) => id.parse().ok().map(Target::Person),
            None => Group::parse(s).map(Target::Group),
        }
    }

    pub fn code(&self) -> String {
        match self {
            Target::Person(id) => format!("p:{id}"),
            Target::Group(g) => g.code(),
        }
    }
}

/// A file attached in the compose form.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What the compose form (or the app) sends.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub subject: String,
    /// HTML as written (sanitized here) — a plain text area's text goes through
    /// `web::rich_text::from_plain` first.
    pub body: String,
    pub to: Vec<Target>,
    pub cc: Vec<Target>,
    pub bcc: Vec<Target>,
    /// Answering this message: to its sender, or to everyone with `reply_all`.
    pub reply_to: Option<Uuid>,
    pub reply_all: bool,
    /// The recipients may answer everyone (new conversations).
    pub allow_reply_all: bool,
    /// The sender asks who read it (staff, where the school allows).
    pub read_tracking: bool,
    /// Sending a saved draft: it is replaced by the message.
    pub draft_id: Option<Uuid>,
    pub files: Vec<Upload>,
}

/// What became of a send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered {
        conversation: Uuid,
        recipients: usize,
    },
    /// Held for the school's moderators; nobody received it yet.
    Held {
        message: Uuid,
        reason: Hold,
    },
}

/// Why a send was refused: the message for the person and, when the text was kept, the draft.
#[derive(Debug, Clone)]
pub struct Refused {
    pub message: Msg,
    pub draft: Option<Uuid>,
}

impl From<AppError> for Refused {
    fn from(e: AppError) -> Refused {
        match e {
            AppError::BadRequest(m) => Refused {
                message: m,
                draft: None,
            },
            other => Refused {
                message: Msg::new("msg-error-internal").arg("detail", other.to_string()),
                draft: None,
            },
        }
    }
}

fn refuse(key: &'static str) -> Refused {
    Refused {
        message: Msg::new(key),
        draft: None,
    }
}

/// The addressees of a message: people with their category, the summary line and group labels.
struct Resolved {
    addressees: Vec<Addressee>,
    summary: String,
    /// The conversation a reply goes into; None: a new one.
    conversation: Option<Conversation>,
    /// The school's rules, as read for a new conversation (its read tracking depends on them).
    rules: Option<model::Rules>,
}

impl Messaging {
    /// Sends (or holds) a message. A refusal says why, in French, and names the person or field.
    pub async fn send(&self, viewer: &Viewer, draft: Draft) -> Result<Outcome, Refused> {
        let (school, profile, original) = self.sending_as(viewer, draft.reply_to).await?;
        let subject = draft.subject.trim().to_string();
        let body = web::rich_text::sanitize(&draft.body);
        let text = web::rich_text::plain_text(&body);
        let subject = if subject.is_empty() && draft.reply_to.is_some() {
            String::from("-")
        } else {
            subject
        };
        if subject.is_empty() {
            return Err(refuse("msg-error-subject-empty"));
        }
        if subject.chars().count() > model::MAX_SUBJECT {
            return Err(refuse("msg-error-subject-long"));
        }
        if text.trim().is_empty() {
            return Err(refuse("msg-error-body-empty"));
        }
        if text.chars().count() > model::MAX_BODY {
            return Err(refuse("msg-error-body-long"));
        }
        check_files(&draft.files)?;
        let now = self.now();
        if let Some(s) = abuse::suspension_for(&self.db, school, profile.code(), viewer.id())
            .await
            .map_err(AppError::from)?
        {
            let kept = self.keep_draft(viewer, &draft).await?;
            return Err(Refused {
                message: Msg::new("msg-error-suspended").arg("reason", s.reason),
                draft: Some(kept),
            });
        }
        let limit = limits(profile);
        let per_hour = self.rate_override.unwrap_or(limit.per_hour);
        let recent = abuse::sent_since(&self.db, viewer.id(), now - 3_600_000)
            .await
            .map_err(AppError::from)?;
        if recent >= per_hour {
            let kept = self.keep_draft(viewer, &draft).await?;
            return Err(Refused {
                message: Msg::new("msg-error-rate").arg("count", per_hour),
                draft: Some(kept),
            });
        }
        let resolved = self
            .resolve(viewer, school, profile, &draft, original.as_ref())
            .await?;
        let count = resolved.addressees.len();
        if count == 0 {
            return Err(refuse("msg-error-no-recipient"));
        }
        if count > limit.max_recipients {
            return Err(Refused {
                message: Msg::new("msg-error-too-many")
                    .arg("count", count)
                    .arg("max", limit.max_recipients),
                draft: None,
            });
        }
        let hash = text_fingerprint(&text);
        let (mine, others) = abuse::same_text(&self.db, &hash, viewer.id(), now - model::BURST_WINDOW_MS)
            .await
            .map_err(AppError::from)?;
        let device_first_seen = match &viewer.device {
            Some(d) if !viewer.second_factor => self.devices.first_seen(viewer.user, d).await,
            _ => None,
        };
        let hold = anomaly(
            &Signals {
                recipients: count,
                device_first_seen,
                now,
                same_text_by_sender: mine,
                same_text_other_accounts: others,
            },
            text.chars().count(),
        );
        let stored = self.store_files(&draft.files).await?;
        let tracking = resolved
            .rules
            .is_some_and(|r| draft.read_tracking && r.read_tracking && profile.is_staff());
        let outcome = self
            .write(
                viewer, school, profile, &subject, &body, &text, &hash, resolved, hold, stored, &draft,
                tracking, now,
            )
            .await?;
        Ok(outcome)
    }

    /// The school and profile a message is sent in: the viewer's context, except that a reply belongs
    /// to its conversation's school (a parent of children in two schools answers the school that wrote,
    /// whichever context they are in), with the viewer's profile there. A reply's original message
    /// comes back too, read once for the whole send.
    async fn sending_as(
        &self,
        viewer: &Viewer,
        reply_to: Option<Uuid>,
    ) -> Result<(Uuid, Profile, Option<MessageRow>), Refused> {
        let (school, profile) = viewer.in_school()?;
        let Some(reply_to) = reply_to else {
            return Ok((school, profile, None));
        };
        let original = mail::message(&self.db, reply_to)
            .await
            .map_err(AppError::from)?
            .ok_or(refuse("msg-error-gone"))?;
        if original.school_id == school {
            return Ok((school, profile, Some(original)));
        }
        let facts = store::facts(&self.db, original.school_id, &[viewer.id()])
            .await
            .map_err(AppError::from)?;
        let mine = facts
            .get(&viewer.id())
            .map(|f| f.profiles.clone())
            .unwrap_or_default();
        let profile = mine
            .into_iter()
            .min_by_key(|p| Profile::ALL.iter().position(|q| q == p))
            .ok_or(refuse("msg-error-gone"))?;
        Ok((original.school_id, profile, Some(original)))
    }

    /// Who a reply would go to, for the compose form (or why it cannot be sent).
    pub async fn reply_summary(
        &self,
        viewer: &Viewer,
        reply_to: Uuid,
        all: bool,
    ) -> Result<String, AppError> {
        let (school, profile, original) = self
            .sending_as(viewer, Some(reply_to))
            .await
            .map_err(|r| AppError::BadRequest(r.message))?;
        let original = original.ok_or(AppError::NotFound)?;
        match self.resolve_reply(viewer, school, profile, &original, all).await {
            Ok(r) => {
                let ids: Vec<Uuid> = r.addressees.iter().map(|a| a.user).collect();
                let names = store::people(&self.db, &ids).await?;
                if ids.len() <= 5 {
                    Ok(ids
                        .iter()
                        .filter_map(|u| names.get(u).map(store::Person::name))
                        .collect::<Vec<_>>()
                        .join(", "))
                } else {
                    Ok(r.summary)
                }
            }
            Err(refused) => Err(AppError::BadRequest(refused.message)),
        }
    }

    /// Works out who a message goes to, applying the rules to every person and group member.
    async fn resolve(
        &self,
        viewer: &Viewer,
        school: Uuid,
        profile: Profile,
        draft: &Draft,
        original: Option<&MessageRow>,
    ) -> Result<Resolved, Refused> {
        let me = viewer.id();
        if let Some(original) = original {
            return self
                .resolve_reply(viewer, school, profile, original, draft.reply_all)
                .await;
        }
        // Gather every group's members and every person first, then read the directory's facts for
        // all of them at once: one set of queries whatever the number of recipients.
        let mut groups: Vec<(Group, &'static str, String, Vec<Uuid>)> = Vec::new();
        let mut people: Vec<(Uuid, &'static str)> = Vec::new();
        let targets = || draft.to.iter().chain(&draft.cc).chain(&draft.bcc);
        let classes: Vec<Uuid> = targets()
            .filter_map(|t| match t {
                Target::Group(g) => g.class(),
                Target::Person(_) => None,
            })
            .collect();
        let class_names = store::class_names(&self.db, school, &classes)
            .await
            .map_err(AppError::from)?;
        for (targets, category) in [(&draft.to, "to"), (&draft.cc, "cc"), (&draft.bcc, "bcc")] {
            for t in targets {
                match t {
                    Target::Person(id) => people.push((*id, category)),
                    Target::Group(g) => {
                        let label = group_label(*g, &class_names)?;
                        let members = store::group_members(&self.db, school, *g)
                            .await
                            .map_err(AppError::from)?;
                        groups.push((*g, category, label, members));
                    }
                }
            }
        }
        let mut everyone: Vec<Uuid> = groups
            .iter()
            .flat_map(|g| g.3.iter().copied())
            .chain(people.iter().map(|(id, _)| *id))
            .chain([me])
            .collect();
        everyone.sort();
        everyone.dedup();
        let rules = store::rules(&self.db, school).await.map_err(AppError::from)?;
        let facts = store::facts(&self.db, school, &everyone)
            .await
            .map_err(AppError::from)?;
        let Some(mine) = facts.get(&me) else {
            return Err(refuse("msg-error-no-recipient"));
        };
        let allowed = |u: &Uuid| {
            facts
                .get(u)
                .is_some_and(|f| model::may_write(profile, mine, f, &rules))
        };
        let mut addressees: Vec<Addressee> = Vec::new();
        let mut summary: Vec<String> = Vec::new();
        let mut seen: HashSet<Uuid> = HashSet::from([me]);
        for (group, category, label, members) in groups {
            if !may_use_group(profile, mine, group) {
                return Err(refuse("msg-error-group-not-allowed"));
            }
            for m in members.into_iter().filter(|m| allowed(m)) {
                if seen.insert(m) {
                    addressees.push(Addressee {
                        user: m,
                        category,
                        via: Some(label.clone()),
                    });
                }
            }
            if category != "bcc" {
                summary.push(label);
            }
        }
        let ids: Vec<Uuid> = people.iter().map(|(id, _)| *id).collect();
        let names = store::people(&self.db, &ids).await.map_err(AppError::from)?;
        for (id, category) in people {
            if !allowed(&id) {
                let who = names
                    .get(&id)
                    .map(store::Person::name)
                    .unwrap_or_else(|| id.to_string());
                return Err(Refused {
                    message: Msg::new("msg-error-not-allowed").arg("name", who),
                    draft: None,
                });
            }
            if seen.insert(id) {
                if category != "bcc" {
                    summary.push(names.get(&id).map(store::Person::name).unwrap_or_default());
                }
                addressees.push(Addressee {
                    user: id,
                    category,
                    via: None,
                });
            }
        }
        Ok(Resolved {
            addressees,
            summary: summary.join(", "),
            conversation: None,
            rules: Some(rules),
        })
    }

    /// A reply goes to the message's sender — whom one may always answer — or, with `all`, to every
    /// visible addressee too, each of whom must be allowed by the rules.
    async fn resolve_reply(
        &self,
        viewer: &Viewer,
        school: Uuid,
        profile: Profile,
        original: &MessageRow,
        all: bool,
    ) -> Result<Resolved, Refused> {
        let me = viewer.id();
        let reply_to = original.id;
        let conv_id = original.conversation_id.ok_or(refuse("msg-error-gone"))?;
        let visible = mail::visible_messages(&self.db, conv_id, me)
            .await
            .map_err(AppError::from)?;
        if !visible.iter().any(|m| m.id == reply_to && m.state == "sent") || original.school_id != school {
            return Err(refuse("msg-error-gone"));
        }
        let conversation = mail::conversation(&self.db, conv_id)
            .await
            .map_err(AppError::from)?
            .ok_or(refuse("msg-error-gone"))?;
        let recipients = mail::recipients(&self.db, conv_id, &[reply_to])
            .await
            .map_err(AppError::from)?;
        let mut to: Vec<Uuid> = Vec::new();
        if original.sender_id != me {
            to.push(original.sender_id);
        } else {
            // Following up one's own message: to the same people.
            to.extend(
                recipients
                    .iter()
                    .filter(|r| r.category != "bcc")
                    .map(|r| r.user_id),
            );
        }
        if all {
            if !(conversation.reply_all || conversation.initiator_id == me) {
                return Err(refuse("msg-error-reply-all"));
            }
            let others: Vec<Uuid> = recipients
                .iter()
                .filter(|r| r.category != "bcc" && r.user_id != me && !to.contains(&r.user_id))
                .map(|r| r.user_id)
                .collect();
            let allowed = self.allowed(school, profile, me, &others).await?;
            if others.iter().any(|u| !allowed.contains(u)) {
                return Err(refuse("msg-error-reply-all-rules"));
            }
            to.extend(others);
        }
        to.retain(|u| *u != me);
        to.sort();
        to.dedup();
        let names = store::people(&self.db, &to).await.map_err(AppError::from)?;
        let summary = if to.len() <= 3 {
            to.iter()
                .filter_map(|u| names.get(u).map(store::Person::name))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            original.recipients_summary.clone()
        };
        Ok(Resolved {
            addressees: to
                .into_iter()
                .map(|user| Addressee {
                    user,
                    category: "to",
                    via: None,
                })
                .collect(),
            summary,
            conversation: Some(conversation),
            rules: None,
        })
    }

    async fn store_files(&self, files: &[Upload]) -> Result<Vec<AttachmentRow>, Refused> {
        let mut out = Vec::new();
        for f in files {
            let stored = self.blobs.put(&f.bytes).await.map_err(|e| Refused {
                message: Msg::new("msg-error-file")
                    .arg("name", f.name.clone())
                    .arg("detail", e.to_string()),
                draft: None,
            })?;
            out.push(AttachmentRow {
                message_id: Uuid::nil(),
                id: Uuid::now_v7(),
                name: f.name.clone(),
                content_type: blob::sniff(&f.bytes, &f.name).to_string(),
                size: stored.size as i64,
                blob_key: stored.key,
            });
        }
        Ok(out)
    }

    /// Writes the message, its addressees, mailboxes (unless held), files and event in one transaction.
    #[allow(clippy::too_many_arguments)]
    async fn write(
        &self,
        viewer: &Viewer,
        school: Uuid,
        profile: Profile,
        subject: &str,
        body: &str,
        text: &str,
        hash: &str,
        resolved: Resolved,
        hold: Option<Hold>,
        files: Vec<AttachmentRow>,
        draft: &Draft,
        tracking: bool,
        now: i64,
    ) -> Result<Outcome, Refused> {
        let me = viewer.id();
        let message = Uuid::now_v7();
        // Everything read from the pool is read before the transaction: a write holding its
        // connection while it waits for a second one deadlocks once every connection does.
        let sender = store::people(&self.db, &[me]).await.map_err(AppError::from)?;
        let sender = sender.get(&me).map(store::Person::name).unwrap_or_default();
        let mut tx = self.db.begin().await.map_err(AppError::from)?;
        let conversation = match &resolved.conversation {
            Some(c) => c.id,
            None => {
                let c = Conversation {
                    id: Uuid::now_v7(),
                    school_id: school,
                    subject: subject.to_string(),
                    initiator_id: me,
                    created_at: now,
                    reply_all: draft.allow_reply_all,
                    read_tracking: tracking,
                };
                mail::insert_conversation(&mut tx, &c)
                    .await
                    .map_err(AppError::from)?;
                c.id
            }
        };
        let subject = resolved
            .conversation
            .as_ref()
            .map_or(subject, |c| c.subject.as_str());
        let state = if hold.is_some() { "held" } else { "sent" };
        mail::insert_message(
            &mut tx,
            &NewMessage {
                id: message,
                conversation: Some(conversation),
                school,
                sender: me,
                sender_profile: profile.code(),
                subject,
                body,
                body_text: text,
                body_hash: hash,
                state,
                hold_reason: hold.map(Hold::code),
                summary: &resolved.summary,
                draft_to: "",
                now,
            },
        )
        .await
        .map_err(AppError::from)?;
        if hold.is_some() {
            // Nobody receives it yet: its addressees wait in msg_recipients for the decision.
            mail::insert_recipients(&mut tx, message, &resolved.addressees)
                .await
                .map_err(AppError::from)?;
        }
        for mut f in files {
            f.message_id = message;
            mail::insert_attachment(&mut tx, &f)
                .await
                .map_err(AppError::from)?;
        }
        if let Some(d) = draft.draft_id {
            mail::delete_draft(&mut tx, d, me).await.map_err(AppError::from)?;
        }
        let to: Vec<Uuid> = resolved.addressees.iter().map(|a| a.user).collect();
        let at = Timestamp(now);
        let outcome = match hold {
            None => {
                let fresh = resolved.conversation.is_none();
                let delivery = mail::Delivery {
                    conversation,
                    message,
                    sender: me,
                    to: &resolved.addressees,
                    fresh,
                    record: true,
                    now,
                };
                mail::deliver(&mut tx, &delivery).await.map_err(AppError::from)?;
                bus::publish(
                    &mut tx,
                    at,
                    Event {
                        topic: "messaging.received",
                        school: Some(kernel::SchoolId(school)),
                        payload: json!({
                            "conversation": conversation,
                            "message": message,
                            "sender": sender,
                            "subject": subject,
                            "recipients": to,
                            "actor": me,
                            "title": Msg::new("msg-notify-title").arg("sender", sender.clone()).render(web::Lang::Fr),
                            "body": subject,
                            "link": format!("/messagerie/{conversation}"),
                        }),
                    },
                )
                .await
                .map_err(AppError::from)?;
                Outcome::Delivered {
                    conversation,
                    recipients: to.len(),
                }
            }
            Some(reason) => {
                store::audit(
                    &mut tx,
                    school,
                    now,
                    me,
                    Some(me),
                    "messaging.held",
                    &format!("{} : {} destinataires", reason.code(), to.len()),
                )
                .await
                .map_err(AppError::from)?;
                bus::publish(
                    &mut tx,
                    at,
                    Event {
                        topic: "messaging.held",
                        school: Some(kernel::SchoolId(school)),
                        payload: json!({
                            "message": message,
                            "reason": reason.code(),
                            "actor": me,
                            "audience": {"school": school, "profiles": [Profile::Direction.code(), Profile::SchoolLife.code()]},
                            "title": Msg::new("msg-notify-held-title").render(web::Lang::Fr),
                            "body": subject,
                            "link": "/messagerie/moderation",
                        }),
                    },
                )
                .await
                .map_err(AppError::from)?;
                Outcome::Held { message, reason }
            }
        };
        tx.commit().await.map_err(AppError::from)?;
        Ok(outcome)
    }

    /// Saves what the person wrote as a draft (new, or replacing their draft `draft.draft_id`).
    pub async fn keep_draft(&self, viewer: &Viewer, draft: &Draft) -> Result<Uuid, AppError> {
        let (school, profile) = viewer.in_school()?;
        let body = web::rich_text::sanitize(&draft.body);
        let text = web::rich_text::plain_text(&body);
        let subject: String = draft.subject.trim().chars().take(model::MAX_SUBJECT).collect();
        let to = json!({
            "to": draft.to.iter().map(Target::code).collect::<Vec<_>>(),
            "cc": draft.cc.iter().map(Target::code).collect::<Vec<_>>(),
            "bcc": draft.bcc.iter().map(Target::code).collect::<Vec<_>>(),
            "reply_to": draft.reply_to,
            "reply_all": draft.reply_all,
        })
        .to_string();
        let id = Uuid::now_v7();
        let mut tx = self.db.begin().await?;
        if let Some(old) = draft.draft_id {
            mail::delete_draft(&mut tx, old, viewer.id()).await?;
        }
        mail::insert_message(
            &mut tx,
            &NewMessage {
                id,
                conversation: None,
                school,
                sender: viewer.id(),
                sender_profile: profile.code(),
                subject: &subject,
                body: &body,
                body_text: &text,
                body_hash: "",
                state: "draft",
                hold_reason: None,
                summary: "",
                draft_to: &to,
                now: self.now(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A draft of the viewer, as a compose form to fill again.
    pub async fn draft(&self, viewer: &Viewer, id: Uuid) -> Result<Draft, AppError> {
        let row = mail::message(&self.db, id).await?.ok_or(AppError::NotFound)?;
        if row.sender_id != viewer.id() || row.state != "draft" {
            return Err(AppError::NotFound);
        }
        let v: serde_json::Value = serde_json::from_str(&row.draft_to).unwrap_or_default();
        let targets = |k: &str| -> Vec<Target> {
            v.get(k)
                .and_then(|a| a.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().and_then(Target::parse))
                        .collect()
                })
                .unwrap_or_default()
        };
        Ok(Draft {
            subject: row.subject,
            body: row.body,
            to: targets("to"),
            cc: targets("cc"),
            bcc: targets("bcc"),
            reply_to: v
                .get("reply_to")
                .and_then(|r| r.as_str())
                .and_then(|s| s.parse().ok()),
            reply_all: v.get("reply_all").and_then(|r| r.as_bool()).unwrap_or(false),
            draft_id: Some(id),
            ..Draft::default()
        })
    }

    pub async fn delete_draft(&self, viewer: &Viewer, id: Uuid) -> Result<(), AppError> {
        let mut tx = self.db.begin().await?;
        let gone = mail::delete_draft(&mut tx, id, viewer.id()).await?;
        tx.commit().await?;
        if gone { Ok(()) } else { Err(AppError::NotFound) }
    }
}

/// A group's label (« 3e B — parents »), its class named from `class_names` (an unknown class: refused).
fn group_label(g: Group, class_names: &HashMap<Uuid, String>) -> Result<String, Refused> {
    let t = web::Tr(web::Lang::Fr);
    let name = match g.class() {
        Some(c) => class_names
            .get(&c)
            .ok_or(refuse("msg-error-group-not-allowed"))?
            .as_str(),
        None => "",
    };
    Ok(match g {
        Group::ClassStudents(_) => t.with("msg-group-students", "class", name),
        Group::ClassParents(_) => t.with("msg-group-parents", "class", name),
        Group::ClassTeachers(_) => t.with("msg-group-teachers", "class", name),
        Group::Teachers => t.get("msg-group-all-teachers"),
        Group::Staff => t.get("msg-group-all-staff"),
    })
}

/// Attachments: how many, how big, which types (read from the bytes, not the browser's word).
fn check_files(files: &[Upload]) -> Result<(), Refused> {
    if files.len() > model::MAX_ATTACHMENT_COUNT {
        return Err(Refused {
            message: Msg::new("msg-error-files-count").arg("max", model::MAX_ATTACHMENT_COUNT),
            draft: None,
        });
    }
    let mut total = 0u64;
    for f in files {
        let size = f.bytes.len() as u64;
        total += size;
        if size > model::MAX_ATTACHMENT {
            return Err(Refused {
                message: Msg::new("msg-error-file-big")
                    .arg("name", f.name.clone())
                    .arg("size", blob::human_size(size))
                    .arg("max", blob::human_size(model::MAX_ATTACHMENT)),
                draft: None,
            });
        }
        if !model::attachment_allowed(blob::sniff(&f.bytes, &f.name)) {
            return Err(Refused {
                message: Msg::new("msg-error-file-type").arg("name", f.name.clone()),
                draft: None,
            });
        }
    }
    if total > model::MAX_ATTACHMENTS_TOTAL {
        return Err(Refused {
            message: Msg::new("msg-error-files-total")
                .arg("max", blob::human_size(model::MAX_ATTACHMENTS_TOTAL)),
            draft: None,
        });
    }
    Ok(())
}
