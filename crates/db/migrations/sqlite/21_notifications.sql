-- Notifications (crates/features/notifications): each person's feed, built by the delivery worker from
-- the outbox. Keyed by user, not school: a parent's children, a teacher's schools all feed one list.
-- An item may gather several events (twins in one class, a burst of marks): `events` counts them and
-- `params` (JSON) holds what the message names (children's first names, subject, title…), rendered
-- in the reader's language when shown. Instants are BIGINT milliseconds. `school` only says which
-- school an item comes from (not school data: the table is keyed by person).
CREATE TABLE notifications (
    user_id BLOB NOT NULL REFERENCES users (id),
    id BLOB NOT NULL,
    school BLOB,
    kind TEXT NOT NULL,
    topic TEXT NOT NULL,
    group_key TEXT NOT NULL,
    params TEXT NOT NULL,
    link TEXT NOT NULL,
    events INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    read_at BIGINT,
    PRIMARY KEY (user_id, id)
);
CREATE INDEX notifications_feed ON notifications (user_id, updated_at);
CREATE INDEX notifications_unread ON notifications (user_id, read_at, group_key);

-- A person's choices, when they differ from the defaults (no digest, quiet hours kept).
CREATE TABLE notification_settings (
    user_id BLOB PRIMARY KEY REFERENCES users (id),
    digest BOOLEAN NOT NULL,
    quiet_hours BOOLEAN NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The kinds a person turned off (absent: on).
CREATE TABLE notification_muted (
    user_id BLOB NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- The e-mail digests sent, one a day at most: the row is written before the mail goes, so two nodes
-- (or a rerun) never send the same day's digest twice.
CREATE TABLE notification_digests (
    user_id BLOB NOT NULL REFERENCES users (id),
    day TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    items INTEGER NOT NULL,
    PRIMARY KEY (user_id, day)
);
