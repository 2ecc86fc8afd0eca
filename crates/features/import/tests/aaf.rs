//! The AAF parser against hand-written fixtures of each file type, broken files, and a generated 50 MB file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // helpers of tests fail loudly on purpose

// One test binary; the broken-file and streaming tests live beside it.
#[path = "aaf/broken.rs"]
mod broken;
#[cfg(feature = "directory")]
#[path = "aaf/export.rs"]
mod export;
#[path = "aaf/streaming.rs"]
mod streaming;
#[path = "aaf/writer.rs"]
mod writer;

use std::io::Cursor;
use std::path::PathBuf;

use import::aaf::{
    self, Action, FileType, Mode, NationalProfile, Operation, ParseError, Problem, Reader, Record, Staff,
    Structure, Student,
};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Everything the reader yields for a fixture, in order.
fn read(name: &str) -> Vec<Result<Operation, ParseError>> {
    Reader::open(fixture(name)).unwrap().collect()
}

/// The typed records of a fixture that must be free of errors.
fn records(name: &str) -> Vec<Record> {
    let file_type = aaf::classify(name).unwrap().file_type;
    read(name)
        .into_iter()
        .map(|op| Record::from_add(file_type, &op.unwrap()).unwrap())
        .collect()
}

fn from_str(xml: &str) -> Vec<Result<Operation, ParseError>> {
    Reader::new(Cursor::new(xml.as_bytes().to_vec()), "test_Eleve_0000.xml").collect()
}

#[test]
fn fixture_names_classify_into_import_order() {
    let mut names: Vec<String> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("ENT_"))
        .collect();
    names.sort_by_key(|n| aaf::classify(n).map(|k| k.order()));
    let types: Vec<(FileType, Option<Mode>)> = names
        .iter()
        .map(|n| aaf::classify(n).map(|k| (k.file_type, k.mode)).unwrap())
        .collect();
    let mut expected: Vec<_> = FileType::ALL.iter().map(|t| (*t, Some(Mode::Complet))).collect();
    expected.push((FileType::Eleve, Some(Mode::Delta)));
    assert_eq!(types, expected);
    assert_eq!(aaf::classify("make_latin9.py"), None);
}

#[test]
fn structures_have_checked_uais_readable_names_and_classes() {
    let records = records("ENT_Grand-Est_Complet_20260901_EtabEducNat_0000.xml");
    let [Record::Structure(college), Record::Structure(lycee)] = records.as_slice() else {
        panic!("two structures expected, got {records:?}");
    };
    let Structure {
        jointure,
        uai,
        name,
        kind,
        academy,
        address,
        classes,
        groups,
        ..
    } = college;
    assert_eq!((jointure.as_str(), uai.as_str()), ("1001", "0670082A"));
    assert_eq!(name, "COLLEGE - DES TROIS CHENES");
    assert_eq!(
        (kind.as_deref(), academy.as_deref()),
        (Some("CLG"), Some("STRASBOURG"))
    );
    assert_eq!(
        (address.lines.as_slice(), address.city.as_deref()),
        (&["12 RUE DES TILLEULS".to_string()][..], Some("STRASBOURG"))
    );
    let codes: Vec<(&str, &str)> = classes
        .iter()
        .map(|c| (c.code.as_str(), c.label.as_str()))
        .collect();
    assert_eq!(codes, [("6A", "6EME A"), ("6B", "6EME B"), ("3A", "3EME A")]);
    assert_eq!(groups[0].label, "ALLEMAND 6A");
    // The old attribute name is accepted; a class without label keeps its code as label; <value/> is no group.
    assert_eq!(lycee.uai.as_str(), "0671234C");
    assert_eq!(
        (lycee.classes[0].code.as_str(), lycee.classes[0].label.as_str()),
        ("2NDE1", "2NDE1")
    );
    assert!(lycee.groups.is_empty());
}

