//! `/discipline/punitions/…`, `/discipline/sanctions/nouvelle` and `/discipline/eleves/{id}`: giving a
//! punishment, deciding a sanction, marking a punishment done, and a student's record.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::{Fields, Fmt, Post, answer, field_message, optional_id, options, parse_id};
use crate::Attendance;
use crate::discipline::model::{
    self, FieldError, PunishmentForm, PunishmentKind, PunishmentStatus, SanctionForm, SanctionKind, Sursis,
};
use crate::discipline::records::StudentRecord;
use crate::discipline::service::{Discipline, Error, Picker, Pupil, Viewer};
use crate::discipline::store::PunishmentRow;

/// `?eleve=&incident=&classe=`: whom the form is about, for which incident, or the class to pick from.
#[derive(serde::Deserialize, Default)]
pub(crate) struct Target {
    eleve: Option<String>,
    incident: Option<String>,
    classe: Option<String>,
}

impl Target {
    fn of(fields: &Fields) -> Target {
        let some = |name: &str| Some(fields.one(name)).filter(|s| !s.trim().is_empty());
        Target {
            eleve: some("eleve"),
            incident: some("incident"),
            classe: some("classe"),
        }
    }

    fn student(&self) -> WebResult<Option<Uuid>> {
        optional_id(self.eleve.as_deref())
    }

    fn incident(&self) -> WebResult<Option<Uuid>> {
        optional_id(self.incident.as_deref())
    }
}

/// The student the form is about (fixed), or the classes and students to choose from.
struct Whom {
    pupil: Option<Pupil>,
    picker: Picker,
    incident: Option<Uuid>,
}

async fn whom(d: &Discipline, v: &Viewer, target: &Target) -> WebResult<Whom> {
    let pupil = match target.student()? {
        Some(s) => Some(d.reach(v, s).await?),
        None => None,
    };
    let picker = if pupil.is_some() {
        Picker::default()
    } else {
        d.picker(v, optional_id(target.classe.as_deref())?).await?
    };
    Ok(Whom {
        pupil,
        picker,
        incident: target.incident()?,
    })
}

impl Whom {
    fn class_is(&self, id: &Uuid) -> bool {
        self.picker.class == Some(*id)
    }
}

/// Where to go once a record is written: its incident, else the student's record.
fn after(student: Uuid, incident: Option<Uuid>) -> Response {
    match incident {
        Some(i) => Redirect::to(&format!("/discipline/incidents/{i}")),
        None => Redirect::to(&format!("/discipline/eleves/{student}")),
    }
    .into_response()
}

fn chosen_student(target: &Target) -> Result<Uuid, Error> {
    match target.eleve.as_deref() {
        None => Err(FieldError::new("dis-field-student", "dis-problem-required").into()),
        Some(s) => s.trim().parse().map_err(|_| Error::NotFound),
    }
}

#[derive(Template)]
#[template(path = "discipline/punishment_new.html")]
struct PunishmentTemplate<'a> {
    t: Tr,
    csrf: &'a str,
    action: &'static str,
    whom: Whom,
    typed: PunishmentForm,
    kinds: Vec<(&'static str, String)>,
    error: Option<String>,
}

async fn render_punishment(
    d: &Discipline,
    lang: Lang,
    user: &CurrentUser,
    target: &Target,
    typed: PunishmentForm,
    error: Option<String>,
) -> WebResult<Response> {
    let v = Viewer::of(user)?;
    if !model::may_punish(v.profile) {
        return Err(web::AppError::NotFound);
    }
    let failed = error.is_some();
    let body = PunishmentTemplate {
        t: Tr(lang),
        csrf: &user.csrf_token,
        action: "/discipline/punitions/nouvelle",
        whom: whom(d, &v, target).await?,
        typed,
        kinds: options(
            Tr(lang),
            PunishmentKind::ALL,
            PunishmentKind::code,
            PunishmentKind::key,
        ),
        error,
    };
    answer(lang, user, "dis-new-punishment-title", &body, failed)
}

pub(crate) async fn punishment_form(
    State(a): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    Query(target): Query<Target>,
) -> WebResult<Response> {
    let d = Discipline::of(&a);
    render_punishment(&d, lang, &user, &target, PunishmentForm::default(), None).await
}

