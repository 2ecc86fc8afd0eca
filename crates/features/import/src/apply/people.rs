//! People: students, relatives and staff, matched on their AAF join key, with their memberships,
//! classes, teachings and family links; missing people are deactivated after the grace period.

use std::collections::{BTreeSet, HashMap, HashSet};

use db::Tx;
use kernel::Timestamp;
use sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use uuid::Uuid;

use super::structures::ensure_class;
use super::{Counts, Report, State, col_eq};
use crate::aaf::{Identity, Relative, Staff, Student};

#[derive(sqlx::FromRow)]
pub(crate) struct PersonRow {
    id: Uuid,
    first_name: String,
    last_name: String,
    birth_date: Option<String>,
    email: Option<String>,
    deactivated_at: Option<i64>,
    missing_since: Option<i64>,
}

const PERSON_COLUMNS: [&str; 7] = [
    "id",
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "deactivated_at",
    "missing_since",
];

/// What the directory holds about the people of the batch being applied, read in a few queries
/// instead of several per person: who exists (by join key), their memberships and classes.
#[derive(Default)]
pub(crate) struct Prefetch {
    /// Join keys looked up, found or not.
    looked_up: HashSet<String>,
    people: HashMap<String, PersonRow>,
    /// Ids of the people found: their memberships and classes below are complete.
    ids: HashSet<Uuid>,
    memberships: HashSet<(Uuid, Uuid, String)>,
    classes: HashMap<(Uuid, Uuid), BTreeSet<Uuid>>,
    /// Teachings (school, class, subject) and head-teacher classes (school, class) of the staff.
    teachings: HashMap<Uuid, BTreeSet<(Uuid, Uuid, String)>>,
    heads: HashMap<Uuid, BTreeSet<(Uuid, Uuid)>>,
}

/// Reads the people with these join keys, their memberships and classes, for the next records.
pub(crate) async fn prefetch(tx: &mut Tx, st: &mut State, jointures: Vec<String>) -> db::Result<()> {
    let mut p = Prefetch::default();
    if jointures.is_empty() {
        st.prefetch = p;
        return Ok(());
    }
    let mut columns: Vec<&str> = PERSON_COLUMNS.to_vec();
    columns.push("jointure");
    let q = Query::select()
        .columns(columns.into_iter().map(Alias::new))
        .from(Alias::new("users"))
        .and_where(Expr::col(Alias::new("jointure")).is_in(jointures.iter().map(String::as_str)))
        .to_owned();
    #[derive(sqlx::FromRow)]
    struct Found {
        #[sqlx(flatten)]
        row: PersonRow,
        jointure: String,
    }
    for f in tx.fetch_all::<Found>(&q).await? {
        p.ids.insert(f.row.id);
        p.people.insert(f.jointure, f.row);
    }
    if !p.ids.is_empty() {
        let q = Query::select()
            .columns(["user_id", "school_id", "profile"].map(Alias::new))
            .from(Alias::new("memberships"))
            .and_where(Expr::col(Alias::new("user_id")).is_in(p.ids.iter().copied()))
            .to_owned();
        p.memberships = tx.fetch_all(&q).await?.into_iter().collect();
        let schools: HashSet<Uuid> = p.memberships.iter().map(|m| m.1).collect();
        let q = Query::select()
            .columns(["school_id", "student_id", "class_id"].map(Alias::new))
            .from(Alias::new("class_students"))
            .and_where(Expr::col(Alias::new("school_id")).is_in(schools.iter().copied()))
            .and_where(Expr::col(Alias::new("student_id")).is_in(p.ids.iter().copied()))
            .to_owned();
        for (school, student, class) in tx.fetch_all::<(Uuid, Uuid, Uuid)>(&q).await? {
            p.classes.entry((school, student)).or_default().insert(class);
        }
        let staff: Vec<Uuid> = p
            .memberships
            .iter()
            .filter(|m| m.2 != "ELV" && m.2 != "TUT")
            .map(|m| m.0)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if !staff.is_empty() {
            let q = Query::select()
                .columns(["teacher_id", "school_id", "class_id", "subject_code"].map(Alias::new))
                .from(Alias::new("teachings"))
                .and_where(Expr::col(Alias::new("school_id")).is_in(schools.iter().copied()))
                .and_where(Expr::col(Alias::new("teacher_id")).is_in(staff.iter().copied()))
                .to_owned();
            for (teacher, school, class, subject) in tx.fetch_all::<(Uuid, Uuid, Uuid, String)>(&q).await? {
                p.teachings
                    .entry(teacher)
                    .or_default()
                    .insert((school, class, subject));
            }
            let q = Query::select()
                .columns(["teacher_id", "school_id", "class_id"].map(Alias::new))
                .from(Alias::new("head_teachers"))
                .and_where(Expr::col(Alias::new("school_id")).is_in(schools.iter().copied()))
                .and_where(Expr::col(Alias::new("teacher_id")).is_in(staff))
                .to_owned();
            for (teacher, school, class) in tx.fetch_all::<(Uuid, Uuid, Uuid)>(&q).await? {
                p.heads.entry(teacher).or_default().insert((school, class));
            }
        }
    }
    p.looked_up = jointures.into_iter().collect();
    st.prefetch = p;
    Ok(())
}

