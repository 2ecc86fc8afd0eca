//! What a student and their family see of the student's record, by the school's rules, and the
//! direction's settings (those rules, the incident types) and journal.

use directory::model::Person;
use directory::store as dir;
use kernel::{Profile, UserId};
use uuid::Uuid;

use super::model::{self, FamilyRules, FieldError};
use super::service::{Discipline, Error, Result, Viewer};
use super::store::{
    self, IncidentQuery, IncidentType, JournalEntry, JournalRow, PunishmentRow, RecordQuery, SanctionRow,
};

/// An incident as a family sees it: the fact, never who else was there nor the staff's account.
#[derive(Debug, Clone)]
pub struct FamilyIncident {
    pub day: String,
    pub minute: i32,
    pub place: String,
    pub type_label: String,
}

/// One student's record as their family may see it.
pub struct FamilyRecord {
    pub rules: FamilyRules,
    pub sanctions: Vec<SanctionRow>,
    pub punishments: Vec<PunishmentRow>,
    pub incidents: Vec<FamilyIncident>,
}

/// `/discipline` for a student or a guardian (who picks one of their children).
pub struct FamilyView {
    pub children: Vec<Person>,
    pub child: Option<Uuid>,
    pub record: Option<FamilyRecord>,
}

pub struct SettingsView {
    pub rules: FamilyRules,
    pub types: Vec<IncidentType>,
}

const SHOWN: u64 = 200;

impl Discipline {
    pub async fn family_view(&self, v: &Viewer, asked: Option<Uuid>) -> Result<FamilyView> {
        let (children, child) = match v.profile {
            Profile::Student => (vec![], Some(v.user.0)),
            Profile::Guardian => {
                let children = dir::children_in_school(&self.db, v.school, v.user).await?;
                let child = match asked {
                    Some(id) if children.iter().any(|c| c.id == id) => Some(id),
                    Some(_) => return Err(Error::NotFound),
                    None => children.first().map(|c| c.id),
                };
                (children, child)
            }
            _ => return Err(Error::NotFound),
        };
        let record = match child {
            Some(c) => Some(self.family_record(v, c).await?),
            None => None,
        };
        Ok(FamilyView {
            children,
            child,
            record,
        })
    }

    /// The caller checked the viewer is the student or one of their guardians.
    async fn family_record(&self, v: &Viewer, student: Uuid) -> Result<FamilyRecord> {
        let rules = store::family_rules(&self.db, v.school).await?;
        let of_student = RecordQuery {
            student: Some(student),
            limit: SHOWN,
            ..Default::default()
        };
        let sanctions = store::sanctions(&self.db, v.school, &of_student).await?;
        let punishments = if rules.show_punishments {
            store::punishments(&self.db, v.school, &of_student).await?
        } else {
            vec![]
        };
        let incidents = if rules.show_incidents {
            let q = IncidentQuery {
                student: Some(student),
                authors_only: true,
                limit: SHOWN,
                ..Default::default()
            };
            store::incidents(&self.db, v.school, &q)
                .await?
                .into_iter()
                .map(|i| FamilyIncident {
                    day: i.day,
                    minute: i.minute,
                    place: i.place,
                    type_label: i.type_label,
                })
                .collect()
        } else {
            vec![]
        };
        Ok(FamilyRecord {
            rules,
            sanctions,
            punishments,
            incidents,
        })
    }

    fn direction_only(&self, v: &Viewer) -> Result<()> {
        self.may_decide(v)
    }

    pub async fn settings(&self, v: &Viewer) -> Result<SettingsView> {
        self.direction_only(v)?;
        Ok(SettingsView {
            rules: store::family_rules(&self.db, v.school).await?,
            types: store::incident_types(&self.db, v.school).await?,
        })
    }

    pub async fn save_rules(&self, v: &Viewer, rules: FamilyRules) -> Result<()> {
        self.direction_only(v)?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::save_family_rules(&mut tx, v.school, rules, v.user, now).await?;
        let detail = format!(
            "punitions={} incidents={}",
            rules.show_punishments, rules.show_incidents
        );
        let entry = JournalEntry {
            actor: v.user,
            action: "settings_changed",
            record: v.school.0,
            student: None,
            detail: &detail,
        };
        store::journal_write(&mut tx, v.school, now, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_type(&self, v: &Viewer, label: &str) -> Result<()> {
        self.direction_only(v)?;
        let label = label.trim();
        if label.is_empty() {
            return Err(FieldError::new("dis-field-new-type", "dis-problem-required").into());
        }
        if label.chars().count() > model::MAX_SHORT {
            return Err(FieldError::new("dis-field-new-type", "dis-problem-too-long")
                .arg("max", model::MAX_SHORT)
                .into());
        }
        let types = store::incident_types(&self.db, v.school).await?;
        if types
            .iter()
            .any(|t| t.label.to_lowercase() == label.to_lowercase())
        {
            return Err(FieldError::new("dis-field-new-type", "dis-problem-type-exists").into());
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::add_incident_type(&mut tx, v.school, label).await?;
        let entry = JournalEntry {
            actor: v.user,
            action: "type_added",
            record: v.school.0,
            student: None,
            detail: label,
        };
        store::journal_write(&mut tx, v.school, now, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Offers a type again, or stops offering it (incidents already recorded keep it).
    pub async fn set_type_active(&self, v: &Viewer, id: Uuid, active: bool) -> Result<()> {
        self.direction_only(v)?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        if store::set_incident_type_active(&mut tx, v.school, id, active).await? == 0 {
            return Err(Error::NotFound);
        }
        let entry = JournalEntry {
            actor: v.user,
            action: "type_changed",
            record: id,
            student: None,
            detail: if active { "proposé" } else { "retiré" },
        };
        store::journal_write(&mut tx, v.school, now, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn journal(&self, v: &Viewer) -> Result<Vec<JournalRow>> {
        self.direction_only(v)?;
        Ok(store::journal(&self.db, v.school, SHOWN).await?)
    }

    /// The name of a person, for a page's heading.
    pub async fn person(&self, id: Uuid) -> Result<Person> {
        dir::person(&self.db, UserId(id)).await?.ok_or(Error::NotFound)
    }
}
