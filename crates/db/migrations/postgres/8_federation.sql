-- Sign-in through a national identity provider (SAML 2 "guichets"): the requests sent and waiting for
-- their answer (single use, short-lived), and the assertions already accepted (the replay cache).
-- Federated identities are linked to imported accounts by their AAF keys (jointure) or academic mail.

CREATE TABLE saml_requests (
    id TEXT PRIMARY KEY,
    wicket TEXT NOT NULL,
    next TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE saml_assertions (
    id TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);

CREATE INDEX users_email ON users (email);
