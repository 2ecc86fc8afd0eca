-- The directory: region → académies and local authorities → schools → classes and groups → people.
-- School-scoped tables carry school_id first in their primary key (the Citus distribution column).

CREATE TABLE regions (
    id BLOB PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE academies (
    id BLOB PRIMARY KEY,
    region_id BLOB NOT NULL REFERENCES regions (id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

-- Who funds a school: the région (lycées) or a département (collèges).
CREATE TABLE authorities (
    id BLOB PRIMARY KEY,
    region_id BLOB NOT NULL REFERENCES regions (id),
    kind TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE schools (
    id BLOB PRIMARY KEY,
    uai TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    sector TEXT NOT NULL,
    academy_id BLOB NOT NULL REFERENCES academies (id),
    authority_id BLOB NOT NULL REFERENCES authorities (id),
    city TEXT NOT NULL,
    jointure TEXT UNIQUE
);
CREATE INDEX schools_academy ON schools (academy_id);

CREATE TABLE networks (
    id BLOB PRIMARY KEY,
    region_id BLOB NOT NULL REFERENCES regions (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL
);

CREATE TABLE network_schools (
    school_id BLOB NOT NULL REFERENCES schools (id),
    network_id BLOB NOT NULL REFERENCES networks (id),
    PRIMARY KEY (school_id, network_id)
);
CREATE INDEX network_schools_network ON network_schools (network_id);

-- National nomenclatures.
CREATE TABLE mefs (
    code TEXT PRIMARY KEY,
    label TEXT NOT NULL
);

CREATE TABLE subjects (
    code TEXT PRIMARY KEY,
    label TEXT NOT NULL
);

-- People span schools (a parent of children in two schools, a teacher on two sites): keyed by user.
CREATE TABLE users (
    id BLOB PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    birth_date TEXT,
    email TEXT,
    jointure TEXT UNIQUE,
    created_at BIGINT NOT NULL
);

-- A person's profiles in a school (a teacher may also be a parent there).
CREATE TABLE memberships (
    school_id BLOB NOT NULL REFERENCES schools (id),
    user_id BLOB NOT NULL REFERENCES users (id),
    profile TEXT NOT NULL,
    function TEXT,
    PRIMARY KEY (school_id, user_id, profile)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE region_admins (
    user_id BLOB NOT NULL REFERENCES users (id),
    region_id BLOB NOT NULL REFERENCES regions (id),
    PRIMARY KEY (user_id, region_id)
);

-- Classes (divisions) and teaching groups; kind = 'classe' or 'groupe'.
CREATE TABLE classes (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    mef_code TEXT REFERENCES mefs (code),
    PRIMARY KEY (school_id, id),
    UNIQUE (school_id, code)
);

CREATE TABLE class_students (
    school_id BLOB NOT NULL,
    class_id BLOB NOT NULL,
    student_id BLOB NOT NULL REFERENCES users (id),
    PRIMARY KEY (school_id, class_id, student_id),
    FOREIGN KEY (school_id, class_id) REFERENCES classes (school_id, id)
);
CREATE INDEX class_students_student ON class_students (school_id, student_id);

CREATE TABLE teachings (
    school_id BLOB NOT NULL,
    class_id BLOB NOT NULL,
    teacher_id BLOB NOT NULL REFERENCES users (id),
    subject_code TEXT NOT NULL REFERENCES subjects (code),
    PRIMARY KEY (school_id, class_id, teacher_id, subject_code),
    FOREIGN KEY (school_id, class_id) REFERENCES classes (school_id, id)
);
CREATE INDEX teachings_teacher ON teachings (school_id, teacher_id);

-- Professeur principal.
CREATE TABLE head_teachers (
    school_id BLOB NOT NULL,
    class_id BLOB NOT NULL,
    teacher_id BLOB NOT NULL REFERENCES users (id),
    PRIMARY KEY (school_id, class_id, teacher_id),
    FOREIGN KEY (school_id, class_id) REFERENCES classes (school_id, id)
);

-- Legal representatives (legal = true) and other persons in charge of a student.
CREATE TABLE guardianships (
    student_id BLOB NOT NULL REFERENCES users (id),
    guardian_id BLOB NOT NULL REFERENCES users (id),
    relation TEXT NOT NULL,
    legal BOOLEAN NOT NULL,
    PRIMARY KEY (student_id, guardian_id)
);
CREATE INDEX guardianships_guardian ON guardianships (guardian_id);
