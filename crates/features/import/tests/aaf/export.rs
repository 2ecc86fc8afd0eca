//! A generated region exported as AAF, read back record by record, and imported into an empty directory.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use db::Db;
use db::sea_query::{Alias, Expr, ExprTrait, Query};
use directory::generator::{self, Params};
use import::aaf::{
    self, Charset, Date, ExportError, ExportOptions, ExportReport, FileType, Reader, Record, Relative, Staff,
    Structure, Student, Unmappable, WriteError, export_directory,
};
use uuid::Uuid;

const STAFF_PROFILES: [&str; 6] = ["ENS", "DIR", "EVS", "DOC", "ETA", "COL"];

struct Region {
    _dir: tempfile::TempDir,
    db: Db,
    generated: generator::Report,
}

async fn region() -> Region {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&format!("sqlite://{}/t.db", dir.path().display()), 2)
        .await
        .unwrap();
    db.migrate().await.unwrap();
    let params = Params {
        seed: 7,
        schools: 3,
        students: 600,
        demo_accounts: false,
    };
    let generated = generator::generate(&db, &params).await.unwrap();
    Region {
        _dir: dir,
        db,
        generated,
    }
}

fn options(charset: Charset) -> ExportOptions {
    let mut options = ExportOptions::new("GRAND-EST", Date::new(2026, 9, 1).unwrap());
    options.charset = charset;
    options.max_records_per_chunk = 250;
    options.page_size = 300;
    options
}

async fn count_people(db: &Db, profiles: &[&str]) -> u64 {
    let q = Query::select()
        .expr(Expr::cust("COUNT(DISTINCT user_id)"))
        .from(Alias::new("memberships"))
        .and_where(Expr::col(Alias::new("profile")).is_in(profiles.iter().copied()))
        .to_owned();
    db.fetch_one::<(i64,)>(&q).await.unwrap().0 as u64
}

async fn count(db: &Db, table: &str) -> i64 {
    let q = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from(Alias::new(table))
        .to_owned();
    db.fetch_one::<(i64,)>(&q).await.unwrap().0
}

/// Everything an export holds, each record parsed with no error.
#[derive(Default)]
struct Exported {
    structures: HashMap<String, Structure>,
    subjects: HashSet<String>,
    mefs: HashSet<String>,
    students: Vec<Student>,
    relatives: Vec<Relative>,
    staff: Vec<Staff>,
    /// Records per chunk, per file type, in chunk order.
    chunks: HashMap<FileType, Vec<usize>>,
}

fn read_export(files: &[PathBuf]) -> Exported {
    let mut out = Exported::default();
    let mut files = files.to_vec();
    files.sort_by_key(|f| aaf::classify(f.to_str().unwrap()).map(|k| k.order()));
    for file in &files {
        let kind = aaf::classify(file.to_str().unwrap()).unwrap();
        let mut records = 0;
        for op in Reader::open(file).unwrap() {
            let op = op.unwrap_or_else(|e| panic!("{e}"));
            let record = Record::from_add(kind.file_type, &op).unwrap_or_else(|e| panic!("{e}"));
            records += 1;
            match record {
                Record::Structure(s) => drop(out.structures.insert(s.jointure.clone(), s)),
                Record::Subject(s) => drop(out.subjects.insert(s.jointure)),
                Record::Mef(m) => drop(out.mefs.insert(m.jointure)),
                Record::Student(s) => out.students.push(s),
                Record::Relative(r) => out.relatives.push(r),
                Record::Staff(s) => out.staff.push(s),
            }
        }
        out.chunks.entry(kind.file_type).or_default().push(records);
    }
    out
}

fn has_class(structures: &HashMap<String, Structure>, structure: &str, code: &str, group: bool) -> bool {
    structures.get(structure).is_some_and(|s| {
        let list = if group { &s.groups } else { &s.classes };
        list.iter().any(|c| c.code == code)
    })
}

