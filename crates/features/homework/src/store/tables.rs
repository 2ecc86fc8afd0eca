//! The tables this crate owns, as sea-query identifiers (the directory's are `directory::store`'s).

use sea_query::Iden;

#[derive(Iden, Clone, Copy)]
pub(crate) enum LogbookEntries {
    Table,
    SchoolId,
    Id,
    ClassId,
    ClassName,
    SubjectCode,
    Day,
    TeacherId,
    LessonId,
    Content,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Homework {
    Table,
    SchoolId,
    Id,
    EntryId,
    ClassId,
    ClassName,
    SubjectCode,
    TeacherId,
    Title,
    Instructions,
    SetDay,
    DueDay,
    DueLessonId,
    Minutes,
    Handin,
    Deadline,
    CommonCorrection,
    CommonCorrectionAt,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum HomeworkDone {
    Table,
    SchoolId,
    HomeworkId,
    StudentId,
    DoneAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum HomeworkSubmissions {
    Table,
    SchoolId,
    HomeworkId,
    StudentId,
    Text,
    SubmittedAt,
    Correction,
    CorrectedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum HomeworkFiles {
    Table,
    SchoolId,
    Id,
    Kind,
    ParentId,
    StudentId,
    FileName,
    ContentType,
    Size,
    BlobKey,
    UploadedBy,
    UploadedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum LogbookLinks {
    Table,
    SchoolId,
    Id,
    ParentId,
    Url,
    Label,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum LogbookReaders {
    Table,
    SchoolId,
    UserId,
    GrantedBy,
    GrantedAt,
}
