-- CAS service tickets: single use, bound to the exact service they were issued for, short-lived.
-- The context (school and profile) the person acted in is kept for the attributes released.

CREATE TABLE cas_tickets (
    ticket TEXT PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id),
    service TEXT NOT NULL,
    context_school UUID,
    context_profile TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    consumed_at BIGINT
);
