-- mailkit-postgres: RFC 8514 SAVEDATE. save_date is when the message was saved in its mailbox (appended, delivered,
-- copied or moved there: every one of those inserts a new mk_message row), in epoch seconds of the database's clock,
-- so that every node reports the same. Rows saved before this migration have none (NULL: IMAP answers SAVEDATE NIL
-- and searches them by their internal date); the column is not back-filled, which would rewrite every row.
-- RFC 8474 OBJECTID needs no column: MAILBOXID comes from mk_mailbox.uidvalidity (from the mk_uidvalidity sequence:
-- unique and never reused, kept across RENAME) and EMAILID from the SHA-256 of the content kept with the cached
-- structure in mk_content.structure.

ALTER TABLE mk_message ADD COLUMN save_date bigint;
ALTER TABLE mk_message ALTER COLUMN save_date SET DEFAULT extract(epoch FROM now())::bigint;