#[tokio::test]
async fn a_generated_region_exports_whole_and_every_link_resolves() {
    let region = region().await;
    let out = tempfile::tempdir().unwrap();
    let report = export_directory(&region.db, out.path(), &options(Charset::Utf8))
        .await
        .unwrap();
    let g = &region.generated;
    let db = &region.db;

    // Counts: the report, the database and the generator agree.
    assert_eq!(report.schools, g.schools);
    assert_eq!(report.students, count_people(db, &["ELV"]).await);
    assert_eq!(report.students, g.students);
    assert_eq!(report.relatives, count_people(db, &["TUT"]).await);
    assert_eq!(report.relatives, g.guardians);
    assert_eq!(report.staff, count_people(db, &STAFF_PROFILES).await);
    assert_eq!(report.staff, g.teachers + g.other_staff);
    assert_eq!(report.subjects as i64, count(db, "subjects").await);
    assert_eq!(report.mefs as i64, count(db, "mefs").await);
    assert_eq!((report.not_exported, report.notes_total), (0, 0));

    let x = read_export(&report.files);
    for file_type in FileType::ALL {
        let chunks = &x.chunks[&file_type];
        let total: usize = chunks.iter().sum();
        assert_eq!(total as u64, report.records(file_type), "{file_type}");
        // Chunks split at 250: every one full but the last.
        assert_eq!(chunks.len(), total.div_ceil(250).max(1), "{file_type}");
        assert!(
            chunks[..chunks.len() - 1].iter().all(|n| *n == 250),
            "{file_type}: {chunks:?}"
        );
    }
    assert!(x.chunks[&FileType::Eleve].len() >= 3);

    // Students point at existing schools, classes, groups, MEFs and relatives.
    let relatives: HashSet<&str> = x.relatives.iter().map(|r| r.jointure.as_str()).collect();
    let mut relationships = BTreeSet::new();
    for s in &x.students {
        assert!(x.structures.contains_key(&s.structure), "{}", s.jointure);
        assert!(!s.classes.is_empty(), "{} has no class", s.jointure);
        for c in &s.classes {
            assert!(has_class(&x.structures, &c.structure, &c.code, false), "{c:?}");
        }
        for c in &s.groups {
            assert!(has_class(&x.structures, &c.structure, &c.code, true), "{c:?}");
        }
        assert!(s.mef.as_ref().is_some_and(|m| x.mefs.contains(m)), "{:?}", s.mef);
        assert!(s.identity.birth_date.is_some());
        assert!(
            s.relatives.iter().any(|r| r.is_legal_representative()),
            "{}",
            s.jointure
        );
        for link in &s.relatives {
            assert!(relatives.contains(link.relative.as_str()), "{link:?}");
            assert!(link.is_legal_representative() || link.is_person_in_charge());
            relationships.insert((link.relationship.clone(), link.legal.clone()));
        }
    }
    assert!(relationships.contains(&("20".to_string(), "1".to_string())));
    assert!(relationships.contains(&("10".to_string(), "1".to_string())));
    assert!(relationships.contains(&("50".to_string(), "2".to_string())));

    // Staff: structures, classes, subjects exist; profiles derived from the file are the stored ones.
    for s in &x.staff {
        for a in s.class_subjects.iter().chain(&s.group_subjects) {
            assert!(x.subjects.contains(&a.subject), "{a:?}");
        }
        for a in &s.class_subjects {
            assert!(
                has_class(&x.structures, &a.structure, &a.class_or_group, false),
                "{a:?}"
            );
        }
        for a in &s.group_subjects {
            assert!(
                has_class(&x.structures, &a.structure, &a.class_or_group, true),
                "{a:?}"
            );
        }
        for m in &s.head_teacher_of {
            assert!(has_class(&x.structures, &m.structure, &m.code, false), "{m:?}");
        }
    }
    let q = Query::select()
        .column((Alias::new("memberships"), Alias::new("user_id")))
        .column((Alias::new("schools"), Alias::new("uai")))
        .column((Alias::new("memberships"), Alias::new("profile")))
        .from(Alias::new("memberships"))
        .inner_join(
            Alias::new("schools"),
            Expr::col((Alias::new("schools"), Alias::new("id")))
                .equals((Alias::new("memberships"), Alias::new("school_id"))),
        )
        .and_where(Expr::col(Alias::new("profile")).is_in(STAFF_PROFILES))
        .to_owned();
    let mut stored: HashMap<String, BTreeSet<(String, String)>> = HashMap::new();
    for (user, uai, profile) in db.fetch_all::<(Uuid, String, String)>(&q).await.unwrap() {
        // Generated schools and people have no AAF join key: the UAI and the id stand in.
        stored.entry(user.to_string()).or_default().insert((uai, profile));
    }
    for s in &x.staff {
        let derived: BTreeSet<(String, String)> = s
            .profiles()
            .into_iter()
            .map(|p| (p.structure, p.profile.profile().unwrap().code().to_string()))
            .collect();
        assert_eq!(Some(&derived), stored.get(&s.jointure), "{}", s.jointure);
    }
    assert!(
        x.staff
            .iter()
            .any(|s| s.teaches == Some(true) && !s.head_teacher_of.is_empty())
    );
}

