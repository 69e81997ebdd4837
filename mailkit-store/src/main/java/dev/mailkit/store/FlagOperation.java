package dev.mailkit.store;

/** How {@link MailboxView#store} combines the given flags with a message's flags (IMAP {@code +FLAGS}, {@code -FLAGS}, {@code FLAGS}). */
public enum FlagOperation {
    /** Adds the given flags and keywords. */
    ADD,
    /** Removes the given flags and keywords. */
    REMOVE,
    /** Replaces all flags and keywords with the given ones. */
    REPLACE
}
