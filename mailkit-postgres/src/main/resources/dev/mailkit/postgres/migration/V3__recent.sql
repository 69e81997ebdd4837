-- mailkit-postgres: which messages are still \Recent, across nodes. Each new message is \Recent in exactly one
-- session, the first READ-WRITE one (on any node) to learn of it; since UIDs only grow, that is the first UID that no
-- session has claimed. A claim raises it under the mailbox row's lock and returns what it was.
ALTER TABLE mk_mailbox ADD COLUMN first_recent_uid bigint NOT NULL DEFAULT 1;
