//! The AAF writer, checked through the reader: names, chunks, escaping, encodings, deltas.

use std::path::{Path, PathBuf};

use import::aaf::{
    self, AafWriter, Action, Charset, Date, FileType, Mode, Operation, Reader, Record, Unmappable, WriteError,
};

fn date() -> Date {
    Date::new(2026, 9, 1).unwrap()
}

fn writer(dir: &Path, mode: Mode, charset: Charset, max: usize) -> AafWriter {
    AafWriter::create(dir, "Grand-Est", mode, date(), FileType::Eleve, charset, max).unwrap()
}

fn student(w: &mut AafWriter, id: &str, given_name: &str) -> Result<(), WriteError> {
    let mut record = w.add(id);
    record
        .value("ENTPersonJointure", id)
        .value("sn", "MARTIN")
        .value("givenName", given_name)
        .value("ENTPersonStructRattach", "1001")
        .attr("ENTEleveClasses", ["1001$6A"])
        .attr("ENTEleveGroupes", Vec::<String>::new());
    record.write()
}

fn operations(path: &Path) -> Vec<Operation> {
    Reader::open(path).unwrap().map(|op| op.unwrap()).collect()
}

fn given_name(op: &Operation) -> String {
    match Record::from_add(FileType::Eleve, op).unwrap() {
        Record::Student(s) => s.identity.first_name,
        other => panic!("student expected, got {other:?}"),
    }
}

fn names(files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn chunks_hold_at_most_the_configured_records_and_classify_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = writer(dir.path(), Mode::Complet, Charset::Utf8, 3);
    for n in 0..7 {
        student(&mut w, &format!("{}", 2_000_000 + n), "Léa").unwrap();
    }
    let summary = w.finish().unwrap();
    assert_eq!(summary.records, 7);
    assert_eq!(
        names(&summary.files),
        [
            "ENT_Grand-Est_Complet_20260901_Eleve_0000.xml",
            "ENT_Grand-Est_Complet_20260901_Eleve_0001.xml",
            "ENT_Grand-Est_Complet_20260901_Eleve_0002.xml",
        ]
    );
    let mut ids = vec![];
    for (chunk, file) in summary.files.iter().enumerate() {
        let kind = aaf::classify(file.to_str().unwrap()).unwrap();
        assert_eq!(
            (kind.file_type, kind.mode, kind.date, kind.chunk),
            (FileType::Eleve, Some(Mode::Complet), Some(20260901), chunk as u32)
        );
        let ops = operations(file);
        assert_eq!(ops.len(), if chunk < 2 { 3 } else { 1 });
        for op in ops {
            assert_eq!(op.category.as_deref(), Some("Eleve"));
            assert_eq!(given_name(&op), "Léa");
            ids.push(op.identifier);
        }
    }
    let expected: Vec<String> = (0..7).map(|n| (2_000_000 + n).to_string()).collect();
    assert_eq!(ids, expected);
}

#[test]
fn a_type_without_records_still_gets_an_empty_valid_file() {
    let dir = tempfile::tempdir().unwrap();
    let summary = writer(dir.path(), Mode::Complet, Charset::Latin9, 10)
        .finish()
        .unwrap();
    assert_eq!((summary.records, summary.files.len()), (0, 1));
    assert!(operations(&summary.files[0]).is_empty());
}

#[test]
fn markup_characters_and_dollars_read_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = AafWriter::create(
        dir.path(),
        "GE",
        Mode::Complet,
        date(),
        FileType::MatiereEducNat,
        Charset::Utf8,
        10,
    )
    .unwrap();
    let label = "HISTOIRE & GÉO <option> \"bis\" $ 'x'";
    let mut record = w.add("040600");
    record
        .value("ENTMatJointure", "040600")
        .value("ENTLibelleMatiere", label);
    record.write().unwrap();
    let file = w.finish().unwrap().files.remove(0);
    let ops = operations(&file);
    let Record::Subject(subject) = Record::from_add(FileType::MatiereEducNat, &ops[0]).unwrap() else {
        panic!("subject expected");
    };
    assert_eq!(subject.label, label);
    assert_eq!(ops[0].category.as_deref(), Some("MatiereEducNat"));
}

#[test]
fn latin9_files_hold_latin9_bytes_and_read_back_accents() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = writer(dir.path(), Mode::Complet, Charset::Latin9, 10);
    let given = ["Éloïse", "Zoë-Œdipe", "Šárka €"];
    for (n, name) in given.iter().enumerate() {
        student(&mut w, &n.to_string(), name).unwrap();
    }
    let file = w.finish().unwrap().files.remove(0);
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>"));
    // É is one byte 0xC9 in Latin-9, Œ is 0xBC, € is 0xA4: no UTF-8 sequences.
    for byte in [0xC9, 0xBC, 0xA4] {
        assert!(bytes.contains(&byte), "{byte:#x}");
    }
    assert!(std::str::from_utf8(&bytes).is_err());
    let mut reader = Reader::open(&file).unwrap();
    let read: Vec<String> = reader.by_ref().map(|op| given_name(&op.unwrap())).collect();
    assert_eq!(reader.encoding(), Some("ISO-8859-15"));
    assert_eq!(read, given);
}

