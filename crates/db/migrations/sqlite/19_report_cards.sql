-- Report cards (crates/features/grades/src/reportcards): the appraisals written for a class and a grading
-- period, the class council's decisions, and the PDF report cards generated from them. Class and period
-- ids carry no foreign key and their names are copied onto the report cards: report cards are kept
-- after the year rollover deletes the classes and after the direction redraws its periods.

-- A subject teacher's appraisal of one student for one period (two teachers of a subject each write theirs).
CREATE TABLE report_subject_appraisals (
    school_id BLOB NOT NULL REFERENCES schools (id),
    period_id BLOB NOT NULL,
    class_id BLOB NOT NULL,
    student_id BLOB NOT NULL REFERENCES users (id),
    subject_code TEXT NOT NULL REFERENCES subjects (code),
    teacher_id BLOB NOT NULL REFERENCES users (id),
    text TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, period_id, class_id, student_id, subject_code, teacher_id)
);

-- The head teacher's general appraisal of one student for one period.
CREATE TABLE report_general_appraisals (
    school_id BLOB NOT NULL REFERENCES schools (id),
    period_id BLOB NOT NULL,
    class_id BLOB NOT NULL,
    student_id BLOB NOT NULL REFERENCES users (id),
    text TEXT NOT NULL,
    author_id BLOB NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, period_id, class_id, student_id)
);

-- The class council of a class for a period: its summary, recorded by the direction.
CREATE TABLE report_councils (
    school_id BLOB NOT NULL REFERENCES schools (id),
    period_id BLOB NOT NULL,
    class_id BLOB NOT NULL,
    summary TEXT NOT NULL,
    updated_by BLOB NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, period_id, class_id)
);

-- The council's mention for one student (felicitations, compliments, encouragements,
-- avertissement_travail, avertissement_comportement); no row: no mention.
CREATE TABLE report_council_mentions (
    school_id BLOB NOT NULL REFERENCES schools (id),
    period_id BLOB NOT NULL,
    class_id BLOB NOT NULL,
    student_id BLOB NOT NULL REFERENCES users (id),
    mention TEXT NOT NULL,
    decided_by BLOB NOT NULL REFERENCES users (id),
    decided_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, period_id, class_id, student_id)
);

-- A generated report card (the PDF in the blob store). Generating again replaces the unpublished
-- version; once published, a new generation is a new version and the published one stays.
CREATE TABLE report_cards (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    period_id BLOB NOT NULL,
    period_label TEXT NOT NULL,
    class_id BLOB NOT NULL,
    class_name TEXT NOT NULL,
    student_id BLOB NOT NULL REFERENCES users (id),
    version INTEGER NOT NULL,
    blob_key TEXT NOT NULL,
    size BIGINT NOT NULL,
    generated_by BLOB NOT NULL REFERENCES users (id),
    generated_at BIGINT NOT NULL,
    published_at BIGINT,
    published_by BLOB REFERENCES users (id),
    PRIMARY KEY (school_id, id)
);
CREATE UNIQUE INDEX report_cards_version ON report_cards (school_id, period_id, class_id, student_id, version);
CREATE INDEX report_cards_student ON report_cards (school_id, student_id);
