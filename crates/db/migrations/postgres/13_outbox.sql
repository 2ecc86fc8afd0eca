-- The outbox: events written in the transaction of the change they announce (see crates/bus), read in
-- order by the workers that deliver them. UUIDv7 ids sort by time.
-- One queue for the region, not school data: `school` only says which school an event concerns.
CREATE TABLE outbox (
    id UUID PRIMARY KEY,
    topic TEXT NOT NULL,
    school UUID,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT
);
CREATE INDEX outbox_pending ON outbox (delivered_at, id);
