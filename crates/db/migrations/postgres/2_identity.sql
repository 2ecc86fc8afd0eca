-- Sign-in: password credentials (absent until the person sets one) and server-side sessions.

CREATE TABLE credentials (
    user_id UUID PRIMARY KEY REFERENCES users (id),
    password_hash TEXT,
    failed_attempts INTEGER NOT NULL,
    locked_until BIGINT,
    updated_at BIGINT NOT NULL
);

-- The cookie carries a random token; only its SHA-256 is stored, so a database leak opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id),
    context_school UUID,
    context_profile TEXT,
    context_region UUID,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
