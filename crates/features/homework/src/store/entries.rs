//! Cahier de textes entries, their links and their files.

use db::{Db, Result, Tx};
use directory::store::Subjects;
use kernel::{SchoolId, Timestamp, UserId};
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};
use uuid::Uuid;

use super::tables::*;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub id: Uuid,
    pub class_id: Uuid,
    pub class_name: String,
    pub subject_code: String,
    pub subject_label: String,
    pub day: String,
    pub teacher_id: Uuid,
    pub teacher_first: String,
    pub teacher_last: String,
    pub lesson_id: Option<Uuid>,
    pub content: String,
}

fn entry_select(school: SchoolId) -> SelectStatement {
    let e = LogbookEntries::Table;
    let mut q = Query::select()
        .columns([
            (e, LogbookEntries::Id),
            (e, LogbookEntries::ClassId),
            (e, LogbookEntries::ClassName),
            (e, LogbookEntries::SubjectCode),
            (e, LogbookEntries::Day),
            (e, LogbookEntries::TeacherId),
            (e, LogbookEntries::LessonId),
            (e, LogbookEntries::Content),
        ])
        .from(e)
        .and_where(Expr::col((e, LogbookEntries::SchoolId)).eq(school.0))
        .to_owned();
    super::name_subject_and_teacher(
        &mut q,
        (e, LogbookEntries::SubjectCode),
        (e, LogbookEntries::TeacherId),
    );
    q
}

/// The key of an entry: one teacher's lesson in one class and subject on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryKey {
    pub class_id: Uuid,
    pub subject_code: String,
    pub day: String,
    pub teacher_id: Uuid,
}

pub async fn entry_by_key(db: &Db, school: SchoolId, key: &EntryKey) -> Result<Option<Entry>> {
    let e = LogbookEntries::Table;
    let q = entry_select(school)
        .and_where(Expr::col((e, LogbookEntries::ClassId)).eq(key.class_id))
        .and_where(Expr::col((e, LogbookEntries::SubjectCode)).eq(key.subject_code.as_str()))
        .and_where(Expr::col((e, LogbookEntries::Day)).eq(key.day.as_str()))
        .and_where(Expr::col((e, LogbookEntries::TeacherId)).eq(key.teacher_id))
        .to_owned();
    db.fetch_optional(&q).await
}

