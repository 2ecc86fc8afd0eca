//! Discipline's entry point for pages: who may see and write what, checked against the viewer's
//! profile and relation to the student; every write runs in one transaction with its journal line and,
//! for punishments and sanctions, its outbox event. Punishments and sanctions live in `records.rs`,
//! what families see and the school's settings in `family.rs`.

use std::sync::Arc;

use db::Db;
use directory::model::Person;
use directory::store as dir;
use kernel::{ClassId, Clock, Context, Profile, SchoolId, Timestamp, UserId};
use uuid::Uuid;

use super::model::{self, Day, FieldError, IncidentForm, Role};
use super::store::{
    self, Incident, IncidentQuery, Involved, JournalEntry, NewPerson, PunishmentRow, SanctionRow,
};
use crate::Attendance;

/// The service's failures and refusals: the one type every feature shares.
pub use web::ServiceError as Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Who acts: the signed-in person and the school and profile they act in.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub user: UserId,
    pub school: SchoolId,
    pub profile: Profile,
}

impl Viewer {
    /// The viewer of a session acting in a school; `NotFound` for the regional administration.
    pub fn of(u: &web::CurrentUser) -> Result<Viewer> {
        match u.context.context {
            Context::School { school, profile } => Ok(Viewer {
                user: u.user_id,
                school,
                profile,
            }),
            Context::RegionAdmin { .. } => Err(Error::NotFound),
        }
    }
}

/// The discipline service. Cheap to clone.
#[derive(Clone)]
pub struct Discipline {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
}

/// A student of the school as discipline records name them: with their division (or first group).
#[derive(Debug, Clone)]
pub struct Pupil {
    pub person: Person,
    pub class_id: Option<Uuid>,
    pub class_name: String,
    /// Every class and group they belong to.
    pub classes: Vec<Uuid>,
}

impl Pupil {
    pub(crate) fn row(&self) -> store::Pupil<'_> {
        store::Pupil {
            id: self.person.id,
            class_id: self.class_id,
            class_name: &self.class_name,
        }
    }
}

/// The classes a staff member picks students from, and the students of the chosen one.
#[derive(Debug, Clone, Default)]
pub struct Picker {
    pub classes: Vec<(Uuid, String)>,
    pub class: Option<Uuid>,
    pub students: Vec<Person>,
}

/// An incident with the people involved and what was given for it.
pub struct IncidentView {
    pub incident: Incident,
    pub people: Vec<Involved>,
    pub punishments: Vec<PunishmentRow>,
    pub sanctions: Vec<SanctionRow>,
    pub may_sanction: bool,
}

/// Who is added to an incident.
pub enum Newcomer {
    Student(Uuid),
    Adult(String),
}

impl Discipline {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Discipline {
        Discipline { db, clock }
    }

