-- A message's addressees, recorded where they are cheapest to keep. When a message opens a person's
-- mailbox row for a conversation (a new conversation's fan-out: one row per recipient), that row
-- records them: the message (entry_message_id), to | cc | bcc, the group they came through and when
-- they read it. Addressees who already had the conversation in their mailbox (replies), and those of
-- a message held for moderation, stay in msg_recipients. Rows written before this migration keep all
-- their addressees in msg_recipients (entry_message_id NULL), which stays true.
--
-- The primary key leads with the conversation, so that a conversation's addressees are read by key;
-- a person's lookups go through msg_boxes_folder (user_id first).

ALTER TABLE msg_boxes ADD COLUMN entry_message_id UUID;
ALTER TABLE msg_boxes ADD COLUMN category TEXT;
ALTER TABLE msg_boxes ADD COLUMN via_group TEXT;
ALTER TABLE msg_boxes ADD COLUMN read_at BIGINT;
ALTER TABLE msg_boxes DROP CONSTRAINT msg_boxes_pkey;
ALTER TABLE msg_boxes ADD PRIMARY KEY (conversation_id, user_id);

-- Messages no longer make notification items (the header counter adds the mailbox's unread messages):
-- the items they made before are marked read, so that they are not counted twice.
UPDATE notifications SET read_at = updated_at WHERE topic = 'messaging.received' AND read_at IS NULL;
