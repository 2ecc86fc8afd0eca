-- Cahier de textes and homework (crates/features/homework). Days are 'YYYY-MM-DD' (the school's
-- calendar), instants BIGINT milliseconds. Class ids carry no foreign key and the class's name is copied:
-- the year rollover deletes the classes, and the cahier de textes is a legal record that outlives them.
-- lesson_id and due_lesson_id are the timetable's lesson ids, kept without a foreign key either.

-- One lesson's entry: what was covered, by one teacher, in one class (or group) and subject, one day.
CREATE TABLE logbook_entries (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    class_id BLOB NOT NULL,
    class_name TEXT NOT NULL,
    subject_code TEXT NOT NULL REFERENCES subjects (code),
    day TEXT NOT NULL,
    teacher_id BLOB NOT NULL REFERENCES users (id),
    lesson_id BLOB,
    content TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, id)
);
CREATE UNIQUE INDEX logbook_entries_key ON logbook_entries (school_id, class_id, subject_code, day, teacher_id);
CREATE INDEX logbook_entries_lesson ON logbook_entries (school_id, lesson_id, day);
CREATE INDEX logbook_entries_teacher ON logbook_entries (school_id, teacher_id, day);

-- Homework set in an entry, due on a day (and, when known, for a given lesson of that day). With
-- handin, students hand their work in online before the deadline (later is allowed, and flagged late).
CREATE TABLE homework (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    entry_id BLOB NOT NULL,
    class_id BLOB NOT NULL,
    class_name TEXT NOT NULL,
    subject_code TEXT NOT NULL REFERENCES subjects (code),
    teacher_id BLOB NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    instructions TEXT NOT NULL,
    set_day TEXT NOT NULL,
    due_day TEXT NOT NULL,
    due_lesson_id BLOB,
    minutes INTEGER,
    handin BOOLEAN NOT NULL,
    deadline BIGINT,
    common_correction TEXT,
    common_correction_at BIGINT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, id),
    FOREIGN KEY (school_id, entry_id) REFERENCES logbook_entries (school_id, id)
);
CREATE INDEX homework_class_due ON homework (school_id, class_id, due_day);
CREATE INDEX homework_entry ON homework (school_id, entry_id);
CREATE INDEX homework_teacher ON homework (school_id, teacher_id, due_day);
CREATE INDEX homework_due_lesson ON homework (school_id, due_lesson_id, due_day);

-- A student's "done" tick.
CREATE TABLE homework_done (
    school_id BLOB NOT NULL,
    homework_id BLOB NOT NULL,
    student_id BLOB NOT NULL REFERENCES users (id),
    done_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, homework_id, student_id),
    FOREIGN KEY (school_id, homework_id) REFERENCES homework (school_id, id)
);

-- A student's work: handed in online (submitted_at) and/or corrected by the teacher (corrected_at).
CREATE TABLE homework_submissions (
    school_id BLOB NOT NULL,
    homework_id BLOB NOT NULL,
    student_id BLOB NOT NULL REFERENCES users (id),
    text TEXT NOT NULL,
    submitted_at BIGINT,
    correction TEXT,
    corrected_at BIGINT,
    PRIMARY KEY (school_id, homework_id, student_id),
    FOREIGN KEY (school_id, homework_id) REFERENCES homework (school_id, id)
);

-- Files of an entry or homework (kind 'entry', 'homework', 'common') or of one student's work (kind
-- 'submission', 'correction', with student_id). The bytes live in the blob store under blob_key.
CREATE TABLE homework_files (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    kind TEXT NOT NULL,
    parent_id BLOB NOT NULL,
    student_id BLOB REFERENCES users (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    blob_key TEXT NOT NULL,
    uploaded_by BLOB NOT NULL REFERENCES users (id),
    uploaded_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, id)
);
CREATE INDEX homework_files_parent ON homework_files (school_id, parent_id);

-- Links (http/https) of an entry or homework.
CREATE TABLE logbook_links (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    parent_id BLOB NOT NULL,
    url TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (school_id, id)
);
CREATE INDEX logbook_links_parent ON logbook_links (school_id, parent_id);

-- Read-only access to every class's cahier de textes of a school (inspectors), granted by its direction.
CREATE TABLE logbook_readers (
    school_id BLOB NOT NULL REFERENCES schools (id),
    user_id BLOB NOT NULL REFERENCES users (id),
    granted_by BLOB NOT NULL REFERENCES users (id),
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, user_id)
);
