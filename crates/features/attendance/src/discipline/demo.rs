//! Demo content: two incidents in demo.eleve's class reported by demo.prof (one where demo.eleve is a
//! victim, one where they are the author), a punishment for each author and an avertissement for
//! demo.eleve, so demo.cpe, demo.direction and demo.parent have a real record to look at.

use db::{Db, Tx};
use kernel::{SchoolId, Timestamp, UserId};
use sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use uuid::Uuid;

use super::model::{
    Day, Detention, IncidentDraft, PunishmentDraft, PunishmentKind, Role, SanctionDraft, SanctionKind, Sursis,
};
use super::store::{self, IncidentQuery, JournalEntry, NewPerson, Pupil};

fn a(name: &str) -> Alias {
    Alias::new(name)
}

fn col(table: &str, name: &str) -> Expr {
    Expr::col((a(table), a(name)))
}

/// (school, class, class name, demo.prof, demo.eleve) of demo.eleve's division taught by demo.prof.
async fn demo_class(db: &Db) -> db::Result<Option<(Uuid, Uuid, String, Uuid, Uuid)>> {
    let q = Query::select()
        .column((a("t"), a("school_id")))
        .column((a("t"), a("class_id")))
        .column((a("c"), a("name")))
        .column((a("p"), a("id")))
        .column((a("e"), a("id")))
        .from_as(a("users"), a("p"))
        .join_as(
            JoinType::InnerJoin,
            a("teachings"),
            a("t"),
            col("t", "teacher_id").equals((a("p"), a("id"))),
        )
        .join_as(
            JoinType::InnerJoin,
            a("classes"),
            a("c"),
            col("c", "school_id")
                .equals((a("t"), a("school_id")))
                .and(col("c", "id").equals((a("t"), a("class_id")))),
        )
        .join_as(
            JoinType::InnerJoin,
            a("class_students"),
            a("s"),
            col("s", "school_id")
                .equals((a("t"), a("school_id")))
                .and(col("s", "class_id").equals((a("t"), a("class_id")))),
        )
        .join_as(
            JoinType::InnerJoin,
            a("users"),
            a("e"),
            col("e", "id").equals((a("s"), a("student_id"))),
        )
        .and_where(col("p", "login").eq("demo.prof"))
        .and_where(col("e", "login").eq("demo.eleve"))
        .and_where(col("c", "kind").eq("classe"))
        .limit(1)
        .to_owned();
    db.fetch_optional(&q).await
}

