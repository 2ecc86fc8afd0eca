-- Grades (crates/features/grades): grading periods, evaluations and their results (marks and common-core
-- skill levels), and each school's grading settings. Days are 'YYYY-MM-DD' (the school's calendar),
-- instants BIGINT milliseconds. Marks and coefficients are integers in hundredths (12,5 → 1250; a
-- coefficient 1 → 100) so averages are computed exactly. Class ids carry no foreign key and the class's
-- name is copied: the year rollover deletes classes, and marks outlive them (report cards, brevet).
-- The report cards (migration 19) hang from grade_periods.

-- A school's grading periods (trimesters or semesters), in order; an evaluation belongs to the period
-- holding its day.
CREATE TABLE grade_periods (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    label TEXT NOT NULL,
    start_day TEXT NOT NULL,
    end_day TEXT NOT NULL,
    PRIMARY KEY (school_id, id)
);
CREATE UNIQUE INDEX grade_periods_start ON grade_periods (school_id, start_day);

-- A school's choices: whether NR (not handed in) counts as 0 or is left out of averages.
CREATE TABLE grade_settings (
    school_id BLOB NOT NULL REFERENCES schools (id),
    nr_counts_zero BOOLEAN NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (school_id)
);

-- A subject's weight in the overall average (hundredths); a subject without a row weighs 1.
CREATE TABLE grade_subject_coefficients (
    school_id BLOB NOT NULL REFERENCES schools (id),
    subject_code TEXT NOT NULL REFERENCES subjects (code),
    coefficient INTEGER NOT NULL,
    PRIMARY KEY (school_id, subject_code)
);

-- An evaluation set by a teacher to a class or group in a subject. kind: 'notes', 'notes_competences'
-- or 'competences' (skill levels only: no marks). scale: the maximum mark (20, 10…). cycle: the
-- common-core cycle (3 or 4) of the class's year level when it has one. Invisible to students and
-- parents until published_at is set.
CREATE TABLE grade_evaluations (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    class_id BLOB NOT NULL,
    class_name TEXT NOT NULL,
    subject_code TEXT NOT NULL REFERENCES subjects (code),
    teacher_id BLOB NOT NULL REFERENCES users (id),
    day TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    scale INTEGER NOT NULL,
    coefficient INTEGER NOT NULL,
    cycle INTEGER,
    published_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, id)
);
CREATE INDEX grade_evaluations_class ON grade_evaluations (school_id, class_id, day);
CREATE INDEX grade_evaluations_teacher ON grade_evaluations (school_id, teacher_id, day);

-- The common-core components an evaluation assesses ('D1.1' … 'D5').
CREATE TABLE grade_evaluation_components (
    school_id BLOB NOT NULL,
    evaluation_id BLOB NOT NULL,
    component TEXT NOT NULL,
    PRIMARY KEY (school_id, evaluation_id, component),
    FOREIGN KEY (school_id, evaluation_id) REFERENCES grade_evaluations (school_id, id)
);

-- A student's result in an evaluation: a mark (hundredths) or a code: 'abs' (absent), 'disp' (exempt),
-- 'nr' (not handed in). No row: nothing entered.
CREATE TABLE grade_marks (
    school_id BLOB NOT NULL,
    evaluation_id BLOB NOT NULL,
    student_id BLOB NOT NULL REFERENCES users (id),
    mark INTEGER,
    code TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, evaluation_id, student_id),
    FOREIGN KEY (school_id, evaluation_id) REFERENCES grade_evaluations (school_id, id)
);
CREATE INDEX grade_marks_student ON grade_marks (school_id, student_id);

-- A student's mastery level (1 insufficient … 4 very good) of a component in an evaluation.
CREATE TABLE grade_skill_results (
    school_id BLOB NOT NULL,
    evaluation_id BLOB NOT NULL,
    student_id BLOB NOT NULL REFERENCES users (id),
    component TEXT NOT NULL,
    level INTEGER NOT NULL,
    PRIMARY KEY (school_id, evaluation_id, student_id, component),
    FOREIGN KEY (school_id, evaluation_id) REFERENCES grade_evaluations (school_id, id)
);
CREATE INDEX grade_skill_results_student ON grade_skill_results (school_id, student_id);
