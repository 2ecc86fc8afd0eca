-- Discipline (crates/features/attendance, module discipline): incidents, the punitions scolaires staff
-- give, the sanctions the head decides (code de l'éducation, R511-13), what each school shows families,
-- and the journal of every write. Days are 'YYYY-MM-DD' (the school's calendar), times minutes after
-- midnight school time, instants BIGINT milliseconds. class_id is the directory's id of the student's
-- division then, kept without a foreign key and with its name copied: the year rollover deletes classes,
-- and a student's discipline record outlives them.

-- What the school shows students and their families (the defaults apply while there is no row).
CREATE TABLE discipline_settings (
    school_id BLOB NOT NULL REFERENCES schools (id),
    show_punishments BOOLEAN NOT NULL,
    show_incidents BOOLEAN NOT NULL,
    updated_by BLOB NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (school_id)
);

-- The school's list of incident types (seeded with defaults on first use).
CREATE TABLE discipline_incident_types (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    PRIMARY KEY (school_id, id)
);
CREATE UNIQUE INDEX discipline_incident_types_code ON discipline_incident_types (school_id, code);

-- An incident: when, where, what, reported by which staff member.
CREATE TABLE discipline_incidents (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    day TEXT NOT NULL,
    minute INTEGER NOT NULL,
    place TEXT NOT NULL,
    type_id BLOB NOT NULL,
    description TEXT NOT NULL,
    reported_by BLOB NOT NULL REFERENCES users (id),
    reported_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, id),
    FOREIGN KEY (school_id, type_id) REFERENCES discipline_incident_types (school_id, id)
);
CREATE INDEX discipline_incidents_day ON discipline_incidents (school_id, day, minute);
CREATE INDEX discipline_incidents_reporter ON discipline_incidents (school_id, reported_by, day);

-- The people involved in an incident and their role ('auteur', 'victime', 'temoin'): a student
-- (student_id) or an adult named in words (adult_name).
CREATE TABLE discipline_incident_people (
    school_id BLOB NOT NULL,
    incident_id BLOB NOT NULL,
    id BLOB NOT NULL,
    student_id BLOB REFERENCES users (id),
    class_id BLOB,
    class_name TEXT NOT NULL,
    adult_name TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (school_id, incident_id, id),
    FOREIGN KEY (school_id, incident_id) REFERENCES discipline_incidents (school_id, id)
);
CREATE INDEX discipline_incident_people_student ON discipline_incident_people (school_id, student_id);
CREATE INDEX discipline_incident_people_class ON discipline_incident_people (school_id, class_id);

-- A punition scolaire given to a student, perhaps for an incident. A retenue has its day, time and
-- place. status: 'a_faire', 'faite', 'non_faite'.
CREATE TABLE discipline_punishments (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    student_id BLOB NOT NULL REFERENCES users (id),
    class_id BLOB,
    class_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    incident_id BLOB,
    reason TEXT NOT NULL,
    work TEXT NOT NULL,
    day TEXT NOT NULL,
    detention_day TEXT,
    detention_minute INTEGER,
    detention_place TEXT NOT NULL,
    status TEXT NOT NULL,
    given_by BLOB NOT NULL REFERENCES users (id),
    given_at BIGINT NOT NULL,
    status_by BLOB REFERENCES users (id),
    status_at BIGINT,
    PRIMARY KEY (school_id, id),
    FOREIGN KEY (school_id, incident_id) REFERENCES discipline_incidents (school_id, id)
);
CREATE INDEX discipline_punishments_student ON discipline_punishments (school_id, student_id, day);
CREATE INDEX discipline_punishments_day ON discipline_punishments (school_id, day);
CREATE INDEX discipline_punishments_giver ON discipline_punishments (school_id, given_by, day);
CREATE INDEX discipline_punishments_class ON discipline_punishments (school_id, class_id, day);

-- A sanction decided by the head (or the conseil de discipline, council_day), perhaps with a sursis
-- ('aucun', 'total', 'partiel': sursis_days of the exclusion's days). An exclusion runs `days` school
-- days from start_day to end_day; a mesure de responsabilisation lasts `hours`.
CREATE TABLE discipline_sanctions (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    student_id BLOB NOT NULL REFERENCES users (id),
    class_id BLOB,
    class_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    incident_id BLOB,
    reason TEXT NOT NULL,
    decided_day TEXT NOT NULL,
    council_day TEXT,
    start_day TEXT,
    end_day TEXT,
    days INTEGER,
    hours INTEGER,
    sursis TEXT NOT NULL,
    sursis_days INTEGER,
    decided_by BLOB NOT NULL REFERENCES users (id),
    decided_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, id),
    FOREIGN KEY (school_id, incident_id) REFERENCES discipline_incidents (school_id, id)
);
CREATE INDEX discipline_sanctions_student ON discipline_sanctions (school_id, student_id, decided_day);
CREATE INDEX discipline_sanctions_day ON discipline_sanctions (school_id, decided_day);
CREATE INDEX discipline_sanctions_class ON discipline_sanctions (school_id, class_id, decided_day);

-- Who wrote what in the discipline records, when (kept with the records).
CREATE TABLE discipline_journal (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    at BIGINT NOT NULL,
    actor_id BLOB NOT NULL REFERENCES users (id),
    action TEXT NOT NULL,
    record_id BLOB NOT NULL,
    student_id BLOB REFERENCES users (id),
    detail TEXT NOT NULL,
    PRIMARY KEY (school_id, id)
);
CREATE INDEX discipline_journal_at ON discipline_journal (school_id, at);
