//! Who hears of an event: the school-life topics are read here one by one (an absence → the student's
//! legal guardians; marks published → the students and their guardians…); every other topic follows
//! the contract of `recipients` and `audience` (see the crate documentation). People are reached once
//! per event however many children lead to them: a parent of twins in one class gets one item naming
//! both.

use std::collections::{BTreeMap, BTreeSet};

use bus::Pending;
use db::{Db, Result};
use kernel::{Profile, SchoolId};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::model::{self, Kind};
use crate::store;

/// One person to tell of one event.
#[derive(Debug, Clone)]
pub struct Draft {
    pub event: Uuid,
    pub user: Uuid,
    pub school: Option<Uuid>,
    pub topic: String,
    pub kind: Kind,
    pub group: String,
    /// What the item names, children apart.
    pub params: Map<String, Value>,
    /// The first names of the children through whom the person is concerned (empty for the student
    /// themself or a person named directly).
    pub children: Vec<String>,
    pub link: String,
}

/// People reached, each with the children who lead to them.
#[derive(Default)]
struct Reach(BTreeMap<Uuid, BTreeSet<Uuid>>);

impl Reach {
    fn person(&mut self, user: Uuid) {
        self.0.entry(user).or_default();
    }

    fn through(&mut self, user: Uuid, child: Uuid) {
        self.0.entry(user).or_default().insert(child);
    }
}

/// What a topic decided: who, with what words, linking where, and who acted (never told).
struct Plan {
    reach: Reach,
    params: Map<String, Value>,
    link: String,
    actor: Option<Uuid>,
}

fn uuid_at(payload: &Value, key: &str) -> Option<Uuid> {
    payload.get(key)?.as_str()?.parse().ok()
}

fn uuids_at(payload: &Value, key: &str) -> Vec<Uuid> {
    payload
        .get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str()?.parse().ok()).collect())
        .unwrap_or_default()
}

