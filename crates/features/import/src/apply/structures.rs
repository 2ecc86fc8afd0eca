//! Structures (schools with their classes and groups) and the national nomenclatures.

use db::Tx;
use sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use uuid::Uuid;

use super::{Counts, State, col_eq};
use crate::aaf::Structure;

#[derive(sqlx::FromRow)]
struct SchoolRow {
    id: Uuid,
    uai: String,
    name: String,
    jointure: Option<String>,
}

/// Loads the schools already known by join key (and the region, if there is one).
pub(crate) async fn load_schools(tx: &mut Tx, st: &mut State) -> db::Result<()> {
    let q = Query::select()
        .columns(["id", "uai", "name", "jointure"].map(Alias::new))
        .from(Alias::new("schools"))
        .and_where(Expr::col(Alias::new("jointure")).is_not_null())
        .to_owned();
    for row in tx.fetch_all::<SchoolRow>(&q).await? {
        if let Some(j) = row.jointure {
            st.schools.insert(j, row.id);
        }
    }
    let q = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new("regions"))
        .limit(1)
        .to_owned();
    st.region = tx.fetch_optional::<(Uuid,)>(&q).await?.map(|r| r.0);
    Ok(())
}

/// Collège, lycée or lycée agricole from ENTStructureTypeStruct (CLG, LYC, LP, LPO, LEGTA, LPA…).
fn kind_of(type_struct: Option<&str>) -> &'static str {
    let t = type_struct.unwrap_or("").to_ascii_uppercase();
    if t.contains("AGRI") || t.starts_with("LEGTA") || t.starts_with("LPA") {
        "lycee_agricole"
    } else if t.starts_with("LY") || t.starts_with("LP") || t.starts_with("LG") {
        "lycee"
    } else {
        "college"
    }
}

async fn region(tx: &mut Tx, st: &mut State) -> db::Result<Uuid> {
    if let Some(r) = st.region {
        return Ok(r);
    }
    let id = kernel::new_id();
    let q = Query::insert()
        .into_table(Alias::new("regions"))
        .columns(["id", "code", "name"].map(Alias::new))
        .values_panic([id.into(), "REGION".into(), "Région".into()])
        .to_owned();
    tx.execute(&q).await?;
    st.region = Some(id);
    Ok(id)
}

/// The row of `table` with `code`, created under the region when missing.
async fn by_code(
    tx: &mut Tx,
    st: &mut State,
    table: &'static str,
    code: &str,
    name: &str,
    kind: Option<&str>,
) -> db::Result<Uuid> {
    let q = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new(table))
        .and_where(col_eq("code", code))
        .to_owned();
    if let Some((id,)) = tx.fetch_optional::<(Uuid,)>(&q).await? {
        return Ok(id);
    }
    let region = region(tx, st).await?;
    let id = kernel::new_id();
    let mut columns = vec!["id", "region_id", "code", "name"];
    let mut values: Vec<sea_query::SimpleExpr> = vec![id.into(), region.into(), code.into(), name.into()];
    if let Some(k) = kind {
        columns.push("kind");
        values.push(k.into());
    }
    let mut q = Query::insert();
    q.into_table(Alias::new(table))
        .columns(columns.into_iter().map(Alias::new));
    q.values(values)
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    tx.execute(&q).await?;
    Ok(id)
}

