//! The school-side files of the export: EtabEducNat (with each school's classes and groups),
//! MatiereEducNat and MefEducNat.

use std::collections::HashMap;

use db::Tx;
use uuid::Uuid;

use super::rows::{self, ClassRow, Nomenclature, SchoolRow};
use super::{ExportError, ExportReport, Writers, code, compound};
use crate::aaf::files::FileType;
use crate::aaf::writer::AafWriter;

/// Schools per page: each page's classes (some 70 a school) are read in one query.
const SCHOOL_PAGE: u64 = 200;
/// Subjects and MEFs per page.
const CODE_PAGE: u64 = 1_000;

/// Writes EtabEducNat and returns each school's join key by id, which every person refers to.
pub(super) async fn schools(
    tx: &mut Tx,
    writer: &mut AafWriter,
    report: &mut ExportReport,
) -> Result<HashMap<Uuid, String>, ExportError> {
    let mut jointures = HashMap::new();
    let mut after = None;
    loop {
        let page = rows::schools_page(tx, after, SCHOOL_PAGE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        let ids: Vec<Uuid> = page.iter().map(|s| s.id).collect();
        let classes = rows::classes_of(tx, &ids).await?;
        let mut by_school: HashMap<Uuid, Vec<&ClassRow>> = HashMap::new();
        for class in &classes {
            by_school.entry(class.school_id).or_default().push(class);
        }
        for school in &page {
            let jointure = school.jointure.clone().unwrap_or_else(|| school.uai.clone());
            let own = by_school.get(&school.id).map(Vec::as_slice).unwrap_or_default();
            write_school(writer, school, &jointure, own)?;
            report.schools += 1;
            jointures.insert(school.id, jointure);
        }
        if (page.len() as u64) < SCHOOL_PAGE {
            break;
        }
    }
    Ok(jointures)
}

fn write_school(
    writer: &mut AafWriter,
    school: &SchoolRow,
    jointure: &str,
    classes: &[&ClassRow],
) -> Result<(), ExportError> {
    let list = |kind: &str| -> Vec<String> {
        classes
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| compound(&[&code(&c.code), &c.name]))
            .collect()
    };
    let mut record = writer.add(jointure);
    record
        .value("ENTStructureJointure", jointure)
        .value("ENTStructureUAI", &school.uai)
        .value("ENTStructureNomCourant", &school.name)
        .value("ENTStructureTypeStruct", type_struct(&school.kind))
        .value("ENTEtablissementContrat", contract(&school.sector))
        .value("ENTServAcAcademie", &school.academy)
        .optional("l", Some(&school.city))
        .attr("ENTStructureClasses", list("classe"))
        .attr("ENTStructureGroupes", list("groupe"));
    record.write()?;
    Ok(())
}

/// The AAF structure type of a school kind; the importer reads these three back to the same kinds.
fn type_struct(kind: &str) -> &str {
    match kind {
        "college" => "CLG",
        "lycee" => "LYC",
        "lycee_agricole" => "LEGTA",
        other => other,
    }
}

fn contract(sector: &str) -> &'static str {
    match sector {
        "public" => "PUBLIC",
        _ => "PRIVE SOUS CONTRAT",
    }
}

/// Writes MatiereEducNat and MefEducNat.
pub(super) async fn nomenclatures(
    tx: &mut Tx,
    writers: &mut Writers,
    report: &mut ExportReport,
) -> Result<(), ExportError> {
    let files = [
        (
            Nomenclature::Subjects,
            FileType::MatiereEducNat,
            "ENTMatJointure",
            "ENTLibelleMatiere",
        ),
        (
            Nomenclature::Mefs,
            FileType::MefEducNat,
            "ENTMefJointure",
            "ENTLibelleMef",
        ),
    ];
    for (table, file_type, key, label) in files {
        let writer = writers.get(file_type);
        let mut after: Option<String> = None;
        let mut written = 0;
        loop {
            let page = rows::codes_page(tx, table, after.as_deref(), CODE_PAGE).await?;
            for row in &page {
                // Cleaned as teachers' values will cite it.
                let jointure = code(&row.code);
                let mut record = writer.add(&jointure);
                record.value(key, &jointure).value(label, &row.label);
                record.write()?;
                written += 1;
            }
            match page.last() {
                Some(last) if page.len() as u64 == CODE_PAGE => after = Some(last.code.clone()),
                _ => break,
            }
        }
        match file_type {
            FileType::MatiereEducNat => report.subjects = written,
            _ => report.mefs = written,
        }
    }
    Ok(())
}
