//! Demo content: demo.parent finds a welcome message from the school-life office and a message from
//! demo.prof to the parents of demo.eleve's class, so the inbox is not empty on first sign-in.

use std::sync::Arc;

use db::Db;
use directory::store as dir;
use kernel::{Context, ManualClock, Profile, SchoolId, Timestamp, UserId};

use crate::model::Group;
use crate::send::{Draft, Target};
use crate::service::{Messaging, NoDevices, Viewer};

async fn viewer(db: &Db, login: &str, profile: Profile) -> db::Result<Option<(Viewer, SchoolId)>> {
    let Some(p) = dir::person_by_login(db, login).await? else {
        return Ok(None);
    };
    let school = dir::contexts_of(db, UserId(p.id))
        .await?
        .into_iter()
        .find_map(|(c, _)| match c {
            Context::School { school, profile: q } if q == profile => Some(school),
            _ => None,
        });
    Ok(school.map(|school| {
        (
            Viewer {
                user: UserId(p.id),
                context: Context::School { school, profile },
                device: None,
                second_factor: false,
            },
            school,
        )
    }))
}

pub async fn seed_demo(db: &Db, now: Timestamp) -> db::Result<()> {
    let (Some((cpe, _)), Some((prof, school)), Some(parent), Some(student)) = (
        viewer(db, "demo.cpe", Profile::SchoolLife).await?,
        viewer(db, "demo.prof", Profile::Teacher).await?,
        dir::person_by_login(db, "demo.parent").await?,
        dir::person_by_login(db, "demo.eleve").await?,
    ) else {
        return Ok(());
    };
    let Some(class) = dir::classes_of_student(db, school, UserId(student.id))
        .await?
        .into_iter()
        .find(|c| c.kind == "classe")
    else {
        return Ok(());
    };
    // Nothing is written to the blob store: the demo messages carry no attachment.
    let blobs = blob::Blobs::new(std::env::temp_dir().join("ardoise-demo-unused"), 0);
    let m = Messaging::new(
        db.clone(),
        Arc::new(ManualClock::new(now)),
        blobs,
        Arc::new(NoDevices),
    );
    let sends = [
        (
            &cpe,
            Draft {
                subject: "Bienvenue sur Ardoise".into(),
                body: web::rich_text::from_plain(
                    "Bonjour,\n\nvous pouvez justifier les absences de vos enfants en ligne, dans « Absences ».\n\nLa vie scolaire",
                ),
                to: vec![Target::Person(parent.id)],
                ..Draft::default()
            },
        ),
        (
            &prof,
            Draft {
                subject: "Rencontres parents-professeurs".into(),
                body: web::rich_text::from_plain(
                    "Bonjour,\n\nles rencontres auront lieu jeudi à partir de 17 h. Répondez-moi pour choisir un créneau.",
                ),
                to: vec![Target::Group(Group::ClassParents(class.id))],
                read_tracking: true,
                ..Draft::default()
            },
        ),
    ];
    for (who, draft) in sends {
        if let Err(refused) = m.send(who, draft).await {
            tracing::warn!(error = %refused.message.render(web::Lang::Fr), "demo message not sent");
        }
    }
    Ok(())
}
