//! Homework: setting it (with its event), the students' to-do lists and done ticks, online hand-in,
//! the teacher's view of the work, individual and common corrections.

use directory::model::Person;
use directory::store as dir;
use kernel::{ClassId, Profile, Timestamp};
use uuid::Uuid;

use crate::model::{self, Access, Day, FieldError, HomeworkForm, WorkStatus};
use crate::service::{Error, Homework, Result, SeanceRef, Upload, Viewer, pick_child};
use crate::store::{self, FileKind, FileRow, HomeworkRow, LinkRow, Submission};

/// One line of a to-do list.
pub struct TodoItem {
    pub hw: HomeworkRow,
    pub done: bool,
    /// For homework handed in online: where the student's work stands.
    pub status: Option<WorkStatus>,
}

/// Homework due on one day.
pub struct DueDay {
    pub day: Day,
    pub items: Vec<TodoItem>,
}

/// The teacher's line: homework and how many handed it in.
pub struct SetItem {
    pub hw: HomeworkRow,
    pub handed_in: i64,
    pub students: i64,
}

/// `/devoirs`, by profile.
pub enum Todo {
    Student {
        days: Vec<DueDay>,
    },
    Guardian {
        children: Vec<Person>,
        child: Option<Uuid>,
        days: Vec<DueDay>,
    },
    Teacher {
        items: Vec<SetItem>,
    },
    Nothing,
}

/// One student's work on a homework, with its files.
pub struct Work {
    pub student: Person,
    pub status: WorkStatus,
    pub submission: Option<Submission>,
    pub files: Vec<FileRow>,
    pub correction_files: Vec<FileRow>,
    pub done: bool,
}

/// `/devoirs/{id}`, by what the viewer is to the homework.
pub enum HomeworkSide {
    /// The student (and may hand in), or a parent for each of their children in the class.
    Family { works: Vec<Work>, may_hand_in: bool },
    /// The teacher who set it: every student's work.
    Teacher { works: Vec<Work> },
    /// Readers of the class's log: the homework alone.
    Reader,
}

pub struct HomeworkPage {
    pub hw: HomeworkRow,
    pub links: Vec<LinkRow>,
    pub files: Vec<FileRow>,
    pub common_files: Vec<FileRow>,
    pub side: HomeworkSide,
}

/// How far back the teacher's list goes.
const TEACHER_PAST_DAYS: i32 = 30;

