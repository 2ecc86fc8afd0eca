//! Notifications: other features publish events in the outbox (`bus::publish`, in the transaction of
//! their change); this crate delivers them. The delivery worker ([`Notifications::deliver_pending`],
//! run every `poll_ms` by the server) reads the outbox in order, turns each event into items of the
//! feed of the people concerned, and marks it delivered — once, whatever the number of nodes. The feed
//! (`/notifications`) has an unread counter in the page header kept live by server-sent events
//! (`/notifications/flux`) through the bus's pub/sub, so a delivery on one node reaches pages open on
//! another. People choose per kind what reaches their feed, an e-mail digest, and quiet hours (the right
//! to disconnect: nothing pushed and no mail from 20:00 to 07:00 and on Sundays; items still wait in the
//! feed).
//!
//! **No duplicate noise for families**: an event reaches a person once however many of their children
//! it concerns, and the item names the children; events of a gathering group (marks published, homework
//! set, report cards of one period, two children absent from the same lesson) join the person's unread
//! item of that group begun within 30 minutes ("3 nouvelles notes pour Léa et Tom").
//!
//! # The event contract (messaging, news, agenda, and any new feature)
//!
//! A topic not listed below is delivered from its payload's generic fields, all optional:
//!
//! ```json
//! {
//!   "recipients": ["<user uuid>", "..."],
//!   "audience": { "school": "<school uuid>", "profiles": ["ELV", "TUT", "ENS", "EVS", "DIR"],
//!                 "classes": ["<class uuid>", "..."] },
//!   "title": "short text (cut at 140 characters)",
//!   "body": "short plain text (cut at 300 characters)",
//!   "link": "/messagerie/…",
//!   "actor": "<user uuid>"
//! }
//! ```
//!
//! - `recipients`: these people (existing, active accounts; others are skipped).
//! - `audience` without `classes`: every member of `school` (default: the event's school) holding one
//!   of `profiles` (`kernel::Profile` codes). With `classes`: `ELV` → those classes' students, `TUT` →
//!   their legal guardians (once each, naming the children concerned), `ENS` → their teachers and head
//!   teachers; other profiles (staff) → the school's members of that profile.
//! - `recipients` and `audience` add up; a person reached twice gets one item.
//! - `title` and `body` are shown as given (plain text, escaped); without `title` the item reads from
//!   the topic's Fluent message `notif-<topic, dots and underscores as dashes>`, else a generic one.
//! - `link`: a path of the site (anything else is replaced by the feed); default by feature:
//!   `/messagerie`, `/actualites`, `/agenda`, else `/notifications`.
//! - `actor`: never told of their own act.
//! - The kind (what people turn on and off) is the topic's first segment: `messaging.*` → Messagerie,
//!   `news.*` → Actualités, `agenda.*` → Agenda, anything else → Autres.
//!
//! **Messages are not repeated in the feed**: `messaging.received` makes no item, the mailbox being
//! the message's record. Its `recipients` (the sender apart) are told live; the header counter is the
//! feed's unread items plus the mailbox's unread messages (through [`service::Inbox`], which the
//! server wires to messaging), so reading the conversation lowers it; the feed page shows a line to
//! the mailbox and the digest the messages that came since the last one. Turning the Messagerie kind
//! off leaves messages out of the counter, the feed and the digest.
//!
//! Topics the crate words itself (payloads as their features publish them): `attendance.recorded` and
//! `attendance.decided` (legal guardians), `discipline.punishment_given` (when shown to the family) and
//! `discipline.sanction_decided` (student and legal guardians), `grades.published` (the `students` and
//! their guardians), `grades.report_card_published`, `homework.assigned` (the class's students and
//! guardians), `homework.corrected` (the student), `timetable.lesson_changed` and
//! `timetable.lesson_added` (the class's students and guardians). `attendance.announced` and
//! `attendance.justification_sent` come from families to the office, whose dashboard shows them: no item.

mod demo;
mod digest;
mod live;
pub mod model;
mod pages;
mod recipients;
pub mod service;
pub mod store;

use axum::Router;

pub use demo::seed_demo;
pub use live::CHANNEL;
pub use pages::tiles;
pub use service::{Config, Notifications};

pub fn routes(state: Notifications) -> Router {
    pages::routes().with_state(state)
}
