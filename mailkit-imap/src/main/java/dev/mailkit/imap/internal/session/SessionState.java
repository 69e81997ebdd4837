package dev.mailkit.imap.internal.session;

/** The IMAP connection states (RFC 3501 3). */
public enum SessionState { NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT }
