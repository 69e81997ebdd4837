-- mailkit-postgres: METADATA (RFC 5464) entries of an account (mailbox_id NULL: the IMAP "server" entries) and of
-- its mailboxes. A mailbox's entries go with its row (ON DELETE CASCADE) and follow a rename, which keeps the row.
-- Changes lock the account's row first, so the per-account limits hold across nodes.
CREATE TABLE mk_metadata (
    account_id bigint NOT NULL REFERENCES mk_account ON DELETE CASCADE,
    mailbox_id bigint REFERENCES mk_mailbox ON DELETE CASCADE,
    entry      text   NOT NULL,
    value      bytea  NOT NULL
);
CREATE UNIQUE INDEX mk_metadata_entry ON mk_metadata (account_id, COALESCE(mailbox_id, 0), entry);
CREATE INDEX mk_metadata_mailbox ON mk_metadata (mailbox_id) WHERE mailbox_id IS NOT NULL;
