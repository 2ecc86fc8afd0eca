-- Attendance (crates/features/attendance): the roll call of each lesson occurrence and the absence and
-- lateness files that families justify and the school-life office (CPE) decides. Days are 'YYYY-MM-DD'
-- (the school's calendar), times minutes after midnight school time, instants BIGINT milliseconds.
-- lesson_id and class_id are the timetable's and directory's ids, kept without foreign keys: the year
-- rollover deletes lessons and classes, and attendance records are kept for the year's statistics.

-- The school's list of reasons a family or the office may give (seeded with defaults on first use).
CREATE TABLE absence_reasons (
    school_id UUID NOT NULL REFERENCES schools (id),
    id UUID NOT NULL,
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    PRIMARY KEY (school_id, id)
);
CREATE UNIQUE INDEX absence_reasons_code ON absence_reasons (school_id, code);

-- A roll call taken: by whom and when, for one lesson occurrence.
CREATE TABLE roll_calls (
    school_id UUID NOT NULL REFERENCES schools (id),
    day TEXT NOT NULL,
    lesson_id UUID NOT NULL,
    class_id UUID NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    taken_by UUID NOT NULL REFERENCES users (id),
    taken_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    absent INTEGER NOT NULL,
    late INTEGER NOT NULL,
    PRIMARY KEY (school_id, day, lesson_id)
);

-- An absence or a lateness of a student: from a roll call (lesson_id set), entered by the office, or
-- announced by the family. status: 'nouveau' (not justified), 'en_cours' (the family sent a
-- justification), 'justifie' (accepted by the office), 'refuse' (not accepted).
CREATE TABLE absences (
    school_id UUID NOT NULL REFERENCES schools (id),
    id UUID NOT NULL,
    student_id UUID NOT NULL REFERENCES users (id),
    class_id UUID,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    lesson_id UUID,
    start_day TEXT NOT NULL,
    start_minute INTEGER NOT NULL,
    end_day TEXT NOT NULL,
    end_minute INTEGER NOT NULL,
    minutes_late INTEGER,
    recorded_by UUID NOT NULL REFERENCES users (id),
    recorded_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    reason_id UUID,
    family_comment TEXT NOT NULL,
    family_by UUID REFERENCES users (id),
    family_at BIGINT,
    document_key TEXT,
    document_name TEXT,
    office_comment TEXT NOT NULL,
    decided_by UUID REFERENCES users (id),
    decided_at BIGINT,
    PRIMARY KEY (school_id, id)
);
CREATE INDEX absences_student ON absences (school_id, student_id, start_day);
CREATE INDEX absences_day ON absences (school_id, start_day, lesson_id);
CREATE INDEX absences_status ON absences (school_id, status, start_day);
