//! AAF import into the directory: create, re-import unchanged, missing then deactivated, reappearing,
//! bad records skipped, unreadable files refused whole.

use std::path::{Path, PathBuf};

use import::apply::{Options, Report};
use sea_query::{Alias, Expr, ExprTrait, Query};
use testkit::TestApp;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../features/import/tests/fixtures")
}

/// A folder with the six files of the complete fixture export.
fn complete_export() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name.contains("_Complet_") {
            std::fs::copy(&path, dir.path().join(name)).unwrap();
        }
    }
    dir
}

async fn run(t: &TestApp, paths: &[PathBuf], grace_days: i64) -> Report {
    let options = Options {
        now: kernel::Clock::now(&t.clock),
        grace_days,
    };
    t.app.import_aaf(paths, &options).await.unwrap()
}

async fn count(t: &TestApp, table: &str) -> i64 {
    let q = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from(Alias::new(table))
        .to_owned();
    t.db().fetch_one::<(i64,)>(&q).await.unwrap().0
}

async fn active_people(t: &TestApp) -> i64 {
    let q = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from(Alias::new("users"))
        .and_where(Expr::col(Alias::new("deactivated_at")).is_null())
        .to_owned();
    t.db().fetch_one::<(i64,)>(&q).await.unwrap().0
}

/// Removes the addRequest of `jointure` from the Eleve file of `dir`.
fn drop_student(dir: &Path, jointure: &str) {
    let path = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_str().unwrap().contains("_Eleve_"))
        .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let text: String = bytes.iter().map(|b| *b as char).collect(); // Latin-9 bytes kept one for one
    let marker = format!("<identifier><id>{jointure}</id></identifier>");
    let at = text.find(&marker).unwrap();
    let start = text[..at].rfind("<addRequest>").unwrap();
    let end = at + text[at..].find("</addRequest>").unwrap() + "</addRequest>".len();
    let kept: Vec<u8> = text[..start]
        .chars()
        .chain(text[end..].chars())
        .map(|c| c as u8)
        .collect();
    std::fs::write(path, kept).unwrap();
}

#[tokio::test]
async fn a_complete_import_creates_the_directory_and_a_second_run_changes_nothing() {
    let t = TestApp::spawn().await;
    let export = complete_export();
    let report = run(&t, &[export.path().to_path_buf()], 30).await;
    assert!(report.applied, "{report}");
    assert!(report.rejected.is_empty(), "{report}");
    assert_eq!(report.structures.created, 2);
    assert_eq!(report.students.created, 3);
    assert_eq!(report.relatives.created, 3);
    assert_eq!(report.staff.created, 4);
    assert!(report.subjects.created >= 3 && report.mefs.created >= 2);
    let people = count(&t, "users").await;
    assert_eq!(people, 10);
    assert!(
        count(&t, "guardianships").await >= 3,
        "family links come from the students' records"
    );
    assert!(count(&t, "class_students").await >= 3);
    assert!(count(&t, "teachings").await >= 1);
    // Accented names from the Latin-9 file arrive intact.
    let q = Query::select()
        .column(Alias::new("first_name"))
        .from(Alias::new("users"))
        .and_where(Expr::col(Alias::new("jointure")).eq("2000001"))
        .to_owned();
    assert_eq!(t.db().fetch_one::<(String,)>(&q).await.unwrap().0, "Zoé");

    t.clock.advance_secs(86_400);
    let again = run(&t, &[export.path().to_path_buf()], 30).await;
    assert_eq!(
        (
            again.students.created,
            again.students.updated,
            again.students.unchanged
        ),
        (0, 0, 3),
        "{again}"
    );
    assert_eq!((again.staff.created, again.staff.updated), (0, 0));
    assert_eq!((again.moved, again.missing, again.deactivated), (0, 0, 0));
    assert_eq!(count(&t, "users").await, people);
    assert!(count(&t, "import_runs").await == 2, "each run's report is kept");
    t.stop().await;
}

