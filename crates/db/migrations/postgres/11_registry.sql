-- Connected services registered on the region's admin page (those of ardoise.toml are not stored):
-- the administrator's description as JSON (sso::ServiceSpec), checked again at every load.
CREATE TABLE connected_services (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    spec TEXT NOT NULL,
    updated_by UUID REFERENCES users (id),
    updated_at BIGINT NOT NULL
);
