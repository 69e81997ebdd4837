package dev.mailkit.store;

import java.util.Objects;

/**
 * A mailbox store refused or failed an operation. The {@link #reason()} says what kind of failure it is, so that a
 * protocol front end can answer with the right response code (IMAP {@code [NONEXISTENT]}, {@code [OVERQUOTA]},
 * POP3 {@code [IN-USE]}, SMTP {@code 452 4.2.2} ...); the message says, in words a user can act on, what was wrong.
 *
 * <p>Unchecked, immutable.
 */
public final class MailStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure this is. */
    public enum Reason {
        /** The mailbox (or a message the operation needs) does not exist. IMAP: {@code [NONEXISTENT]}/{@code [TRYCREATE]}. */
        NOT_FOUND,
        /** The mailbox already exists. IMAP: {@code [ALREADYEXISTS]}. */
        ALREADY_EXISTS,
        /** A user name, mailbox name or keyword is not acceptable; nothing was changed. IMAP: {@code BAD} or {@code NO [CANNOT]}. */
        INVALID_NAME,
        /** The operation is not allowed on this mailbox (deleting INBOX, renaming a mailbox into itself ...). IMAP: {@code [CANNOT]}. */
        NOT_ALLOWED,
        /** The view is read-only (IMAP EXAMINE). IMAP: {@code NO}. */
        READ_ONLY,
        /** The account's quota does not allow it. IMAP: {@code [OVERQUOTA]}; SMTP {@code 452 4.2.2}. */
        OVER_QUOTA,
        /** A configured limit was reached (keywords per mailbox, mailboxes per account, UIDs). IMAP: {@code [LIMIT]}. */
        LIMIT,
        /** Another session holds the mailbox exclusively (POP3). POP3: {@code [IN-USE]}; IMAP {@code [INUSE]}. */
        IN_USE,
        /** The storage failed (disk full, I/O error, database unreachable); the operation had no effect. IMAP: {@code [UNAVAILABLE]}; POP3 {@code [SYS/TEMP]}; SMTP 4xx. */
        IO_ERROR
    }

    private final Reason reason;

    /** Creates an exception with a reason and a message that says what was wrong. */
    public MailStoreException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Creates an exception with a reason, a message and the underlying cause. */
    public MailStoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** What kind of failure this is. */
    public Reason reason() {
        return reason;
    }
}
