//! Demo notifications: demo.parent finds a few items in their feed (a mark, an absence, a cancelled
//! lesson, a school news item already read).

use db::{Db, Result};
use kernel::{Timestamp, UserId};
use serde_json::json;

use crate::model::Kind;
use crate::store::{self, Item};

pub async fn seed_demo(db: &Db, now: Timestamp) -> Result<()> {
    let Some(parent) = directory::store::person_by_login(db, "demo.parent").await? else {
        return Ok(());
    };
    let children = directory::store::children_of(db, UserId(parent.id)).await?;
    let Some(first) = children.first() else {
        return Ok(());
    };
    let names: Vec<&str> = children.iter().map(|c| c.first_name.as_str()).collect();
    let day = kernel::school_time::school_day_and_minute(now).0.to_string();
    let school = Some(first.school_id);
    let minutes = |m: i64| now.0 - m * 60_000;
    let items = [
        (
            "news.published",
            json!({ "headline": "Réunion parents-professeurs le 15 septembre", "text": "Les rendez-vous se prennent auprès du secrétariat." }),
            "/notifications",
            minutes(3 * 24 * 60),
            true,
        ),
        (
            "timetable.lesson_changed",
            json!({ "children": names, "day": day, "cancelled": true }),
            "/edt",
            minutes(180),
            false,
        ),
        (
            "attendance.recorded",
            json!({ "children": [first.first_name], "kind": "absence", "day": day, "from": "08:00", "to": "09:00", "subject": "Histoire-géographie" }),
            "/absences",
            minutes(90),
            false,
        ),
        (
            "grades.published",
            json!({ "children": [first.first_name], "subject": "Mathématiques", "title": "Contrôle : fractions" }),
            "/notes",
            minutes(30),
            false,
        ),
    ];
    let rows: Vec<Item> = items
        .into_iter()
        .map(|(topic, params, link, at, read)| Item {
            id: kernel::new_id(),
            user_id: parent.id,
            school,
            kind: Kind::of_topic(topic).code().to_string(),
            topic: topic.to_string(),
            group_key: format!("demo:{topic}"),
            params: params.to_string(),
            link: link.to_string(),
            events: 1,
            created_at: at,
            updated_at: at,
            read_at: read.then_some(at),
        })
        .collect();
    let mut tx = db.begin().await?;
    store::insert_items(&mut tx, &rows).await?;
    tx.commit().await
}
