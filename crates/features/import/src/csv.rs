//! CSV import for schools outside the AAF (private or agricultural schools): one file per population,
//! semicolon-separated with a header row, UTF-8 (with or without BOM) or Windows-1252 as spreadsheets
//! save it. Each row becomes the AAF record it stands for and goes through the same validation and
//! the same application as an AAF import, in one transaction; the report is the same.
//!
//! Columns (header names must match, in any order; extra columns are ignored):
//! - `eleves`: `id;nom;prenom;naissance;classe;groupes` — `id` is the school's own stable number,
//!   `naissance` is jj/mm/aaaa, `groupes` are group codes separated by commas;
//! - `responsables`: `id;nom;prenom;courriel;eleves;lien;legal` — `eleves` are student ids separated by
//!   commas, `lien` is MERE, PERE, TUTEUR or AUTRE, `legal` is O or N. The file lists every guardian of
//!   the students it names (their family links are replaced by the file's);
//! - `personnels`: `id;nom;prenom;courriel;profil;enseignements;principal` — `profil` is ENS, DIR, EDU,
//!   DOC or ADM, `enseignements` are `classe:matiere` pairs separated by commas, `principal` the codes of
//!   the classes they are head teacher of.
//!
//! A CSV import never deactivates anyone: a school's file may be partial.

use std::path::Path;
use std::sync::Arc;

use db::Db;
use sea_query::{Alias, Expr, ExprTrait, Query};
use uuid::Uuid;

use crate::aaf::{Action, Attribute, Attributes, FileType, Operation, Record};
use crate::apply::{self, ImportError, Options, Rejection, Report};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvKind {
    Students,
    Guardians,
    Staff,
}

impl CsvKind {
    pub fn parse(s: &str) -> Option<CsvKind> {
        match s {
            "eleves" | "élèves" => Some(CsvKind::Students),
            "responsables" => Some(CsvKind::Guardians),
            "personnels" => Some(CsvKind::Staff),
            _ => None,
        }
    }

    fn columns(self) -> &'static [&'static str] {
        match self {
            CsvKind::Students => &["id", "nom", "prenom", "naissance", "classe", "groupes"],
            CsvKind::Guardians => &["id", "nom", "prenom", "courriel", "eleves", "lien", "legal"],
            CsvKind::Staff => &[
                "id",
                "nom",
                "prenom",
                "courriel",
                "profil",
                "enseignements",
                "principal",
            ],
        }
    }
}

/// Header names compared without case or accents ("Prénom" = "prenom").
fn plain(s: &str) -> String {
    kernel::text::fold(s.trim().trim_matches('"'))
}

/// Splits one line on `;`, honouring double quotes ("a;b" and "" for a quote).
pub fn split_line(line: &str) -> Vec<String> {
    kernel::text::split_fields(line, ';')
}

fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

fn attr(name: &str, values: Vec<String>, line: u64) -> Attribute {
    Attribute {
        name: name.into(),
        values,
        line,
    }
}

fn list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// The AAF operation a CSV row stands for.
fn operation(
    kind: CsvKind,
    get: &dyn Fn(&str) -> String,
    school: &str,
    file: &Arc<str>,
    line: u64,
) -> Operation {
    let jointure = format!("{school}-{}", get("id"));
    let mut a = Attributes::default();
    a.push(attr("ENTPersonJointure", vec![jointure.clone()], line));
    a.push(attr("sn", vec![get("nom")], line));
    a.push(attr("givenName", vec![get("prenom")], line));
    a.push(attr("ENTPersonStructRattach", vec![school.to_string()], line));
    let in_school = |codes: Vec<String>| {
        codes
            .into_iter()
            .map(|c| format!("{school}${c}"))
            .collect::<Vec<_>>()
    };
    match kind {
        CsvKind::Students => {
            if !get("naissance").is_empty() {
                a.push(attr("ENTPersonDateNaissance", vec![get("naissance")], line));
            }
            a.push(attr("ENTEleveClasses", in_school(list(&get("classe"))), line));
            a.push(attr("ENTEleveGroupes", in_school(list(&get("groupes"))), line));
        }
        CsvKind::Guardians => {
            if !get("courriel").is_empty() {
                a.push(attr("mail", vec![get("courriel")], line));
            }
        }
        CsvKind::Staff => {
            if !get("courriel").is_empty() {
                a.push(attr("mail", vec![get("courriel")], line));
            }
            let profile = get("profil").to_uppercase();
            a.push(attr(
                "ENTPersonFonctions",
                vec![format!("{school}${profile}$$$")],
                line,
            ));
            let teachings: Vec<String> = list(&get("enseignements"))
                .into_iter()
                .map(|pair| match pair.split_once(':') {
                    Some((class, subject)) => format!("{school}${}${}", class.trim(), subject.trim()),
                    None => format!("{school}${pair}"),
                })
                .collect();
            a.push(attr("ENTAuxEnsClassesMatieres", teachings, line));
            a.push(attr(
                "ENTAuxEnsClassesPrincipal",
                in_school(list(&get("principal"))),
                line,
            ));
        }
    }
    Operation {
        action: Action::Add,
        identifier: jointure,
        category: None,
        attributes: a,
        file: file.clone(),
        line,
    }
}

