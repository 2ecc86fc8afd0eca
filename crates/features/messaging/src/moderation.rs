//! The school's defences: the moderation queue (held messages and reports), the report button, the
//! kill switches (region, school, profile, account) and the communication rules. Every action is
//! written to the audit log in its own transaction.

use kernel::{Context, Profile};
use uuid::Uuid;
use web::{AppError, Msg};

use crate::model::{Rules, is_moderator};
use crate::service::{Messaging, Viewer};
use crate::store::abuse::{self, Report, Suspension};
use crate::store::mail::{self, MessageRow};
use crate::store::{self, Person};

/// What a school's moderators see.
#[derive(Debug, Clone)]
pub struct Queue {
    pub held: Vec<(MessageRow, String)>,
    /// Open reports: the report, the message, its sender's and the reporter's names.
    pub reports: Vec<(Report, MessageRow, String, String)>,
    pub suspensions: Vec<Suspension>,
}

/// Where a kill switch applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    /// The whole region (region administrators only).
    pub region: bool,
    pub profile: Option<Profile>,
    pub user: Option<Uuid>,
}

impl Messaging {
    /// The school the viewer moderates.
    fn moderated_school(&self, viewer: &Viewer) -> Result<Uuid, AppError> {
        match viewer.context {
            Context::School { school, profile } if is_moderator(profile) => Ok(school.0),
            _ => Err(AppError::Forbidden),
        }
    }

    pub async fn queue(&self, viewer: &Viewer) -> Result<Queue, AppError> {
        let school = self.moderated_school(viewer)?;
        let held = abuse::held(&self.db, school).await?;
        let reports = abuse::open_reports(&self.db, school).await?;
        let mut reported = Vec::new();
        for r in reports {
            if let Some(m) = mail::message(&self.db, r.message_id).await? {
                reported.push((r, m));
            }
        }
        let mut ids: Vec<Uuid> = held.iter().map(|m| m.sender_id).collect();
        ids.extend(reported.iter().flat_map(|(r, m)| [r.reporter_id, m.sender_id]));
        let names = store::people(&self.db, &ids).await?;
        let name = |u: &Uuid| names.get(u).map(Person::name).unwrap_or_default();
        Ok(Queue {
            held: held
                .into_iter()
                .map(|m| {
                    let n = name(&m.sender_id);
                    (m, n)
                })
                .collect(),
            reports: reported
                .into_iter()
                .map(|(r, m)| {
                    let (s, by) = (name(&m.sender_id), name(&r.reporter_id));
                    (r, m, s, by)
                })
                .collect(),
            suspensions: abuse::suspensions(&self.db, Some(school)).await?,
        })
    }

