//! Punishments and sanctions through the service, the staff's list of recent records and a student's
//! record. A punishment and a sanction each publish their event, for the notification of families.

use kernel::Timestamp;
use uuid::Uuid;

use super::model::{
    self, FieldError, PunishmentForm, PunishmentKind, PunishmentStatus, SanctionForm, SanctionKind,
};
use super::service::{Discipline, Error, Pupil, Result, Viewer};
use super::store::{
    self, Incident, IncidentQuery, Involved, JournalEntry, PunishmentRow, RecordQuery, SanctionRow,
};

/// The most records of each nature a list shows.
const SHOWN: u64 = 200;

/// What the staff's list is narrowed to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum What {
    #[default]
    All,
    Incidents(Option<Uuid>),
    Punishments(Option<PunishmentKind>),
    Sanctions(Option<SanctionKind>),
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub class: Option<Uuid>,
    pub what: What,
    /// Punishments in this state (only punishments are then listed).
    pub status: Option<PunishmentStatus>,
}

/// The latest records the viewer follows.
pub struct StaffList {
    pub incidents: Vec<(Incident, Vec<Involved>)>,
    pub punishments: Vec<PunishmentRow>,
    pub sanctions: Vec<SanctionRow>,
    pub classes: Vec<(Uuid, String)>,
    pub types: Vec<store::IncidentType>,
    /// The office and the direction see every record of the school, sanctions included.
    pub whole_school: bool,
    pub may_sanction: bool,
    pub may_configure: bool,
}

/// How many records a student has this school year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub incidents: usize,
    pub punishments: usize,
    pub sanctions: usize,
}

pub struct StudentRecord {
    pub pupil: Pupil,
    /// Incidents involving the student (a teacher's own only), with everyone involved.
    pub incidents: Vec<(Incident, Vec<Involved>)>,
    pub punishments: Vec<PunishmentRow>,
    pub sanctions: Vec<SanctionRow>,
    pub this_year: Counts,
    pub may_sanction: bool,
}

impl Discipline {
    /// `incident`, checked: one the viewer sees and in which `student` is involved.
    async fn incident_of(&self, v: &Viewer, incident: Option<Uuid>, student: Uuid) -> Result<Option<Uuid>> {
        let Some(id) = incident else {
            return Ok(None);
        };
        self.visible_incident(v, id).await?;
        let people = store::people_of(&self.db, v.school, &[id]).await?;
        if !people.iter().any(|p| p.student_id == Some(student)) {
            return Err(FieldError::new("dis-field-incident", "dis-problem-not-involved").into());
        }
        Ok(Some(id))
    }