/// Creates or updates a school by its join key (or adopts a school already known by its UAI), then
/// makes sure its classes and groups exist.
pub(crate) async fn structure(
    tx: &mut Tx,
    st: &mut State,
    s: &Structure,
    counts: &mut Counts,
) -> db::Result<Result<(), String>> {
    let uai = s.uai.as_str().to_string();
    let q = Query::select()
        .columns(["id", "uai", "name", "jointure"].map(Alias::new))
        .from(Alias::new("schools"))
        .cond_where(col_eq("jointure", s.jointure.as_str()).or(col_eq("uai", uai.as_str())))
        .to_owned();
    let existing: Vec<SchoolRow> = tx.fetch_all(&q).await?;
    if existing.len() > 1 {
        return Ok(Err(format!(
            "l'UAI {uai} et la jointure {} désignent deux établissements différents",
            s.jointure
        )));
    }
    let id = match existing.into_iter().next() {
        Some(row) => {
            let same =
                row.name == s.name && row.uai == uai && row.jointure.as_deref() == Some(s.jointure.as_str());
            if same {
                counts.unchanged += 1;
            } else {
                let q = Query::update()
                    .table(Alias::new("schools"))
                    .values([
                        (Alias::new("name"), s.name.as_str().into()),
                        (Alias::new("uai"), uai.as_str().into()),
                        (Alias::new("jointure"), s.jointure.as_str().into()),
                    ])
                    .and_where(col_eq("id", row.id))
                    .to_owned();
                tx.execute(&q).await?;
                counts.updated += 1;
            }
            row.id
        }
        None => {
            let academy_code = s
                .academy
                .clone()
                .unwrap_or_else(|| "ACADEMIE".into())
                .to_ascii_uppercase();
            let academy_name = format!("Académie de {}", s.academy.as_deref().unwrap_or("?"));
            let academy = by_code(tx, st, "academies", &academy_code, &academy_name, None).await?;
            let kind = kind_of(s.kind.as_deref());
            let department = &uai[..3];
            let (code, name, authority_kind) = match (kind, department) {
                ("college", "067" | "068") => (
                    "CEA".to_string(),
                    "Collectivité européenne d'Alsace".to_string(),
                    "collectivite",
                ),
                ("college", d) => (
                    format!("CD-{d}"),
                    format!("Conseil départemental ({d})"),
                    "departement",
                ),
                _ => ("REGION".to_string(), "Région".to_string(), "region"),
            };
            let authority = by_code(tx, st, "authorities", &code, &name, Some(authority_kind)).await?;
            let id = kernel::new_id();
            let sector = if s
                .contract
                .as_deref()
                .is_some_and(|c| c.to_ascii_uppercase().starts_with("PU"))
                || s.contract.is_none()
            {
                "public"
            } else {
                "prive_sous_contrat"
            };
            let city = s.address.city.clone().unwrap_or_default();
            let q = Query::insert()
                .into_table(Alias::new("schools"))
                .columns(
                    [
                        "id",
                        "uai",
                        "name",
                        "kind",
                        "sector",
                        "academy_id",
                        "authority_id",
                        "city",
                        "jointure",
                    ]
                    .map(Alias::new),
                )
                .values_panic([
                    id.into(),
                    uai.as_str().into(),
                    s.name.as_str().into(),
                    kind.into(),
                    sector.into(),
                    academy.into(),
                    authority.into(),
                    city.into(),
                    s.jointure.as_str().into(),
                ])
                .to_owned();
            tx.execute(&q).await?;
            counts.created += 1;
            id
        }
    };
    st.schools.insert(s.jointure.clone(), id);
    st.touched_schools.insert(id);
    for c in &s.classes {
        ensure_class(tx, st, id, &c.code, Some(&c.label), "classe").await?;
    }
    for g in &s.groups {
        ensure_class(tx, st, id, &g.code, Some(&g.label), "groupe").await?;
    }
    Ok(Ok(()))
}

/// The id of class (or group) `code` of a school, created if the files mention it before defining it.
pub(crate) async fn ensure_class(
    tx: &mut Tx,
    st: &mut State,
    school: Uuid,
    code: &str,
    label: Option<&str>,
    kind: &str,
) -> db::Result<Uuid> {
    if let Some(id) = st.classes.get(&(school, code.to_string())) {
        return Ok(*id);
    }
    let q = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new("classes"))
        .and_where(col_eq("school_id", school))
        .and_where(col_eq("code", code))
        .to_owned();
    let id = match tx.fetch_optional::<(Uuid,)>(&q).await? {
        Some((id,)) => id,
        None => {
            let id = kernel::new_id();
            let name = label.filter(|l| !l.is_empty()).unwrap_or(code);
            let q = Query::insert()
                .into_table(Alias::new("classes"))
                .columns(["school_id", "id", "kind", "code", "name"].map(Alias::new))
                .values_panic([school.into(), id.into(), kind.into(), code.into(), name.into()])
                .to_owned();
            tx.execute(&q).await?;
            id
        }
    };
    st.classes.insert((school, code.to_string()), id);
    Ok(id)
}

/// Subjects and MEFs: code → label.
pub(crate) async fn reference(
    tx: &mut Tx,
    table: &'static str,
    code: &str,
    label: &str,
    counts: &mut Counts,
) -> db::Result<()> {
    let q = Query::select()
        .column(Alias::new("label"))
        .from(Alias::new(table))
        .and_where(col_eq("code", code))
        .to_owned();
    match tx.fetch_optional::<(String,)>(&q).await? {
        Some((current,)) if current == label => counts.unchanged += 1,
        Some(_) => {
            let q = Query::update()
                .table(Alias::new(table))
                .value(Alias::new("label"), label)
                .and_where(col_eq("code", code))
                .to_owned();
            tx.execute(&q).await?;
            counts.updated += 1;
        }
        None => {
            let q = Query::insert()
                .into_table(Alias::new(table))
                .columns(["code", "label"].map(Alias::new))
                .values_panic([code.into(), label.into()])
                .on_conflict(OnConflict::column(Alias::new("code")).do_nothing().to_owned())
                .to_owned();
            tx.execute(&q).await?;
            counts.created += 1;
        }
    }
    Ok(())
}
