-- Recovery by e-mail: single-use, expiring reset links (only a keyed hash of the token is stored);
-- the devices a person has signed in from (to warn them of a new one); when each session last proved
-- its second factor (sensitive actions ask for a fresh proof).

CREATE TABLE recovery_links (
    token_hash TEXT PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX recovery_links_user ON recovery_links (user_id, created_at);

CREATE TABLE known_devices (
    user_id UUID NOT NULL REFERENCES users (id),
    device_hash TEXT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, device_hash)
);

ALTER TABLE sessions ADD COLUMN second_factor_at BIGINT;