    /// Lets a held message go (delivered now) or refuses it for good.
    pub async fn decide(&self, viewer: &Viewer, message: Uuid, release: bool) -> Result<(), AppError> {
        let school = self.moderated_school(viewer)?;
        let row = mail::message(&self.db, message)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = self.now();
        // Read before the transaction (see send.rs: no second connection while one is held).
        let conversation = row.conversation_id.ok_or(AppError::NotFound)?;
        let to: Vec<mail::Addressee> = mail::recipients(&self.db, conversation, &[message])
            .await?
            .into_iter()
            .map(|r| mail::Addressee {
                user: r.user_id,
                category: "to",
                via: r.via_group,
            })
            .collect();
        let mut tx = self.db.begin().await?;
        let state = if release { "sent" } else { "rejected" };
        if !abuse::decide(&mut tx, school, message, state, now).await? {
            return Err(AppError::NotFound);
        }
        if release {
            // Its addressees were recorded as it was held.
            let delivery = mail::Delivery {
                conversation,
                message,
                sender: row.sender_id,
                to: &to,
                fresh: false,
                record: false,
                now,
            };
            mail::deliver(&mut tx, &delivery).await?;
            let to: Vec<Uuid> = to.iter().map(|a| a.user).collect();
            bus::publish(
                &mut tx,
                kernel::Timestamp(now),
                bus::Event {
                    topic: "messaging.received",
                    school: Some(kernel::SchoolId(school)),
                    payload: serde_json::json!({
                        "conversation": conversation,
                        "message": message,
                        "subject": row.subject,
                        "recipients": to,
                        "actor": row.sender_id,
                        "title": Msg::new("msg-notify-title-plain").render(web::Lang::Fr),
                        "body": row.subject,
                        "link": format!("/messagerie/{conversation}"),
                    }),
                },
            )
            .await?;
        }
        let kind = if release {
            "messaging.released"
        } else {
            "messaging.rejected"
        };
        store::audit(
            &mut tx,
            school,
            now,
            viewer.id(),
            Some(row.sender_id),
            kind,
            &row.subject,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// "Report this message": a recipient tells the school's moderators.
    pub async fn report(&self, viewer: &Viewer, message: Uuid, reason: &str) -> Result<(), AppError> {
        let row = mail::message(&self.db, message)
            .await?
            .ok_or(AppError::NotFound)?;
        let conversation = row.conversation_id.ok_or(AppError::NotFound)?;
        let visible = mail::visible_messages(&self.db, conversation, viewer.id()).await?;
        if row.sender_id == viewer.id() || !visible.iter().any(|m| m.id == message) {
            return Err(AppError::NotFound);
        }
        let reason: String = reason.trim().chars().take(1000).collect();
        let now = self.now();
        let mut tx = self.db.begin().await?;
        abuse::report(
            &mut tx,
            row.school_id,
            &Report {
                id: Uuid::now_v7(),
                message_id: message,
                reporter_id: viewer.id(),
                reason: reason.clone(),
                created_at: now,
            },
        )
        .await?;
        store::audit(
            &mut tx,
            row.school_id,
            now,
            viewer.id(),
            Some(row.sender_id),
            "messaging.reported",
            &reason,
        )
        .await?;
        bus::publish(
            &mut tx,
            kernel::Timestamp(now),
            bus::Event {
                topic: "messaging.reported",
                school: Some(kernel::SchoolId(row.school_id)),
                payload: serde_json::json!({
                    "message": message,
                    "actor": viewer.id(),
                    "audience": {"school": row.school_id, "profiles": [Profile::Direction.code(), Profile::SchoolLife.code()]},
                    "title": Msg::new("msg-notify-reported-title").render(web::Lang::Fr),
                    "body": row.subject,
                    "link": "/messagerie/moderation",
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn close_report(&self, viewer: &Viewer, report: Uuid) -> Result<(), AppError> {
        let school = self.moderated_school(viewer)?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        if !abuse::close_report(&mut tx, school, report, viewer.id(), now).await? {
            return Err(AppError::NotFound);
        }
        store::audit(
            &mut tx,
            school,
            now,
            viewer.id(),
            None,
            "messaging.report_closed",
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Pulls a kill switch: sending stops at once for everyone it covers; drafts and received mail
    /// stay. A school's moderators cover their school; region administrators the whole region.
    pub async fn suspend(&self, viewer: &Viewer, scope: Scope, reason: &str) -> Result<(), AppError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::BadRequest(Msg::new("msg-error-suspend-reason")));
        }
        let (school, audit_school) = match viewer.context {
            Context::RegionAdmin { .. } if scope.region => (None, Uuid::nil()),
            _ if scope.region => return Err(AppError::Forbidden),
            _ => {
                let s = self.moderated_school(viewer)?;
                (Some(s), s)
            }
        };
        let now = self.now();
        let mut tx = self.db.begin().await?;
        abuse::suspend(
            &mut tx,
            &Suspension {
                id: Uuid::now_v7(),
                school_scope: school,
                profile: scope.profile.map(|p| p.code().to_string()),
                user_id: scope.user,
                reason: reason.to_string(),
                created_at: now,
                created_by: viewer.id(),
            },
        )
        .await?;
        let detail = format!(
            "{} {} : {reason}",
            scope.profile.map(Profile::code).unwrap_or("*"),
            scope.user.map(|u| u.to_string()).unwrap_or_default()
        );
        store::audit(
            &mut tx,
            audit_school,
            now,
            viewer.id(),
            scope.user,
            "messaging.suspended",
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn lift(&self, viewer: &Viewer, id: Uuid) -> Result<(), AppError> {
        let (school, audit_school) = match viewer.context {
            Context::RegionAdmin { .. } => (None, Uuid::nil()),
            _ => {
                let s = self.moderated_school(viewer)?;
                (Some(s), s)
            }
        };
        let now = self.now();
        let mut tx = self.db.begin().await?;
        if !abuse::lift(&mut tx, id, school, viewer.id(), now).await? {
            return Err(AppError::NotFound);
        }
        store::audit(
            &mut tx,
            audit_school,
            now,
            viewer.id(),
            None,
            "messaging.lifted",
            &id.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The region-wide switches in force (region administrators).
    pub async fn region_suspensions(&self, viewer: &Viewer) -> Result<Vec<Suspension>, AppError> {
        match viewer.context {
            Context::RegionAdmin { .. } => Ok(abuse::suspensions(&self.db, None).await?),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The school's communication rules, for its moderators.
    pub async fn school_rules(&self, viewer: &Viewer) -> Result<Rules, AppError> {
        let school = self.moderated_school(viewer)?;
        Ok(store::rules(&self.db, school).await?)
    }

    pub async fn set_rules(&self, viewer: &Viewer, rules: Rules) -> Result<(), AppError> {
        let school = match viewer.context {
            Context::School {
                school,
                profile: Profile::Direction,
            } => school.0,
            _ => return Err(AppError::Forbidden),
        };
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::save_rules(&mut tx, school, &rules, viewer.id(), now).await?;
        let detail = serde_json::to_string(&rules).unwrap_or_default();
        store::audit(
            &mut tx,
            school,
            now,
            viewer.id(),
            None,
            "messaging.rules_changed",
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The school's messaging audit lines, newest first: (when, who, what, detail).
    pub async fn journal(&self, viewer: &Viewer) -> Result<Vec<(i64, String, String, String)>, AppError> {
        let school = self.moderated_school(viewer)?;
        let lines = store::audit_lines(&self.db, school, 100).await?;
        let ids: Vec<Uuid> = lines.iter().map(|l| l.1).collect();
        let names = store::people(&self.db, &ids).await?;
        Ok(lines
            .into_iter()
            .map(|(at, who, kind, detail)| {
                (
                    at,
                    names.get(&who).map(Person::name).unwrap_or_default(),
                    kind,
                    detail,
                )
            })
            .collect())
    }
}
