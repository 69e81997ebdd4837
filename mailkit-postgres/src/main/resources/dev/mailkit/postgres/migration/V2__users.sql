-- mailkit-postgres: users, aliases and local domains (PostgresUserDirectory).
-- Keys are lower-case (user names, addresses by MailAddress.lookupKey, domains); the values keep their spelling.

CREATE TABLE mk_domain (
    name text PRIMARY KEY
);

CREATE TABLE mk_user (
    username_key  text PRIMARY KEY,
    username      text    NOT NULL,
    address       text    NOT NULL,
    address_key   text    NOT NULL UNIQUE,
    password_hash text    NOT NULL,
    disabled      boolean NOT NULL DEFAULT false
);

CREATE TABLE mk_alias (
    address_key  text PRIMARY KEY,
    address      text NOT NULL,
    username_key text NOT NULL REFERENCES mk_user ON DELETE CASCADE
);