#[test]
fn a_character_outside_latin9_is_refused_by_default_naming_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = writer(dir.path(), Mode::Complet, Charset::Latin9, 10);
    student(&mut w, "1", "Anna").unwrap();
    let err = student(&mut w, "2", "Łukasz").unwrap_err();
    assert!(
        matches!(err, WriteError::Unmappable { character: 'Ł', .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "ENT_Grand-Est_Complet_20260901_Eleve_0000.xml, enregistrement 2, attribut givenName : le caractère \
         « Ł » (U+0141) n'existe pas en ISO-8859-15 ; enregistrement non écrit"
    );
    let err = student(&mut w, "ğ3", "Ali").unwrap_err();
    assert!(
        err.to_string().contains("enregistrement ğ3, identifiant :"),
        "{err}"
    );
    // The refused records left nothing behind: the file holds the two good ones, whole.
    student(&mut w, "4", "Marie").unwrap();
    let file = w.finish().unwrap().files.remove(0);
    let ids: Vec<String> = operations(&file).into_iter().map(|op| op.identifier).collect();
    assert_eq!(ids, ["1", "4"]);
}

#[test]
fn character_references_carry_what_latin9_lacks_losslessly() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = writer(dir.path(), Mode::Complet, Charset::Latin9, 10).on_unmappable(Unmappable::CharRef);
    student(&mut w, "1", "Łukasz Ğül").unwrap();
    let file = w.finish().unwrap().files.remove(0);
    let text: String = std::fs::read(&file)
        .unwrap()
        .iter()
        .map(|b| char::from(*b))
        .collect();
    assert!(text.contains("&#321;ukasz &#286;"), "{text}");
    assert_eq!(given_name(&operations(&file)[0]), "Łukasz Ğül");
}

#[test]
fn deltas_carry_modifies_and_deletes_which_complete_files_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = writer(dir.path(), Mode::Delta, Charset::Utf8, 10);
    let mut modify = w.modify("2000001").unwrap();
    modify
        .attr("ENTEleveClasses", ["1001$6B"])
        .attr("ENTEleveGroupes", Vec::<&str>::new());
    modify.write().unwrap();
    w.delete("2000003").unwrap();
    let summary = w.finish().unwrap();
    assert_eq!(
        names(&summary.files),
        ["ENT_Grand-Est_Delta_20260901_Eleve_0000.xml"]
    );
    let ops = operations(&summary.files[0]);
    assert_eq!(
        ops.iter()
            .map(|op| (op.action, op.identifier.as_str()))
            .collect::<Vec<_>>(),
        [(Action::Modify, "2000001"), (Action::Delete, "2000003")]
    );
    assert_eq!(ops[0].attributes.values("ENTEleveClasses"), ["1001$6B"]);
    assert_eq!(ops[0].attributes.values("ENTEleveGroupes"), [""]);
    assert!(ops[1].attributes.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let mut w = writer(dir.path(), Mode::Complet, Charset::Utf8, 10);
    let err = w.delete("2000003").unwrap_err();
    assert!(matches!(err, WriteError::NotDelta { .. }));
    assert!(
        err.to_string().contains("ne contient que des addRequest"),
        "{err}"
    );
    assert!(w.modify("1").is_err());
}

#[test]
fn bad_parameters_and_existing_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for source in ["", "Grand_Est", "Delta", "a/b"] {
        let err = AafWriter::create(
            dir.path(),
            source,
            Mode::Complet,
            date(),
            FileType::Eleve,
            Charset::Utf8,
            10,
        )
        .err()
        .unwrap();
        assert!(matches!(err, WriteError::Source(_)), "{source}: {err:?}");
    }
    let err = AafWriter::create(
        dir.path(),
        "GE",
        Mode::Complet,
        date(),
        FileType::Eleve,
        Charset::Utf8,
        0,
    )
    .err()
    .unwrap();
    assert!(matches!(err, WriteError::ChunkSize));
    writer(dir.path(), Mode::Complet, Charset::Utf8, 10)
        .finish()
        .unwrap();
    let err = AafWriter::create(
        dir.path(),
        "Grand-Est",
        Mode::Complet,
        date(),
        FileType::Eleve,
        Charset::Utf8,
        10,
    )
    .err()
    .unwrap();
    assert!(matches!(err, WriteError::Exists(_)), "{err:?}");
    assert!(err.to_string().contains("existe déjà"));
    let mut w = AafWriter::create(
        dir.path(),
        "X",
        Mode::Complet,
        date(),
        FileType::Eleve,
        Charset::Utf8,
        10,
    )
    .unwrap();
    assert!(matches!(
        student(&mut w, " ", "A"),
        Err(WriteError::EmptyIdentifier { .. })
    ));
}
