//! `/discipline`: the staff's list of recent records with its filters, or, for a student and their
//! family, the student's record as the school shows it.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use kernel::Profile;
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::{Fmt, answer, optional_id, options};
use crate::Attendance;
use crate::discipline::family::FamilyView;
use crate::discipline::model::{PunishmentKind, PunishmentStatus, SanctionKind};
use crate::discipline::records::{ListFilter, StaffList, What};
use crate::discipline::service::{Discipline, Viewer};

#[derive(serde::Deserialize, Default)]
pub(crate) struct HomeParams {
    eleve: Option<String>,
    classe: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    statut: Option<String>,
}

impl HomeParams {
    /// `type` is `incidents`, `incident:<type id>`, `punitions`, `punition:<code>`, `sanctions` or
    /// `sanction:<code>`; anything else lists everything.
    fn filter(&self) -> WebResult<ListFilter> {
        let kind = self.kind.as_deref().unwrap_or_default().trim();
        let what = match kind.split_once(':') {
            None if kind == "incidents" => What::Incidents(None),
            None if kind == "punitions" => What::Punishments(None),
            None if kind == "sanctions" => What::Sanctions(None),
            Some(("incident", id)) => What::Incidents(Some(super::parse_id(id)?)),
            Some(("punition", code)) => What::Punishments(PunishmentKind::parse(code)),
            Some(("sanction", code)) => What::Sanctions(SanctionKind::parse(code)),
            _ => What::All,
        };
        Ok(ListFilter {
            class: optional_id(self.classe.as_deref())?,
            what,
            status: self.statut.as_deref().and_then(PunishmentStatus::parse),
        })
    }
}

/// One line of the staff's list, whatever its nature.
pub(crate) struct Row {
    sort: (String, i32),
    pub date: String,
    pub nature: String,
    pub what: String,
    pub href: String,
    /// (student id, "Prénom Nom (rôle)").
    pub students: Vec<(Uuid, String)>,
    pub status: String,
    pub by: String,
}

fn rows(f: Fmt, list: &StaffList) -> Vec<Row> {
    let t = f.0;
    let mut rows = vec![];
    for (i, people) in &list.incidents {
        rows.push(Row {
            sort: (i.day.clone(), i.minute),
            date: format!("{} {}", f.day(&i.day), f.time(&i.minute)),
            nature: t.get("dis-nature-incident"),
            what: i.type_label.clone(),
            href: format!("/discipline/incidents/{}", i.id),
            students: people
                .iter()
                .filter_map(|p| {
                    let id = p.student_id?;
                    let name = f.opt_name(&p.student_first, &p.student_last);
                    Some((id, format!("{name} ({})", f.role(&p.role))))
                })
                .collect(),
            status: String::new(),
            by: f.name(&i.reporter_first, &i.reporter_last),
        });
    }
    for p in &list.punishments {
        rows.push(Row {
            sort: (p.day.clone(), -1),
            date: f.day(&p.day),
            nature: t.get("dis-nature-punishment"),
            what: f.punishment(&p.kind),
            href: format!("/discipline/eleves/{}#punition-{}", p.student_id, p.id),
            students: vec![(
                p.student_id,
                format!("{} ({})", f.name(&p.student_first, &p.student_last), p.class_name),
            )],
            status: f.status(&p.status),
            by: f.name(&p.giver_first, &p.giver_last),
        });
    }
    for s in &list.sanctions {
        rows.push(Row {
            sort: (s.decided_day.clone(), -1),
            date: f.day(&s.decided_day),
            nature: t.get("dis-nature-sanction"),
            what: f.sanction(&s.kind),
            href: format!("/discipline/eleves/{}#sanction-{}", s.student_id, s.id),
            students: vec![(
                s.student_id,
                format!("{} ({})", f.name(&s.student_first, &s.student_last), s.class_name),
            )],
            status: String::new(),
            by: f.name(&s.decider_first, &s.decider_last),
        });
    }
    rows.sort_by(|a, b| b.sort.cmp(&a.sort));
    rows
}

#[derive(Template)]
#[template(path = "discipline/list.html")]
struct ListTemplate {
    t: Tr,
    rows: Vec<Row>,
    list: StaffList,
    class: String,
    kind: String,
    status: String,
    punishment_kinds: Vec<(&'static str, String)>,
    sanction_kinds: Vec<(&'static str, String)>,
    statuses: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "discipline/family.html")]
struct FamilyTemplate {
    t: Tr,
    f: Fmt,
    view: FamilyView,
    is_guardian: bool,
}

impl FamilyTemplate {
    fn is_child(&self, id: &Uuid) -> bool {
        self.view.child == Some(*id)
    }
}

pub(crate) async fn home(
    State(a): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    Query(p): Query<HomeParams>,
) -> WebResult<Response> {
    let v = Viewer::of(&user)?;
    let d = Discipline::of(&a);
    let (t, f) = (Tr(lang), Fmt(Tr(lang)));
    if matches!(v.profile, Profile::Student | Profile::Guardian) {
        let view = d.family_view(&v, optional_id(p.eleve.as_deref())?).await?;
        let body = FamilyTemplate {
            t,
            f,
            view,
            is_guardian: v.profile == Profile::Guardian,
        };
        return answer(lang, &user, "dis-title", &body, false);
    }
    let list = d.staff_list(&v, &p.filter()?).await?;
    let body = ListTemplate {
        t,
        rows: rows(f, &list),
        list,
        class: p.classe.clone().unwrap_or_default(),
        kind: p.kind.clone().unwrap_or_default(),
        status: p.statut.clone().unwrap_or_default(),
        punishment_kinds: options(t, PunishmentKind::ALL, PunishmentKind::code, PunishmentKind::key),
        sanction_kinds: options(t, SanctionKind::ALL, SanctionKind::code, SanctionKind::key),
        statuses: options(
            t,
            PunishmentStatus::ALL,
            PunishmentStatus::code,
            PunishmentStatus::key,
        ),
    };
    answer(lang, &user, "dis-title", &body, false)
}