#[tokio::test]
async fn people_missing_from_a_complete_import_wait_for_the_grace_period_and_can_come_back() {
    let t = TestApp::spawn().await;
    let export = complete_export();
    run(&t, &[export.path().to_path_buf()], 30).await;
    let smaller = complete_export();
    drop_student(smaller.path(), "2000002");

    t.clock.advance_secs(86_400);
    let report = run(&t, &[smaller.path().to_path_buf()], 30).await;
    assert_eq!((report.missing, report.deactivated), (1, 0), "{report}");
    assert_eq!(active_people(&t).await, 10, "nobody is deactivated at once");

    t.clock.advance_secs(31 * 86_400);
    let report = run(&t, &[smaller.path().to_path_buf()], 30).await;
    assert_eq!(report.deactivated, 1, "{report}");
    assert_eq!(active_people(&t).await, 9);
    assert_eq!(count(&t, "users").await, 10, "deactivated, never deleted");

    t.clock.advance_secs(86_400);
    let report = run(&t, &[export.path().to_path_buf()], 30).await;
    assert_eq!((report.reactivated, report.missing), (1, 0), "{report}");
    assert_eq!(active_people(&t).await, 10);
    t.stop().await;
}

#[tokio::test]
async fn bad_records_are_skipped_with_their_place_and_unreadable_files_apply_nothing() {
    let t = TestApp::spawn().await;
    let export = complete_export();
    std::fs::copy(
        fixtures().join("broken_date_Eleve_0000.xml"),
        export
            .path()
            .join("ENT_Grand-Est_Complet_20260901_Eleve_0001.xml"),
    )
    .unwrap();
    let report = run(&t, &[export.path().to_path_buf()], 30).await;
    assert!(report.applied);
    assert_eq!(
        report.rejected.len(),
        2,
        "the file holds two bad records: {report}"
    );
    let r = &report.rejected[0];
    assert!(
        r.file.ends_with("_Eleve_0001.xml") && r.line == 10 && r.reason.contains("31/02/2010"),
        "{r:?}"
    );
    assert_eq!(r.record.as_deref(), Some("2000030"));
    assert_eq!(
        report.students.created, 3,
        "the good records of the import still apply"
    );
    assert!(
        report.to_string().contains("ligne"),
        "the printed report names the line"
    );
    assert!(report.to_json().contains("\"rejected\""));

    let fresh = TestApp::spawn().await;
    let export = complete_export();
    std::fs::copy(
        fixtures().join("broken_truncated_PersEducNat_0000.xml"),
        export
            .path()
            .join("ENT_Grand-Est_Complet_20260901_PersEducNat_0001.xml"),
    )
    .unwrap();
    let report = run(&fresh, &[export.path().to_path_buf()], 30).await;
    assert!(!report.applied, "{report}");
    assert!(report.to_string().contains("NON appliqué"));
    assert_eq!(
        count(&fresh, "users").await,
        0,
        "nothing of the import was written"
    );
    assert_eq!(count(&fresh, "schools").await, 0);
    for app in [t, fresh] {
        app.stop().await;
    }
}

#[tokio::test]
async fn region_administrators_read_the_import_reports() {
    let t = TestApp::spawn_demo().await;
    let export = complete_export();
    std::fs::copy(
        fixtures().join("broken_date_Eleve_0000.xml"),
        export
            .path()
            .join("ENT_Grand-Est_Complet_20260901_Eleve_0001.xml"),
    )
    .unwrap();
    run(&t, &[export.path().to_path_buf()], 30).await;
    let admin = t.signed_in("demo.admin").await;
    let (_, home) = admin.get_html("/").await;
    assert!(
        home.contains(r#"href="/region/imports""#),
        "region administrators have the tile"
    );
    let (status, html) = admin.get_html("/region/imports").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("7 fichier(s)") && html.contains("Enregistrements rejetés (2)"),
        "{html}"
    );
    assert!(html.contains("31/02/2010"));
    let direction = t.signed_in("demo.direction").await;
    assert_eq!(direction.get("/region/imports").await.status(), 403);
    t.stop().await;
}

