//! The agenda's entry point for pages and other crates: who may create events for which classes, who
//! reads which events, and creating with its event (outbox) in the same transaction.

use std::sync::Arc;

use bus::Event;
use db::Db;
use directory::audience;
use directory::store as dir;
use kernel::{Clock, Context, Profile, SchoolId, Timestamp, UserId};
use serde_json::json;
use uuid::Uuid;
use web::FieldError;

use crate::model::{self, EventForm, Writer};
use crate::store::{self, EventRow};

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

#[derive(Clone)]
pub struct Agenda {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) public_url: String,
}

impl Agenda {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Agenda {
        Agenda {
            db,
            clock,
            public_url: String::new(),
        }
    }

    /// The address feeds are given at (`https://ent.example`).
    pub fn with_public_url(mut self, url: &str) -> Agenda {
        self.public_url = url.trim_end_matches('/').to_string();
        self
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The events between two instants the person reads in their current context (and those they
    /// created), by start.
    pub async fn between(&self, v: &Viewer, from: Timestamp, to: Timestamp) -> Result<Vec<EventRow>> {
        let keys = audience::keys(&self.db, v.user, &v.context).await?;
        Ok(store::visible(&self.db, &keys, v.user.0, (from, to), None).await?)
    }

    /// Every event a person reads in any of their schools and profiles (their calendar feed).
    pub async fn feed_events(&self, user: UserId, from: Timestamp, to: Timestamp) -> Result<Vec<EventRow>> {
        let keys = audience::all_keys(&self.db, user).await?;
        Ok(store::visible(&self.db, &keys, user.0, (from, to), None).await?)
    }

    /// Whether the viewer may delete an event: its author, or the school's direction.
    pub fn may_manage(&self, v: &Viewer, e: &EventRow) -> bool {
        e.author_id == v.user.0
            || matches!(v.context, Context::School { school, profile: Profile::Direction }
                if school.0 == e.school_id)
    }

    /// One event, if the viewer reads it; otherwise not found.
    pub async fn event(&self, v: &Viewer, id: Uuid) -> Result<EventRow> {
        let e = store::event(&self.db, id).await?.ok_or(Error::NotFound)?;
        if self.may_manage(v, &e) {
            return Ok(e);
        }
        let keys = audience::keys(&self.db, v.user, &v.context).await?;
        let window = (Timestamp(i64::MIN), Timestamp(i64::MAX));
        store::visible(&self.db, &keys, v.user.0, window, Some((e.school_id, id)))
            .await?
            .into_iter()
            .next()
            .ok_or(Error::NotFound)
    }

    /// The classes the person may address an event to (id, name).
    pub async fn classes(&self, v: &Viewer) -> Result<Vec<(Uuid, String)>> {
        let writer = model::writer(&v.context).ok_or(Error::Forbidden)?;
        let school = v.context.school().ok_or(Error::Forbidden)?;
        let taught = match writer {
            Writer::Teacher => Some(audience::taught(&self.db, school, v.user).await?),
            Writer::School => None,
        };
        Ok(dir::classes_of_school(&self.db, school)
            .await?
            .into_iter()
            .filter(|c| match &taught {
                Some(t) => t.contains(&c.id),
                None => c.kind == "classe",
            })
            .map(|c| (c.id, c.name))
            .collect())
    }

    /// Creates an event for the viewer's school and announces it.
    pub async fn create(&self, v: &Viewer, f: &EventForm) -> Result<Uuid> {
        let writer = model::writer(&v.context).ok_or(Error::Forbidden)?;
        let school = v.context.school().ok_or(Error::Forbidden)?;
        let when = model::check(f)?;
        if writer == Writer::Teacher && f.classes.is_empty() {
            return Err(FieldError::new("agenda-field-classes", "agenda-problem-teacher-classes").into());
        }
        let allowed = self.classes(v).await?;
        if f.classes.iter().any(|c| !allowed.iter().any(|a| a.0 == *c)) {
            return Err(Error::Forbidden);
        }
        let now = self.now();
        let a = f.audience;
        let row = EventRow {
            school_id: school.0,
            id: kernel::new_id(),
            author_id: v.user.0,
            title: f.title.trim().to_string(),
            description: f.description.trim().to_string(),
            place: f.place.trim().to_string(),
            all_day: when.all_day,
            starts_at: when.starts_at.0,
            ends_at: when.ends_at.0,
            first_day: when.first_day.to_string(),
            last_day: when.last_day.to_string(),
            to_students: a.students,
            to_guardians: a.guardians,
            to_teachers: a.teachers,
            to_staff: a.staff,
            created_at: now.0,
        };
        let mut tx = self.db.begin().await?;
        store::insert(&mut tx, &row, &f.classes).await?;
        let event = Event {
            topic: "agenda.event_published",
            school: Some(SchoolId(school.0)),
            payload: json!({
                "event": row.id,
                "title": row.title,
                "link": format!("/agenda/{}", row.id),
                "actor": v.user.0,
                "starts_at": row.starts_at,
                "audience": {"school": school.0, "profiles": a.profile_codes(), "classes": f.classes},
            }),
        };
        bus::publish(&mut tx, now, event).await?;
        tx.commit().await?;
        Ok(row.id)
    }

    pub async fn delete(&self, v: &Viewer, id: Uuid) -> Result<()> {
        let e = store::event(&self.db, id).await?.ok_or(Error::NotFound)?;
        if !self.may_manage(v, &e) {
            return Err(Error::NotFound);
        }
        let mut tx = self.db.begin().await?;
        store::delete(&mut tx, e.school_id, id).await?;
        tx.commit().await?;
        Ok(())
    }
}
