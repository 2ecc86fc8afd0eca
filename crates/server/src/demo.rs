//! The demo region and the `gen` command: generate a region, then give the demo accounts their password.

use directory::generator::{self, Params, Report};

use crate::{App, Error};

pub const DEMO_PASSWORD: &str = "ardoise-demo";

/// The fixed demo accounts and what each one shows.
pub const DEMO_ACCOUNTS: [(&str, &str); 6] = [
    ("demo.eleve", "élève de 3e"),
    (
        "demo.parent",
        "parent de demo.eleve et de son frère ou sa sœur au lycée",
    ),
    (
        "demo.prof",
        "enseignant de la classe de demo.eleve, parent d'un lycéen",
    ),
    ("demo.cpe", "CPE (vie scolaire)"),
    ("demo.direction", "principal du collège"),
    ("demo.admin", "administrateur de la région"),
];

/// The demo region: three schools (two collèges and a lycée) of one area.
pub fn demo_params() -> Params {
    Params {
        seed: 2026,
        schools: 3,
        students: 1_200,
        demo_accounts: true,
    }
}

/// Generates the region of `params`, then sets passwords: the demo accounts', and everyone's if asked.
pub async fn generate(app: &App, params: &Params, password_for_all: Option<&str>) -> Result<Report, Error> {
    let report = generator::generate(&app.db, params).await?;
    homework::seed_demo(&app.db, app.identity.now()).await?;
    grades::seed_demo(&app.db, app.identity.now()).await?;
    grades::reportcards::seed_demo(&app.db, app.identity.now()).await?;
    attendance::discipline::seed_demo(&app.db, app.identity.now()).await?;
    attendance::seed_demo(&app.db, app.identity.now()).await?;
    notifications::seed_demo(&app.db, app.identity.now()).await?;
    news::seed_demo(&app.db, app.identity.now()).await?;
    agenda::seed_demo(&app.db, app.identity.now()).await?;
    messaging::seed_demo(&app.db, app.identity.now()).await?;
    // Every teaching gets its weekly lessons, for the school year of today.
    let today = timetable::service::civil_day(app.identity.now());
    let year = timetable::calendar::Calendar::national("B", timetable::calendar::Calendar::year_of(today));
    let lessons = timetable::generator::generate(&app.db, &year).await?;
    tracing::info!(lessons, "timetables generated");
    if params.demo_accounts {
        let directory = directory::Directory::new(app.db.clone());
        for (login, _) in DEMO_ACCOUNTS {
            if let Some(person) = directory.person_by_login(login).await? {
                app.identity.set_password(person.user_id(), DEMO_PASSWORD).await?;
            }
        }
    }
    if let Some(password) = password_for_all {
        app.identity.set_password_for_all(password).await?;
    }
    Ok(report)
}

/// Generates the demo region unless the database already holds one; true when it generated.
pub async fn ensure_demo(app: &App) -> Result<bool, Error> {
    if generator::region_exists(&app.db).await? {
        return Ok(false);
    }
    generate(app, &demo_params(), None).await?;
    Ok(true)
}

/// Generates a region as AAF files in `out`: through a scratch SQLite database, then the directory export.
pub async fn generate_aaf(params: &Params, out: &std::path::Path) -> Result<(), Error> {
    let work = std::env::temp_dir().join(format!("ardoise-gen-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&work)?;
    let outcome = async {
        let db = db::Db::connect(&format!("sqlite://{}", work.join("gen.db").display()), 4).await?;
        db.migrate().await?;
        let report = generator::generate(&db, params).await?;
        println!("{report}");
        let date = import::aaf::Date::new(2026, 9, 1).ok_or_else(|| Error::Config("date".into()))?;
        let options = import::aaf::ExportOptions::new("Ardoise", date);
        let exported = import::aaf::export_directory(&db, out, &options)
            .await
            .map_err(|e| Error::Config(e.to_string()))?;
        println!("{exported}");
        db.close().await;
        Ok(())
    }
    .await;
    let _ = std::fs::remove_dir_all(&work);
    outcome
}