/// Imports one CSV file of `kind` into the school whose UAI is `uai`.
pub async fn import_csv(
    db: &Db,
    uai: &str,
    kind: CsvKind,
    path: &Path,
    options: &Options,
) -> Result<Report, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError::Io(path.display().to_string(), e))?;
    let text = decode(&bytes);
    let file: Arc<str> = Arc::from(path.file_name().and_then(|n| n.to_str()).unwrap_or("?"));
    let mut report = Report {
        files: vec![file.to_string()],
        applied: true,
        ..Report::default()
    };
    let mut lines = text.lines().enumerate();
    let header: Vec<String> = lines
        .next()
        .map(|(_, l)| split_line(l).iter().map(|h| plain(h)).collect())
        .unwrap_or_default();
    let missing: Vec<&str> = kind
        .columns()
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        report.applied = false;
        let reason = format!(
            "colonne(s) manquante(s) : {} (attendues : {})",
            missing.join(", "),
            kind.columns().join(";")
        );
        report.rejected.push(Rejection {
            file: file.to_string(),
            line: 1,
            record: None,
            reason,
        });
        return Ok(report);
    }
    let mut tx = db.begin().await?;
    let Some(school) = school_jointure(&mut tx, uai).await? else {
        report.applied = false;
        let reason = format!("aucun établissement n'a l'UAI « {uai} »");
        report.rejected.push(Rejection {
            file: file.to_string(),
            line: 0,
            record: None,
            reason,
        });
        return Ok(report);
    };
    let mut st = apply::State::new(options.now);
    crate::apply::load(&mut tx, &mut st).await?;
    let file_type = match kind {
        CsvKind::Students => FileType::Eleve,
        CsvKind::Guardians => FileType::PersRelEleve,
        CsvKind::Staff => FileType::PersEducNat,
    };
    for (n, raw) in lines {
        if raw.trim().is_empty() {
            continue;
        }
        let line = n as u64 + 1;
        let fields = split_line(raw);
        let get = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .and_then(|i| fields.get(i))
                .cloned()
                .unwrap_or_default()
        };
        let op = operation(kind, &get, &school, &file, line);
        let record = match Record::from_add(file_type, &op) {
            Ok(r) => r,
            Err(e) => {
                report.rejected.push(Rejection {
                    file: file.to_string(),
                    line,
                    record: Some(get("id")),
                    reason: e.kind.to_string(),
                });
                continue;
            }
        };
        let guardian = matches!(record, Record::Relative(_));
        match apply::apply(&mut tx, &mut st, record, &mut report).await? {
            Err(reason) => report.rejected.push(Rejection {
                file: file.to_string(),
                line,
                record: Some(get("id")),
                reason,
            }),
            Ok(()) if guardian => {
                let legal = matches!(get("legal").to_uppercase().as_str(), "O" | "OUI" | "1");
                for student in list(&get("eleves")) {
                    let q = Query::select()
                        .column(Alias::new("id"))
                        .from(Alias::new("users"))
                        .and_where(Expr::col(Alias::new("jointure")).eq(format!("{school}-{student}")))
                        .to_owned();
                    match tx.fetch_optional::<(Uuid,)>(&q).await? {
                        Some((sid,)) => {
                            st.link(sid, &school, &op.identifier, &get("lien").to_uppercase(), legal)
                        }
                        None => report.rejected.push(Rejection {
                            file: file.to_string(),
                            line,
                            record: Some(get("id")),
                            reason: format!(
                                "élève « {student} » inconnu : importez d'abord le fichier des élèves"
                            ),
                        }),
                    }
                }
            }
            Ok(()) => {}
        }
    }
    apply::finish(tx, st, &mut report, "csv", options, false).await?;
    Ok(report)
}

/// The school's join key, giving it its UAI as one if it has none (a school outside the AAF).
async fn school_jointure(tx: &mut db::Tx, uai: &str) -> db::Result<Option<String>> {
    let uai = uai.trim().to_uppercase();
    let q = Query::select()
        .columns(["id", "jointure"].map(Alias::new))
        .from(Alias::new("schools"))
        .and_where(Expr::col(Alias::new("uai")).eq(uai.as_str()))
        .to_owned();
    let Some((id, jointure)) = tx.fetch_optional::<(Uuid, Option<String>)>(&q).await? else {
        return Ok(None);
    };
    if let Some(j) = jointure {
        return Ok(Some(j));
    }
    let q = Query::update()
        .table(Alias::new("schools"))
        .value(Alias::new("jointure"), uai.as_str())
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    tx.execute(&q).await?;
    Ok(Some(uai))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_on_semicolons_outside_quotes() {
        assert_eq!(
            split_line(r#"12;"Le Goff; Martin";Zoé;"dit ""Zo""""#),
            vec!["12", "Le Goff; Martin", "Zoé", "dit \"Zo\""]
        );
        assert_eq!(plain("Prénom"), "prenom");
        assert_eq!(decode(b"\xef\xbb\xbfnom"), "nom");
        assert_eq!(decode(b"Z\xe9"), "Zé", "Windows-1252 from a spreadsheet");
    }
}
