//! `ardoise gen`: a synthetic region, deterministic for a seed, from one school to the 841 schools and
//! 1.5 M accounts of Grand Est. It writes straight into an empty database, in one transaction.
//!
//! Shape: schools are planned first (kind, sector, department, UAI with its check letter), then grouped
//! in areas (bassins) of about eight schools of one department. Each area is generated and written in
//! turn: classes, option groups, teachers (some on two sites), staff, students, then families whose
//! children may attend different schools of the area, with their legal representatives and other persons
//! in charge. Memory stays bounded by one area.

mod area;
pub mod data;
pub mod login;
mod rows;

use db::{Cell, Db};
use kernel::Uai;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_query::{Expr, Func, Query};
use uuid::Uuid;

use self::data::{ACADEMIES, MEFS, SUBJECTS};
use self::rows::Rows;
use crate::model::{SchoolKind, Sector};
use crate::store::Regions;

#[derive(Debug, Clone)]
pub struct Params {
    pub seed: u64,
    pub schools: u32,
    pub students: u32,
    /// Turn chosen people into the fixed demo accounts (demo.eleve, demo.parent…).
    pub demo_accounts: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum GenError {
    #[error("la base contient déjà une région : ardoise gen n'écrit que dans une base vide")]
    RegionExists,
    #[error("paramètre invalide : {0}")]
    Invalid(String),
    #[error(transparent)]
    Db(#[from] db::Error),
}

/// What a run produced.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub schools: u64,
    pub classes: u64,
    pub groups: u64,
    pub students: u64,
    pub guardians: u64,
    pub teachers: u64,
    pub teachers_on_two_sites: u64,
    pub other_staff: u64,
    pub accounts: u64,
    pub rows: u64,
    pub elapsed_ms: u64,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "Région générée en {:.1} s :", self.elapsed_ms as f64 / 1000.0)?;
        writeln!(f, "  établissements       {:>9}", self.schools)?;
        writeln!(f, "  classes / groupes    {:>9} / {}", self.classes, self.groups)?;
        writeln!(f, "  élèves               {:>9}", self.students)?;
        writeln!(f, "  responsables         {:>9}", self.guardians)?;
        writeln!(
            f,
            "  enseignants          {:>9} (dont {} sur deux établissements)",
            self.teachers, self.teachers_on_two_sites
        )?;
        writeln!(f, "  autres personnels    {:>9}", self.other_staff)?;
        writeln!(f, "  comptes              {:>9}", self.accounts)?;
        write!(f, "  lignes écrites       {:>9}", self.rows)
    }
}

pub async fn region_exists(db: &Db) -> Result<bool, db::Error> {
    let q = Query::select()
        .expr(Func::count(Expr::col(Regions::Id)))
        .from(Regions::Table)
        .to_owned();
    Ok(db.fetch_one::<(i64,)>(&q).await?.0 > 0)
}

/// A planned school.
pub(crate) struct SchoolPlan {
    pub id: Uuid,
    pub uai: Uai,
    pub kind: SchoolKind,
    pub students: u32,
    pub department: usize,
}

/// Shared state of a run: the random source, id minting, logins and row buffers.
pub(crate) struct Gen {
    pub rng: ChaCha8Rng,
    next_ms: u64,
    pub logins: login::Logins,
    pub rows: Rows,
    pub report: Report,
    pub created_at: i64,
}

/// 1 September 2026, 00:00 UTC: the generated ids are UUIDv7 from this instant on, one per millisecond.
const ID_EPOCH_MS: u64 = 1_788_220_800_000;

impl Gen {
    /// A deterministic UUIDv7.
    pub fn id(&mut self) -> Uuid {
        self.next_ms += 1;
        let random: [u8; 10] = self.rng.random();
        uuid::Builder::from_unix_timestamp_millis(self.next_ms, &random).into_uuid()
    }

    pub fn chance(&mut self, percent: u32) -> bool {
        self.rng.random_range(0..100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.random_range(0..items.len())]
    }
}

/// Share of the region's population by department number (INSEE, rounded), to place schools.
const DEPARTMENT_WEIGHTS: &[(&str, u32)] = &[
    ("008", 27),
    ("010", 31),
    ("051", 57),
    ("052", 17),
    ("054", 73),
    ("055", 18),
    ("057", 104),
    ("088", 36),
    ("067", 114),
    ("068", 76),
];

/// School kinds in a repeating pattern: 60 % collèges, 35 % lycées, 5 % lycées agricoles.
const KIND_PATTERN: [SchoolKind; 20] = {
    use SchoolKind::{College as C, Lycee as L, LyceeAgricole as A};
    [C, L, C, C, L, C, C, L, C, C, L, C, C, L, A, C, L, C, C, L]
};