#[tokio::test]
async fn a_delta_moves_deactivates_adds_and_refuses_a_bad_modification_whole() {
    let t = TestApp::spawn().await;
    let export = complete_export();
    run(&t, &[export.path().to_path_buf()], 30).await;
    let class_of = |jointure: &'static str| {
        let q = Query::select()
            .column((Alias::new("classes"), Alias::new("code")))
            .from(Alias::new("class_students"))
            .inner_join(
                Alias::new("classes"),
                Expr::col((Alias::new("classes"), Alias::new("id")))
                    .equals((Alias::new("class_students"), Alias::new("class_id"))),
            )
            .inner_join(
                Alias::new("users"),
                Expr::col((Alias::new("users"), Alias::new("id")))
                    .equals((Alias::new("class_students"), Alias::new("student_id"))),
            )
            .and_where(Expr::col((Alias::new("users"), Alias::new("jointure"))).eq(jointure))
            .to_owned();
        let db = t.db().clone();
        async move {
            db.fetch_all::<(String,)>(&q)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.0)
                .collect::<Vec<_>>()
        }
    };
    let birth_of_2000002 = || {
        let q = Query::select()
            .column(Alias::new("birth_date"))
            .from(Alias::new("users"))
            .and_where(Expr::col(Alias::new("jointure")).eq("2000002"))
            .to_owned();
        let db = t.db().clone();
        async move { db.fetch_one::<(Option<String>,)>(&q).await.unwrap().0 }
    };
    assert_eq!(
        class_of("2000001").await.len(),
        2,
        "6A and a group before the delta"
    );
    let birth_before = birth_of_2000002().await;

    t.clock.advance_secs(14 * 86_400);
    let delta = fixtures().join("ENT_Grand-Est_Delta_20260915_Eleve_0000.xml");
    let report = run(&t, &[delta], 30).await;
    assert!(report.applied, "{report}");
    assert_eq!(
        class_of("2000001").await,
        vec!["6B".to_string()],
        "moved to 6B and out of the group: {report}"
    );
    assert_eq!(report.moved, 1);
    assert_eq!(report.deactivated, 1, "the deleteRequest deactivates");
    assert_eq!(report.students.created, 1, "the addRequest creates");
    assert_eq!(report.rejected.len(), 1, "{report}");
    assert!(report.rejected[0].reason.contains("30/02/2012"));
    assert_eq!(
        birth_of_2000002().await,
        birth_before,
        "a refused modification changes nothing of the person"
    );
    assert_eq!(active_people(&t).await, 10, "one deactivated, one added");
    t.stop().await;
}

async fn demo_school_uai(t: &TestApp) -> String {
    let q = Query::select()
        .column(Alias::new("uai"))
        .from(Alias::new("schools"))
        .to_owned();
    t.db().fetch_all::<(String,)>(&q).await.unwrap()[0].0.clone()
}

