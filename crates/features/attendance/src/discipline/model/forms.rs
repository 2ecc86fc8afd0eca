//! The forms of discipline as typed, and their validation into drafts: the legal limits of sanctions
//! (R511-13), what a retenue needs, an incident that has happened.

use uuid::Uuid;

use super::{Day, FieldError, MAX_EXCLUSION_DAYS, MAX_RESPONSIBILITY_HOURS, MAX_SHORT, MAX_TEXT};
use super::{PunishmentKind, SanctionKind, Sursis, parse_time};

fn required(value: &str, field: &'static str, max: usize) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, "dis-problem-required"));
    }
    optional(value, field, max)
}

fn optional(value: &str, field: &'static str, max: usize) -> Result<String, FieldError> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(FieldError::new(field, "dis-problem-too-long").arg("max", max));
    }
    Ok(value.to_string())
}

fn day(value: &str, field: &'static str) -> Result<Day, FieldError> {
    if value.trim().is_empty() {
        return Err(FieldError::new(field, "dis-problem-required"));
    }
    Day::parse(value).ok_or(FieldError::new(field, "dis-problem-bad-day"))
}

fn not_future(d: Day, today: Day, field: &'static str) -> Result<Day, FieldError> {
    if d > today {
        return Err(FieldError::new(field, "dis-problem-future"));
    }
    Ok(d)
}

fn time(value: &str, field: &'static str) -> Result<i32, FieldError> {
    if value.trim().is_empty() {
        return Err(FieldError::new(field, "dis-problem-required"));
    }
    parse_time(value).ok_or(FieldError::new(field, "dis-problem-bad-time"))
}

fn whole(value: &str, field: &'static str) -> Result<i32, FieldError> {
    if value.trim().is_empty() {
        return Err(FieldError::new(field, "dis-problem-required"));
    }
    value
        .trim()
        .parse()
        .map_err(|_| FieldError::new(field, "dis-problem-bad-number"))
}