/// Schools of one area (bassin).
const AREA_SIZE: usize = 8;

pub async fn generate(db: &Db, params: &Params) -> Result<Report, GenError> {
    #[allow(clippy::disallowed_methods)] // measures a duration; not the time of day
    let started = std::time::Instant::now();
    validate(params)?;
    if region_exists(db).await? {
        return Err(GenError::RegionExists);
    }
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(params.seed),
        next_ms: ID_EPOCH_MS,
        logins: login::Logins::default(),
        rows: Rows::default(),
        report: Report::default(),
        created_at: ID_EPOCH_MS as i64,
    };
    let mut tx = db.begin().await?;
    let region_id = g.id();
    let plans = plan_schools(&mut g, params)?;
    write_reference(&mut g, &mut tx, region_id, &plans).await?;
    let mut first = true;
    for (n, area) in plans.chunks(AREA_SIZE).enumerate() {
        let network = g.id();
        let network_row = vec![
            network.into(),
            region_id.into(),
            format!("Bassin {}", n + 1).into(),
            "Réseau de proximité".into(),
        ];
        tx.bulk_insert(
            "networks",
            &["id", "region_id", "name", "description"],
            &[network_row],
        )
        .await?;
        let members: Vec<Vec<Cell>> = area.iter().map(|s| vec![s.id.into(), network.into()]).collect();
        tx.bulk_insert("network_schools", &["school_id", "network_id"], &members)
            .await?;
        area::generate_area(&mut g, area, params.demo_accounts && first, region_id)?;
        first = false;
        if g.rows.pending() > 200_000 {
            g.rows.flush(&mut tx).await?;
        }
    }
    g.rows.flush(&mut tx).await?;
    tx.commit().await?;
    // Fresh planner statistics: right after a bulk load PostgreSQL still believes the tables empty and
    // scans them (a 10,000-student region served half the pages it serves once analysed). SQLite's
    // planner keeps to the indexes without statistics.
    if db.engine() == db::Engine::Postgres {
        db.execute_raw("ANALYZE").await?;
    }
    g.report.rows = g.rows.written;
    g.report.elapsed_ms = started.elapsed().as_millis() as u64;
    tracing::info!(
        accounts = g.report.accounts,
        elapsed_ms = g.report.elapsed_ms,
        "region generated"
    );
    Ok(g.report)
}

fn validate(p: &Params) -> Result<(), GenError> {
    if p.schools == 0 || p.schools > 8_000 {
        return Err(GenError::Invalid(format!(
            "--schools {} : entre 1 et 8 000 établissements",
            p.schools
        )));
    }
    let per_school = p.students / p.schools;
    if !(40..=3_000).contains(&per_school) {
        return Err(GenError::Invalid(format!(
            "--students {} pour {} établissements : il faut entre 40 et 3 000 élèves par établissement",
            p.students, p.schools
        )));
    }
    Ok(())
}

fn plan_schools(g: &mut Gen, params: &Params) -> Result<Vec<SchoolPlan>, GenError> {
    let mut serials: Vec<u32> = vec![1_000; DEPARTMENT_WEIGHTS.len()];
    let total_weight: u32 = DEPARTMENT_WEIGHTS.iter().map(|d| d.1).sum();
    let mut plans = Vec::with_capacity(params.schools as usize);
    let mut department = 0;
    for i in 0..params.schools as usize {
        if i % AREA_SIZE == 0 {
            let mut roll = g.rng.random_range(0..total_weight);
            department = DEPARTMENT_WEIGHTS
                .iter()
                .position(|(_, w)| {
                    roll < *w || {
                        roll -= w;
                        false
                    }
                })
                .unwrap_or(0);
        }
        let kind = KIND_PATTERN[i % KIND_PATTERN.len()];
        serials[department] += g.rng.random_range(1..6);
        let dept: u32 = DEPARTMENT_WEIGHTS[department].0.parse().unwrap_or(67);
        let uai = Uai::from_number(dept * 10_000 + serials[department] % 10_000)
            .ok_or_else(|| GenError::Invalid("trop d'établissements pour un département".into()))?;
        let weight = match kind {
            SchoolKind::College => 100,
            SchoolKind::Lycee => 150,
            SchoolKind::LyceeAgricole => 45,
        } * g.rng.random_range(80..=120)
            / 100;
        plans.push(SchoolPlan {
            id: g.id(),
            uai,
            kind,
            students: weight,
            department,
        });
    }
    // Scale the weights to the requested number of students exactly.
    let weight_sum: u64 = plans.iter().map(|p| u64::from(p.students)).sum();
    let mut assigned = 0u32;
    for p in plans.iter_mut() {
        p.students = ((u64::from(p.students) * u64::from(params.students)) / weight_sum.max(1)) as u32;
        assigned += p.students;
    }
    if let Some(last) = plans.last_mut() {
        last.students += params.students.saturating_sub(assigned);
    }
    Ok(plans)
}