#[tokio::test]
async fn a_school_outside_the_aaf_imports_its_csv_files() {
    use import::csv::CsvKind;
    let t = TestApp::spawn_demo().await;
    let uai = demo_school_uai(&t).await;
    let dir = tempfile::tempdir().unwrap();
    let students = dir.path().join("eleves.csv");
    std::fs::write(
        &students,
        "\u{feff}id;nom;prénom;naissance;classe;groupes\n501;Schaller;Léna;12/05/2013;4Z;LATIN-4\n502;Roth;Hugo;31/02/2013;4Z;\n503;Roth;Lisa;01/03/2011;3Z;\n",
    )
    .unwrap();
    let options = Options {
        now: kernel::Clock::now(&t.clock),
        grace_days: 0,
    };
    let report = t
        .app
        .import_csv(&uai, CsvKind::Students, &students, &options)
        .await
        .unwrap();
    assert!(report.applied, "{report}");
    assert_eq!(report.students.created, 2);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(
        (report.rejected[0].line, report.rejected[0].record.as_deref()),
        (3, Some("502"))
    );

    // Guardians in Windows-1252, as a spreadsheet saves them.
    let guardians = dir.path().join("responsables.csv");
    let text = "id;nom;prenom;courriel;eleves;lien;legal\nR1;Roth;Hélène;helene.roth@example.fr;503;MERE;O\nR2;Schaller;Marc;;501,999;PERE;O\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    std::fs::write(&guardians, bytes).unwrap();
    let report = t
        .app
        .import_csv(&uai, CsvKind::Guardians, &guardians, &options)
        .await
        .unwrap();
    assert_eq!(report.relatives.created, 2, "{report}");
    assert_eq!(report.rejected.len(), 1, "student 999 is unknown: {report}");
    let q = Query::select()
        .column(Alias::new("first_name"))
        .from(Alias::new("users"))
        .and_where(Expr::col(Alias::new("email")).eq("helene.roth@example.fr"))
        .to_owned();
    assert_eq!(t.db().fetch_one::<(String,)>(&q).await.unwrap().0, "Hélène");

    let staff = dir.path().join("personnels.csv");
    std::fs::write(&staff, "id;nom;prenom;courriel;profil;enseignements;principal\nP1;Weber;Anne;a.weber@example.fr;ENS;4Z:020700,3Z:020700;4Z\n").unwrap();
    let report = t
        .app
        .import_csv(&uai, CsvKind::Staff, &staff, &options)
        .await
        .unwrap();
    assert_eq!((report.staff.created, report.rejected.len()), (1, 0), "{report}");

    let teacher = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new("users"))
        .and_where(Expr::col(Alias::new("email")).eq("a.weber@example.fr"))
        .to_owned();
    let (teacher,): (uuid::Uuid,) = t.db().fetch_one(&teacher).await.unwrap();
    let taught = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from(Alias::new("teachings"))
        .and_where(Expr::col(Alias::new("teacher_id")).eq(teacher))
        .to_owned();
    assert_eq!(
        t.db().fetch_one::<(i64,)>(&taught).await.unwrap().0,
        2,
        "she teaches 4Z and 3Z"
    );
    let heads = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from(Alias::new("head_teachers"))
        .and_where(Expr::col(Alias::new("teacher_id")).eq(teacher))
        .to_owned();
    assert_eq!(
        t.db().fetch_one::<(i64,)>(&heads).await.unwrap().0,
        1,
        "head teacher of 4Z"
    );
    let again = t
        .app
        .import_csv(&uai, CsvKind::Students, &students, &options)
        .await
        .unwrap();
    assert_eq!(
        (again.students.created, again.students.unchanged),
        (0, 2),
        "{again}"
    );

    let bad = dir.path().join("mauvais.csv");
    std::fs::write(&bad, "id;nom;prenom\n1;A;B\n").unwrap();
    let report = t
        .app
        .import_csv(&uai, CsvKind::Students, &bad, &options)
        .await
        .unwrap();
    assert!(!report.applied);
    assert!(
        report.rejected[0].reason.contains("naissance, classe, groupes"),
        "{report}"
    );
    let report = t
        .app
        .import_csv("0000000A", CsvKind::Students, &students, &options)
        .await
        .unwrap();
    assert!(!report.applied && report.rejected[0].reason.contains("0000000A"));
    t.stop().await;
}

