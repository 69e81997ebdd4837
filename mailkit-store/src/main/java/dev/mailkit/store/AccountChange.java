package dev.mailkit.store;

import java.util.Objects;

/**
 * One change to an account as a whole, as {@link AccountChanges} reports it: a mailbox created, deleted or renamed,
 * a name subscribed or unsubscribed, or a METADATA entry (RFC 5464) set or removed. These are the events of IMAP
 * NOTIFY's MailboxName, SubscriptionChange, MailboxMetadataChange and ServerMetadataChange (RFC 5465 5.4-5.7).
 * A rename that moves mailboxes below the renamed one gives one {@link Kind#RENAMED} per moved mailbox. Immutable.
 *
 * @param sequence the change's number in its account: each change is one above the one before
 * @param kind     what changed
 * @param mailbox  the mailbox (its new name for a rename); null for a {@link Kind#METADATA} change of the account's
 *                 own (IMAP "server") entries
 * @param oldName  the name before a {@link Kind#RENAMED}; null for the other kinds
 * @param entry    the entry name (lower case) of a {@link Kind#METADATA} change; null for the other kinds
 */
public record AccountChange(long sequence, Kind kind, MailboxName mailbox, MailboxName oldName, String entry) {
    /** What changed. */
    public enum Kind {
        /** A mailbox was created (also the new mailbox of a rename of INBOX). */
        CREATED,
        /** A mailbox was deleted. */
        DELETED,
        /** A mailbox was renamed ({@link AccountChange#oldName()} is the name it had). */
        RENAMED,
        /** A name was subscribed. */
        SUBSCRIBED,
        /** A name was unsubscribed. */
        UNSUBSCRIBED,
        /** A METADATA entry of a mailbox or of the account was set, changed or removed. */
        METADATA
    }

    public AccountChange {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.METADATA) {
            Objects.requireNonNull(mailbox, "mailbox");
        } else {
            Objects.requireNonNull(entry, "entry");
        }
        if (kind == Kind.RENAMED) {
            Objects.requireNonNull(oldName, "oldName");
        }
    }
}