impl Homework {
    /// Sets homework in the teacher's entry of a lesson occurrence, announcing it (same transaction).
    pub async fn add_homework(
        &self,
        v: &Viewer,
        s: &SeanceRef,
        form: &HomeworkForm,
        uploads: &[Upload],
    ) -> Result<Uuid> {
        let draft = form.check(s.day)?;
        if self.access(v, s.class, Some(&s.subject)).await? != Access::Write {
            return Err(self.refusal(v, s.class).await?);
        }
        let files = self.store_uploads(uploads).await?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let (entry_id, class_name) = self.own_entry(&mut tx, v, s, now).await?;
        let id = kernel::new_id();
        let set_day = s.day.to_string();
        let new = store::NewHomework {
            id,
            entry_id,
            class_id: s.class,
            class_name: &class_name,
            subject_code: &s.subject,
            teacher_id: v.user.0,
            set_day: &set_day,
            draft: &draft,
        };
        store::insert_homework(&mut tx, v.school, new, now).await?;
        store::replace_links(&mut tx, v.school, id, &draft.links).await?;
        self.record_files(&mut tx, v, (FileKind::Homework, id, None), &files, now)
            .await?;
        let payload = serde_json::json!({
            "homework": id,
            "class": s.class,
            "subject": s.subject,
            "teacher": v.user,
            "due_day": draft.due_day.to_string(),
            "due_lesson": draft.due_lesson,
            "handin": draft.handin,
        });
        let event = bus::Event {
            topic: "homework.assigned",
            school: Some(v.school),
            payload,
        };
        bus::publish(&mut tx, now, event).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Removes homework its teacher set; returns the lesson occurrence it belonged to.
    pub async fn delete_homework(&self, v: &Viewer, id: Uuid) -> Result<HomeworkRow> {
        let hw = self.editable(v, id).await?;
        let mut tx = self.db.begin().await?;
        store::delete_homework(&mut tx, v.school, id).await?;
        tx.commit().await?;
        Ok(hw)
    }

    /// Homework the viewer set and still teaches; 403 for other readers, 404 for everyone else.
    async fn editable(&self, v: &Viewer, id: Uuid) -> Result<HomeworkRow> {
        let hw = store::homework(&self.db, v.school, id)
            .await?
            .ok_or(Error::NotFound)?;
        let r = self.relation(v, hw.class_id, Some(&hw.subject_code)).await?;
        if model::may_edit(v.profile, r, hw.teacher_id, v.user.0) {
            return Ok(hw);
        }
        Err(match model::logbook_access(v.profile, r) {
            Access::None => Error::NotFound,
            _ => Error::Forbidden,
        })
    }

    /// `/devoirs`: a student's or child's list from today on, or the teacher's homework with counts.
    pub async fn todo(&self, v: &Viewer, child: Option<Uuid>) -> Result<Todo> {
        let today = self.today();
        match v.profile {
            Profile::Student => Ok(Todo::Student {
                days: self.days_of(v, v.user.0, today).await?,
            }),
            Profile::Guardian => {
                let children = self.families.children_in_school(v.school, v.user).await?;
                let child = pick_child(&children, child)?;
                let days = match child {
                    Some(c) => self.days_of(v, c, today).await?,
                    None => vec![],
                };
                Ok(Todo::Guardian {
                    children,
                    child,
                    days,
                })
            }
            Profile::Teacher => {
                let from = today.plus_days(-TEACHER_PAST_DAYS).to_string();
                let set = store::homework_of_teacher(&self.db, v.school, v.user, &from).await?;
                let ids: Vec<Uuid> = set.iter().map(|h| h.id).collect();
                let mut classes: Vec<Uuid> = set.iter().map(|h| h.class_id).collect();
                classes.dedup();
                let handed = store::handed_in_counts(&self.db, v.school, &ids).await?;
                let sizes = dir::class_sizes(&self.db, v.school, &classes).await?;
                let count = |list: &[(Uuid, i64)], id: Uuid| {
                    list.iter().find(|(k, _)| *k == id).map_or(0, |(_, n)| *n)
                };
                Ok(Todo::Teacher {
                    items: set
                        .into_iter()
                        .map(|hw| SetItem {
                            handed_in: count(&handed, hw.id),
                            students: count(&sizes, hw.class_id),
                            hw,
                        })
                        .collect(),
                })
            }
            _ => Ok(Todo::Nothing),
        }
    }

    /// A student's homework from `today` on, grouped by due day.
    async fn days_of(&self, v: &Viewer, student: Uuid, today: Day) -> Result<Vec<DueDay>> {
        let classes: Vec<Uuid> = self
            .families
            .classes_of_student(v.school, kernel::UserId(student))
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        let list = store::homework_for_classes(&self.db, v.school, &classes, &today.to_string()).await?;
        let ids: Vec<Uuid> = list.iter().map(|h| h.id).collect();
        let done = store::done_among(&self.db, v.school, student, &ids).await?;
        let handed = store::handed_in_by(&self.db, v.school, student, &ids).await?;
        let mut days: Vec<DueDay> = vec![];
        for hw in list {
            let Some(day) = Day::parse(&hw.due_day) else {
                continue;
            };
            let status = hw.handin.then(|| {
                let at = handed
                    .iter()
                    .find(|(id, _)| *id == hw.id)
                    .map(|(_, at)| Timestamp(*at));
                WorkStatus::of(at, hw.deadline.map(Timestamp))
            });
            let item = TodoItem {
                done: done.contains(&hw.id),
                status,
                hw,
            };
            match days.last_mut() {
                Some(d) if d.day == day => d.items.push(item),
                _ => days.push(DueDay {
                    day,
                    items: vec![item],
                }),
            }
        }
        Ok(days)
    }

    /// `/devoirs/{id}` as the viewer may see it.
    pub async fn homework_page(&self, v: &Viewer, id: Uuid) -> Result<HomeworkPage> {
        let hw = store::homework(&self.db, v.school, id)
            .await?
            .ok_or(Error::NotFound)?;
        let r = self.relation(v, hw.class_id, Some(&hw.subject_code)).await?;
        if model::logbook_access(v.profile, r) == Access::None {
            return Err(Error::NotFound);
        }
        let links = store::links_of(&self.db, v.school, &[id]).await?;
        let all_files = store::files_of(&self.db, v.school, &[id]).await?;
        let of_kind = |k: FileKind| {
            all_files
                .iter()
                .filter(|f| f.kind == k.code())
                .cloned()
                .collect::<Vec<_>>()
        };
        let teacher = model::may_edit(v.profile, r, hw.teacher_id, v.user.0);
        let students: Vec<Person> = if teacher {
            dir::students_of_class(&self.db, v.school, ClassId(hw.class_id)).await?
        } else if v.profile == Profile::Student && r.member {
            vec![Person {
                id: v.user.0,
                login: String::new(),
                first_name: String::new(),
                last_name: String::new(),
            }]
        } else if v.profile == Profile::Guardian {
            let mine = self.children_in_class(v, hw.class_id).await?;
            self.families
                .children_in_school(v.school, v.user)
                .await?
                .into_iter()
                .filter(|c| mine.contains(&c.id))
                .collect()
        } else {
            vec![]
        };
        let submissions = store::submissions_of(&self.db, v.school, id).await?;
        let done_by = store::done_by(&self.db, v.school, id).await?;
        let mut works = vec![];
        for student in students {
            let submission = submissions.iter().find(|s| s.student_id == student.id).cloned();
            let files_of = |k: FileKind| {
                all_files
                    .iter()
                    .filter(|f| f.kind == k.code() && f.student_id == Some(student.id))
                    .cloned()
                    .collect::<Vec<_>>()
            };
            let done = done_by.contains(&student.id);
            works.push(Work {
                status: WorkStatus::of(
                    submission.as_ref().and_then(|s| s.submitted_at.map(Timestamp)),
                    hw.deadline.map(Timestamp),
                ),
                files: files_of(FileKind::Submission),
                correction_files: files_of(FileKind::Correction),
                submission,
                student,
                done,
            });
        }
        let side = if teacher {
            HomeworkSide::Teacher { works }
        } else if v.profile == Profile::Student || v.profile == Profile::Guardian {
            HomeworkSide::Family {
                may_hand_in: v.profile == Profile::Student && hw.handin,
                works,
            }
        } else {
            HomeworkSide::Reader
        };
        Ok(HomeworkPage {
            files: of_kind(FileKind::Homework),
            common_files: of_kind(FileKind::Common),
            links,
            hw,
            side,
        })
    }

    /// The homework a student of its class acts on (done tick, hand-in).
    async fn for_student(&self, v: &Viewer, id: Uuid) -> Result<HomeworkRow> {
        let hw = store::homework(&self.db, v.school, id)
            .await?
            .ok_or(Error::NotFound)?;
        let r = self.relation(v, hw.class_id, None).await?;
        if v.profile == Profile::Student && r.member {
            return Ok(hw);
        }
        Err(match model::logbook_access(v.profile, r) {
            Access::None => Error::NotFound,
            _ => Error::Forbidden,
        })
    }

    pub async fn set_done(&self, v: &Viewer, id: Uuid, done: bool) -> Result<()> {
        self.for_student(v, id).await?;
        store::set_done(&self.db, v.school, id, v.user.0, done, self.now()).await?;
        Ok(())
    }

    /// Hands work in (text and/or files), on time or late; a new hand-in replaces the text and adds files.
    pub async fn hand_in(&self, v: &Viewer, id: Uuid, text: &str, uploads: &[Upload]) -> Result<()> {
        let hw = self.for_student(v, id).await?;
        if !hw.handin {
            return Err(Error::Forbidden);
        }
        let text = text.trim();
        if text.is_empty() && uploads.is_empty() {
            return Err(FieldError::new("hw-field-work", "hw-problem-empty-work").into());
        }
        if text.chars().count() > model::MAX_TEXT {
            return Err(FieldError::new("hw-field-work", "hw-problem-too-long").into());
        }
        let files = self.store_uploads(uploads).await?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::hand_in(&mut tx, v.school, id, v.user.0, text, now).await?;
        self.record_files(
            &mut tx,
            v,
            (FileKind::Submission, id, Some(v.user.0)),
            &files,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Returns a student's corrected work (text and/or files), announcing it.
    pub async fn return_correction(
        &self,
        v: &Viewer,
        id: Uuid,
        student: Uuid,
        text: &str,
        uploads: &[Upload],
    ) -> Result<()> {
        let hw = self.editable(v, id).await?;
        if dir::students_among(&self.db, v.school, ClassId(hw.class_id), &[student])
            .await?
            .is_empty()
        {
            return Err(Error::NotFound);
        }
        let text = text.trim();
        if text.is_empty() && uploads.is_empty() {
            return Err(FieldError::new("hw-field-correction", "hw-problem-empty-work").into());
        }
        let files = self.store_uploads(uploads).await?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::correct(&mut tx, v.school, id, student, text, now).await?;
        self.record_files(&mut tx, v, (FileKind::Correction, id, Some(student)), &files, now)
            .await?;
        let event = bus::Event {
            topic: "homework.corrected",
            school: Some(v.school),
            payload: serde_json::json!({ "homework": id, "student": student, "teacher": v.user }),
        };
        bus::publish(&mut tx, now, event).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Posts the correction every student of the class sees.
    pub async fn common_correction(
        &self,
        v: &Viewer,
        id: Uuid,
        text: &str,
        uploads: &[Upload],
    ) -> Result<()> {
        self.editable(v, id).await?;
        let text = text.trim();
        if text.is_empty() && uploads.is_empty() {
            return Err(FieldError::new("hw-field-common", "hw-problem-empty-work").into());
        }
        let files = self.store_uploads(uploads).await?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::set_common_correction(&mut tx, v.school, id, text, now).await?;
        self.record_files(&mut tx, v, (FileKind::Common, id, None), &files, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