/// Marks the people seen unchanged by this import (one statement per thousand).
async fn flush_seen(tx: &mut Tx, st: &mut State) -> db::Result<()> {
    for chunk in std::mem::take(&mut st.seen).chunks(1_000) {
        let q = Query::update()
            .table(Alias::new("users"))
            .value(Alias::new("last_import_at"), st.now.millis())
            .and_where(Expr::col(Alias::new("id")).is_in(chunk.iter().copied()))
            .to_owned();
        tx.execute(&q).await?;
    }
    Ok(())
}

/// Finds (by join key) or creates a person, updating what changed; marks them seen by this import.
pub(crate) async fn upsert_person(
    tx: &mut Tx,
    st: &mut State,
    jointure: &str,
    who: &Identity,
    email: Option<&str>,
    counts: &mut Counts,
) -> db::Result<(Uuid, bool)> {
    let birth = who.birth_date.map(|d| d.iso());
    // Each prefetched join key serves once: a key listed twice is read again the second time.
    let in_batch = st.prefetch.looked_up.remove(jointure);
    let known = if in_batch && !st.created.contains_key(jointure) {
        st.prefetch.people.remove(jointure)
    } else {
        // Not prefetched, or created earlier in this import (a join key listed twice): read it.
        if st.created.contains_key(jointure) {
            flush(tx, st).await?;
        }
        let q = Query::select()
            .columns(PERSON_COLUMNS.map(Alias::new))
            .from(Alias::new("users"))
            .and_where(col_eq("jointure", jointure))
            .to_owned();
        tx.fetch_optional::<PersonRow>(&q).await?
    };
    if let Some(row) = known {
        let same = row.first_name == who.first_name
            && row.last_name == who.last_name
            && row.birth_date == birth
            && row.email.as_deref() == email;
        if same && row.deactivated_at.is_none() && row.missing_since.is_none() {
            // Nothing to write but the date it was seen, batched.
            st.seen.push(row.id);
            if st.seen.len() >= 1_000 {
                flush_seen(tx, st).await?;
            }
            counts.unchanged += 1;
            return Ok((row.id, false));
        }
        let q = Query::update()
            .table(Alias::new("users"))
            .values([
                (Alias::new("first_name"), who.first_name.as_str().into()),
                (Alias::new("last_name"), who.last_name.as_str().into()),
                (Alias::new("birth_date"), birth.into()),
                (Alias::new("email"), email.map(str::to_string).into()),
                (Alias::new("last_import_at"), st.now.millis().into()),
                (Alias::new("missing_since"), Option::<i64>::None.into()),
                (Alias::new("deactivated_at"), Option::<i64>::None.into()),
            ])
            .and_where(col_eq("id", row.id))
            .to_owned();
        tx.execute(&q).await?;
        if same {
            counts.unchanged += 1
        } else {
            counts.updated += 1
        }
        return Ok((row.id, row.deactivated_at.is_some()));
    }
    if st.taken_logins.is_none() {
        // Loaded once, at the first new person: a query per candidate login costs more than the set.
        let q = Query::select()
            .columns(["login", "login_alias"].map(Alias::new))
            .from(Alias::new("users"))
            .to_owned();
        let rows: Vec<(String, Option<String>)> = tx.fetch_all(&q).await?;
        st.taken_logins = Some(
            rows.into_iter()
                .flat_map(|(l, a)| std::iter::once(l).chain(a))
                .collect(),
        );
    }
    let login = loop {
        let candidate = st.logins.next(&who.first_name, &who.last_name);
        if st
            .taken_logins
            .as_mut()
            .is_none_or(|taken| taken.insert(candidate.clone()))
        {
            break candidate;
        }
    };
    let id = kernel::new_id();
    st.pending.users.push(vec![
        id.into(),
        login.into(),
        who.first_name.as_str().into(),
        who.last_name.as_str().into(),
        birth.into(),
        email.map(str::to_string).into(),
        jointure.into(),
        st.now.millis().into(),
        st.now.millis().into(),
    ]);
    st.created.insert(jointure.to_string(), id);
    counts.created += 1;
    Ok((id, false))
}

