-- Messaging: conversations between people of a school, under the school's communication rules, with
-- the abuse defences (limits, holds for moderation, reports, kill switches). Mailboxes are keyed by user
-- (a parent's mail spans their children's schools); each conversation and message belongs to the school
-- it was written in (school_id first in their keys), and the mailbox rows point at them by id.

CREATE TABLE msg_conversations (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    subject TEXT NOT NULL,
    initiator_id BLOB NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    reply_all BOOLEAN NOT NULL,
    read_tracking BOOLEAN NOT NULL,
    PRIMARY KEY (school_id, id)
);
CREATE INDEX msg_conversations_id ON msg_conversations (id);

-- state: draft | sent | held (waiting for moderation) | rejected. body_hash spots identical messages.
CREATE TABLE msg_messages (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    conversation_id BLOB,
    sender_id BLOB NOT NULL REFERENCES users (id),
    sender_profile TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    hold_reason TEXT,
    recipients_summary TEXT NOT NULL,
    draft_to TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    PRIMARY KEY (school_id, id)
);
CREATE INDEX msg_messages_id ON msg_messages (id);
CREATE INDEX msg_messages_conversation ON msg_messages (conversation_id, created_at);
CREATE INDEX msg_messages_sender ON msg_messages (sender_id, state, created_at);
CREATE INDEX msg_messages_hash ON msg_messages (body_hash, created_at);
CREATE INDEX msg_messages_held ON msg_messages (school_id, state, created_at);

-- Who a message was addressed to (category to | cc | bcc; the group it came through, if any), and
-- when they read it.
CREATE TABLE msg_recipients (
    message_id BLOB NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    category TEXT NOT NULL,
    via_group TEXT,
    read_at BIGINT,
    PRIMARY KEY (message_id, user_id)
);

-- A person's mailbox: one row per conversation they take part in. folder: inbox | trash | a personal
-- folder's id; received says whether anything reached them (the initiator's row waits for a reply).
CREATE TABLE msg_boxes (
    user_id BLOB NOT NULL REFERENCES users (id),
    conversation_id BLOB NOT NULL,
    folder TEXT NOT NULL,
    received BOOLEAN NOT NULL,
    unread INTEGER NOT NULL,
    last_at BIGINT NOT NULL,
    last_message_id BLOB NOT NULL,
    PRIMARY KEY (user_id, conversation_id)
);
CREATE INDEX msg_boxes_folder ON msg_boxes (user_id, folder, received, last_at);

CREATE TABLE msg_attachments (
    message_id BLOB NOT NULL,
    id BLOB NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    blob_key TEXT NOT NULL,
    PRIMARY KEY (message_id, id)
);

CREATE TABLE msg_folders (
    user_id BLOB NOT NULL REFERENCES users (id),
    id BLOB NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (user_id, id)
);

CREATE TABLE msg_settings (
    user_id BLOB PRIMARY KEY REFERENCES users (id),
    signature TEXT NOT NULL
);

-- The school's communication rules: the switches it changed from the safe defaults (JSON).
CREATE TABLE msg_school_rules (
    school_id BLOB PRIMARY KEY REFERENCES schools (id),
    rules TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BLOB NOT NULL REFERENCES users (id)
);

-- Kill switches: sending suspended region-wide (no school_scope), for a school, for a profile, or for one
-- account (a hacked one), in any combination.
CREATE TABLE msg_suspensions (
    id BLOB PRIMARY KEY,
    school_scope BLOB REFERENCES schools (id),
    profile TEXT,
    user_id BLOB REFERENCES users (id),
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BLOB NOT NULL REFERENCES users (id),
    lifted_at BIGINT,
    lifted_by BLOB REFERENCES users (id)
);
CREATE INDEX msg_suspensions_active ON msg_suspensions (lifted_at);

-- "Report this message": what the school's moderators see, with the outcome.
CREATE TABLE msg_reports (
    school_id BLOB NOT NULL REFERENCES schools (id),
    id BLOB NOT NULL,
    message_id BLOB NOT NULL,
    reporter_id BLOB NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    handled_at BIGINT,
    handled_by BLOB REFERENCES users (id),
    PRIMARY KEY (school_id, id)
);
CREATE INDEX msg_reports_open ON msg_reports (school_id, handled_at, created_at);
