-- mailkit-postgres: users' Sieve scripts and vacation replies (PostgresSieveScripts, PostgresVacationMemory), so that
-- every node runs a user's active script at delivery and ManageSieve on any node sees the same scripts.
-- account is the account's address as mk_account.name spells it (AccountId); at most one active script per account.

CREATE TABLE mk_sieve_script (
    account text    NOT NULL,
    name    text    NOT NULL,
    source  text    NOT NULL,
    active  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (account, name)
);
CREATE UNIQUE INDEX mk_sieve_script_active ON mk_sieve_script (account) WHERE active;

-- one row per (account, sender and handle): no other vacation reply to that sender before "until" (RFC 5230 4.2)
CREATE TABLE mk_sieve_vacation (
    account text        NOT NULL,
    key     text        NOT NULL,
    until   timestamptz NOT NULL,
    PRIMARY KEY (account, key)
);