fn params(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// Students, and their legal guardians through them.
async fn families(db: &Db, students: &[Uuid], with_students: bool) -> Result<Reach> {
    let mut reach = Reach::default();
    if with_students {
        for s in students {
            reach.person(*s);
        }
    }
    for (guardian, student) in store::legal_guardians(db, students).await? {
        reach.through(guardian, student);
    }
    Ok(reach)
}

async fn subject_label(db: &Db, payload: &Value) -> Result<Value> {
    let Some(code) = payload.get("subject").and_then(Value::as_str) else {
        return Ok(Value::Null);
    };
    Ok(json!(
        directory::store::subject_label(db, code)
            .await?
            .unwrap_or_else(|| code.to_string())
    ))
}

/// The people a delivered message reached (its `recipients`), its sender apart.
pub fn of_message(payload: &Value) -> Vec<Uuid> {
    let actor = uuid_at(payload, "actor");
    uuids_at(payload, "recipients")
        .into_iter()
        .filter(|u| Some(*u) != actor)
        .collect()
}

/// The people an event concerns, one draft each.
pub async fn resolve(db: &Db, event: &Pending) -> Result<Vec<Draft>> {
    let payload = event.payload();
    let Some(plan) = plan(db, event, &payload).await? else {
        return Ok(vec![]);
    };
    let mut people: BTreeSet<Uuid> = plan.reach.0.keys().copied().collect();
    people.extend(plan.reach.0.values().flatten().copied());
    let active: BTreeMap<Uuid, String> = store::active_people(db, &people.into_iter().collect::<Vec<_>>())
        .await?
        .into_iter()
        .collect();
    let kind = Kind::of_topic(&event.topic);
    let group = model::group_key(&event.topic, event.id, &payload);
    Ok(plan
        .reach
        .0
        .into_iter()
        .filter(|(user, _)| active.contains_key(user) && Some(*user) != plan.actor)
        .map(|(user, children)| Draft {
            event: event.id,
            user,
            school: event.school,
            topic: event.topic.clone(),
            kind,
            group: group.clone(),
            params: plan.params.clone(),
            children: children.iter().filter_map(|c| active.get(c).cloned()).collect(),
            link: plan.link.clone(),
        })
        .collect())
}

async fn plan(db: &Db, event: &Pending, p: &Value) -> Result<Option<Plan>> {
    let get = |k: &str| p.get(k).cloned().unwrap_or(Value::Null);
    let school = event.school.map(SchoolId);
    let plan = match event.topic.as_str() {
        "attendance.recorded" => Plan {
            reach: families(db, &uuids_of(p, "student"), false).await?,
            // From the roll call: a day and hours; from the office: a span of days.
            params: if p.get("day").is_some() {
                params(&[
                    ("kind", get("kind")),
                    ("day", get("day")),
                    ("from", get("from")),
                    ("to", get("to")),
                    ("subject", get("subject")),
                ])
            } else {
                params(&[("kind", get("kind")), ("day", get("from")), ("until", get("to"))])
            },
            link: "/absences".into(),
            actor: None,
        },
        "attendance.decided" => Plan {
            reach: families(db, &uuids_of(p, "student"), false).await?,
            params: params(&[("status", get("status"))]),
            link: "/absences".into(),
            actor: None,
        },
        // Families telling the office: the office's dashboard shows them.
        "attendance.announced" | "attendance.justification_sent" => return Ok(None),
        "discipline.punishment_given" => {
            if p.get("shown_to_family").and_then(Value::as_bool) == Some(false) {
                return Ok(None);
            }
            Plan {
                reach: families(db, &uuids_of(p, "student_id"), true).await?,
                params: params(&[("kind", get("kind"))]),
                link: "/discipline".into(),
                actor: uuid_at(p, "given_by"),
            }
        }
        "discipline.sanction_decided" => Plan {
            reach: families(db, &uuids_of(p, "student_id"), true).await?,
            params: params(&[("kind", get("kind"))]),
            link: "/discipline".into(),
            actor: uuid_at(p, "decided_by"),
        },
        "grades.published" => Plan {
            reach: families(db, &uuids_at(p, "students"), true).await?,
            params: params(&[("subject", subject_label(db, p).await?), ("title", get("title"))]),
            link: "/notes".into(),
            actor: uuid_at(p, "teacher"),
        },
        "grades.report_card_published" => Plan {
            reach: families(db, &uuids_of(p, "student"), true).await?,
            params: Map::new(),
            link: "/bulletins".into(),
            actor: None,
        },
        "homework.assigned" => {
            let (Some(school), Some(class)) = (school, uuid_at(p, "class")) else {
                return Ok(None);
            };
            let students = store::students_of_classes(db, school, &[class]).await?;
            Plan {
                reach: families(db, &students, true).await?,
                params: params(&[
                    ("subject", subject_label(db, p).await?),
                    ("due_day", get("due_day")),
                ]),
                link: "/devoirs".into(),
                actor: uuid_at(p, "teacher"),
            }
        }
        "homework.corrected" => Plan {
            reach: families(db, &uuids_of(p, "student"), true)
                .await?
                .only_students(p),
            params: Map::new(),
            link: "/devoirs".into(),
            actor: uuid_at(p, "teacher"),
        },
        "timetable.lesson_changed" | "timetable.lesson_added" => {
            let (Some(school), Some(class)) = (school, uuid_at(p, "class")) else {
                return Ok(None);
            };
            let students = store::students_of_classes(db, school, &[class]).await?;
            Plan {
                reach: families(db, &students, true).await?,
                params: params(&[("day", get("day")), ("cancelled", get("cancelled"))]),
                link: "/edt".into(),
                actor: uuid_at(p, "by"),
            }
        }
        _ => contract(db, event, p).await?,
    };
    Ok(Some(plan))
}

impl Reach {
    /// Keeps the student of the payload only (a correction is the student's business).
    fn only_students(mut self, p: &Value) -> Reach {
        let student = uuid_at(p, "student");
        self.0.retain(|u, _| Some(*u) == student);
        self
    }
}

/// One id or a list under `key`.
fn uuids_of(p: &Value, key: &str) -> Vec<Uuid> {
    match uuid_at(p, key) {
        Some(id) => vec![id],
        None => uuids_at(p, key),
    }
}

/// The contract every other topic follows: explicit `recipients`, and/or an `audience` of profiles in
/// a school, possibly narrowed to classes; `title`, `body`, `link`, `actor`.
async fn contract(db: &Db, event: &Pending, p: &Value) -> Result<Plan> {
    let mut reach = Reach::default();
    for user in uuids_at(p, "recipients") {
        reach.person(user);
    }
    if let Some(audience) = p.get("audience") {
        let school = uuid_at(audience, "school").or(event.school).map(SchoolId);
        let profiles: Vec<&str> = audience
            .get("profiles")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .filter(|c| c.parse::<Profile>().is_ok())
                    .collect()
            })
            .unwrap_or_default();
        let classes = uuids_at(audience, "classes");
        if let Some(school) = school {
            if classes.is_empty() {
                for user in store::members(db, school, &profiles).await? {
                    reach.person(user);
                }
            } else {
                let has = |p: Profile| profiles.contains(&p.code());
                let students = store::students_of_classes(db, school, &classes).await?;
                let family = families(db, &students, has(Profile::Student)).await?;
                for (user, children) in family.0 {
                    if children.is_empty() || has(Profile::Guardian) {
                        for child in &children {
                            reach.through(user, *child);
                        }
                        reach.person(user);
                    }
                }
                if has(Profile::Teacher) {
                    for t in store::teachers_of_classes(db, school, &classes).await? {
                        reach.person(t);
                    }
                }
                // Staff are the school's, whatever the classes.
                let staff: Vec<&str> = profiles
                    .iter()
                    .copied()
                    .filter(|c| {
                        ![Profile::Student, Profile::Guardian, Profile::Teacher]
                            .iter()
                            .any(|p| p.code() == *c)
                    })
                    .collect();
                for user in store::members(db, school, &staff).await? {
                    reach.person(user);
                }
            }
        }
    }
    let text = |k: &str, max: usize| {
        p.get(k)
            .and_then(Value::as_str)
            .map(|t| json!(model::short(t, max)))
            .unwrap_or(Value::Null)
    };
    let default_link = match Kind::of_topic(&event.topic) {
        Kind::Messaging => "/messagerie",
        Kind::News => "/actualites",
        Kind::Agenda => "/agenda",
        _ => "/notifications",
    };
    Ok(Plan {
        reach,
        params: params(&[
            ("headline", text("title", 140)),
            ("text", text("body", 300)),
            ("sender", text("sender", 80)),
            ("subject", text("subject", 140)),
        ]),
        link: p
            .get("link")
            .and_then(Value::as_str)
            .map_or_else(|| default_link.to_string(), model::safe_link),
        actor: uuid_at(p, "actor"),
    })
}