pub(crate) async fn give_punishment(
    State(a): State<Attendance>,
    lang: Lang,
    post: Post,
) -> WebResult<Response> {
    let (user, fields, v) = post.checked()?;
    let d = Discipline::of(&a);
    let target = Target::of(&fields);
    let form = PunishmentForm {
        kind: fields.one("kind"),
        reason: fields.one("reason"),
        work: fields.one("work"),
        detention_day: fields.one("detention_day"),
        detention_time: fields.one("detention_time"),
        detention_place: fields.one("detention_place"),
    };
    let incident = target.incident()?;
    let given = match chosen_student(&target) {
        Ok(student) => d
            .give_punishment(&v, student, incident, &form)
            .await
            .map(|_| student),
        Err(e) => Err(e),
    };
    match given {
        Ok(student) => Ok(after(student, incident)),
        Err(Error::Invalid(e)) => {
            let error = Some(field_message(Tr(lang), &e));
            render_punishment(&d, lang, &user, &target, form, error).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "discipline/sanction_new.html")]
struct SanctionTemplate<'a> {
    t: Tr,
    csrf: &'a str,
    action: &'static str,
    whom: Whom,
    typed: SanctionForm,
    kinds: Vec<(&'static str, String)>,
    sursis: Vec<(&'static str, String)>,
    max_days: i32,
    max_hours: i32,
    error: Option<String>,
}

async fn render_sanction(
    d: &Discipline,
    lang: Lang,
    user: &CurrentUser,
    target: &Target,
    mut typed: SanctionForm,
    error: Option<String>,
) -> WebResult<Response> {
    let v = Viewer::of(user)?;
    d.may_decide(&v)?;
    if typed.decided_day.is_empty() {
        typed.decided_day = d.today().to_string();
    }
    let failed = error.is_some();
    let t = Tr(lang);
    let body = SanctionTemplate {
        t,
        csrf: &user.csrf_token,
        action: "/discipline/sanctions/nouvelle",
        whom: whom(d, &v, target).await?,
        typed,
        kinds: options(t, SanctionKind::ALL, SanctionKind::code, SanctionKind::key),
        sursis: options(t, Sursis::ALL, Sursis::code, Sursis::key),
        max_days: model::MAX_EXCLUSION_DAYS,
        max_hours: model::MAX_RESPONSIBILITY_HOURS,
        error,
    };
    answer(lang, user, "dis-new-sanction-title", &body, failed)
}

pub(crate) async fn sanction_form(
    State(a): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    Query(target): Query<Target>,
) -> WebResult<Response> {
    let d = Discipline::of(&a);
    render_sanction(&d, lang, &user, &target, SanctionForm::default(), None).await
}

pub(crate) async fn decide_sanction(
    State(a): State<Attendance>,
    lang: Lang,
    post: Post,
) -> WebResult<Response> {
    let (user, fields, v) = post.checked()?;
    let d = Discipline::of(&a);
    d.may_decide(&v)?;
    let target = Target::of(&fields);
    let form = SanctionForm {
        kind: fields.one("kind"),
        reason: fields.one("reason"),
        decided_day: fields.one("decided_day"),
        council_day: fields.one("council_day"),
        start_day: fields.one("start_day"),
        days: fields.one("days"),
        hours: fields.one("hours"),
        sursis: fields.one("sursis"),
        sursis_days: fields.one("sursis_days"),
    };
    let incident = target.incident()?;
    let decided = match chosen_student(&target) {
        Ok(student) => d
            .decide_sanction(&v, student, incident, &form)
            .await
            .map(|_| student),
        Err(e) => Err(e),
    };
    match decided {
        Ok(student) => Ok(after(student, incident)),
        Err(Error::Invalid(e)) => {
            let error = Some(field_message(Tr(lang), &e));
            render_sanction(&d, lang, &user, &target, form, error).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn set_status(
    State(a): State<Attendance>,
    Path(id): Path<String>,
    post: Post,
) -> WebResult<Response> {
    let (_, fields, v) = post.checked()?;
    let id = parse_id(&id)?;
    let status = PunishmentStatus::parse(&fields.one("etat")).ok_or(web::AppError::NotFound)?;
    let student = Discipline::of(&a).set_punishment_status(&v, id, status).await?;
    Ok(Redirect::to(&format!("/discipline/eleves/{student}#punition-{id}")).into_response())
}

#[derive(Template)]
#[template(path = "discipline/student.html")]
struct StudentTemplate<'a> {
    t: Tr,
    f: Fmt,
    csrf: &'a str,
    r: StudentRecord,
    me: Uuid,
    whole_school: bool,
    statuses: Vec<(&'static str, String)>,
}

impl StudentTemplate<'_> {
    /// The giver, the office and the direction mark a punishment done or not.
    fn may_change(&self, p: &PunishmentRow) -> bool {
        self.whole_school || p.given_by == self.me
    }

    /// The student's role in an incident.
    fn role_in(&self, people: &[crate::discipline::store::Involved]) -> String {
        people
            .iter()
            .filter(|p| p.student_id == Some(self.r.pupil.person.id))
            .map(|p| self.f.role(&p.role))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub(crate) async fn student(
    State(a): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = Viewer::of(&user)?;
    let r = Discipline::of(&a).student_record(&v, parse_id(&id)?).await?;
    let t = Tr(lang);
    let body = StudentTemplate {
        t,
        f: Fmt(t),
        csrf: &user.csrf_token,
        r,
        me: v.user.0,
        whole_school: model::sees_whole_school(v.profile),
        statuses: options(
            t,
            PunishmentStatus::ALL,
            PunishmentStatus::code,
            PunishmentStatus::key,
        ),
    };
    answer(lang, &user, "dis-student-title", &body, false)
}
