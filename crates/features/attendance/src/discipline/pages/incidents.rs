//! `/discipline/incidents/…`: recording an incident with the students and adults involved, and an
//! incident's page where people are added or removed and punishments and sanctions are given for it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::{Fields, Fmt, Post, answer, field_message, optional_id, options, parse_id};
use crate::Attendance;
use crate::discipline::model::{IncidentForm, Role};
use crate::discipline::service::{Discipline, Error, IncidentView, Newcomer, Picker, Viewer};
use crate::discipline::store::{IncidentType, Involved};

/// How many adults the new-incident form names (more are added on the incident's page).
const ADULT_ROWS: [usize; 2] = [1, 2];

#[derive(serde::Deserialize, Default)]
pub(crate) struct ClassParam {
    classe: Option<String>,
}

/// What the new-incident form shows again after an error.
#[derive(Default)]
struct Typed {
    form: IncidentForm,
    roles: Vec<(Uuid, Role)>,
    adults: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "discipline/incident_new.html")]
struct NewTemplate<'a> {
    t: Tr,
    csrf: &'a str,
    picker: Picker,
    types: Vec<IncidentType>,
    typed: Typed,
    roles: Vec<(&'static str, String)>,
    adult_rows: [usize; 2],
    error: Option<String>,
}

impl NewTemplate<'_> {
    fn class_is(&self, id: &Uuid) -> bool {
        self.picker.class == Some(*id)
    }

    fn role_of(&self, student: &Uuid) -> &'static str {
        self.typed
            .roles
            .iter()
            .find(|(s, _)| s == student)
            .map_or("", |(_, r)| r.code())
    }

    fn adult_name(&self, n: &usize) -> &str {
        self.typed.adults.get(n - 1).map_or("", |a| a.0.as_str())
    }

    /// An adult's role as typed, a witness by default.
    fn adult_role(&self, n: &usize) -> &str {
        match self.typed.adults.get(n - 1) {
            Some((_, r)) if !r.is_empty() => r,
            _ => Role::Witness.code(),
        }
    }
}

async fn render_new(
    d: &Discipline,
    lang: Lang,
    user: &CurrentUser,
    class: Option<Uuid>,
    typed: Typed,
    error: Option<String>,
) -> WebResult<Response> {
    let v = Viewer::of(user)?;
    let picker = d.picker(&v, class).await?;
    let failed = error.is_some();
    let mut typed = typed;
    if typed.form.day.is_empty() {
        typed.form.day = d.today().to_string();
    }
    let body = NewTemplate {
        t: Tr(lang),
        csrf: &user.csrf_token,
        picker,
        types: d.active_types(&v).await?,
        typed,
        roles: options(Tr(lang), Role::ALL, Role::code, Role::key),
        adult_rows: ADULT_ROWS,
        error,
    };
    answer(lang, user, "dis-new-incident-title", &body, failed)
}

pub(crate) async fn new_form(
    State(a): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    Query(p): Query<ClassParam>,
) -> WebResult<Response> {
    let class = optional_id(p.classe.as_deref())?;
    render_new(&Discipline::of(&a), lang, &user, class, Typed::default(), None).await
}

fn typed_of(fields: &Fields) -> WebResult<Typed> {
    let form = IncidentForm {
        day: fields.one("day"),
        time: fields.one("time"),
        place: fields.one("place"),
        type_id: fields.one("type_id"),
        description: fields.one("description"),
    };
    let mut roles = vec![];
    for (student, role) in fields.prefixed("role_") {
        if let Some(role) = Role::parse(role) {
            roles.push((parse_id(student)?, role));
        }
    }
    let adults = ADULT_ROWS
        .iter()
        .map(|n| {
            (
                fields.one(&format!("adult_name_{n}")),
                fields.one(&format!("adult_role_{n}")),
            )
        })
        .collect();
    Ok(Typed { form, roles, adults })
}

