//! `modifyRequest` of a delta import. The person's current record is rebuilt from the directory, the
//! replaced attributes are applied to it with the parser's own validation, and the result goes through
//! the same path as an add; so a modification is checked exactly like a new record.

use std::sync::Arc;

use db::Tx;
use sea_query::{Alias, Expr, ExprTrait, Query};
use uuid::Uuid;

use super::{Report, State, col_eq, people};
use crate::aaf::{Action, Attribute, Attributes, FileType, Operation, Record};

/// Identity attributes a staff modification may carry; functions and teachings need a complete import.
const IDENTITY: [&str; 7] = [
    "sn",
    "givenName",
    "mail",
    "ENTPersonDateNaissance",
    "personalTitle",
    "ENTPersonNomPatro",
    "ENTPersonAutresPrenoms",
];

#[derive(sqlx::FromRow)]
struct Current {
    id: Uuid,
    first_name: String,
    last_name: String,
    birth_date: Option<String>,
    email: Option<String>,
}

fn attr(name: &str, values: Vec<String>) -> Attribute {
    Attribute {
        name: name.to_string(),
        values,
        line: 0,
    }
}

/// "2014-03-09" → "09/03/2014".
fn french_date(iso: &str) -> Option<String> {
    let mut p = iso.split('-');
    let (y, m, d) = (p.next()?, p.next()?, p.next()?);
    Some(format!("{d}/{m}/{y}"))
}

/// The person's record as an AAF add would state it today, built from the directory.
async fn current_operation(
    tx: &mut Tx,
    file_type: FileType,
    jointure: &str,
    file: &Arc<str>,
) -> db::Result<Option<Operation>> {
    let q = Query::select()
        .columns(["id", "first_name", "last_name", "birth_date", "email"].map(Alias::new))
        .from(Alias::new("users"))
        .and_where(col_eq("jointure", jointure))
        .to_owned();
    let Some(p) = tx.fetch_optional::<Current>(&q).await? else {
        return Ok(None);
    };
    let mut attributes = Attributes::default();
    attributes.push(attr("ENTPersonJointure", vec![jointure.to_string()]));
    attributes.push(attr("sn", vec![p.last_name]));
    attributes.push(attr("givenName", vec![p.first_name]));
    if let Some(date) = p.birth_date.as_deref().and_then(french_date) {
        attributes.push(attr("ENTPersonDateNaissance", vec![date]));
    }
    if let Some(mail) = p.email {
        attributes.push(attr("mail", vec![mail]));
    }
    if file_type == FileType::Eleve {
        let q = Query::select()
            .column((Alias::new("schools"), Alias::new("jointure")))
            .column((Alias::new("classes"), Alias::new("kind")))
            .column((Alias::new("classes"), Alias::new("code")))
            .from(Alias::new("class_students"))
            .inner_join(
                Alias::new("classes"),
                Expr::col((Alias::new("classes"), Alias::new("id")))
                    .equals((Alias::new("class_students"), Alias::new("class_id"))),
            )
            .inner_join(
                Alias::new("schools"),
                Expr::col((Alias::new("schools"), Alias::new("id")))
                    .equals((Alias::new("class_students"), Alias::new("school_id"))),
            )
            .and_where(Expr::col((Alias::new("class_students"), Alias::new("student_id"))).eq(p.id))
            .to_owned();
        let rows: Vec<(Option<String>, String, String)> = tx.fetch_all(&q).await?;
        let structure = rows.iter().find_map(|r| r.0.clone());
        let Some(structure) = structure.or(student_school(tx, p.id).await?) else {
            return Ok(None);
        };
        let pick = |kind: &str| {
            rows.iter()
                .filter(|r| r.1 == kind)
                .map(|r| format!("{structure}${}", r.2))
                .collect()
        };
        attributes.push(attr("ENTEleveClasses", pick("classe")));
        attributes.push(attr("ENTEleveGroupes", pick("groupe")));
        attributes.push(attr("ENTPersonStructRattach", vec![structure]));
    }
    Ok(Some(Operation {
        action: Action::Add,
        identifier: jointure.to_string(),
        category: None,
        attributes,
        file: file.clone(),
        line: 0,
    }))
}

/// The join key of the school a student is enrolled in, when they have no class yet.
async fn student_school(tx: &mut Tx, student: Uuid) -> db::Result<Option<String>> {
    let q = Query::select()
        .column((Alias::new("schools"), Alias::new("jointure")))
        .from(Alias::new("memberships"))
        .inner_join(
            Alias::new("schools"),
            Expr::col((Alias::new("schools"), Alias::new("id")))
                .equals((Alias::new("memberships"), Alias::new("school_id"))),
        )
        .and_where(Expr::col((Alias::new("memberships"), Alias::new("user_id"))).eq(student))
        .and_where(Expr::col((Alias::new("memberships"), Alias::new("profile"))).eq("ELV"))
        .to_owned();
    Ok(tx
        .fetch_optional::<(Option<String>,)>(&q)
        .await?
        .and_then(|r| r.0))
}

/// Applies one modifyRequest; `Ok(Err(reason))` when it is refused (and nothing of it written).
pub(crate) async fn modify(
    tx: &mut Tx,
    st: &mut State,
    file_type: FileType,
    op: &Operation,
    report: &mut Report,
) -> db::Result<Result<(), String>> {
    let identity_only = op.attributes.iter().all(|a| IDENTITY.contains(&a.name.as_str()));
    let rebuilt_as = match file_type {
        FileType::Eleve | FileType::PersRelEleve => file_type,
        // Staff identity is rebuilt like a relative's: the same attributes, none of the functions.
        FileType::PersEducNat if identity_only => FileType::PersRelEleve,
        FileType::PersEducNat => {
            return Ok(Err("modification des fonctions ou des enseignements d'un personnel : appliquée au prochain import complet".into()));
        }
        _ => return Ok(Err("modification d'un établissement, d'une matière ou d'un MEF : appliquée au prochain import complet".into())),
    };
    let Some(current) = current_operation(tx, rebuilt_as, &op.identifier, &op.file).await? else {
        return Ok(Err(format!(
            "modification d'une personne inconnue de l'annuaire (jointure {})",
            op.identifier
        )));
    };
    let mut record = match Record::from_add(rebuilt_as, &current) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e.kind.to_string())),
    };
    if let Err(e) = record.replace(op) {
        return Ok(Err(e.kind.to_string()));
    }
    match (file_type, record) {
        (FileType::PersEducNat, Record::Relative(r)) => {
            people::upsert_person(
                tx,
                st,
                &r.jointure,
                &r.identity,
                r.contacts.mail.as_deref(),
                &mut report.staff,
            )
            .await?;
            Ok(Ok(()))
        }
        (_, record) => super::apply(tx, st, record, report).await,
    }
}