    pub fn of(a: &Attendance) -> Discipline {
        Discipline::new(a.db.clone(), a.clock.clone())
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub(crate) fn today(&self) -> Day {
        Day::of(self.now())
    }

    /// A student of the viewer's school, with their division; `NotFound` for anyone else.
    pub(crate) async fn pupil(&self, school: SchoolId, student: Uuid) -> Result<Pupil> {
        let classes = dir::classes_of_student(&self.db, school, UserId(student)).await?;
        let class = classes
            .iter()
            .find(|c| c.kind == "classe")
            .or(classes.first())
            .ok_or(Error::NotFound)?;
        let person = dir::person(&self.db, UserId(student))
            .await?
            .ok_or(Error::NotFound)?;
        Ok(Pupil {
            person,
            class_id: Some(class.id),
            class_name: class.name.clone(),
            classes: classes.iter().map(|c| c.id).collect(),
        })
    }

    /// The classes the viewer picks students from: a teacher's own, the whole school for the
    /// school-life office and the direction.
    pub(crate) async fn reachable_classes(&self, v: &Viewer) -> Result<Vec<(Uuid, String)>> {
        let mut out: Vec<(Uuid, String)> = if model::sees_whole_school(v.profile) {
            dir::classes_of_school(&self.db, v.school)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect()
        } else if v.profile == Profile::Teacher {
            dir::classes_taught(&self.db, v.school, v.user)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect()
        } else {
            vec![]
        };
        out.dedup_by_key(|c| c.0);
        Ok(out)
    }

    /// A student the viewer may give a punishment to or read the record of: any student of the school
    /// for the office and the direction, a student of their classes for a teacher.
    pub(crate) async fn reach(&self, v: &Viewer, student: Uuid) -> Result<Pupil> {
        if !model::may_punish(v.profile) {
            return Err(Error::NotFound);
        }
        let pupil = self.pupil(v.school, student).await?;
        if model::sees_whole_school(v.profile) {
            return Ok(pupil);
        }
        let taught = self.reachable_classes(v).await?;
        if taught.iter().any(|(c, _)| pupil.classes.contains(c)) {
            Ok(pupil)
        } else {
            Err(Error::Forbidden)
        }
    }

    /// The classes to pick from and, once one is chosen, its students.
    pub async fn picker(&self, v: &Viewer, class: Option<Uuid>) -> Result<Picker> {
        if !model::may_punish(v.profile) {
            return Err(Error::NotFound);
        }
        let classes = self.reachable_classes(v).await?;
        let students = match class {
            Some(c) if classes.iter().any(|(id, _)| *id == c) => {
                dir::students_of_class(&self.db, v.school, ClassId(c)).await?
            }
            Some(_) => return Err(Error::NotFound),
            None => vec![],
        };
        Ok(Picker {
            classes,
            class,
            students,
        })
    }

    /// The school's incident types still offered.
    pub async fn active_types(&self, v: &Viewer) -> Result<Vec<store::IncidentType>> {
        let mut types = store::incident_types(&self.db, v.school).await?;
        types.retain(|t| t.active);
        Ok(types)
    }

    /// Records an incident with the students involved (each with a role) and the adults named.
    pub async fn report_incident(
        &self,
        v: &Viewer,
        form: &IncidentForm,
        students: &[(Uuid, Role)],
        adults: &[(String, Role)],
    ) -> Result<Uuid> {
        if !model::may_punish(v.profile) {
            return Err(Error::Forbidden);
        }
        let draft = form.validate(self.today())?;
        if !self.active_types(v).await?.iter().any(|t| t.id == draft.type_id) {
            return Err(FieldError::new("dis-field-type", "dis-problem-required").into());
        }
        let mut pupils = vec![];
        for (student, role) in students {
            pupils.push((self.reach(v, *student).await?, *role));
        }
        let mut named = vec![];
        for (name, role) in adults {
            named.push((model::adult_name(name)?, *role));
        }
        let (id, now) = (kernel::new_id(), self.now());
        let mut tx = self.db.begin().await?;
        store::insert_incident(&mut tx, v.school, id, &draft, v.user, now).await?;
        for (p, role) in &pupils {
            let new = NewPerson {
                student: Some(p.person.id),
                class_id: p.class_id,
                class_name: &p.class_name,
                adult_name: "",
                role: *role,
            };
            store::add_person(&mut tx, v.school, id, new).await?;
        }
        for (name, role) in &named {
            let new = NewPerson {
                student: None,
                class_id: None,
                class_name: "",
                adult_name: name,
                role: *role,
            };
            store::add_person(&mut tx, v.school, id, new).await?;
        }
        let entry = JournalEntry {
            actor: v.user,
            action: "incident_reported",
            record: id,
            student: None,
            detail: &draft.place,
        };
        store::journal_write(&mut tx, v.school, now, entry).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// An incident the viewer may see: every one for the office and the direction, a teacher's own.
    pub(crate) async fn visible_incident(&self, v: &Viewer, id: Uuid) -> Result<Incident> {
        let incident = store::incident(&self.db, v.school, id)
            .await?
            .ok_or(Error::NotFound)?;
        let own = model::may_punish(v.profile) && incident.reported_by == v.user.0;
        if model::sees_whole_school(v.profile) || own {
            Ok(incident)
        } else {
            Err(Error::NotFound)
        }
    }

    pub async fn incident(&self, v: &Viewer, id: Uuid) -> Result<IncidentView> {
        let incident = self.visible_incident(v, id).await?;
        let people = store::people_of(&self.db, v.school, &[id]).await?;
        let of_incident = store::RecordQuery {
            incident: Some(id),
            limit: 100,
            ..Default::default()
        };
        Ok(IncidentView {
            punishments: store::punishments(&self.db, v.school, &of_incident).await?,
            sanctions: store::sanctions(&self.db, v.school, &of_incident).await?,
            people,
            incident,
            may_sanction: model::may_decide_sanction(v.profile),
        })
    }

    /// Adds a student or a named adult to an incident.
    pub async fn add_person(&self, v: &Viewer, incident: Uuid, who: Newcomer, role: Role) -> Result<()> {
        self.visible_incident(v, incident).await?;
        let (pupil, adult) = match who {
            Newcomer::Student(s) => (Some(self.reach(v, s).await?), String::new()),
            Newcomer::Adult(name) => (None, model::adult_name(&name)?),
        };
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let new = NewPerson {
            student: pupil.as_ref().map(|p| p.person.id),
            class_id: pupil.as_ref().and_then(|p| p.class_id),
            class_name: pupil.as_ref().map_or("", |p| p.class_name.as_str()),
            adult_name: &adult,
            role,
        };
        store::add_person(&mut tx, v.school, incident, new).await?;
        let entry = JournalEntry {
            actor: v.user,
            action: "person_added",
            record: incident,
            student: pupil.as_ref().map(|p| p.person.id),
            detail: role.code(),
        };
        store::journal_write(&mut tx, v.school, now, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn remove_person(&self, v: &Viewer, incident: Uuid, person: Uuid) -> Result<()> {
        self.visible_incident(v, incident).await?;
        let people = store::people_of(&self.db, v.school, &[incident]).await?;
        let p = people.iter().find(|p| p.id == person).ok_or(Error::NotFound)?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::remove_person(&mut tx, v.school, incident, person).await?;
        let entry = JournalEntry {
            actor: v.user,
            action: "person_removed",
            record: incident,
            student: p.student_id,
            detail: &p.role,
        };
        store::journal_write(&mut tx, v.school, now, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Incidents the viewer sees, latest first.
    pub(crate) async fn incidents(&self, v: &Viewer, mut q: IncidentQuery) -> Result<Vec<Incident>> {
        if !model::sees_whole_school(v.profile) {
            q.reporter = Some(v.user.0);
        }
        Ok(store::incidents(&self.db, v.school, &q).await?)
    }
}
