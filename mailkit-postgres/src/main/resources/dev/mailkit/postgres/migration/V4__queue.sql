-- mailkit-postgres: the relay queue (PostgresQueueStorage), shared by every node.
-- A message is written (committed = false) with its content in chunks, then committed: only then does the client
-- hear 250. The node that wrote it owns it (owner, lease_until) and renews its lease while it runs; a message whose
-- lease ran out is claimed by another node (SELECT ... FOR UPDATE SKIP LOCKED, so two nodes never claim one message).
-- Each recipient's result is a row update made as it happens, so a recipient recorded as delivered (state 'D') is
-- never sent again. The content is stored once per message, however many recipients it has.

CREATE TABLE mk_queue_message (
    id              text        PRIMARY KEY,
    committed       boolean     NOT NULL DEFAULT false,
    created         bigint      NOT NULL,             -- epoch millis, by the relay's clock
    reverse_path    text,                             -- NULL for <>
    mail_parameters text        NOT NULL DEFAULT '',  -- KEY=VALUE, tab-separated
    origin          text        NOT NULL,
    notification    boolean     NOT NULL,
    content_length  bigint      NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt    bigint      NOT NULL DEFAULT -1,  -- epoch millis, -1 for none scheduled
    held            boolean     NOT NULL DEFAULT false,
    owner           text        NOT NULL,             -- the node name that delivers it
    lease_until     timestamptz NOT NULL              -- by the database's clock
);
CREATE INDEX mk_queue_message_lease ON mk_queue_message (lease_until);
CREATE INDEX mk_queue_message_owner ON mk_queue_message (owner);

CREATE TABLE mk_queue_recipient (
    message_id text    NOT NULL REFERENCES mk_queue_message ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    idx        integer NOT NULL,                      -- the position in the envelope
    address    text    NOT NULL,
    parameters text    NOT NULL DEFAULT '',           -- NOTIFY, ORCPT: KEY=VALUE, tab-separated
    state      char(1) NOT NULL DEFAULT 'P',          -- P pending, D delivered, B bounced (its DSN queued)
    status     text,                                  -- a bounce's enhanced status code
    reply      text,                                  -- the last reply, one line
    done_at    bigint,                                -- epoch millis of the delivery or bounce
    PRIMARY KEY (message_id, idx)
);

CREATE TABLE mk_queue_chunk (
    message_id text    NOT NULL REFERENCES mk_queue_message ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    seq        integer NOT NULL,
    data       bytea   NOT NULL,
    PRIMARY KEY (message_id, seq)
);
ALTER TABLE mk_queue_chunk ALTER COLUMN data SET STORAGE EXTERNAL;
