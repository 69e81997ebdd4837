package dev.mailkit.imap.internal.command;

/** STATUS data items (RFC 3501 6.3.10, RFC 7162, RFC 8438 SIZE, RFC 7889 APPENDLIMIT, RFC 9051 DELETED). */
public enum StatusItem { MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN, HIGHESTMODSEQ, SIZE, APPENDLIMIT, DELETED,
    /** RFC 8474: the mailbox's MAILBOXID, written as {@code MAILBOXID (id)}. */
    MAILBOXID }