fn department_data(number: &str) -> Option<(&'static data::AcademyData, &'static data::DepartmentData)> {
    ACADEMIES
        .iter()
        .find_map(|a| a.departments.iter().find(|d| d.number == number).map(|d| (a, d)))
}

/// The region, académies, authorities, nomenclatures and schools.
async fn write_reference(
    g: &mut Gen,
    tx: &mut db::Tx,
    region: Uuid,
    plans: &[SchoolPlan],
) -> Result<(), GenError> {
    tx.bulk_insert(
        "regions",
        &["id", "code", "name"],
        &[vec![region.into(), "GRAND-EST".into(), "Région Grand Est".into()]],
    )
    .await?;
    let mut academies = vec![];
    let mut academy_ids = vec![];
    for a in ACADEMIES {
        let id = g.id();
        academy_ids.push((a.code, id));
        academies.push(vec![
            id.into(),
            region.into(),
            a.code.into(),
            format!("Académie de {}", a.name).into(),
        ]);
    }
    tx.bulk_insert("academies", &["id", "region_id", "code", "name"], &academies)
        .await?;
    let region_authority = g.id();
    let alsace = g.id();
    let mut authorities = vec![
        vec![
            region_authority.into(),
            region.into(),
            "region".into(),
            "REGION-GE".into(),
            "Région Grand Est".into(),
        ],
        vec![
            alsace.into(),
            region.into(),
            "collectivite".into(),
            "CEA".into(),
            "Collectivité européenne d'Alsace".into(),
        ],
    ];
    let mut department_authorities = vec![];
    for (number, _) in DEPARTMENT_WEIGHTS {
        let id = if matches!(*number, "067" | "068") {
            alsace
        } else {
            let id = g.id();
            let name = department_data(number).map(|(_, d)| d.name).unwrap_or(number);
            authorities.push(vec![
                id.into(),
                region.into(),
                "departement".into(),
                format!("CD-{number}").into(),
                format!("Conseil départemental ({name})").into(),
            ]);
            id
        };
        department_authorities.push(id);
    }
    tx.bulk_insert(
        "authorities",
        &["id", "region_id", "kind", "code", "name"],
        &authorities,
    )
    .await?;
    let subjects: Vec<Vec<Cell>> = SUBJECTS
        .iter()
        .map(|s| vec![s.code.into(), s.label.into()])
        .collect();
    tx.bulk_insert("subjects", &["code", "label"], &subjects).await?;
    let mefs: Vec<Vec<Cell>> = MEFS.iter().map(|m| vec![m.code.into(), m.label.into()]).collect();
    tx.bulk_insert("mefs", &["code", "label"], &mefs).await?;

    let mut schools = vec![];
    for p in plans {
        let number = DEPARTMENT_WEIGHTS[p.department].0;
        let (academy, dept) = department_data(number)
            .ok_or_else(|| GenError::Invalid(format!("département {number} inconnu")))?;
        let academy_id = academy_ids
            .iter()
            .find(|(code, _)| *code == academy.code)
            .map(|(_, id)| *id)
            .unwrap_or(region);
        let authority = if p.kind == SchoolKind::College {
            department_authorities[p.department]
        } else {
            region_authority
        };
        let city = *g.pick(dept.cities);
        let namesake = *g.pick(data::NAMESAKES);
        let sector = if g.chance(12) {
            Sector::PrivateUnderContract
        } else {
            Sector::Public
        };
        let name = match sector {
            Sector::Public => format!("{} {namesake}", p.kind.label()),
            Sector::PrivateUnderContract => format!("{} privé {namesake}", p.kind.label()),
        };
        schools.push(vec![
            p.id.into(),
            p.uai.as_str().into(),
            name.into(),
            p.kind.code().into(),
            sector.code().into(),
            academy_id.into(),
            authority.into(),
            city.into(),
            Cell::Null,
        ]);
    }
    g.report.schools = plans.len() as u64;
    tx.bulk_insert(
        "schools",
        &[
            "id",
            "uai",
            "name",
            "kind",
            "sector",
            "academy_id",
            "authority_id",
            "city",
            "jointure",
        ],
        &schools,
    )
    .await?;
    Ok(())
}