#[test]
fn subjects_and_mefs_resolve_entities_and_cdata() {
    let labels: Vec<String> = records("ENT_Grand-Est_Complet_20260901_MatiereEducNat_0000.xml")
        .into_iter()
        .map(|r| match r {
            Record::Subject(s) => format!("{}={}", s.jointure, s.label),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        labels,
        [
            "061300=MATHEMATIQUES",
            "040600=HISTOIRE & GÉOGRAPHIE",
            "030201=ALLEMAND LV1 <bilangue>"
        ]
    );
    let mefs = records("ENT_Grand-Est_Complet_20260901_MefEducNat_0000.xml");
    let Record::Mef(sixieme) = &mefs[0] else { panic!() };
    assert_eq!(
        (sixieme.label.as_str(), sixieme.stat11.as_deref()),
        ("6EME", Some("10010012110"))
    );
    assert_eq!(mefs.len(), 2);
}

#[test]
fn latin9_students_decode_with_all_their_fields() {
    let name = "ENT_Grand-Est_Complet_20260901_Eleve_0000.xml";
    // The fixture must really be Latin-9: Œ is 0xBC there, and does not exist in Latin-1.
    let bytes = std::fs::read(fixture(name)).unwrap();
    assert!(bytes.contains(&0xBC) && std::str::from_utf8(&bytes).is_err());
    let mut reader = Reader::open(fixture(name)).unwrap();
    let first = reader.next().unwrap().unwrap();
    assert_eq!(reader.encoding(), Some("ISO-8859-15"));
    assert_eq!(
        (first.action, first.identifier.as_str(), first.line),
        (Action::Add, "2000001", 3)
    );
    assert_eq!(first.category.as_deref(), Some("Eleve"));

    let students: Vec<Student> = records(name)
        .into_iter()
        .map(|r| match r {
            Record::Student(s) => s,
            other => panic!("{other:?}"),
        })
        .collect();
    let zoe = &students[0];
    assert_eq!(
        (zoe.identity.last_name.as_str(), zoe.identity.first_name.as_str()),
        ("MÜLLER", "Zoé")
    );
    assert_eq!(zoe.identity.other_first_names, ["Zoé", "Anaïs"]);
    assert_eq!(
        zoe.identity.birth_date.map(|d| d.iso()).as_deref(),
        Some("2014-03-14")
    );
    assert_eq!(
        (zoe.ine.as_deref(), zoe.school_number.as_deref()),
        (Some("070123456AB"), Some("4512"))
    );
    assert_eq!(zoe.structure, "1001");
    assert_eq!(
        (zoe.classes[0].structure.as_str(), zoe.classes[0].code.as_str()),
        ("1001", "6A")
    );
    assert_eq!(zoe.groups[0].code, "6A-ALL");
    assert_eq!(
        (zoe.mef.as_deref(), zoe.mef_label.as_deref()),
        (Some("10010012110"), Some("6EME"))
    );
    assert_eq!(zoe.options, ["030201", "061300"]);
    assert_eq!(
        (zoe.regime.as_deref(), zoe.scholarship),
        (Some("DP DAN"), Some(false))
    );
    let links: Vec<(&str, &str, bool)> = zoe
        .relatives
        .iter()
        .map(|l| {
            (
                l.relative.as_str(),
                l.relationship.as_str(),
                l.is_legal_representative(),
            )
        })
        .collect();
    assert_eq!(links, [("3000001", "10", true), ("3000002", "20", true)]);
    assert_eq!(zoe.profiles()[0].profile, NationalProfile::Elv);

    let chloe = &students[1];
    assert_eq!(chloe.identity.last_name, "ŒUVRARD");
    assert_eq!(
        chloe.identity.birth_date.map(|d| d.to_string()).as_deref(),
        Some("29/02/2012")
    );
    assert!(chloe.groups.is_empty());
    assert!(chloe.relatives[0].is_person_in_charge());
    assert_eq!(students[2].identity.first_name, "Loïc");
}

#[test]
fn relatives_have_contacts_and_addresses() {
    let records = records("ENT_Grand-Est_Complet_20260901_PersRelEleve_0000.xml");
    let Record::Relative(father) = &records[0] else {
        panic!()
    };
    assert_eq!(father.identity.title.as_deref(), Some("M."));
    assert_eq!(father.contacts.mobile.as_deref(), Some("0600000001"));
    assert_eq!(father.contacts.mail.as_deref(), Some("thomas.muller@example.org"));
    assert_eq!(father.address.lines, ["3 RUE DU CHÂTEAU", "BÂTIMENT B"]);
    assert_eq!(father.address.postal_code.as_deref(), Some("67100"));
    assert_eq!(father.students, ["2000001"]);
    assert_eq!(father.profile(), NationalProfile::Tut);
    let Record::Relative(mother) = &records[1] else {
        panic!()
    };
    assert_eq!(mother.identity.birth_name.as_deref(), Some("KOCH"));
    assert_eq!(mother.contacts.work_phone.as_deref(), Some("0388000002"));
    assert_eq!(records.len(), 3);
}

#[test]
fn staff_functions_assignments_and_profiles_per_structure() {
    let staff: Vec<Staff> = records("ENT_Grand-Est_Complet_20260901_PersEducNat_0000.xml")
        .into_iter()
        .map(|r| match r {
            Record::Staff(s) => s,
            other => panic!("{other:?}"),
        })
        .collect();
    let teacher = &staff[0];
    assert_eq!(
        teacher.contacts.mail.as_deref(),
        Some("claire.lambert@ac-strasbourg.fr")
    );
    let f = &teacher.functions[0];
    assert_eq!(
        (
            f.code.as_str(),
            f.discipline.as_deref(),
            f.discipline_label.as_deref()
        ),
        ("ENS", Some("L1300"), Some("MATHEMATIQUES"))
    );
    let taught: Vec<String> = teacher
        .class_subjects
        .iter()
        .map(|a| format!("{}/{}/{}", a.structure, a.class_or_group, a.subject))
        .collect();
    assert_eq!(taught, ["1001/6A/061300", "1001/3A/061300"]);
    assert_eq!(teacher.group_subjects[0].class_or_group, "6A-ALL");
    assert_eq!(teacher.head_teacher_of[0].code, "3A");
    assert_eq!(teacher.teaches, Some(true));

    let profiles: Vec<Vec<(String, &str)>> = staff
        .iter()
        .map(|s| {
            s.profiles()
                .into_iter()
                .map(|p| (p.structure, p.profile.code()))
                .collect()
        })
        .collect();
    assert_eq!(profiles[0], [("1001".into(), "National_ENS")]);
    assert_eq!(profiles[1], [("1001".into(), "National_DIR")]);
    assert_eq!(
        profiles[2],
        [("1001".into(), "National_EVS"), ("1002".into(), "National_DOC")]
    );
    assert_eq!(profiles[3], [("1002".into(), "National_ETA")]);
    assert_eq!(staff[2].structures, ["1001", "1002"]);
    assert_eq!(staff[1].functions[0].label.as_deref(), Some("DIRECTION"));
    assert_eq!(staff[1].functions[0].discipline, None);
}

#[test]
fn delta_modifies_replace_fields_and_deletes_carry_the_identifier() {
    let ops: Vec<Operation> = read("ENT_Grand-Est_Delta_20260915_Eleve_0000.xml")
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let actions: Vec<(Action, &str)> = ops.iter().map(|o| (o.action, o.identifier.as_str())).collect();
    assert_eq!(
        actions,
        [
            (Action::Modify, "2000001"),
            (Action::Delete, "2000003"),
            (Action::Add, "2000004"),
            (Action::Modify, "2000002")
        ]
    );
    assert!(ops[1].attributes.is_empty());

    let complete = records("ENT_Grand-Est_Complet_20260901_Eleve_0000.xml");
    let mut zoe = complete[0].clone();
    zoe.replace(&ops[0]).unwrap();
    let Record::Student(s) = &zoe else { panic!() };
    assert_eq!(s.classes[0].code, "6B");
    assert!(s.groups.is_empty());
    assert_eq!(s.regime.as_deref(), Some("EXTERNE"));
    assert_eq!(
        s.identity.first_name, "Zoé",
        "attributes absent from the modify stay"
    );

    // A modify with one bad value changes nothing, and says which value.
    let mut chloe = complete[1].clone();
    let err = chloe.replace(&ops[3]).unwrap_err();
    assert_eq!(chloe, complete[1]);
    assert_eq!((err.line, err.identifier.as_deref()), (33, Some("2000002")));
    assert_eq!(err.record_error().map(|e| e.problem.clone()), Some(Problem::Date));
}
