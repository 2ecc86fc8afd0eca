-- Year rollover: last years' classes, their students, teachings and head teachers, kept read-only.

CREATE TABLE archived_classes (
    school_id BLOB NOT NULL,
    year TEXT NOT NULL,
    id BLOB NOT NULL,
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    mef_code TEXT,
    PRIMARY KEY (school_id, year, id)
);

CREATE TABLE archived_class_students (
    school_id BLOB NOT NULL,
    year TEXT NOT NULL,
    class_id BLOB NOT NULL,
    student_id BLOB NOT NULL,
    PRIMARY KEY (school_id, year, class_id, student_id)
);
CREATE INDEX archived_class_students_student ON archived_class_students (student_id);

CREATE TABLE archived_teachings (
    school_id BLOB NOT NULL,
    year TEXT NOT NULL,
    class_id BLOB NOT NULL,
    teacher_id BLOB NOT NULL,
    subject_code TEXT NOT NULL,
    PRIMARY KEY (school_id, year, class_id, teacher_id, subject_code)
);

CREATE TABLE archived_head_teachers (
    school_id BLOB NOT NULL,
    year TEXT NOT NULL,
    class_id BLOB NOT NULL,
    teacher_id BLOB NOT NULL,
    PRIMARY KEY (school_id, year, class_id, teacher_id)
);
