//! The common-core summaries: for a student, the level retained in each component over their current
//! cycle and the brevet points; for a class, every student's. Students and parents see their own; the
//! head teacher sees their classes'; the direction every class's.

use directory::model::Person;
use directory::store as dir;
use kernel::{ClassId, Profile, SchoolId, UserId};
use uuid::Uuid;

use crate::Grades;
use crate::service::{Error, Result, Viewer};
use crate::skills::{self, Component, Cycle, Level, Summary};
use crate::store::{self, SkillHistoryRow};

/// A level given in an evaluation, as the summary's detail lists it.
#[derive(Debug, Clone)]
pub struct HistoryItem {
    pub level: Level,
    pub day: String,
    pub title: String,
    pub subject: String,
}

/// One student's summary with the recent levels it was drawn from.
#[derive(Debug, Clone)]
pub struct StudentSkills {
    pub student: Person,
    pub cycle: Option<Cycle>,
    pub summary: Summary,
    /// Per component, its most recent levels (those the rule reads).
    pub recent: Vec<(Component, Vec<HistoryItem>)>,
}

/// A class's summaries.
#[derive(Debug, Clone)]
pub struct ClassSkills {
    pub class_id: Uuid,
    pub class_name: String,
    pub cycle: Option<Cycle>,
    pub students: Vec<(Person, Summary)>,
}

/// `/notes/competences`, by who looks.
#[derive(Debug, Clone)]
pub enum SkillsPage {
    Family {
        children: Vec<Person>,
        child: Option<Uuid>,
        skills: Option<StudentSkills>,
    },
    Staff {
        classes: Vec<(Uuid, String)>,
        class: Option<ClassSkills>,
        student: Option<StudentSkills>,
    },
    Nothing,
}

fn pairs(rows: &[&SkillHistoryRow]) -> Vec<(Component, Level)> {
    rows.iter()
        .filter_map(|r| Some((Component::parse(&r.component)?, Level::of_number(r.level)?)))
        .collect()
}

impl Grades {
    async fn cycle_of(
        &self,
        school: SchoolId,
        student: Uuid,
    ) -> Result<Option<(Uuid, String, Option<Cycle>)>> {
        let classes = dir::classes_of_student(&self.db, school, UserId(student)).await?;
        Ok(classes.into_iter().find(|c| c.kind == "classe").map(|c| {
            let cycle = c.mef_code.as_deref().and_then(Cycle::of_mef);
            (c.id, c.name, cycle)
        }))
    }

    /// A student's summary over their current cycle (none outside collège).
    pub async fn student_skills(&self, school: SchoolId, student: &Person) -> Result<StudentSkills> {
        let cycle = self.cycle_of(school, student.id).await?.and_then(|c| c.2);
        let rows = match cycle {
            Some(c) => store::skill_history(&self.db, school, &[student.id], c.number()).await?,
            None => vec![],
        };
        let all: Vec<&SkillHistoryRow> = rows.iter().collect();
        let recent = Component::ALL
            .into_iter()
            .map(|c| {
                let items = rows
                    .iter()
                    .filter(|r| Component::parse(&r.component) == Some(c))
                    .filter_map(|r| {
                        Some(HistoryItem {
                            level: Level::of_number(r.level)?,
                            day: r.day.clone(),
                            title: r.title.clone(),
                            subject: r.subject_label.clone(),
                        })
                    })
                    .take(skills::RECENT)
                    .collect();
                (c, items)
            })
            .collect();
        Ok(StudentSkills {
            student: student.clone(),
            cycle,
            summary: skills::summary(&pairs(&all)),
            recent,
        })
    }

    /// Every student's summary in a class, by name.
    pub async fn class_skills(&self, school: SchoolId, class: ClassId) -> Result<ClassSkills> {
        let c = dir::class(&self.db, school, class)
            .await?
            .ok_or(Error::NotFound)?;
        let cycle = c.mef_code.as_deref().and_then(Cycle::of_mef);
        let students = dir::students_of_class(&self.db, school, class).await?;
        let ids: Vec<Uuid> = students.iter().map(|s| s.id).collect();
        let rows = match cycle {
            Some(cy) => store::skill_history(&self.db, school, &ids, cy.number()).await?,
            None => vec![],
        };
        Ok(ClassSkills {
            class_id: c.id,
            class_name: c.name,
            cycle,
            students: students
                .into_iter()
                .map(|s| {
                    let own: Vec<&SkillHistoryRow> = rows.iter().filter(|r| r.student_id == s.id).collect();
                    let summary = skills::summary(&pairs(&own));
                    (s, summary)
                })
                .collect(),
        })
    }

    /// The classes whose summaries the viewer may read: the direction every division, a teacher those
    /// they are head teacher of.
    async fn summary_classes(&self, v: &Viewer) -> Result<Vec<(Uuid, String)>> {
        Ok(match v.profile {
            Profile::Direction => dir::classes_of_school(&self.db, v.school)
                .await?
                .into_iter()
                .filter(|c| c.kind == "classe")
                .map(|c| (c.id, c.name))
                .collect(),
            Profile::Teacher => {
                let mut out = vec![];
                for id in dir::head_teacher_classes(&self.db, v.school, v.user).await? {
                    if let Some(c) = dir::class(&self.db, v.school, ClassId(id)).await? {
                        out.push((c.id, c.name));
                    }
                }
                out
            }
            _ => vec![],
        })
    }

    /// `/notes/competences`: the student's own summary, a parent's child's, or a class's.
    pub async fn skills_page(
        &self,
        v: &Viewer,
        child: Option<Uuid>,
        class: Option<Uuid>,
        student: Option<Uuid>,
    ) -> Result<SkillsPage> {
        if matches!(v.profile, Profile::Student | Profile::Guardian) {
            let (children, chosen) = self.family_student(v, child).await?;
            let skills = match chosen {
                Some(id) => {
                    let person = dir::person(&self.db, UserId(id)).await?.ok_or(Error::NotFound)?;
                    Some(self.student_skills(v.school, &person).await?)
                }
                None => None,
            };
            return Ok(SkillsPage::Family {
                child: if v.profile == Profile::Guardian {
                    chosen
                } else {
                    None
                },
                children,
                skills,
            });
        }
        let classes = self.summary_classes(v).await?;
        if classes.is_empty() {
            return Ok(SkillsPage::Nothing);
        }
        let Some(class) = class else {
            return Ok(SkillsPage::Staff {
                classes,
                class: None,
                student: None,
            });
        };
        if !classes.iter().any(|(id, _)| *id == class) {
            return Err(Error::NotFound);
        }
        let table = self.class_skills(v.school, ClassId(class)).await?;
        let student = match student {
            Some(s) => {
                let person = table
                    .students
                    .iter()
                    .find(|(p, _)| p.id == s)
                    .map(|(p, _)| p.clone())
                    .ok_or(Error::NotFound)?;
                Some(self.student_skills(v.school, &person).await?)
            }
            None => None,
        };
        Ok(SkillsPage::Staff {
            classes,
            class: Some(table),
            student,
        })
    }
}