/// An incident as its form is typed.
#[derive(Debug, Clone, Default)]
pub struct IncidentForm {
    pub day: String,
    pub time: String,
    pub place: String,
    pub type_id: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IncidentDraft {
    pub day: Day,
    pub minute: i32,
    pub place: String,
    pub type_id: Uuid,
    pub description: String,
}

impl IncidentForm {
    /// An incident has happened: its day is today at the latest.
    pub fn validate(&self, today: Day) -> Result<IncidentDraft, FieldError> {
        Ok(IncidentDraft {
            day: not_future(day(&self.day, "dis-field-day")?, today, "dis-field-day")?,
            minute: time(&self.time, "dis-field-time")?,
            place: required(&self.place, "dis-field-place", MAX_SHORT)?,
            type_id: self
                .type_id
                .trim()
                .parse()
                .map_err(|_| FieldError::new("dis-field-type", "dis-problem-required"))?,
            description: required(&self.description, "dis-field-description", MAX_TEXT)?,
        })
    }
}

/// An adult involved in an incident, named in words.
pub fn adult_name(name: &str) -> Result<String, FieldError> {
    required(name, "dis-field-adult", MAX_SHORT)
}

/// A punishment as its form is typed.
#[derive(Debug, Clone, Default)]
pub struct PunishmentForm {
    pub kind: String,
    pub reason: String,
    pub work: String,
    pub detention_day: String,
    pub detention_time: String,
    pub detention_place: String,
}

/// When and where a retenue takes place.
#[derive(Debug, Clone, PartialEq)]
pub struct Detention {
    pub day: Day,
    pub minute: i32,
    pub place: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PunishmentDraft {
    pub kind: PunishmentKind,
    pub reason: String,
    pub work: String,
    pub detention: Option<Detention>,
}

impl PunishmentForm {
    pub fn validate(&self) -> Result<PunishmentDraft, FieldError> {
        let kind = PunishmentKind::parse(&self.kind)
            .ok_or(FieldError::new("dis-field-punishment", "dis-problem-required"))?;
        let reason = required(&self.reason, "dis-field-reason", MAX_TEXT)?;
        let work = optional(&self.work, "dis-field-work", MAX_TEXT)?;
        let detention = if kind == PunishmentKind::Detention {
            Some(Detention {
                day: day(&self.detention_day, "dis-field-detention-day")?,
                minute: time(&self.detention_time, "dis-field-detention-time")?,
                place: required(&self.detention_place, "dis-field-detention-place", MAX_SHORT)?,
            })
        } else {
            None
        };
        Ok(PunishmentDraft {
            kind,
            reason,
            work,
            detention,
        })
    }
}

/// A sanction as its form is typed.
#[derive(Debug, Clone, Default)]
pub struct SanctionForm {
    pub kind: String,
    pub reason: String,
    pub decided_day: String,
    pub council_day: String,
    pub start_day: String,
    pub days: String,
    pub hours: String,
    pub sursis: String,
    pub sursis_days: String,
}

/// The days a temporary exclusion runs: `days` school days from `start` to `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exclusion {
    pub start: Day,
    pub days: i32,
    pub end: Day,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SanctionDraft {
    pub kind: SanctionKind,
    pub reason: String,
    pub decided_day: Day,
    pub council_day: Option<Day>,
    /// Temporary exclusions; an exclusion définitive may carry its start day alone.
    pub start_day: Option<Day>,
    pub exclusion: Option<Exclusion>,
    pub hours: Option<i32>,
    pub sursis: Sursis,
    pub sursis_days: Option<i32>,
}

impl SanctionForm {
    /// The legal limits: temporary exclusions of 8 days at most, responsabilisation of 20 hours at most,
    /// the exclusion définitive only by a conseil de discipline, no sursis for avertissement and blâme.
    pub fn validate(&self, today: Day) -> Result<SanctionDraft, FieldError> {
        let kind = SanctionKind::parse(&self.kind)
            .ok_or(FieldError::new("dis-field-sanction", "dis-problem-required"))?;
        let reason = required(&self.reason, "dis-field-reason", MAX_TEXT)?;
        let decided_day = not_future(
            day(&self.decided_day, "dis-field-decided-day")?,
            today,
            "dis-field-decided-day",
        )?;
        let council_day = match self.council_day.trim() {
            "" if kind == SanctionKind::Expulsion => {
                return Err(FieldError::new(
                    "dis-field-council-day",
                    "dis-problem-council-only",
                ));
            }
            "" => None,
            s => Some(not_future(
                day(s, "dis-field-council-day")?,
                today,
                "dis-field-council-day",
            )?),
        };
        let mut draft = SanctionDraft {
            kind,
            reason,
            decided_day,
            council_day,
            start_day: None,
            exclusion: None,
            hours: None,
            sursis: Sursis::parse(&self.sursis).unwrap_or(Sursis::No),
            sursis_days: None,
        };
        if kind.is_temporary_exclusion() {
            let start = day(&self.start_day, "dis-field-start-day")?;
            let days = whole(&self.days, "dis-field-days")?;
            if days < 1 {
                return Err(FieldError::new("dis-field-days", "dis-problem-at-least-one"));
            }
            if days > MAX_EXCLUSION_DAYS {
                return Err(
                    FieldError::new("dis-field-days", "dis-problem-max-days").arg("max", MAX_EXCLUSION_DAYS)
                );
            }
            draft.start_day = Some(start);
            draft.exclusion = Some(Exclusion {
                start,
                days,
                end: start.after_school_days(days),
            });
        } else if kind == SanctionKind::Expulsion && !self.start_day.trim().is_empty() {
            draft.start_day = Some(day(&self.start_day, "dis-field-start-day")?);
        }
        if kind == SanctionKind::Responsibility {
            let hours = whole(&self.hours, "dis-field-hours")?;
            if !(1..=MAX_RESPONSIBILITY_HOURS).contains(&hours) {
                return Err(FieldError::new("dis-field-hours", "dis-problem-max-hours")
                    .arg("max", MAX_RESPONSIBILITY_HOURS));
            }
            draft.hours = Some(hours);
        }
        draft.sursis_days = self.check_sursis(&draft)?;
        Ok(draft)
    }

    fn check_sursis(&self, d: &SanctionDraft) -> Result<Option<i32>, FieldError> {
        match d.sursis {
            Sursis::No => Ok(None),
            _ if !d.kind.may_be_suspended() => {
                Err(FieldError::new("dis-field-sursis", "dis-problem-no-sursis"))
            }
            Sursis::Total => Ok(None),
            Sursis::Partial => {
                let Some(ex) = d.exclusion else {
                    return Err(FieldError::new(
                        "dis-field-sursis",
                        "dis-problem-partial-exclusions",
                    ));
                };
                let n = whole(&self.sursis_days, "dis-field-sursis-days")?;
                if n < 1 || n >= ex.days {
                    return Err(
                        FieldError::new("dis-field-sursis-days", "dis-problem-sursis-days")
                            .arg("days", ex.days),
                    );
                }
                Ok(Some(n))
            }
        }
    }
}