/// Two classmates of demo.eleve, by name.
async fn classmates(db: &Db, school: Uuid, class: Uuid, eleve: Uuid) -> db::Result<Vec<Uuid>> {
    let q = Query::select()
        .column((a("s"), a("student_id")))
        .from_as(a("class_students"), a("s"))
        .join_as(
            JoinType::InnerJoin,
            a("users"),
            a("u"),
            col("u", "id").equals((a("s"), a("student_id"))),
        )
        .and_where(col("s", "school_id").eq(school))
        .and_where(col("s", "class_id").eq(class))
        .and_where(col("s", "student_id").ne(eleve))
        .order_by((a("u"), a("last_name")), Order::Asc)
        .order_by((a("u"), a("first_name")), Order::Asc)
        .limit(2)
        .to_owned();
    Ok(db
        .fetch_all::<(Uuid,)>(&q)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

/// The head of the school: demo.direction when they work there, else any of its direction.
async fn head(db: &Db, school: Uuid) -> db::Result<Option<Uuid>> {
    let q = Query::select()
        .column((a("m"), a("user_id")))
        .from_as(a("memberships"), a("m"))
        .join_as(
            JoinType::InnerJoin,
            a("users"),
            a("u"),
            col("u", "id").equals((a("m"), a("user_id"))),
        )
        .and_where(col("m", "school_id").eq(school))
        .and_where(col("m", "profile").eq(kernel::Profile::Direction.code()))
        .order_by_expr(col("u", "login").eq("demo.direction"), Order::Desc)
        .limit(1)
        .to_owned();
    Ok(db.fetch_optional::<(Uuid,)>(&q).await?.map(|r| r.0))
}

/// The school day `n` school days before `day` (Monday to Friday).
fn school_days_before(day: Day, n: i32) -> Day {
    let mut d = day;
    let mut left = n;
    while left > 0 || d.weekday() > 5 {
        d = d.plus_days(-1);
        if d.weekday() <= 5 {
            left -= 1;
        }
    }
    d
}

/// Seeds the demo's discipline records; does nothing without the demo accounts or if already seeded.
pub async fn seed_demo(db: &Db, now: Timestamp) -> db::Result<()> {
    let Some((school, class, class_name, prof, eleve)) = demo_class(db).await? else {
        return Ok(());
    };
    let (mates, head) = (
        classmates(db, school, class, eleve).await?,
        head(db, school).await?,
    );
    let (Some(&author), Some(&witness), Some(head)) = (mates.first(), mates.get(1), head) else {
        return Ok(());
    };
    let sid = SchoolId(school);
    let any = IncidentQuery {
        limit: 1,
        ..Default::default()
    };
    if !store::incidents(db, sid, &any).await?.is_empty() {
        return Ok(());
    }
    let types = store::incident_types(db, sid).await?;
    let type_of = |code: &str| types.iter().find(|t| t.code == code).map(|t| t.id);
    let (Some(verbal), Some(phone)) = (type_of("violence_verbale"), type_of("telephone")) else {
        return Ok(());
    };
    let today = Day::of(now);
    let (day1, day2) = (school_days_before(today, 3), school_days_before(today, 1));
    let pupil = |id| Pupil {
        id,
        class_id: Some(class),
        class_name: &class_name,
    };
    let mut tx = db.begin().await?;
    let first = IncidentDraft {
        day: day1,
        minute: 10 * 60 + 5,
        place: "Cour de récréation".into(),
        type_id: verbal,
        description: "Insultes répétées envers un camarade pendant la récréation, devant plusieurs élèves. \
                      L'assistant d'éducation est intervenu."
            .into(),
    };
    let people = [
        (Some(author), "", Role::Author),
        (Some(eleve), "", Role::Victim),
        (Some(witness), "", Role::Witness),
        (None, "M. Lefèvre (assistant d'éducation)", Role::Witness),
    ];
    let incident1 = incident(
        &mut tx,
        sid,
        &first,
        &people,
        (&class_name, class),
        (UserId(prof), now),
    )
    .await?;
    let retenue = PunishmentDraft {
        kind: PunishmentKind::Detention,
        reason: "Propos insultants envers un camarade pendant la récréation.".into(),
        work: "Travail écrit sur le respect d'autrui, remis au CPE à la fin de la retenue.".into(),
        detention: Some(Detention {
            day: today.after_school_days(3),
            minute: 13 * 60 + 30,
            place: "Salle d'étude".into(),
        }),
    };
    let p1 = (kernel::new_id(), pupil(author), Some(incident1));
    store::insert_punishment(&mut tx, sid, p1, &retenue, (UserId(prof), &day1.to_string(), now)).await?;
    let second = IncidentDraft {
        day: day2,
        minute: 14 * 60 + 20,
        place: "Salle 104".into(),
        type_id: phone,
        description: "Utilisation du téléphone portable pendant le cours, après un premier rappel à l'ordre."
            .into(),
    };
    let people = [(Some(eleve), "", Role::Author)];
    let incident2 = incident(
        &mut tx,
        sid,
        &second,
        &people,
        (&class_name, class),
        (UserId(prof), now),
    )
    .await?;
    let devoir = PunishmentDraft {
        kind: PunishmentKind::ExtraWork,
        reason: "Utilisation du téléphone portable en cours malgré un premier rappel.".into(),
        work: "Rédiger une page sur les règles d'usage du téléphone au collège, à rendre au professeur \
               la semaine prochaine."
            .into(),
        detention: None,
    };
    let p2 = (kernel::new_id(), pupil(eleve), Some(incident2));
    store::insert_punishment(&mut tx, sid, p2, &devoir, (UserId(prof), &day2.to_string(), now)).await?;
    let warning = SanctionDraft {
        kind: SanctionKind::Warning,
        reason: "Usage répété du téléphone portable en classe, malgré les rappels au règlement intérieur."
            .into(),
        decided_day: today,
        council_day: None,
        start_day: None,
        exclusion: None,
        hours: None,
        sursis: Sursis::No,
        sursis_days: None,
    };
    let s = (kernel::new_id(), pupil(eleve), Some(incident2));
    store::insert_sanction(&mut tx, sid, s, &warning, (UserId(head), now)).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes an incident and its people, reported by `by`; its id.
async fn incident(
    tx: &mut Tx,
    school: SchoolId,
    draft: &IncidentDraft,
    people: &[(Option<Uuid>, &str, Role)],
    (class_name, class): (&str, Uuid),
    (by, now): (UserId, Timestamp),
) -> db::Result<Uuid> {
    let id = kernel::new_id();
    store::insert_incident(tx, school, id, draft, by, now).await?;
    for (student, adult, role) in people {
        let new = NewPerson {
            student: *student,
            class_id: student.map(|_| class),
            class_name: if student.is_some() { class_name } else { "" },
            adult_name: adult,
            role: *role,
        };
        store::add_person(tx, school, id, new).await?;
    }
    let entry = JournalEntry {
        actor: by,
        action: "incident_reported",
        record: id,
        student: None,
        detail: &draft.place,
    };
    store::journal_write(tx, school, now, entry).await?;
    Ok(id)
}
