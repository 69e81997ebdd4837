-- mailkit-postgres: accounts, mailboxes and messages (PostgresMailStore).
-- Every change to a mailbox's messages locks its mk_mailbox row first (SELECT ... FOR UPDATE), so UIDs and MODSEQs
-- are handed out in one order however many nodes write; mk_expunged keeps what was expunged, by MODSEQ, so a node
-- that missed a notification catches up with one read.

CREATE SEQUENCE mk_uidvalidity START WITH 1 MAXVALUE 4294967295 NO CYCLE;

CREATE TABLE mk_account (
    id      bigserial PRIMARY KEY,
    name    text NOT NULL UNIQUE
);

CREATE TABLE mk_subscription (
    account_id bigint NOT NULL REFERENCES mk_account ON DELETE CASCADE,
    name       text   NOT NULL,
    PRIMARY KEY (account_id, name)
);

CREATE TABLE mk_mailbox (
    id            bigserial PRIMARY KEY,
    account_id    bigint NOT NULL REFERENCES mk_account ON DELETE CASCADE,
    name          text   NOT NULL,
    uidvalidity   bigint NOT NULL,
    uidnext       bigint NOT NULL DEFAULT 1,
    highestmodseq bigint NOT NULL DEFAULT 1,
    special_use   text   NOT NULL DEFAULT '',
    keywords      text[] NOT NULL DEFAULT '{}',
    CONSTRAINT mk_mailbox_name UNIQUE (account_id, name) DEFERRABLE INITIALLY IMMEDIATE
);

-- A message body (what follows the header section), stored once however many messages share it, in chunks.
CREATE TABLE mk_body (
    id         bigserial PRIMARY KEY,
    sha256     bytea       NOT NULL UNIQUE,
    size       bigint      NOT NULL,
    chunk_size integer     NOT NULL,
    last_used  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE mk_chunk (
    body_id bigint  NOT NULL REFERENCES mk_body ON DELETE CASCADE,
    seq     integer NOT NULL,
    data    bytea   NOT NULL,
    PRIMARY KEY (body_id, seq)
);
-- chunks are read by position: uncompressed out-of-line storage lets a read take a slice without the whole chunk
ALTER TABLE mk_chunk ALTER COLUMN data SET STORAGE EXTERNAL;

-- One stored message: its own header section, a shared body, and its parsed MIME structure. Copies share the row.
CREATE TABLE mk_content (
    id        bigserial PRIMARY KEY,
    header    bytea       NOT NULL,
    body_id   bigint      NOT NULL REFERENCES mk_body,
    size      bigint      NOT NULL,
    structure bytea,
    created   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mk_content_body ON mk_content (body_id);

CREATE TABLE mk_message (
    mailbox_id    bigint  NOT NULL REFERENCES mk_mailbox ON DELETE CASCADE,
    uid           bigint  NOT NULL,
    content_id    bigint  NOT NULL REFERENCES mk_content,
    flags         integer NOT NULL,
    keywords      text[]  NOT NULL DEFAULT '{}',
    modseq        bigint  NOT NULL,
    internal_date bigint  NOT NULL,
    size          bigint  NOT NULL,
    PRIMARY KEY (mailbox_id, uid)
);
CREATE INDEX mk_message_modseq ON mk_message (mailbox_id, modseq);
CREATE INDEX mk_message_content ON mk_message (content_id);

CREATE TABLE mk_expunged (
    mailbox_id bigint NOT NULL REFERENCES mk_mailbox ON DELETE CASCADE,
    uid        bigint NOT NULL,
    modseq     bigint NOT NULL,
    at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (mailbox_id, uid)
);
CREATE INDEX mk_expunged_modseq ON mk_expunged (mailbox_id, modseq);