async fn add_membership(
    tx: &mut Tx,
    school: Uuid,
    user: Uuid,
    profile: &str,
    function: Option<String>,
) -> db::Result<()> {
    insert_membership(tx, school, user, profile, function).await
}

/// Adds a membership unless the prefetch shows it exists already.
async fn ensure_membership(
    tx: &mut Tx,
    st: &State,
    school: Uuid,
    user: Uuid,
    profile: &str,
) -> db::Result<()> {
    if st.prefetch.ids.contains(&user)
        && st
            .prefetch
            .memberships
            .contains(&(user, school, profile.to_string()))
    {
        return Ok(());
    }
    insert_membership(tx, school, user, profile, None).await
}

async fn insert_membership(
    tx: &mut Tx,
    school: Uuid,
    user: Uuid,
    profile: &str,
    function: Option<String>,
) -> db::Result<()> {
    let q = Query::insert()
        .into_table(Alias::new("memberships"))
        .columns(["school_id", "user_id", "profile", "function"].map(Alias::new))
        .values_panic([school.into(), user.into(), profile.into(), function.into()])
        .on_conflict(
            OnConflict::columns(["school_id", "user_id", "profile"].map(Alias::new))
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    tx.execute(&q).await.map(drop)
}

pub(crate) async fn student(
    tx: &mut Tx,
    st: &mut State,
    s: &Student,
    report: &mut Report,
) -> db::Result<Result<(), String>> {
    let Some(&school) = st.schools.get(&s.structure) else {
        return Ok(Err(format!(
            "établissement inconnu (jointure {}) : il doit figurer dans EtabEducNat",
            s.structure
        )));
    };
    let created_before = report.students.created;
    let (id, was_deactivated) = upsert_person(
        tx,
        st,
        &s.jointure,
        &s.identity,
        s.contacts.mail.as_deref(),
        &mut report.students,
    )
    .await?;
    let new = report.students.created > created_before;
    if new {
        st.new_students.insert(id);
    }
    report.reactivated += u64::from(was_deactivated);
    if new {
        st.pending
            .memberships
            .push(vec![school.into(), id.into(), "ELV".into(), db::Cell::Null]);
    } else {
        ensure_membership(tx, st, school, id, "ELV").await?;
    }
    let mut wanted = BTreeSet::new();
    for (list, kind) in [(&s.classes, "classe"), (&s.groups, "groupe")] {
        for m in list.iter().filter(|m| m.structure == s.structure) {
            wanted.insert(ensure_class(tx, st, school, &m.code, None, kind).await?);
        }
    }
    let q = Query::select()
        .column(Alias::new("class_id"))
        .from(Alias::new("class_students"))
        .and_where(col_eq("school_id", school))
        .and_where(col_eq("student_id", id))
        .to_owned();
    // A person created by this import has no classes yet: nothing to read or delete.
    let current: BTreeSet<Uuid> = if new {
        BTreeSet::new()
    } else if st.prefetch.ids.remove(&id) {
        st.prefetch.classes.remove(&(school, id)).unwrap_or_default()
    } else {
        tx.fetch_all::<(Uuid,)>(&q)
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect()
    };
    if current != wanted {
        if !current.is_empty() {
            let q = Query::delete()
                .from_table(Alias::new("class_students"))
                .and_where(col_eq("school_id", school))
                .and_where(col_eq("student_id", id))
                .to_owned();
            tx.execute(&q).await?;
        }
        for class in &wanted {
            if new {
                st.pending
                    .class_students
                    .push(vec![school.into(), (*class).into(), id.into()]);
                continue;
            }
            let q = Query::insert()
                .into_table(Alias::new("class_students"))
                .columns(["school_id", "class_id", "student_id"].map(Alias::new))
                .values_panic([school.into(), (*class).into(), id.into()])
                .to_owned();
            tx.execute(&q).await?;
        }
        report.moved += u64::from(!current.is_empty());
    }
    for link in &s.relatives {
        st.links.push((
            id,
            school,
            link.relative.clone(),
            link.relationship.clone(),
            link.is_legal_representative(),
        ));
    }
    Ok(Ok(()))
}

pub(crate) async fn relative(
    tx: &mut Tx,
    st: &mut State,
    r: &Relative,
    counts: &mut Counts,
) -> db::Result<()> {
    let (id, _) = upsert_person(
        tx,
        st,
        &r.jointure,
        &r.identity,
        r.contacts.mail.as_deref(),
        counts,
    )
    .await?;
    st.relatives.insert(r.jointure.clone(), id);
    Ok(())
}

/// Family links, once students and relatives are all known: each student's set is replaced if it changed.
/// Students go a thousand at a time, with their current links and their guardians' memberships read in
/// one query each.
pub(crate) async fn link_relatives(tx: &mut Tx, st: &mut State, report: &mut Report) -> db::Result<()> {
    flush(tx, st).await?;
    let mut links = std::mem::take(&mut st.links);
    links.sort_by_key(|l| l.0);
    let groups: Vec<&[super::Link]> = links.chunk_by(|a, b| a.0 == b.0).collect();
    for chunk in groups.chunks(1_000) {
        // Relatives this import did not list (a delta naming a known parent): found by join key.
        let unknown: HashSet<&str> = chunk
            .iter()
            .flat_map(|g| g.iter())
            .map(|l| l.2.as_str())
            .filter(|j| !st.relatives.contains_key(*j))
            .collect();
        if !unknown.is_empty() {
            let q = Query::select()
                .columns(["jointure", "id"].map(Alias::new))
                .from(Alias::new("users"))
                .and_where(Expr::col(Alias::new("jointure")).is_in(unknown))
                .to_owned();
            for (jointure, id) in tx.fetch_all::<(String, Uuid)>(&q).await? {
                st.relatives.insert(jointure, id);
            }
        }
        let known_students: Vec<Uuid> = chunk
            .iter()
            .map(|g| g[0].0)
            .filter(|s| !st.new_students.contains(s))
            .collect();
        let mut current: HashMap<Uuid, BTreeSet<(Uuid, String, bool)>> = HashMap::new();
        if !known_students.is_empty() {
            let q = Query::select()
                .columns(["student_id", "guardian_id", "relation", "legal"].map(Alias::new))
                .from(Alias::new("guardianships"))
                .and_where(Expr::col(Alias::new("student_id")).is_in(known_students))
                .to_owned();
            for (student, guardian, relation, legal) in tx.fetch_all::<(Uuid, Uuid, String, bool)>(&q).await?
            {
                current
                    .entry(student)
                    .or_default()
                    .insert((guardian, relation, legal));
            }
        }
        let guardians: HashSet<Uuid> = chunk
            .iter()
            .flat_map(|g| g.iter())
            .filter_map(|l| st.relatives.get(&l.2).copied())
            .collect();
        let mut tut: HashSet<(Uuid, Uuid)> = HashSet::new();
        if !guardians.is_empty() {
            let q = Query::select()
                .columns(["user_id", "school_id"].map(Alias::new))
                .from(Alias::new("memberships"))
                .and_where(Expr::col(Alias::new("user_id")).is_in(guardians))
                .and_where(col_eq("profile", "TUT"))
                .to_owned();
            tut = tx.fetch_all::<(Uuid, Uuid)>(&q).await?.into_iter().collect();
        }
        let mut new_links: Vec<Vec<db::Cell>> = vec![];
        let mut new_memberships: Vec<Vec<db::Cell>> = vec![];
        for group in chunk {
            let (student, school) = (group[0].0, group[0].1);
            let mut wanted = BTreeSet::new();
            for (_, _, jointure, relationship, legal) in group.iter() {
                match st.relatives.get(jointure) {
                    Some(g) => {
                        wanted.insert((*g, relationship.clone(), *legal));
                    }
                    None => report.rejected.push(super::Rejection {
                        file: "PersRelEleve".into(),
                        line: 0,
                        record: Some(jointure.clone()),
                        reason: format!("responsable inconnu, lien avec l'élève ignoré (élève {student})"),
                    }),
                }
            }
            let current = current.remove(&student).unwrap_or_default();
            if current != wanted {
                if !current.is_empty() {
                    let q = Query::delete()
                        .from_table(Alias::new("guardianships"))
                        .and_where(col_eq("student_id", student))
                        .to_owned();
                    tx.execute(&q).await?;
                }
                new_links.extend(wanted.iter().map(|(guardian, relationship, legal)| {
                    vec![
                        student.into(),
                        (*guardian).into(),
                        relationship.as_str().into(),
                        (*legal).into(),
                    ]
                }));
            }
            for (guardian, _, _) in &wanted {
                // `tut` holds every TUT membership of these guardians: only missing ones are written.
                if tut.insert((*guardian, school)) {
                    new_memberships.push(vec![
                        school.into(),
                        (*guardian).into(),
                        "TUT".into(),
                        db::Cell::Null,
                    ]);
                }
            }
        }
        tx.bulk_insert(
            "guardianships",
            &["student_id", "guardian_id", "relation", "legal"],
            &new_links,
        )
        .await?;
        tx.bulk_insert(
            "memberships",
            &["school_id", "user_id", "profile", "function"],
            &new_memberships,
        )
        .await?;
    }
    Ok(())
}

pub(crate) async fn staff(
    tx: &mut Tx,
    st: &mut State,
    s: &Staff,
    counts: &mut Counts,
) -> db::Result<Result<(), String>> {
    let mut wanted = BTreeSet::new();
    for p in s.profiles() {
        match (st.schools.get(&p.structure), p.profile.profile()) {
            (Some(school), Some(profile)) => {
                wanted.insert((*school, profile.code().to_string()));
            }
            (None, _) => {
                return Ok(Err(format!(
                    "établissement inconnu (jointure {}) : il doit figurer dans EtabEducNat",
                    p.structure
                )));
            }
            (_, None) => {}
        }
    }
    let (id, _) = upsert_person(
        tx,
        st,
        &s.jointure,
        &s.identity,
        s.contacts.mail.as_deref(),
        counts,
    )
    .await?;
    // What the directory holds: nothing for a new person (whose row must be written before the rows
    // that refer to it), the prefetch for a known one, or else a read.
    let new = st.created.contains_key(&s.jointure);
    if new {
        flush_pending(tx, st).await?;
    }
    let prefetched = !new && st.prefetch.ids.remove(&id);
    let current: BTreeSet<(Uuid, String)> = if new {
        BTreeSet::new()
    } else if prefetched {
        st.prefetch
            .memberships
            .iter()
            .filter(|m| m.0 == id && m.2 != "ELV" && m.2 != "TUT")
            .map(|m| (m.1, m.2.clone()))
            .collect()
    } else {
        let q = Query::select()
            .columns(["school_id", "profile"].map(Alias::new))
            .from(Alias::new("memberships"))
            .and_where(col_eq("user_id", id))
            .and_where(Expr::col(Alias::new("profile")).is_not_in(["ELV", "TUT"]))
            .to_owned();
        tx.fetch_all(&q).await?.into_iter().collect()
    };
    if current != wanted {
        if !current.is_empty() {
            let q = Query::delete()
                .from_table(Alias::new("memberships"))
                .and_where(col_eq("user_id", id))
                .and_where(Expr::col(Alias::new("profile")).is_not_in(["ELV", "TUT"]))
                .to_owned();
            tx.execute(&q).await?;
        }
        for (school, profile) in &wanted {
            add_membership(tx, *school, id, profile, None).await?;
        }
    }
    // Teachings and head-teacher classes: compared as sets, replaced whole when they differ.
    let mut teachings = BTreeSet::new();
    for (list, kind) in [(&s.class_subjects, "classe"), (&s.group_subjects, "groupe")] {
        for a in list.iter() {
            let Some(&school) = st.schools.get(&a.structure) else {
                continue;
            };
            let class = ensure_class(tx, st, school, &a.class_or_group, None, kind).await?;
            ensure_subject(tx, st, &a.subject).await?;
            teachings.insert((school, class, a.subject.clone()));
        }
    }
    let mut heads = BTreeSet::new();
    for m in &s.head_teacher_of {
        let Some(&school) = st.schools.get(&m.structure) else {
            continue;
        };
        heads.insert((
            school,
            ensure_class(tx, st, school, &m.code, None, "classe").await?,
        ));
    }
    let (current_teachings, current_heads) = if new {
        (BTreeSet::new(), BTreeSet::new())
    } else if prefetched {
        (
            st.prefetch.teachings.remove(&id).unwrap_or_default(),
            st.prefetch.heads.remove(&id).unwrap_or_default(),
        )
    } else {
        let q = Query::select()
            .columns(["school_id", "class_id", "subject_code"].map(Alias::new))
            .from(Alias::new("teachings"))
            .and_where(col_eq("teacher_id", id))
            .to_owned();
        let t = tx.fetch_all(&q).await?.into_iter().collect();
        let q = Query::select()
            .columns(["school_id", "class_id"].map(Alias::new))
            .from(Alias::new("head_teachers"))
            .and_where(col_eq("teacher_id", id))
            .to_owned();
        (t, tx.fetch_all(&q).await?.into_iter().collect())
    };
    if current_teachings != teachings {
        if !current_teachings.is_empty() {
            let q = Query::delete()
                .from_table(Alias::new("teachings"))
                .and_where(col_eq("teacher_id", id))
                .to_owned();
            tx.execute(&q).await?;
        }
        let rows: Vec<Vec<db::Cell>> = teachings
            .iter()
            .map(|(school, class, subject)| {
                vec![
                    (*school).into(),
                    (*class).into(),
                    id.into(),
                    subject.as_str().into(),
                ]
            })
            .collect();
        tx.bulk_insert(
            "teachings",
            &["school_id", "class_id", "teacher_id", "subject_code"],
            &rows,
        )
        .await?;
    }
    if current_heads != heads {
        if !current_heads.is_empty() {
            let q = Query::delete()
                .from_table(Alias::new("head_teachers"))
                .and_where(col_eq("teacher_id", id))
                .to_owned();
            tx.execute(&q).await?;
        }
        let rows: Vec<Vec<db::Cell>> = heads
            .iter()
            .map(|(school, class)| vec![(*school).into(), (*class).into(), id.into()])
            .collect();
        tx.bulk_insert("head_teachers", &["school_id", "class_id", "teacher_id"], &rows)
            .await?;
    }
    Ok(Ok(()))
}

/// A subject a teaching names, created with its code as label if the MatiereEducNat file lacked it.
async fn ensure_subject(tx: &mut Tx, st: &mut State, code: &str) -> db::Result<()> {
    if st.subjects.contains(code) {
        return Ok(());
    }
    let q = Query::insert()
        .into_table(Alias::new("subjects"))
        .columns(["code", "label"].map(Alias::new))
        .values_panic([code.into(), code.into()])
        .on_conflict(OnConflict::column(Alias::new("code")).do_nothing().to_owned())
        .to_owned();
    tx.execute(&q).await?;
    st.subjects.insert(code.to_string());
    Ok(())
}

/// A deleteRequest: the person is deactivated (kept, so their history stays), not deleted.
pub(crate) async fn deactivate(tx: &mut Tx, jointure: &str, now: Timestamp) -> db::Result<u64> {
    let q = Query::update()
        .table(Alias::new("users"))
        .value(Alias::new("deactivated_at"), now.millis())
        .and_where(col_eq("jointure", jointure))
        .and_where(Expr::col(Alias::new("deactivated_at")).is_null())
        .to_owned();
    tx.execute(&q).await
}

/// After a complete import: people of the imported schools it did not list become missing, and those
/// missing for longer than the grace period are deactivated.
pub(crate) async fn mark_missing(
    tx: &mut Tx,
    st: &State,
    grace_days: i64,
    report: &mut Report,
) -> db::Result<()> {
    if st.touched_schools.is_empty() {
        return Ok(());
    }
    let now = st.now.millis();
    let of_imported_schools = Query::select()
        .column(Alias::new("user_id"))
        .from(Alias::new("memberships"))
        .and_where(Expr::col(Alias::new("school_id")).is_in(st.touched_schools.iter().copied()))
        .to_owned();
    let not_seen = Expr::col(Alias::new("jointure"))
        .is_not_null()
        .and(
            Expr::col(Alias::new("last_import_at"))
                .is_null()
                .or(Expr::col(Alias::new("last_import_at")).lt(now)),
        )
        .and(Expr::col(Alias::new("deactivated_at")).is_null())
        .and(Expr::col(Alias::new("id")).in_subquery(of_imported_schools));
    let q = Query::update()
        .table(Alias::new("users"))
        .value(Alias::new("missing_since"), now)
        .cond_where(
            not_seen
                .clone()
                .and(Expr::col(Alias::new("missing_since")).is_null()),
        )
        .to_owned();
    tx.execute(&q).await?;
    let deadline = st.now.plus_secs(-grace_days * 86_400).millis();
    let q = Query::update()
        .table(Alias::new("users"))
        .value(Alias::new("deactivated_at"), now)
        .cond_where(
            not_seen
                .clone()
                .and(Expr::col(Alias::new("missing_since")).lte(deadline)),
        )
        .to_owned();
    report.deactivated += tx.execute(&q).await?;
    let q = Query::select()
        .expr(Expr::col(Alias::new("id")).count())
        .from(Alias::new("users"))
        .cond_where(not_seen.and(Expr::col(Alias::new("missing_since")).is_not_null()))
        .to_owned();
    report.missing = tx.fetch_one::<(i64,)>(&q).await?.0 as u64;
    Ok(())
}

/// Rows of the people this import created, written in bulk (COPY on PostgreSQL) rather than one
/// statement each; flushed before anything reads them back.
#[derive(Default)]
pub(crate) struct Pending {
    pub users: Vec<Vec<db::Cell>>,
    pub memberships: Vec<Vec<db::Cell>>,
    pub class_students: Vec<Vec<db::Cell>>,
}

/// Rows buffered before a flush: large enough to amortise a COPY, small enough to stay light.
const FLUSH_AT: usize = 2_000;

pub(crate) async fn flush_if_full(tx: &mut Tx, st: &mut State) -> db::Result<()> {
    if st.pending.users.len() >= FLUSH_AT {
        flush(tx, st).await
    } else {
        Ok(())
    }
}

/// Writes the buffered rows, people first (the other rows refer to them).
pub(crate) async fn flush(tx: &mut Tx, st: &mut State) -> db::Result<()> {
    flush_seen(tx, st).await?;
    flush_pending(tx, st).await
}

/// Writes the buffered new people, their memberships and classes.
async fn flush_pending(tx: &mut Tx, st: &mut State) -> db::Result<()> {
    let p = std::mem::take(&mut st.pending);
    let users = [
        "id",
        "login",
        "first_name",
        "last_name",
        "birth_date",
        "email",
        "jointure",
        "created_at",
        "last_import_at",
    ];
    tx.bulk_insert("users", &users, &p.users).await?;
    tx.bulk_insert(
        "memberships",
        &["school_id", "user_id", "profile", "function"],
        &p.memberships,
    )
    .await?;
    tx.bulk_insert(
        "class_students",
        &["school_id", "class_id", "student_id"],
        &p.class_students,
    )
    .await?;
    st.created.clear();
    Ok(())
}