#[tokio::test]
async fn latin9_export_round_trips_accents() {
    let region = region().await;
    let (utf8, latin9) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = export_directory(&region.db, utf8.path(), &options(Charset::Utf8))
        .await
        .unwrap();
    let b = export_directory(&region.db, latin9.path(), &options(Charset::Latin9))
        .await
        .unwrap();
    let names = |report: &ExportReport| -> BTreeSet<(String, String, String)> {
        let x = read_export(&report.files);
        let people = x.students.iter().map(|s| (&s.jointure, &s.identity));
        let people = people.chain(x.relatives.iter().map(|r| (&r.jointure, &r.identity)));
        let people = people.chain(x.staff.iter().map(|s| (&s.jointure, &s.identity)));
        let mut out: BTreeSet<_> = people
            .map(|(j, i)| (j.clone(), i.first_name.clone(), i.last_name.clone()))
            .collect();
        out.extend(
            x.structures
                .values()
                .map(|s| (s.jointure.clone(), s.name.clone(), String::new())),
        );
        out
    };
    let (from_utf8, from_latin9) = (names(&a), names(&b));
    assert!(
        from_latin9
            .iter()
            .any(|(_, first, last)| !first.is_ascii() || !last.is_ascii()),
        "the generated names should carry accents"
    );
    assert_eq!(from_latin9, from_utf8);
    let first = std::fs::read(&b.files[0]).unwrap();
    assert!(first.starts_with(b"<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>"));
}

/// Renames a person, as an import or an administrator could.
async fn rename(db: &Db, first_name: &str) -> String {
    let q = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new("users"))
        .limit(1)
        .to_owned();
    let (id,) = db.fetch_one::<(Uuid,)>(&q).await.unwrap();
    let q = Query::update()
        .table(Alias::new("users"))
        .value(Alias::new("first_name"), first_name)
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    db.execute(&q).await.unwrap();
    id.to_string()
}

