package dev.mailkit.pop3.internal;

/** The states of a POP3 session (RFC 1939 section 3). */
public enum Pop3State {
    /** Before a successful login: USER, PASS, AUTH, STLS, CAPA, QUIT. */
    AUTHORIZATION,
    /** The maildrop is locked and open: the message commands. */
    TRANSACTION,
    /** After QUIT in the TRANSACTION state: deletions are applied, then the connection closes. */
    UPDATE
}
