-- Directory feeding: when an import last saw each person, since when a complete import misses them,
-- when they were deactivated (after a grace period; never deleted at once), and the import reports.

ALTER TABLE users ADD COLUMN last_import_at BIGINT;
ALTER TABLE users ADD COLUMN missing_since BIGINT;
ALTER TABLE users ADD COLUMN deactivated_at BIGINT;

CREATE TABLE import_runs (
    id UUID PRIMARY KEY,
    started_at BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
    source TEXT NOT NULL,
    report TEXT NOT NULL
);
