//! `/notes/competences`: the end-of-cycle summary of the common core, for a student (and their
//! parents), or per class for its head teacher and the direction (`?classe=`, `&eleve=` for one
//! student's detail).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use uuid::Uuid;
use web::{CurrentUser, Lang, Tr, WebResult};

use super::{Choice, Fmt, answer, css_url};
use crate::Grades;
use crate::cycle::{SkillsPage, StudentSkills};
use crate::service::Viewer;
use crate::skills::{Component, Cycle, Level, Summary};

#[derive(Template)]
#[template(path = "notes_skills.html")]
struct SkillsTemplate<'a> {
    t: Tr,
    f: Fmt,
    page: &'a SkillsPage,
    css: &'static str,
}

impl SkillsTemplate<'_> {
    fn components(&self) -> [Component; 8] {
        Component::ALL
    }

    fn levels(&self) -> [Level; 4] {
        Level::ALL
    }

    fn is_current(&self, id: &Uuid) -> bool {
        match self.page {
            SkillsPage::Family { child, .. } => child.as_ref() == Some(id),
            SkillsPage::Staff { class, .. } => class.as_ref().is_some_and(|c| c.class_id == *id),
            SkillsPage::Nothing => false,
        }
    }

    fn cycle_text(&self, c: &Option<Cycle>) -> String {
        match c {
            Some(c) => self.t.with("gr-cycle", "n", &c.number().to_string()),
            None => self.t.get("gr-no-cycle"),
        }
    }

    fn is_cycle_four(&self, c: &Option<Cycle>) -> bool {
        *c == Some(Cycle::Four)
    }

    fn points(&self, s: &Summary) -> String {
        if s.complete() {
            self.t.with("gr-points-total", "points", &s.points.to_string())
        } else {
            format!(
                "{} ({})",
                self.t.with("gr-points-total", "points", &s.points.to_string()),
                self.t.with("gr-assessed", "n", &s.assessed.to_string())
            )
        }
    }

    fn student_link(&self, class: &Uuid, student: &Uuid) -> String {
        format!("/notes/competences?classe={class}&eleve={student}")
    }

    /// The student detail shown, if any (both the family's and the staff's views have one).
    fn detail(&self) -> Option<&StudentSkills> {
        match self.page {
            SkillsPage::Family { skills, .. } => skills.as_ref(),
            SkillsPage::Staff { student, .. } => student.as_ref(),
            SkillsPage::Nothing => None,
        }
    }
}

pub(crate) async fn page(
    State(g): State<Grades>,
    lang: Lang,
    user: CurrentUser,
    Query(c): Query<Choice>,
) -> WebResult<Response> {
    let v = Viewer::of(&user)?;
    // `?eleve=`: a parent's child, or the student whose detail the staff opens.
    let eleve = c.child()?;
    let page = g.skills_page(&v, eleve, c.class()?, eleve).await?;
    let body = SkillsTemplate {
        t: Tr(lang),
        f: Fmt(Tr(lang)),
        page: &page,
        css: css_url(),
    };
    answer(lang, &user, &Tr(lang).get("gr-skills-title"), &body, false)
}
