//! One area (bassin) of the generated region: its schools' classes, groups, teachers and staff, then
//! the families of its students.

use std::collections::{HashMap, HashSet};

use db::Cell;
use kernel::Profile;
use rand::Rng;
use uuid::Uuid;

use super::data::{self, Level, MEFS, OPTIONS, SUBJECTS};
use super::{Gen, GenError, SchoolPlan};
use crate::model::SchoolKind;

/// A person whose account row is written once the area is complete (families decide students' names).
/// The domain of generated staff's academic mail.
pub const ACADEMIC_MAIL_DOMAIN: &str = "ac-ardoise.fr";

struct Draft {
    id: Uuid,
    first: &'static str,
    last: String,
    birth: Option<String>,
    login: Option<&'static str>,
    /// Staff get an academic mail (their académie's IdP asserts it at sign-in).
    staff: bool,
}

struct Student {
    id: Uuid,
    school: usize,
    age: u8,
    first: &'static str,
    birth: String,
    division: Uuid,
}

#[derive(Default)]
struct AreaState {
    drafts: Vec<Draft>,
    students: Vec<Student>,
    /// Teachers per subject in the previous school, who may also teach in the next one.
    previous_teachers: HashMap<&'static str, Vec<Uuid>>,
    head_teacher: HashMap<Uuid, Uuid>,
    divisions: HashSet<Uuid>,
    cpe: Vec<Uuid>,
    direction: Vec<Uuid>,
}

fn level_of(kind: SchoolKind) -> Level {
    match kind {
        SchoolKind::College => Level::College,
        SchoolKind::Lycee => Level::Lycee,
        SchoolKind::LyceeAgricole => Level::LyceeAgricole,
    }
}

fn class_size(kind: SchoolKind) -> u32 {
    match kind {
        SchoolKind::College => 26,
        SchoolKind::Lycee => 32,
        SchoolKind::LyceeAgricole => 24,
    }
}

/// Classes a teacher takes in one school.
const CLASSES_PER_TEACHER: usize = 6;

pub(super) fn generate_area(
    g: &mut Gen,
    area: &[SchoolPlan],
    demo: bool,
    region: Uuid,
) -> Result<(), GenError> {
    let mut st = AreaState::default();
    for (index, school) in area.iter().enumerate() {
        generate_school(g, &mut st, index, school);
    }
    let demo_pick = if demo { demo_people(&st, area) } else { None };
    make_families(g, &mut st, area, demo_pick.map(|d| (d.eleve, d.sibling)));
    if let Some(d) = demo_pick {
        name_demo_accounts(g, &mut st, area, d, region);
    }
    for d in st.drafts {
        let login = match d.login {
            Some(l) => l.to_string(),
            None => g.logins.next(d.first, &d.last),
        };
        // As if it came from the AAF: the join key is the one `gen --format aaf` writes (the id).
        let email = if d.staff {
            Cell::Text(format!("{login}@{ACADEMIC_MAIL_DOMAIN}"))
        } else {
            Cell::Null
        };
        g.rows.users.push(vec![
            d.id.into(),
            login.into(),
            d.first.into(),
            d.last.into(),
            d.birth.into(),
            email,
            Cell::Text(d.id.to_string()),
            g.created_at.into(),
        ]);
        g.report.accounts += 1;
    }
    Ok(())
}

fn adult(g: &mut Gen, female: Option<bool>) -> (&'static str, String) {
    let pool: Vec<&(&str, bool)> = data::ADULT_GIVEN_NAMES
        .iter()
        .filter(|(_, f)| female.is_none_or(|w| *f == w))
        .collect();
    let first = if pool.is_empty() {
        "Camille"
    } else {
        pool[g.rng.random_range(0..pool.len())].0
    };
    (first, g.pick(data::SURNAMES).to_string())
}

fn member(g: &mut Gen, school: Uuid, user: Uuid, profile: Profile, function: Option<String>) {
    g.rows.memberships.push(vec![
        school.into(),
        user.into(),
        profile.code().into(),
        function.into(),
    ]);
}

