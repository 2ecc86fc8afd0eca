//! The tables this crate reads and writes, as sea-query identifiers (the directory's read only).

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

// The directory's tables, read only.
#[derive(Iden, Clone, Copy)]
pub(crate) enum Teachings {
    Table,
    SchoolId,
    ClassId,
    TeacherId,
    SubjectCode,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ClassStudents {
    Table,
    SchoolId,
    ClassId,
    StudentId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Classes {
    Table,
    SchoolId,
    Id,
    Name,
    Kind,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Subjects {
    Table,
    Code,
    Label,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Users {
    Table,
    Id,
    Login,
    FirstName,
    LastName,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Guardianships {
    Table,
    StudentId,
    GuardianId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Memberships {
    Table,
    SchoolId,
    UserId,
}