#[tokio::test]
async fn characters_outside_latin9_become_references_or_stop_the_export_as_asked() {
    let region = region().await;
    let id = rename(&region.db, "Łukasz").await;

    let out = tempfile::tempdir().unwrap();
    let report = export_directory(&region.db, out.path(), &options(Charset::Latin9))
        .await
        .unwrap();
    let x = read_export(&report.files);
    let people = x.students.iter().map(|s| (&s.jointure, &s.identity));
    let people = people.chain(x.relatives.iter().map(|r| (&r.jointure, &r.identity)));
    let mut people = people.chain(x.staff.iter().map(|s| (&s.jointure, &s.identity)));
    assert!(people.any(|(j, i)| *j == id && i.first_name == "Łukasz"));

    let refused = tempfile::tempdir().unwrap();
    let mut strict = options(Charset::Latin9);
    strict.unmappable = Unmappable::Refuse;
    let err = export_directory(&region.db, refused.path(), &strict)
        .await
        .unwrap_err();
    let ExportError::Write(WriteError::Unmappable {
        identifier,
        character,
        ..
    }) = &err
    else {
        panic!("unmappable expected, got {err:?}");
    };
    assert_eq!((identifier.as_str(), *character), (id.as_str(), 'Ł'));
    assert!(err.to_string().contains("attribut givenName"), "{err}");
    // A failed complete export leaves nothing that an importer could take for a whole one.
    assert_eq!(std::fs::read_dir(refused.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn the_importer_takes_the_export_into_an_empty_directory() {
    let region = region().await;
    let out = tempfile::tempdir().unwrap();
    let exported = export_directory(&region.db, out.path(), &options(Charset::Latin9))
        .await
        .unwrap();

    let target_dir = tempfile::tempdir().unwrap();
    let target = Db::connect(&format!("sqlite://{}/t.db", target_dir.path().display()), 2)
        .await
        .unwrap();
    target.migrate().await.unwrap();
    let options = import::apply::Options {
        now: kernel::Timestamp(1_788_220_800_000),
        grace_days: 30,
    };
    let imported = import::apply::import_aaf(&target, &[out.path().to_path_buf()], &options)
        .await
        .unwrap();
    assert!(imported.applied);
    assert_eq!(imported.rejected, vec![]);
    assert_eq!(imported.structures.created, exported.schools);
    assert_eq!(imported.students.created, exported.students);
    assert_eq!(imported.relatives.created, exported.relatives);
    assert_eq!(imported.staff.created, exported.staff);
    for table in [
        "schools",
        "users",
        "classes",
        "class_students",
        "guardianships",
        "teachings",
        "head_teachers",
    ] {
        assert_eq!(
            count(&target, table).await,
            count(&region.db, table).await,
            "{table}"
        );
    }
    assert_eq!(
        count_people(&target, &STAFF_PROFILES).await,
        count_people(&region.db, &STAFF_PROFILES).await
    );
}

#[tokio::test]
async fn deactivated_accounts_and_links_to_them_are_left_out() {
    let region = region().await;
    let q = Query::select()
        .column(Alias::new("guardian_id"))
        .from(Alias::new("guardianships"))
        .limit(1)
        .to_owned();
    let (guardian,) = region.db.fetch_one::<(Uuid,)>(&q).await.unwrap();
    let q = Query::update()
        .table(Alias::new("users"))
        .value(Alias::new("deactivated_at"), 1_i64)
        .and_where(Expr::col(Alias::new("id")).eq(guardian))
        .to_owned();
    region.db.execute(&q).await.unwrap();

    let out = tempfile::tempdir().unwrap();
    let report = export_directory(&region.db, out.path(), &options(Charset::Utf8))
        .await
        .unwrap();
    assert_eq!(report.relatives, region.generated.guardians - 1);
    let x = read_export(&report.files);
    let gone = guardian.to_string();
    assert!(x.relatives.iter().all(|r| r.jointure != gone));
    assert!(
        x.students
            .iter()
            .flat_map(|s| &s.relatives)
            .all(|l| l.relative != gone)
    );
}

#[tokio::test]
async fn exporting_twice_into_one_folder_is_refused() {
    let region = region().await;
    let out = tempfile::tempdir().unwrap();
    export_directory(&region.db, out.path(), &options(Charset::Utf8))
        .await
        .unwrap();
    let before: Vec<_> = std::fs::read_dir(out.path()).unwrap().collect();
    let err = export_directory(&region.db, out.path(), &options(Charset::Utf8))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("existe déjà"), "{err}");
    // The first export is untouched.
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), before.len());
}
