-- Second factor: a TOTP secret per person (confirmed once they enter a first code), single-use recovery
-- codes (keyed hashes), and sessions waiting for the second factor.

CREATE TABLE totp_secrets (
    user_id UUID PRIMARY KEY REFERENCES users (id),
    secret TEXT NOT NULL,
    confirmed_at BIGINT,
    last_step BIGINT NOT NULL
);

CREATE TABLE recovery_codes (
    user_id UUID NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

ALTER TABLE sessions ADD COLUMN mfa_pending BOOLEAN NOT NULL DEFAULT FALSE;
