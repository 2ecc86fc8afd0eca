-- Account activation: one pending code per person (stored as a keyed hash), an optional login alias,
-- recovery contacts and the charter acceptance; the audit log of authentication events.

CREATE TABLE activation_codes (
    user_id UUID PRIMARY KEY REFERENCES users (id),
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_by UUID REFERENCES users (id)
);

ALTER TABLE users ADD COLUMN login_alias TEXT;
CREATE UNIQUE INDEX users_login_alias ON users (login_alias);

ALTER TABLE credentials ADD COLUMN recovery_email TEXT;
ALTER TABLE credentials ADD COLUMN recovery_phone TEXT;
ALTER TABLE credentials ADD COLUMN charter_accepted_at BIGINT;

-- Who did what to which account, when and from where. school_id is the school concerned; events
-- outside any school (an unknown login) carry the nil id, so the table stays keyed by school.
CREATE TABLE audit_events (
    school_id UUID NOT NULL,
    id UUID NOT NULL,
    at BIGINT NOT NULL,
    actor_id UUID,
    subject_id UUID,
    kind TEXT NOT NULL,
    ip TEXT NOT NULL,
    detail TEXT NOT NULL,
    PRIMARY KEY (school_id, id)
);
CREATE INDEX audit_events_school ON audit_events (school_id, at);
CREATE INDEX audit_events_subject ON audit_events (subject_id, at);
