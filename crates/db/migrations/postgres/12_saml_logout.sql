-- SAML single logout in progress: the browser goes from one service provider to the next (front
-- channel); this row remembers, per browser session (its SAML SessionIndex), where to end — a page of
-- ours, or the LogoutResponse owed to the service provider that asked for the logout.
CREATE TABLE saml_logouts (
    session_index TEXT PRIMARY KEY,
    then_url TEXT NOT NULL,
    initiator TEXT,
    initiator_request_id TEXT,
    initiator_relay_state TEXT,
    created_at BIGINT NOT NULL
);
