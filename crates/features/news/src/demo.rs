//! Demo content: the collège's pinned welcome item, a class item for demo.eleve's class (students and
//! parents) and a region-wide item from the regional administrator, so every demo account reads news.

use db::Db;
use directory::store as dir;
use kernel::{Context, Profile, Timestamp, UserId};
use uuid::Uuid;

use crate::store::{self, NewNews, NewsRow};

struct Seed<'a> {
    title: &'a str,
    body: &'a str,
    author: &'a directory::model::Person,
    signature: String,
    owner: Option<Uuid>,
    region: Option<Uuid>,
    audience: [bool; 4],
    pinned: bool,
}

fn row(s: &Seed<'_>, at: Timestamp) -> NewsRow {
    NewsRow {
        id: kernel::new_id(),
        owner_school_id: s.owner,
        region_id: s.region,
        author_id: s.author.id,
        author_name: format!("{} {}", s.author.first_name, s.author.last_name),
        signature: s.signature.clone(),
        title: s.title.to_string(),
        body: s.body.to_string(),
        to_students: s.audience[0],
        to_guardians: s.audience[1],
        to_teachers: s.audience[2],
        to_staff: s.audience[3],
        publish_from: at.0,
        publish_until: None,
        pinned: s.pinned,
        status: store::PUBLISHED.to_string(),
        illustration_key: None,
        illustration_type: None,
        illustration_alt: None,
        created_at: at.0,
        published_at: Some(at.0),
    }
}

pub async fn seed_demo(db: &Db, now: Timestamp) -> db::Result<()> {
    let (Some(student), Some(direction), Some(admin)) = (
        dir::person_by_login(db, "demo.eleve").await?,
        dir::person_by_login(db, "demo.direction").await?,
        dir::person_by_login(db, "demo.admin").await?,
    ) else {
        return Ok(());
    };
    let Some(school) = dir::contexts_of(db, UserId(student.id))
        .await?
        .into_iter()
        .find_map(|(c, _)| match c {
            Context::School {
                school,
                profile: Profile::Student,
            } => Some(school),
            _ => None,
        })
    else {
        return Ok(());
    };
    let school_name = dir::school(db, school).await?.map(|s| s.name).unwrap_or_default();
    let class = dir::classes_of_student(db, school, UserId(student.id))
        .await?
        .into_iter()
        .find(|c| c.kind == "classe");
    let region = store::school_authority(db, school.0).await?.map(|a| a.2);
    let mut tx = db.begin().await?;
    let welcome = Seed {
        title: "Bienvenue sur l'ENT du collège",
        body: "<p>Retrouvez ici les actualités du collège : réunions, sorties, menus et informations de la vie scolaire.</p>",
        author: &direction,
        signature: school_name.clone(),
        owner: Some(school.0),
        region: None,
        audience: [true, true, true, true],
        pinned: true,
    };
    let welcome = row(&welcome, now.plus_secs(-5 * 86_400));
    store::insert(
        &mut tx,
        NewNews {
            row: &welcome,
            schools: &[school.0],
            classes: &[],
        },
    )
    .await?;
    if let Some(class) = class {
        let trip = Seed {
            title: &format!("Sortie au musée pour la {}", class.name),
            body: "<p>La classe visitera le musée des Beaux-Arts jeudi prochain. Départ à 8 h 30 devant le collège, retour vers 16 h. Prévoir un pique-nique.</p>",
            author: &direction,
            signature: school_name,
            owner: Some(school.0),
            region: None,
            audience: [true, true, false, false],
            pinned: false,
        };
        let trip = row(&trip, now.plus_secs(-86_400));
        store::insert(
            &mut tx,
            NewNews {
                row: &trip,
                schools: &[school.0],
                classes: &[class.id],
            },
        )
        .await?;
    }
    if let Some(region) = region {
        let schools: Vec<Uuid> = store::region_schools(db, region)
            .await?
            .into_iter()
            .map(|s| s.0)
            .collect();
        let name = store::region_name(db, region).await?.unwrap_or_default();
        let news = Seed {
            title: "Ouverture des inscriptions au concours régional de lecture",
            body: "<p>Les élèves de la région peuvent participer au concours de lecture jusqu'au 15 novembre. Renseignez-vous auprès du CDI.</p>",
            author: &admin,
            signature: name,
            owner: None,
            region: Some(region),
            audience: [true, true, true, true],
            pinned: false,
        };
        let news = row(&news, now.plus_secs(-2 * 86_400));
        store::insert(
            &mut tx,
            NewNews {
                row: &news,
                schools: &schools,
                classes: &[],
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
