-- News (crates/features/news): one item written once and linked to every school it reaches (a school's
-- news to its own school, region or local-authority news to many), so a region-wide item is one row plus
-- one small link row per school. Instants are BIGINT milliseconds. class_id carries no foreign key: the
-- year rollover deletes classes.

-- An item: who wrote it, for which profiles, when it shows, and whether it is still a draft.
-- owner_school_id is the school that wrote it (NULL for region and local-authority news).
CREATE TABLE news (
    id UUID PRIMARY KEY,
    owner_school_id UUID REFERENCES schools (id),
    region_id UUID REFERENCES regions (id),
    author_id UUID NOT NULL REFERENCES users (id),
    author_name TEXT NOT NULL,
    signature TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    to_students BOOLEAN NOT NULL,
    to_guardians BOOLEAN NOT NULL,
    to_teachers BOOLEAN NOT NULL,
    to_staff BOOLEAN NOT NULL,
    publish_from BIGINT NOT NULL,
    publish_until BIGINT,
    pinned BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    illustration_key TEXT,
    illustration_type TEXT,
    illustration_alt TEXT,
    created_at BIGINT NOT NULL,
    published_at BIGINT
);
CREATE INDEX news_author ON news (author_id, created_at);

-- The schools an item reaches.
CREATE TABLE news_schools (
    school_id UUID NOT NULL REFERENCES schools (id),
    news_id UUID NOT NULL REFERENCES news (id),
    PRIMARY KEY (school_id, news_id)
);
CREATE INDEX news_schools_news ON news_schools (news_id);

-- A school item restricted to some classes (none: the whole school).
CREATE TABLE news_classes (
    school_id UUID NOT NULL REFERENCES schools (id),
    news_id UUID NOT NULL REFERENCES news (id),
    class_id UUID NOT NULL,
    PRIMARY KEY (school_id, news_id, class_id)
);
CREATE INDEX news_classes_news ON news_classes (news_id);

-- Attachments, in the blob store.
CREATE TABLE news_files (
    news_id UUID NOT NULL REFERENCES news (id),
    id UUID NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    blob_key TEXT NOT NULL,
    PRIMARY KEY (news_id, id)
);
