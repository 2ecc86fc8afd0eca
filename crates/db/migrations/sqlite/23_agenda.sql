-- The agenda (crates/features/agenda): a school's events for chosen profiles (and classes), and each
-- person's calendar feed. Instants are BIGINT milliseconds; all-day events also keep their days
-- ('YYYY-MM-DD', school calendar, end day inclusive). class_id carries no foreign key: the year rollover
-- deletes classes.

CREATE TABLE agenda_events (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    author_id BLOB NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    place TEXT NOT NULL,
    all_day BOOLEAN NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    to_students BOOLEAN NOT NULL,
    to_guardians BOOLEAN NOT NULL,
    to_teachers BOOLEAN NOT NULL,
    to_staff BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, id)
);
CREATE INDEX agenda_events_start ON agenda_events (school_id, starts_at);
-- An event's page is /agenda/<id>: found by its id alone.
CREATE INDEX agenda_events_id ON agenda_events (id);

-- An event restricted to some classes (none: the whole school).
CREATE TABLE agenda_event_classes (
    school_id BLOB NOT NULL,
    event_id BLOB NOT NULL,
    class_id BLOB NOT NULL,
    PRIMARY KEY (school_id, event_id, class_id),
    FOREIGN KEY (school_id, event_id) REFERENCES agenda_events (school_id, id)
);

-- A person's secret feed address: only the secret's hash is kept.
CREATE TABLE agenda_feeds (
    token_hash TEXT PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX agenda_feeds_user ON agenda_feeds (user_id);
