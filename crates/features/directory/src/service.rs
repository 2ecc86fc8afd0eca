//! The directory's entry point for pages and other crates: every read is checked against the viewer's context.

use db::Db;
use kernel::{ClassId, Context, Profile, SchoolId, UserId};
use web::AppError;

use crate::model::{self, Class, Person, School};
use crate::store::{self, Child, ClassSummary, SchoolSummary, TaughtClass, TeacherOfClass};

/// Who is reading: the signed-in person and the context they act in.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub user: UserId,
    pub context: Context,
}

impl From<&web::CurrentUser> for Viewer {
    fn from(u: &web::CurrentUser) -> Self {
        Viewer {
            user: u.user_id,
            context: u.context.context,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Directory {
    db: Db,
}

/// A class page as the viewer may see it.
pub struct ClassView {
    pub class: Class,
    pub mef_label: Option<String>,
    pub teachers: Vec<TeacherOfClass>,
    pub head_teachers: Vec<Person>,
    /// The students listed (all of them, or only the viewer's own children for a parent).
    pub students: Vec<Person>,
    pub student_count: usize,
}

/// What "my directory" shows, by profile.
pub enum Home {
    Student {
        classes: Vec<Class>,
    },
    Guardian {
        children: Vec<Child>,
    },
    Teacher {
        classes: Vec<TaughtClass>,
        head_of: Vec<uuid::Uuid>,
    },
    Staff {
        school: Option<School>,
        classes: Vec<ClassSummary>,
        networks: Vec<(String, Vec<String>)>,
    },
    Region {
        schools: Vec<SchoolSummary>,
        total: i64,
        page: u64,
        per_page: u64,
    },
    Nothing,
}

pub const SCHOOLS_PER_PAGE: u64 = 50;

impl Directory {
    pub fn new(db: Db) -> Directory {
        Directory { db }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub async fn person_by_login(&self, login: &str) -> Result<Option<Person>, db::Error> {
        store::person_by_login(&self.db, login).await
    }

    pub async fn person(&self, id: UserId) -> Result<Option<Person>, db::Error> {
        store::person(&self.db, id).await
    }

    /// Every context a person may act in, in the order the switcher shows them (the first is the default).
    pub async fn contexts_of(&self, user: UserId) -> Result<Vec<(Context, String)>, db::Error> {
        let mut contexts = store::contexts_of(&self.db, user).await?;
        contexts.sort_by_key(|(c, place)| (context_rank(c), place.clone()));
        Ok(contexts)
    }

    pub async fn home(&self, viewer: Viewer, page: u64) -> Result<Home, AppError> {
        let Context::School { school, profile } = viewer.context else {
            let total = store::count_schools(&self.db).await?;
            let last = (total.max(1) as u64 - 1) / SCHOOLS_PER_PAGE;
            let page = page.min(last);
            let schools = store::schools_page(&self.db, page * SCHOOLS_PER_PAGE, SCHOOLS_PER_PAGE).await?;
            return Ok(Home::Region {
                schools,
                total,
                page,
                per_page: SCHOOLS_PER_PAGE,
            });
        };
        Ok(match profile {
            Profile::Student => Home::Student {
                classes: store::classes_of_student(&self.db, school, viewer.user).await?,
            },
            Profile::Guardian => Home::Guardian {
                children: store::children_of(&self.db, viewer.user).await?,
            },
            Profile::Teacher => Home::Teacher {
                classes: store::classes_taught(&self.db, school, viewer.user).await?,
                head_of: store::head_teacher_classes(&self.db, school, viewer.user).await?,
            },
            Profile::Direction | Profile::SchoolLife | Profile::Documentalist | Profile::AdminStaff => {
                Home::Staff {
                    school: store::school(&self.db, school).await?,
                    classes: store::classes_of_school(&self.db, school).await?,
                    networks: store::networks_of_school(&self.db, school).await?,
                }
            }
            Profile::AuthorityStaff | Profile::Guest => Home::Nothing,
        })
    }

    /// A class of the school the viewer acts in; `NotFound` for any class they may not see, so that
    /// another school's classes are not even confirmed to exist.
    pub async fn class(&self, viewer: Viewer, id: ClassId) -> Result<ClassView, AppError> {
        let school: SchoolId = viewer.context.school().ok_or(AppError::NotFound)?;
        let class = store::class(&self.db, school, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let link = store::class_link(&self.db, school, id, viewer.user).await?;
        if !model::may_view_class(&viewer.context, school, link) {
            return Err(AppError::NotFound);
        }
        let all_students = store::students_of_class(&self.db, school, id).await?;
        let student_count = all_students.len();
        let students = if model::may_list_students(&viewer.context) {
            all_students
        } else {
            let mine: Vec<uuid::Uuid> = store::children_of(&self.db, viewer.user)
                .await?
                .into_iter()
                .map(|c| c.id)
                .collect();
            all_students
                .into_iter()
                .filter(|s| mine.contains(&s.id))
                .collect()
        };
        let mef_label = match &class.mef_code {
            Some(code) => store::mef_label(&self.db, code).await?,
            None => None,
        };
        Ok(ClassView {
            teachers: store::teachers_of_class(&self.db, school, id).await?,
            head_teachers: store::head_teachers(&self.db, school, id).await?,
            class,
            mef_label,
            students,
            student_count,
        })
    }
}

/// Regional administration first, then school staff, then students, then parents.
fn context_rank(c: &Context) -> u8 {
    match c.profile() {
        None => 0,
        Some(Profile::Direction) => 1,
        Some(Profile::SchoolLife) => 2,
        Some(Profile::Teacher) => 3,
        Some(Profile::Documentalist) => 4,
        Some(Profile::AdminStaff) => 5,
        Some(Profile::AuthorityStaff) => 6,
        Some(Profile::Student) => 7,
        Some(Profile::Guardian) => 8,
        Some(Profile::Guest) => 9,
    }
}
