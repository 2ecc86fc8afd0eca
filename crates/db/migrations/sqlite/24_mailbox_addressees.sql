-- A message's addressees, recorded where they are cheapest to keep. When a message opens a person's
-- mailbox row for a conversation (a new conversation's fan-out: one row per recipient), that row
-- records them: the message (entry_message_id), to | cc | bcc, the group they came through and when
-- they read it. Addressees who already had the conversation in their mailbox (replies), and those of
-- a message held for moderation, stay in msg_recipients. Rows written before this migration keep all
-- their addressees in msg_recipients (entry_message_id NULL), which stays true.
--
-- The primary key leads with the conversation, so that a conversation's addressees are read by key;
-- a person's lookups go through msg_boxes_folder (user_id first). SQLite cannot change a primary key
-- in place: the table is rebuilt.

CREATE TABLE msg_boxes_new (
    user_id BLOB NOT NULL REFERENCES users (id),
    conversation_id BLOB NOT NULL,
    folder TEXT NOT NULL,
    received BOOLEAN NOT NULL,
    unread INTEGER NOT NULL,
    last_at BIGINT NOT NULL,
    last_message_id BLOB NOT NULL,
    entry_message_id BLOB,
    category TEXT,
    via_group TEXT,
    read_at BIGINT,
    PRIMARY KEY (conversation_id, user_id)
);
INSERT INTO msg_boxes_new (user_id, conversation_id, folder, received, unread, last_at, last_message_id)
    SELECT user_id, conversation_id, folder, received, unread, last_at, last_message_id FROM msg_boxes;
DROP TABLE msg_boxes;
ALTER TABLE msg_boxes_new RENAME TO msg_boxes;
CREATE INDEX msg_boxes_folder ON msg_boxes (user_id, folder, received, last_at);

-- Messages no longer make notification items (the header counter adds the mailbox's unread messages):
-- the items they made before are marked read, so that they are not counted twice.
UPDATE notifications SET read_at = updated_at WHERE topic = 'messaging.received' AND read_at IS NULL;
