//! Broken files: each error names its file, line, record and value; fatal ones stop the reader.

use import::aaf::{ErrorKind, FileType, ParseError, Problem, Reader, Record};

use super::{from_str, read};

#[test]
fn a_truncated_file_yields_what_it_holds_then_one_fatal_error() {
    let results = read("broken_truncated_PersEducNat_0000.xml");
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().identifier, "4000001");
    let err = results[1].as_ref().unwrap_err();
    assert!(err.is_fatal());
    assert_eq!(err.line, 26);
    assert_eq!(err.identifier.as_deref(), Some("4000002"));
    assert!(
        err.to_string()
            .starts_with("broken_truncated_PersEducNat_0000.xml, ligne 26, enregistrement 4000002 : "),
        "{err}"
    );
}

#[test]
fn latin9_bytes_in_a_utf8_file_stop_the_reader_at_their_line() {
    let results = read("broken_encoding_Eleve_0000.xml");
    let err = results.last().unwrap().as_ref().unwrap_err();
    assert_eq!(err.kind, ErrorKind::Encoding { encoding: "UTF-8" });
    assert_eq!(err.line, 9);
    assert!(err.is_fatal());
}

#[test]
fn a_missing_name_is_reported_and_the_next_record_still_read() {
    let ops = read("broken_missing_Eleve_0000.xml");
    assert_eq!(ops.len(), 2);
    let built: Vec<Result<Record, ParseError>> = ops
        .into_iter()
        .map(|op| Record::from_add(FileType::Eleve, &op.unwrap()))
        .collect();
    let err = built[0].as_ref().unwrap_err();
    assert_eq!((err.line, err.identifier.as_deref()), (3, Some("2000020")));
    assert_eq!(err.record_error().unwrap().attribute, "sn");
    assert_eq!(err.kind.to_string(), "attribut sn obligatoire absent ou vide");
    assert!(!err.is_fatal());
    assert!(built[1].is_ok());
}

#[test]
fn a_bad_date_and_a_short_relative_link_are_named_with_their_values() {
    let built: Vec<Result<Record, ParseError>> = read("broken_date_Eleve_0000.xml")
        .into_iter()
        .map(|op| Record::from_add(FileType::Eleve, &op.unwrap()))
        .collect();
    let err = built[0].as_ref().unwrap_err();
    assert_eq!(
        err.kind.to_string(),
        "attribut ENTPersonDateNaissance : date « 31/02/2010 » invalide (jj/mm/aaaa)"
    );
    assert_eq!(
        err.to_string(),
        "broken_date_Eleve_0000.xml, ligne 10, enregistrement 2000030 : attribut ENTPersonDateNaissance : date « 31/02/2010 » invalide (jj/mm/aaaa)"
    );
    let err = built[1].as_ref().unwrap_err();
    assert_eq!(err.line, 23);
    assert_eq!(
        err.record_error().unwrap().value.as_deref(),
        Some("3000040$10$1$1")
    );
    assert_eq!(
        err.record_error().unwrap().problem,
        Problem::Fields {
            expected: 6,
            found: 4
        }
    );
}

#[test]
fn a_wrong_check_letter_or_a_foreign_join_key_rejects_the_structure() {
    let built: Vec<Result<Record, ParseError>> = read("broken_uai_EtabEducNat_0000.xml")
        .into_iter()
        .map(|op| Record::from_add(FileType::EtabEducNat, &op.unwrap()))
        .collect();
    let err = built[0].as_ref().unwrap_err();
    assert_eq!(err.line, 8);
    assert_eq!(
        err.kind.to_string(),
        "attribut ENTStructureUAI : UAI « 0680045A » : lettre de contrôle fausse (attendue : E)"
    );
    let err = built[1].as_ref().unwrap_err();
    assert!(
        matches!(&err.record_error().unwrap().problem, Problem::NotIdentifier { identifier } if identifier == "1004")
    );
}

#[test]
fn dtd_violations_spoil_one_request_only() {
    let results = read("broken_structure_PersEducNat_0000.xml");
    assert_eq!(results.len(), 5);
    let messages: Vec<String> = results[..3]
        .iter()
        .map(|r| r.as_ref().unwrap_err().to_string())
        .collect();
    assert!(
        messages[0]
            .ends_with("ligne 3 : structure non conforme à ficAlimMENESR : <identifier><id> absent ou vide"),
        "{}",
        messages[0]
    );
    assert!(messages[1].contains("ligne 12, enregistrement 4000051 : structure non conforme à ficAlimMENESR : élément <extra> inattendu dans <attr>"), "{}", messages[1]);
    assert!(
        messages[2].contains("opération « add » au lieu de « replace »"),
        "{}",
        messages[2]
    );
    assert!(results[..3].iter().all(|r| !r.as_ref().unwrap_err().is_fatal()));
    // A student in the staff file is refused; a record without category is taken on trust.
    let student = results[3].as_ref().unwrap();
    let err = Record::from_add(FileType::PersEducNat, student).unwrap_err();
    assert_eq!(
        err.kind.to_string(),
        "attribut categoriePersonne : catégorie « Eleve » dans un fichier PersEducNat"
    );
    assert!(Record::from_add(FileType::PersEducNat, results[4].as_ref().unwrap()).is_ok());
}

#[test]
fn mismatched_tags_stop_the_reader_without_panic() {
    let results = read("broken_tags_PersEducNat_0000.xml");
    assert_eq!(results.len(), 2, "{results:?}");
    assert!(results[0].is_ok());
    let err = results[1].as_ref().unwrap_err();
    assert!(err.is_fatal());
    assert_eq!(err.line, 14);
    assert_eq!(
        err.kind,
        ErrorKind::Xml("balise </attr> au lieu de </value>".into())
    );
}

#[test]
fn odd_inputs_end_in_one_clear_error() {
    let fatal = |xml: &str| -> ErrorKind {
        let results = from_str(xml);
        let last = results.last().unwrap().as_ref().unwrap_err();
        assert!(last.is_fatal());
        last.kind.clone()
    };
    assert_eq!(fatal(""), ErrorKind::Truncated);
    assert_eq!(
        fatal("<?xml version=\"1.0\"?>\n<ficAlimMENESR>\n"),
        ErrorKind::Truncated
    );
    assert_eq!(
        fatal("<?xml version=\"1.0\" encoding=\"UTF-16\"?><ficAlimMENESR/>"),
        ErrorKind::UnsupportedEncoding("UTF-16".into())
    );
    assert!(matches!(fatal("<annuaire/>"), ErrorKind::Xml(m) if m.contains("<annuaire>")));
    let unknown =
        "<ficAlimMENESR><addRequest><identifier><id>1&nbsp;</id></identifier></addRequest></ficAlimMENESR>";
    assert_eq!(fatal(unknown), ErrorKind::Xml("entité inconnue &nbsp;".into()));
    let huge = format!(
        "<ficAlimMENESR><addRequest><identifier><id>{}</id>",
        "9".repeat(2 << 20)
    );
    assert_eq!(fatal(&huge), ErrorKind::TooLarge { limit: 1 << 20 });
}

#[test]
fn a_bom_an_empty_root_and_latin1_are_accepted() {
    assert!(from_str("\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?><ficAlimMENESR/>").is_empty());
    let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<ficAlimMENESR><deleteRequest><identifier><id>\xC9</id></identifier></deleteRequest></ficAlimMENESR>";
    let ops: Vec<_> = Reader::new(&latin1[..], "x_Eleve_0000.xml").collect();
    assert_eq!(ops[0].as_ref().unwrap().identifier, "É");
}