/// The entries of a lesson occurrence (one per teacher), for readers opening the timetable's link.
pub async fn entries_of_lesson_day(
    db: &Db,
    school: SchoolId,
    class: Uuid,
    subject: &str,
    day: &str,
) -> Result<Vec<Entry>> {
    let e = LogbookEntries::Table;
    let q = entry_select(school)
        .and_where(Expr::col((e, LogbookEntries::ClassId)).eq(class))
        .and_where(Expr::col((e, LogbookEntries::SubjectCode)).eq(subject))
        .and_where(Expr::col((e, LogbookEntries::Day)).eq(day))
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn entry(db: &Db, school: SchoolId, id: Uuid) -> Result<Option<Entry>> {
    let q = entry_select(school)
        .and_where(Expr::col((LogbookEntries::Table, LogbookEntries::Id)).eq(id))
        .to_owned();
    db.fetch_optional(&q).await
}

/// A class's log, newest first, in one subject or all.
pub async fn entries_of_class(
    db: &Db,
    school: SchoolId,
    class: Uuid,
    subject: Option<&str>,
) -> Result<Vec<Entry>> {
    let e = LogbookEntries::Table;
    let mut q = entry_select(school)
        .and_where(Expr::col((e, LogbookEntries::ClassId)).eq(class))
        .order_by((e, LogbookEntries::Day), Order::Desc)
        .order_by((Subjects::Table, Subjects::Label), Order::Asc)
        .limit(300)
        .to_owned();
    if let Some(subject) = subject {
        q.and_where(Expr::col((e, LogbookEntries::SubjectCode)).eq(subject));
    }
    db.fetch_all(&q).await
}

/// The subjects a class's log has entries in.
pub async fn subjects_of_class_log(db: &Db, school: SchoolId, class: Uuid) -> Result<Vec<(String, String)>> {
    let e = LogbookEntries::Table;
    let q = Query::select()
        .distinct()
        .column((Subjects::Table, Subjects::Code))
        .column((Subjects::Table, Subjects::Label))
        .from(e)
        .inner_join(
            Subjects::Table,
            Expr::col((Subjects::Table, Subjects::Code)).equals((e, LogbookEntries::SubjectCode)),
        )
        .and_where(Expr::col((e, LogbookEntries::SchoolId)).eq(school.0))
        .and_where(Expr::col((e, LogbookEntries::ClassId)).eq(class))
        .order_by((Subjects::Table, Subjects::Label), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// A class or group by id and name (the name it had when its log was written).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NamedClass {
    pub id: Uuid,
    pub name: String,
}

/// Every class with a log in the school, this year's and past years' (their names as they were).
pub async fn logged_classes(db: &Db, school: SchoolId) -> Result<Vec<NamedClass>> {
    let e = LogbookEntries::Table;
    let q = Query::select()
        .expr_as(Expr::col(LogbookEntries::ClassId), Alias::new("id"))
        .expr_as(Expr::col(LogbookEntries::ClassName).max(), Alias::new("name"))
        .from(e)
        .and_where(Expr::col(LogbookEntries::SchoolId).eq(school.0))
        .group_by_col(LogbookEntries::ClassId)
        .order_by(Alias::new("name"), Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

/// Whether any entry, this year's or an archived one, has this class id (its name if so).
pub async fn logged_class_name(db: &Db, school: SchoolId, class: Uuid) -> Result<Option<String>> {
    let q = Query::select()
        .column(LogbookEntries::ClassName)
        .from(LogbookEntries::Table)
        .and_where(Expr::col(LogbookEntries::SchoolId).eq(school.0))
        .and_where(Expr::col(LogbookEntries::ClassId).eq(class))
        .limit(1)
        .to_owned();
    Ok(db.fetch_optional::<(String,)>(&q).await?.map(|r| r.0))
}

pub struct NewEntry<'a> {
    pub id: Uuid,
    pub key: &'a EntryKey,
    pub class_name: &'a str,
    pub lesson_id: Option<Uuid>,
    pub content: &'a str,
}

pub async fn insert_entry(tx: &mut Tx, school: SchoolId, e: NewEntry<'_>, now: Timestamp) -> Result<()> {
    let q = Query::insert()
        .into_table(LogbookEntries::Table)
        .columns([
            LogbookEntries::SchoolId,
            LogbookEntries::Id,
            LogbookEntries::ClassId,
            LogbookEntries::ClassName,
            LogbookEntries::SubjectCode,
            LogbookEntries::Day,
            LogbookEntries::TeacherId,
            LogbookEntries::LessonId,
            LogbookEntries::Content,
            LogbookEntries::CreatedAt,
            LogbookEntries::UpdatedAt,
        ])
        .values_panic([
            school.0.into(),
            e.id.into(),
            e.key.class_id.into(),
            e.class_name.into(),
            e.key.subject_code.as_str().into(),
            e.key.day.as_str().into(),
            e.key.teacher_id.into(),
            e.lesson_id.into(),
            e.content.into(),
            now.0.into(),
            now.0.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}

pub async fn update_entry(
    tx: &mut Tx,
    school: SchoolId,
    id: Uuid,
    content: &str,
    lesson_id: Option<Uuid>,
    now: Timestamp,
) -> Result<()> {
    let mut q = Query::update()
        .table(LogbookEntries::Table)
        .value(LogbookEntries::Content, content)
        .value(LogbookEntries::UpdatedAt, now.0)
        .and_where(Expr::col(LogbookEntries::SchoolId).eq(school.0))
        .and_where(Expr::col(LogbookEntries::Id).eq(id))
        .to_owned();
    if let Some(lesson) = lesson_id {
        q.value(LogbookEntries::LessonId, lesson);
    }
    tx.execute(&q).await?;
    Ok(())
}

// ---- links and files ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkRow {
    pub parent_id: Uuid,
    pub url: String,
    pub label: String,
}

pub async fn links_of(db: &Db, school: SchoolId, parents: &[Uuid]) -> Result<Vec<LinkRow>> {
    if parents.is_empty() {
        return Ok(vec![]);
    }
    let q = Query::select()
        .columns([LogbookLinks::ParentId, LogbookLinks::Url, LogbookLinks::Label])
        .from(LogbookLinks::Table)
        .and_where(Expr::col(LogbookLinks::SchoolId).eq(school.0))
        .and_where(Expr::col(LogbookLinks::ParentId).is_in(parents.to_vec()))
        .order_by(LogbookLinks::Id, Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn replace_links(
    tx: &mut Tx,
    school: SchoolId,
    parent: Uuid,
    links: &[crate::model::Link],
) -> Result<()> {
    let del = Query::delete()
        .from_table(LogbookLinks::Table)
        .and_where(Expr::col(LogbookLinks::SchoolId).eq(school.0))
        .and_where(Expr::col(LogbookLinks::ParentId).eq(parent))
        .to_owned();
    tx.execute(&del).await?;
    for link in links {
        let q = Query::insert()
            .into_table(LogbookLinks::Table)
            .columns([
                LogbookLinks::SchoolId,
                LogbookLinks::Id,
                LogbookLinks::ParentId,
                LogbookLinks::Url,
                LogbookLinks::Label,
            ])
            .values_panic([
                school.0.into(),
                kernel::new_id().into(),
                parent.into(),
                link.url.as_str().into(),
                link.label.as_str().into(),
            ])
            .to_owned();
        tx.execute(&q).await?;
    }
    Ok(())
}

/// What a file is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Entry,
    Homework,
    Common,
    Submission,
    Correction,
}

impl FileKind {
    pub fn code(self) -> &'static str {
        match self {
            FileKind::Entry => "entry",
            FileKind::Homework => "homework",
            FileKind::Common => "common",
            FileKind::Submission => "submission",
            FileKind::Correction => "correction",
        }
    }

    pub fn parse(s: &str) -> Option<FileKind> {
        [
            FileKind::Entry,
            FileKind::Homework,
            FileKind::Common,
            FileKind::Submission,
            FileKind::Correction,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub id: Uuid,
    pub kind: String,
    pub parent_id: Uuid,
    pub student_id: Option<Uuid>,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub blob_key: String,
}

impl FileRow {
    pub fn size_label(&self) -> String {
        blob::human_size(Ord::max(self.size, 0) as u64)
    }
}

const FILE_COLS: [HomeworkFiles; 8] = [
    HomeworkFiles::Id,
    HomeworkFiles::Kind,
    HomeworkFiles::ParentId,
    HomeworkFiles::StudentId,
    HomeworkFiles::FileName,
    HomeworkFiles::ContentType,
    HomeworkFiles::Size,
    HomeworkFiles::BlobKey,
];

fn file_select(school: SchoolId) -> SelectStatement {
    Query::select()
        .columns(FILE_COLS)
        .from(HomeworkFiles::Table)
        .and_where(Expr::col(HomeworkFiles::SchoolId).eq(school.0))
        .to_owned()
}

pub async fn files_of(db: &Db, school: SchoolId, parents: &[Uuid]) -> Result<Vec<FileRow>> {
    if parents.is_empty() {
        return Ok(vec![]);
    }
    let q = file_select(school)
        .and_where(Expr::col(HomeworkFiles::ParentId).is_in(parents.to_vec()))
        .order_by(HomeworkFiles::Id, Order::Asc)
        .to_owned();
    db.fetch_all(&q).await
}

pub async fn file(db: &Db, school: SchoolId, id: Uuid) -> Result<Option<FileRow>> {
    let q = file_select(school)
        .and_where(Expr::col(HomeworkFiles::Id).eq(id))
        .to_owned();
    db.fetch_optional(&q).await
}

pub struct NewFile<'a> {
    pub kind: FileKind,
    pub parent_id: Uuid,
    pub student_id: Option<Uuid>,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: u64,
    pub blob_key: &'a str,
    pub uploaded_by: UserId,
}

pub async fn insert_file(tx: &mut Tx, school: SchoolId, f: NewFile<'_>, now: Timestamp) -> Result<()> {
    let q = Query::insert()
        .into_table(HomeworkFiles::Table)
        .columns(
            std::iter::once(HomeworkFiles::SchoolId)
                .chain(FILE_COLS)
                .chain([HomeworkFiles::UploadedBy, HomeworkFiles::UploadedAt]),
        )
        .values_panic([
            school.0.into(),
            kernel::new_id().into(),
            f.kind.code().into(),
            f.parent_id.into(),
            f.student_id.into(),
            f.file_name.into(),
            f.content_type.into(),
            (f.size as i64).into(),
            f.blob_key.into(),
            f.uploaded_by.0.into(),
            now.0.into(),
        ])
        .to_owned();
    tx.execute(&q).await?;
    Ok(())
}
