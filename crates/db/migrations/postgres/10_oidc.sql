-- Ardoise as OpenID Connect provider, and the bookkeeping of single sign-out across protocols.

-- JWT signing keys (PKCS#8 PEM sealed with the server key), rotated: see sso/src/keys.rs.
CREATE TABLE oidc_keys (
    kid TEXT PRIMARY KEY,
    private_key TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Authorization codes: stored hashed, single use, a minute long.
CREATE TABLE oidc_codes (
    code_hash TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id),
    redirect_uri TEXT NOT NULL,
    scope TEXT NOT NULL,
    nonce TEXT,
    code_challenge TEXT,
    code_challenge_method TEXT,
    context_school UUID,
    context_profile TEXT,
    session_key TEXT NOT NULL,
    auth_time BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    consumed_at BIGINT,
    grant_id UUID
);

-- What a code turns into: the tokens of one client for one person, refreshable (the refresh token is
-- stored hashed and rotated at each use; presenting a previous one revokes the grant).
CREATE TABLE oidc_grants (
    id UUID PRIMARY KEY,
    client_id TEXT NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id),
    scope TEXT NOT NULL,
    context_school UUID,
    context_profile TEXT,
    session_key TEXT NOT NULL,
    auth_time BIGINT NOT NULL,
    refresh_hash TEXT UNIQUE,
    previous_refresh_hash TEXT,
    refresh_expires_at BIGINT,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX oidc_grants_session ON oidc_grants (session_key);
CREATE INDEX oidc_grants_previous ON oidc_grants (previous_refresh_hash);

-- Scopes a person agreed to share with a client that is not pre-approved.
CREATE TABLE oidc_consents (
    user_id UUID NOT NULL REFERENCES users (id),
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, client_id)
);

-- `jti` of the client assertions (private_key_jwt) seen, until they expire: each is accepted once.
CREATE TABLE oidc_client_assertions (
    jti TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);

-- Each service a browser session signed in to, for single sign-out from the portal.
CREATE TABLE sso_sessions (
    session_key TEXT NOT NULL,
    service_id TEXT NOT NULL,
    protocol TEXT NOT NULL,
    session_index TEXT NOT NULL,
    target TEXT,
    user_id UUID NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (session_key, service_id, session_index)
);

-- CAS tickets remember the session they came from (single sign-out) and whether it had just signed in.
ALTER TABLE cas_tickets ADD COLUMN session_key TEXT;
ALTER TABLE cas_tickets ADD COLUMN auth_time BIGINT;
ALTER TABLE cas_tickets ADD COLUMN new_login BOOLEAN NOT NULL DEFAULT FALSE;
-- Proxy tickets carry the chain of proxies they went through (newest first, one URL per line).
ALTER TABLE cas_tickets ADD COLUMN proxies TEXT;

-- CAS proxy-granting tickets: given to a service (through its https callback) so it can ask tickets
-- for other services on the person's behalf, while the person's session lasts.
CREATE TABLE cas_proxy_granting (
    ticket TEXT PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id),
    context_school UUID,
    context_profile TEXT,
    session_key TEXT,
    auth_time BIGINT,
    proxies TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