    pub async fn give_punishment(
        &self,
        v: &Viewer,
        student: Uuid,
        incident: Option<Uuid>,
        form: &PunishmentForm,
    ) -> Result<Uuid> {
        if !model::may_punish(v.profile) {
            return Err(Error::Forbidden);
        }
        let pupil = self.reach(v, student).await?;
        let draft = form.validate()?;
        let incident = self.incident_of(v, incident, student).await?;
        let shown = store::family_rules(&self.db, v.school).await?.show_punishments;
        let (id, now) = (kernel::new_id(), self.now());
        let today = self.today().to_string();
        let mut tx = self.db.begin().await?;
        store::insert_punishment(
            &mut tx,
            v.school,
            (id, pupil.row(), incident),
            &draft,
            (v.user, &today, now),
        )
        .await?;
        let entry = JournalEntry {
            actor: v.user,
            action: "punishment_given",
            record: id,
            student: Some(student),
            detail: draft.kind.code(),
        };
        store::journal_write(&mut tx, v.school, now, entry).await?;
        let payload = serde_json::json!({
            "punishment_id": id,
            "student_id": student,
            "kind": draft.kind.code(),
            "given_by": v.user.0,
            "shown_to_family": shown,
        });
        publish(&mut tx, v, now, "discipline.punishment_given", payload).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Marks a punishment done or not done: its giver, the office and the direction. Returns its student.
    pub async fn set_punishment_status(
        &self,
        v: &Viewer,
        id: Uuid,
        status: PunishmentStatus,
    ) -> Result<Uuid> {
        let p = store::punishment(&self.db, v.school, id)
            .await?
            .ok_or(Error::NotFound)?;
        let own = model::may_punish(v.profile) && p.given_by == v.user.0;
        if !(own || model::sees_whole_school(v.profile)) {
            // A teacher of the student reads it on the record but does not change it.
            self.reach(v, p.student_id).await?;
            return Err(Error::Forbidden);
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::set_punishment_status(&mut tx, v.school, id, status, v.user, now).await?;
        let entry = JournalEntry {
            actor: v.user,
            action: "punishment_status",
            record: id,
            student: Some(p.student_id),
            detail: status.code(),
        };
        store::journal_write(&mut tx, v.school, now, entry).await?;
        tx.commit().await?;
        Ok(p.student_id)
    }

    /// Only the direction decides sanctions.
    pub fn may_decide(&self, v: &Viewer) -> Result<()> {
        if model::may_decide_sanction(v.profile) {
            Ok(())
        } else if model::may_punish(v.profile) {
            Err(Error::Forbidden)
        } else {
            Err(Error::NotFound)
        }
    }

    pub async fn decide_sanction(
        &self,
        v: &Viewer,
        student: Uuid,
        incident: Option<Uuid>,
        form: &SanctionForm,
    ) -> Result<Uuid> {
        self.may_decide(v)?;
        let pupil = self.reach(v, student).await?;
        let draft = form.validate(self.today())?;
        let incident = self.incident_of(v, incident, student).await?;
        let (id, now) = (kernel::new_id(), self.now());
        let mut tx = self.db.begin().await?;
        store::insert_sanction(
            &mut tx,
            v.school,
            (id, pupil.row(), incident),
            &draft,
            (v.user, now),
        )
        .await?;
        let entry = JournalEntry {
            actor: v.user,
            action: "sanction_decided",
            record: id,
            student: Some(student),
            detail: draft.kind.code(),
        };
        store::journal_write(&mut tx, v.school, now, entry).await?;
        let payload = serde_json::json!({
            "sanction_id": id,
            "student_id": student,
            "kind": draft.kind.code(),
            "decided_by": v.user.0,
        });
        publish(&mut tx, v, now, "discipline.sanction_decided", payload).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The staff's list: the whole school's records for the office and the direction, a teacher's own
    /// incidents and punishments.
    pub async fn staff_list(&self, v: &Viewer, f: &ListFilter) -> Result<StaffList> {
        if !model::may_punish(v.profile) {
            return Err(Error::NotFound);
        }
        let classes = self.reachable_classes(v).await?;
        if f.class.is_some_and(|c| !classes.iter().any(|(id, _)| *id == c)) {
            return Err(Error::NotFound);
        }
        let whole = model::sees_whole_school(v.profile);
        let mine = (!whole).then_some(v.user.0);
        let (mut incidents, mut punishments, mut sanctions) = (vec![], vec![], vec![]);
        let wants = |w: fn(&What) -> bool| f.what == What::All || w(&f.what);
        if f.status.is_none() && wants(|w| matches!(w, What::Incidents(_))) {
            let type_id = match f.what {
                What::Incidents(t) => t,
                _ => None,
            };
            let q = IncidentQuery {
                class: f.class,
                type_id,
                limit: SHOWN,
                ..Default::default()
            };
            incidents = self.with_people(v, self.incidents(v, q).await?).await?;
        }
        if wants(|w| matches!(w, What::Punishments(_))) {
            let q = RecordQuery {
                class: f.class,
                by: mine,
                kind: match f.what {
                    What::Punishments(k) => k.map(PunishmentKind::code),
                    _ => None,
                },
                status: f.status,
                limit: SHOWN,
                ..Default::default()
            };
            punishments = store::punishments(&self.db, v.school, &q).await?;
        }
        if whole && f.status.is_none() && wants(|w| matches!(w, What::Sanctions(_))) {
            let q = RecordQuery {
                class: f.class,
                kind: match f.what {
                    What::Sanctions(k) => k.map(SanctionKind::code),
                    _ => None,
                },
                limit: SHOWN,
                ..Default::default()
            };
            sanctions = store::sanctions(&self.db, v.school, &q).await?;
        }
        Ok(StaffList {
            incidents,
            punishments,
            sanctions,
            classes,
            types: store::incident_types(&self.db, v.school).await?,
            whole_school: whole,
            may_sanction: model::may_decide_sanction(v.profile),
            may_configure: model::may_decide_sanction(v.profile),
        })
    }

    pub(crate) async fn with_people(
        &self,
        v: &Viewer,
        incidents: Vec<Incident>,
    ) -> Result<Vec<(Incident, Vec<Involved>)>> {
        let ids: Vec<Uuid> = incidents.iter().map(|i| i.id).collect();
        let people = store::people_of(&self.db, v.school, &ids).await?;
        Ok(incidents
            .into_iter()
            .map(|i| {
                let of = people.iter().filter(|p| p.incident_id == i.id).cloned().collect();
                (i, of)
            })
            .collect())
    }

    /// A student's record, for the office, the direction and the student's teachers (who see the
    /// incidents they reported, and every punishment and sanction).
    pub async fn student_record(&self, v: &Viewer, student: Uuid) -> Result<StudentRecord> {
        let pupil = self.reach(v, student).await?;
        let q = IncidentQuery {
            student: Some(student),
            limit: SHOWN,
            ..Default::default()
        };
        let incidents = self.with_people(v, self.incidents(v, q).await?).await?;
        let of_student = RecordQuery {
            student: Some(student),
            limit: SHOWN,
            ..Default::default()
        };
        let punishments = store::punishments(&self.db, v.school, &of_student).await?;
        let sanctions = store::sanctions(&self.db, v.school, &of_student).await?;
        let start = self.today().school_year_start().to_string();
        let this_year = Counts {
            incidents: incidents.iter().filter(|(i, _)| i.day >= start).count(),
            punishments: punishments.iter().filter(|p| p.day >= start).count(),
            sanctions: sanctions.iter().filter(|s| s.decided_day >= start).count(),
        };
        Ok(StudentRecord {
            pupil,
            incidents,
            punishments,
            sanctions,
            this_year,
            may_sanction: model::may_decide_sanction(v.profile),
        })
    }
}

async fn publish(
    tx: &mut db::Tx,
    v: &Viewer,
    now: Timestamp,
    topic: &'static str,
    payload: serde_json::Value,
) -> Result<()> {
    let event = bus::Event {
        topic,
        school: Some(v.school),
        payload,
    };
    bus::publish(tx, now, event).await?;
    Ok(())
}