/// An export of one collège with `students` students, written like the académie's files.
fn big_export(students: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let uai = kernel::Uai::from_number(671_234).unwrap();
    let head = r#"<?xml version="1.0" encoding="UTF-8"?><ficAlimMENESR>"#;
    let school = format!(
        r#"{head}<addRequest><operationalAttributes><attr name="categorieStructure"><value>EtabEducNat</value></attr></operationalAttributes><identifier><id>9001</id></identifier><attributes><attr name="ENTStructureJointure"><value>9001</value></attr><attr name="ENTStructureUAI"><value>{uai}</value></attr><attr name="ENTStructureNomCourant"><value>COLLEGE$DU$TEST</value></attr><attr name="ENTStructureTypeStruct"><value>CLG</value></attr><attr name="ENTServAcAcademie"><value>STRASBOURG</value></attr></attributes></addRequest></ficAlimMENESR>"#
    );
    std::fs::write(
        dir.path().join("ENT_T_Complet_20260901_EtabEducNat_0000.xml"),
        school,
    )
    .unwrap();
    let mut eleves = String::from(head);
    for i in 0..students {
        eleves.push_str(&format!(
            r#"<addRequest><operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes><identifier><id>E{i}</id></identifier><attributes><attr name="ENTPersonJointure"><value>E{i}</value></attr><attr name="sn"><value>NOM{i}</value></attr><attr name="givenName"><value>Prénom</value></attr><attr name="ENTPersonDateNaissance"><value>01/01/2013</value></attr><attr name="ENTPersonStructRattach"><value>9001</value></attr><attr name="ENTEleveClasses"><value>9001$5{}</value></attr></attributes></addRequest>"#,
            i % 12
        ));
    }
    eleves.push_str("</ficAlimMENESR>");
    std::fs::write(dir.path().join("ENT_T_Complet_20260901_Eleve_0000.xml"), eleves).unwrap();
    dir
}

#[tokio::test]
async fn an_import_killed_halfway_leaves_the_directory_as_it_was_and_a_rerun_completes() {
    let t = TestApp::spawn().await;
    let export = big_export(40_000);
    let command = || {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_ardoise"));
        c.args(["import", "aaf"])
            .arg(export.path())
            .arg("--data")
            .arg(&t.settings.data_dir);
        c.env("ARDOISE_DATABASE_URL", t.settings.database_url())
            .env("ARDOISE_LOG", "warn");
        c.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        c
    };
    let mut child = command().spawn().unwrap();
    // Kill it once it is writing: the first students appear in its transaction, not in ours.
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let still_running = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        still_running,
        "the import finished before being killed: make the export bigger"
    );
    assert_eq!(
        count(&t, "users").await,
        0,
        "nothing of a killed import is visible"
    );
    assert_eq!(count(&t, "schools").await, 0);

    let status = command().status().unwrap();
    assert!(status.success());
    assert_eq!(count(&t, "users").await, 40_000);
    assert_eq!(count(&t, "import_runs").await, 1);
    t.stop().await;
}

#[tokio::test]
async fn the_year_rollover_archives_classes_read_only_then_the_new_year_is_imported() {
    let t = TestApp::spawn_demo().await;
    let classes = count(&t, "classes").await;
    let people = count(&t, "users").await;
    let done = t.app.roll_over("2025-2026").await.unwrap();
    assert_eq!(done.classes as i64, classes);
    assert_eq!(
        count(&t, "classes").await,
        0,
        "the new year starts without classes"
    );
    assert_eq!(count(&t, "class_students").await, 0);
    assert_eq!(count(&t, "archived_classes").await, classes);
    assert_eq!(count(&t, "users").await, people, "people and accounts stay");
    let err = t.app.roll_over("2025-2026").await.unwrap_err();
    assert!(err.to_string().contains("déjà archivée"));
    assert!(
        t.app
            .roll_over("2025")
            .await
            .unwrap_err()
            .to_string()
            .contains("AAAA-AAAA")
    );

    let cpe = t.signed_in("demo.cpe").await;
    let (status, html) = cpe.get_html("/annuaire/archives").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("2025-2026") && html.contains("3A"),
        "last year's classes are listed"
    );
    let prof = t.signed_in("demo.prof").await;
    assert_eq!(prof.get("/annuaire/archives").await.status(), 403);

    let export = complete_export();
    let report = run(&t, &[export.path().to_path_buf()], 30).await;
    assert!(report.applied && report.rejected.is_empty(), "{report}");
    assert!(
        count(&t, "classes").await > 0,
        "the new year's classes come from the import"
    );
    t.stop().await;
}
