-- mailkit-postgres: the numbered stream of an account's changes (AccountChanges: IMAP NOTIFY's MailboxName,
-- SubscriptionChange and METADATA events) for every node. A change's row is written in the transaction that makes
-- the change, numbered from mk_account.change_seq, which that transaction increments (so it holds the account's
-- row lock until it commits: the numbers follow the commit order, and a node that missed a notification reads the
-- rows above the last number it reported). Old rows are deleted with the old expunge records.
ALTER TABLE mk_account ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;

CREATE TABLE mk_account_change (
    account_id bigint      NOT NULL REFERENCES mk_account ON DELETE CASCADE,
    seq        bigint      NOT NULL,
    kind       text        NOT NULL,
    mailbox    text,
    old_name   text,
    entry      text,
    at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, seq)
);
CREATE INDEX mk_account_change_at ON mk_account_change (at);
