-- Timetables (crates/features/timetable). Days are 'YYYY-MM-DD' and times minutes after midnight, both
-- in the school's time zone: a lesson at 08:00 stays at 08:00 across the change to winter time.

-- The school year of a school: first and last day of classes, its holidays, its zone (A, B, C).
-- Without a row, the national calendar of the académie's zone applies.
CREATE TABLE school_calendars (
    school_id UUID NOT NULL REFERENCES schools (id),
    zone TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    PRIMARY KEY (school_id)
);

CREATE TABLE school_holidays (
    school_id UUID NOT NULL REFERENCES schools (id),
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (school_id, first_day)
);

-- A weekly lesson of a class or group: weekday (1 = Monday), times, which weeks ('*', 'A' or 'B') and
-- the days it is valid. An extra lesson is a lesson valid for one day. source_key is the import's own
-- stable key, so importing the same file twice changes nothing.
CREATE TABLE lessons (
    school_id UUID NOT NULL REFERENCES schools (id),
    id UUID NOT NULL,
    class_id UUID NOT NULL,
    subject_code TEXT NOT NULL REFERENCES subjects (code),
    room TEXT NOT NULL,
    weekday INTEGER NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    weeks TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    source TEXT NOT NULL,
    source_key TEXT NOT NULL,
    PRIMARY KEY (school_id, id),
    FOREIGN KEY (school_id, class_id) REFERENCES classes (school_id, id)
);
CREATE INDEX lessons_class ON lessons (school_id, class_id);
CREATE UNIQUE INDEX lessons_source_key ON lessons (school_id, source, source_key);

CREATE TABLE lesson_teachers (
    school_id UUID NOT NULL,
    lesson_id UUID NOT NULL,
    teacher_id UUID NOT NULL REFERENCES users (id),
    PRIMARY KEY (school_id, lesson_id, teacher_id),
    FOREIGN KEY (school_id, lesson_id) REFERENCES lessons (school_id, id)
);
CREATE INDEX lesson_teachers_teacher ON lesson_teachers (school_id, teacher_id);

-- One occurrence of a lesson changed by the school: cancelled, taught by a substitute, in another room.
CREATE TABLE lesson_changes (
    school_id UUID NOT NULL,
    lesson_id UUID NOT NULL,
    day TEXT NOT NULL,
    cancelled BOOLEAN NOT NULL,
    substitute_id UUID REFERENCES users (id),
    room TEXT,
    note TEXT NOT NULL,
    changed_by UUID NOT NULL REFERENCES users (id),
    changed_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, lesson_id, day),
    FOREIGN KEY (school_id, lesson_id) REFERENCES lessons (school_id, id)
);
CREATE INDEX lesson_changes_day ON lesson_changes (school_id, day);

-- Calendar subscriptions: the hash of the secret in a person's feed URL (the secret itself is not kept).
CREATE TABLE calendar_feeds (
    token_hash TEXT PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX calendar_feeds_user ON calendar_feeds (user_id);