fn generate_school(g: &mut Gen, st: &mut AreaState, index: usize, school: &SchoolPlan) {
    let level = level_of(school.kind);
    let mefs: Vec<&data::MefData> = MEFS.iter().filter(|m| m.level == level).collect();
    let mut needs: Vec<(Uuid, &'static str)> = vec![];
    let first_student = st.students.len();
    for (i, mef) in mefs.iter().enumerate() {
        let share =
            school.students / mefs.len() as u32 + u32::from((i as u32) < school.students % mefs.len() as u32);
        let classes = share.div_ceil(class_size(school.kind)).max(1);
        let mut divisions = vec![];
        for c in 0..classes {
            let id = g.id();
            let (code, name) = if school.kind == SchoolKind::College {
                let letter = char::from(b'A' + (c % 26) as u8);
                (
                    format!("{}{letter}", mef.class_prefix),
                    format!("{}{letter}", mef.class_prefix),
                )
            } else {
                (
                    format!("{}{}", mef.class_prefix, c + 1),
                    format!("{} {}", mef.label, c + 1),
                )
            };
            g.rows.classes.push(vec![
                school.id.into(),
                id.into(),
                "classe".into(),
                code.into(),
                name.into(),
                mef.code.into(),
            ]);
            needs.extend(mef.subjects.iter().map(|s| (id, *s)));
            divisions.push(id);
            st.divisions.insert(id);
            g.report.classes += 1;
        }
        for n in 0..share {
            let division = divisions[n as usize % divisions.len()];
            let (first, _) = *g.pick(data::YOUNG_GIVEN_NAMES);
            let birth = format!(
                "{}-{:02}-{:02}",
                2026 - i64::from(mef.age),
                g.rng.random_range(1..=12),
                g.rng.random_range(1..=28)
            );
            let id = g.id();
            g.rows
                .class_students
                .push(vec![school.id.into(), division.into(), id.into()]);
            st.students.push(Student {
                id,
                school: index,
                age: mef.age,
                first,
                birth,
                division,
            });
        }
        // Options: one group per 30 students choosing it.
        for option in OPTIONS
            .iter()
            .filter(|o| o.level == level && mef.age >= o.from_age)
        {
            let takers: Vec<Uuid> = st.students[first_student..]
                .iter()
                .filter(|s| s.age == mef.age)
                .map(|s| s.id)
                .collect::<Vec<_>>()
                .into_iter()
                .filter(|_| g.chance(u32::from(option.percent)))
                .collect();
            let label = SUBJECTS
                .iter()
                .find(|s| s.code == option.subject)
                .map_or(option.subject, |s| s.short);
            let groups = takers.len().div_ceil(30);
            for (k, chunk) in takers.chunks(30).enumerate() {
                let id = g.id();
                let suffix = if groups > 1 {
                    format!(" {}", k + 1)
                } else {
                    String::new()
                };
                let code = format!("G{}-{}{}", option.subject, mef.class_prefix, k + 1);
                let name = format!("{label} {}{suffix}", mef.label);
                g.rows.classes.push(vec![
                    school.id.into(),
                    id.into(),
                    "groupe".into(),
                    code.into(),
                    name.into(),
                    mef.code.into(),
                ]);
                for s in chunk {
                    g.rows
                        .class_students
                        .push(vec![school.id.into(), id.into(), (*s).into()]);
                }
                needs.push((id, option.subject));
                g.report.groups += 1;
            }
        }
    }
    assign_teachers(g, st, school, needs);
    add_staff(g, st, index, school);
}

fn assign_teachers(g: &mut Gen, st: &mut AreaState, school: &SchoolPlan, needs: Vec<(Uuid, &'static str)>) {
    let mut by_subject: Vec<(&'static str, Vec<Uuid>)> = vec![];
    for (class, subject) in needs {
        match by_subject.iter_mut().find(|(s, _)| *s == subject) {
            Some((_, v)) => v.push(class),
            None => by_subject.push((subject, vec![class])),
        }
    }
    let mut current: HashMap<&'static str, Vec<Uuid>> = HashMap::new();
    for (subject, classes) in by_subject {
        let label = SUBJECTS
            .iter()
            .find(|s| s.code == subject)
            .map_or(subject, |s| s.label);
        let mut rest: &[Uuid] = &classes;
        // About one subject in six shares a teacher with the previous school (complément de service).
        let shared = st
            .previous_teachers
            .get(subject)
            .and_then(|t| t.first().copied())
            .filter(|_| g.chance(15));
        let mut teachers: Vec<(Uuid, &[Uuid])> = vec![];
        if let Some(t) = shared {
            let n = rest.len().min(2);
            teachers.push((t, &rest[..n]));
            rest = &rest[n..];
            g.report.teachers_on_two_sites += 1;
        }
        for chunk in rest.chunks(CLASSES_PER_TEACHER) {
            let (first, last) = adult(g, None);
            let id = g.id();
            st.drafts.push(Draft {
                id,
                first,
                last,
                birth: None,
                login: None,
                staff: true,
            });
            teachers.push((id, chunk));
            current.entry(subject).or_default().push(id);
            g.report.teachers += 1;
        }
        for (teacher, taught) in teachers {
            member(
                g,
                school.id,
                teacher,
                Profile::Teacher,
                Some(format!("ENSEIGNEMENT - {label}")),
            );
            for class in taught {
                g.rows.teachings.push(vec![
                    school.id.into(),
                    (*class).into(),
                    teacher.into(),
                    subject.into(),
                ]);
                if st.divisions.contains(class) && !st.head_teacher.contains_key(class) {
                    st.head_teacher.insert(*class, teacher);
                    g.rows
                        .head_teachers
                        .push(vec![school.id.into(), (*class).into(), teacher.into()]);
                }
            }
        }
    }
    st.previous_teachers = current;
}

fn add_staff(g: &mut Gen, st: &mut AreaState, index: usize, school: &SchoolPlan) {
    let cpe = (school.students / 400).max(1);
    let roles: [(Profile, u32, &str); 4] = [
        (Profile::Direction, 2, "DIRECTION"),
        (Profile::SchoolLife, cpe, "EDUCATION"),
        (Profile::Documentalist, 1, "DOCUMENTATION"),
        (Profile::AdminStaff, 2, "ADMINISTRATION"),
    ];
    for (profile, count, function) in roles {
        for _ in 0..count {
            let (first, last) = adult(g, None);
            let id = g.id();
            st.drafts.push(Draft {
                id,
                first,
                last,
                birth: None,
                login: None,
                staff: true,
            });
            member(g, school.id, id, profile, Some(function.to_string()));
            if index == 0 && profile == Profile::SchoolLife {
                st.cpe.push(id);
            }
            if index == 0 && profile == Profile::Direction {
                st.direction.push(id);
            }
            g.report.other_staff += 1;
        }
    }
}

#[derive(Clone, Copy)]
struct DemoPick {
    eleve: usize,
    sibling: usize,
    other_child: usize,
    prof: Uuid,
}

/// demo.eleve: a 3e student of the first collège; a sibling and another child at the lycée.
fn demo_people(st: &AreaState, area: &[SchoolPlan]) -> Option<DemoPick> {
    let lycee = area.iter().position(|s| s.kind == SchoolKind::Lycee)?;
    let eleve = st.students.iter().position(|s| s.school == 0 && s.age == 14)?;
    let mut at_lycee = st
        .students
        .iter()
        .enumerate()
        .filter(|(_, s)| s.school == lycee)
        .map(|(i, _)| i);
    let sibling = at_lycee.next()?;
    let other_child = at_lycee.next()?;
    let prof = *st.head_teacher.get(&st.students[eleve].division)?;
    Some(DemoPick {
        eleve,
        sibling,
        other_child,
        prof,
    })
}

fn make_families(g: &mut Gen, st: &mut AreaState, area: &[SchoolPlan], demo: Option<(usize, usize)>) {
    let mut order: Vec<usize> = (0..st.students.len()).collect();
    for i in (1..order.len()).rev() {
        let j = g.rng.random_range(0..=i);
        order.swap(i, j);
    }
    if let Some((a, b)) = demo {
        order.retain(|i| *i != a && *i != b);
        order.splice(0..0, [a, b]);
    }
    let mut at = 0;
    let mut first = true;
    while at < order.len() {
        let size = if first && demo.is_some() {
            2
        } else {
            match g.rng.random_range(0..100) {
                0..70 => 1,
                70..93 => 2,
                _ => 3,
            }
        };
        let family: Vec<usize> = order[at..(at + size).min(order.len())].to_vec();
        at += family.len();
        make_family(g, st, area, &family, first && demo.is_some());
        first = false;
    }
}

fn make_family(g: &mut Gen, st: &mut AreaState, area: &[SchoolPlan], children: &[usize], demo: bool) {
    let surname = g.pick(data::SURNAMES).to_string();
    let mut schools: Vec<Uuid> = vec![];
    let mut child_ids = vec![];
    for (k, &c) in children.iter().enumerate() {
        let s = &st.students[c];
        let school = area[s.school].id;
        let login = (demo && k == 0).then_some("demo.eleve");
        st.drafts.push(Draft {
            id: s.id,
            first: s.first,
            last: surname.clone(),
            birth: Some(s.birth.clone()),
            login,
            staff: false,
        });
        member(g, school, s.id, Profile::Student, None);
        if !schools.contains(&school) {
            schools.push(school);
        }
        child_ids.push(s.id);
        g.report.students += 1;
    }
    let two_parents = demo || g.chance(85);
    let mut guardians: Vec<(Uuid, &str, bool)> = vec![];
    let legal: &[(bool, &str)] = if two_parents {
        &[(true, "MERE"), (false, "PERE")]
    } else {
        &[(true, "MERE")]
    };
    for (n, (female, relation)) in legal.iter().enumerate() {
        let (first, maiden) = adult(g, Some(*female));
        let last = if *female && g.chance(40) {
            maiden
        } else {
            surname.clone()
        };
        let id = g.id();
        let login = (demo && n == 0).then_some("demo.parent");
        st.drafts.push(Draft {
            id,
            first,
            last,
            birth: None,
            login,
            staff: false,
        });
        guardians.push((id, relation, true));
    }
    // Other persons in charge (grandparents, step-parents): AAF lists them too, and they get accounts.
    let others = match g.rng.random_range(0..100) {
        0..15 => 0,
        15..40 => 1,
        40..85 => 2,
        _ => 3,
    };
    for _ in 0..others {
        let (first, last) = adult(g, None);
        let id = g.id();
        st.drafts.push(Draft {
            id,
            first,
            last,
            birth: None,
            login: None,
            staff: false,
        });
        let relation = *g.pick(&data::RELATIONS[2.min(data::RELATIONS.len() - 1)..]);
        guardians.push((id, relation, false));
    }
    for (guardian, relation, is_legal) in guardians {
        for school in &schools {
            member(g, *school, guardian, Profile::Guardian, None);
        }
        for child in &child_ids {
            g.rows.guardianships.push(vec![
                (*child).into(),
                guardian.into(),
                relation.into(),
                is_legal.into(),
            ]);
        }
        g.report.guardians += 1;
    }
}

fn name_demo_accounts(g: &mut Gen, st: &mut AreaState, area: &[SchoolPlan], d: DemoPick, region: Uuid) {
    let rename = |st: &mut AreaState, id: Uuid, login: &'static str| {
        if let Some(draft) = st.drafts.iter_mut().find(|x| x.id == id) {
            draft.login = Some(login);
        }
    };
    rename(st, d.prof, "demo.prof");
    if let Some(cpe) = st.cpe.first().copied() {
        rename(st, cpe, "demo.cpe");
    }
    if let Some(head) = st.direction.first().copied() {
        rename(st, head, "demo.direction");
    }
    // demo.prof is also the father of a lycéen: the profile switcher has two contexts to offer.
    let other = &st.students[d.other_child];
    let lycee = area[other.school].id;
    g.rows
        .guardianships
        .push(vec![other.id.into(), d.prof.into(), "PERE".into(), true.into()]);
    member(g, lycee, d.prof, Profile::Guardian, None);
    let admin = g.id();
    st.drafts.push(Draft {
        id: admin,
        first: "Claire",
        last: "Schaeffer".into(),
        birth: None,
        login: Some("demo.admin"),
        staff: false,
    });
    g.rows.region_admins.push(vec![admin.into(), region.into()]);
    let _ = d.sibling;
}