pub(crate) async fn create(State(a): State<Attendance>, lang: Lang, post: Post) -> WebResult<Response> {
    let (user, fields, v) = post.checked()?;
    let d = Discipline::of(&a);
    let class = optional_id(Some(&fields.one("classe")))?;
    let typed = typed_of(&fields)?;
    let adults: Vec<(String, Role)> = typed
        .adults
        .iter()
        .filter(|(name, _)| !name.trim().is_empty())
        .map(|(name, role)| (name.clone(), Role::parse(role).unwrap_or(Role::Witness)))
        .collect();
    match d.report_incident(&v, &typed.form, &typed.roles, &adults).await {
        Ok(id) => Ok(Redirect::to(&format!("/discipline/incidents/{id}")).into_response()),
        Err(Error::Invalid(e)) => {
            let error = Some(field_message(Tr(lang), &e));
            render_new(&d, lang, &user, class, typed, error).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "discipline/incident.html")]
struct ShowTemplate<'a> {
    t: Tr,
    f: Fmt,
    csrf: &'a str,
    view: IncidentView,
    picker: Picker,
    roles: Vec<(&'static str, String)>,
    error: Option<String>,
}

impl ShowTemplate<'_> {
    fn class_is(&self, id: &Uuid) -> bool {
        self.picker.class == Some(*id)
    }

    /// How a person involved is named on the page.
    fn who(&self, p: &Involved) -> String {
        match (&p.student_first, &p.student_last) {
            (Some(f), Some(l)) => format!("{f} {l}"),
            _ => p.adult_name.clone(),
        }
    }
}

async fn render_show(
    d: &Discipline,
    lang: Lang,
    user: &CurrentUser,
    id: Uuid,
    class: Option<Uuid>,
    error: Option<String>,
) -> WebResult<Response> {
    let v = Viewer::of(user)?;
    let view = d.incident(&v, id).await?;
    let picker = d.picker(&v, class).await?;
    let failed = error.is_some();
    let body = ShowTemplate {
        t: Tr(lang),
        f: Fmt(Tr(lang)),
        csrf: &user.csrf_token,
        view,
        picker,
        roles: options(Tr(lang), Role::ALL, Role::code, Role::key),
        error,
    };
    answer(lang, user, "dis-incident-title", &body, failed)
}

pub(crate) async fn show(
    State(a): State<Attendance>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(p): Query<ClassParam>,
) -> WebResult<Response> {
    let class = optional_id(p.classe.as_deref())?;
    render_show(&Discipline::of(&a), lang, &user, parse_id(&id)?, class, None).await
}

pub(crate) async fn add_person(
    State(a): State<Attendance>,
    lang: Lang,
    Path(id): Path<String>,
    post: Post,
) -> WebResult<Response> {
    let (user, fields, v) = post.checked()?;
    let (d, id) = (Discipline::of(&a), parse_id(&id)?);
    let role = Role::parse(&fields.one("role")).ok_or(web::AppError::NotFound)?;
    let who = if fields.has("eleve") {
        Newcomer::Student(parse_id(&fields.one("eleve"))?)
    } else {
        Newcomer::Adult(fields.one("nom"))
    };
    match d.add_person(&v, id, who, role).await {
        Ok(()) => Ok(Redirect::to(&format!("/discipline/incidents/{id}#personnes")).into_response()),
        Err(Error::Invalid(e)) => {
            let error = Some(field_message(Tr(lang), &e));
            render_show(&d, lang, &user, id, None, error).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn remove_person(
    State(a): State<Attendance>,
    Path(id): Path<String>,
    post: Post,
) -> WebResult<Response> {
    let (_, fields, v) = post.checked()?;
    let id = parse_id(&id)?;
    Discipline::of(&a)
        .remove_person(&v, id, parse_id(&fields.one("personne"))?)
        .await?;
    Ok(Redirect::to(&format!("/discipline/incidents/{id}#personnes")).into_response())
}
