package dev.mailkit.store;

import java.util.Map;
import java.util.SortedMap;

/**
 * One account's metadata (RFC 5464): entries such as {@code /private/comment} or {@code /shared/vendor/x/y} with
 * octet-string values, attached to the account itself (the IMAP "server" entries, {@code mailbox == null}) or to one
 * of its mailboxes. Entry names are as RFC 5464 spells them, starting {@code /private/} or {@code /shared/}, and are
 * compared case-insensitively (a store keeps them in lower case). A mailbox's entries go when the mailbox is deleted
 * and follow it when it is renamed.
 *
 * <p>Thread-safe; {@link #set} is atomic: all of its changes are made, or none.
 */
public interface AccountMetadata {
    /**
     * Every entry of the account ({@code mailbox} null) or of a mailbox, sorted by name; empty if there are none.
     *
     * @throws MailStoreException {@code NOT_FOUND} if the mailbox does not exist
     */
    SortedMap<String, byte[]> entries(MailboxName mailbox);

    /**
     * Sets entries (a non-null value) and removes them (a null value); all or nothing.
     *
     * @param mailbox null for the account's own entries
     * @param changes entry name (lower case, validated by the caller) to new value or null
     * @throws MailStoreException {@code NOT_FOUND} if the mailbox does not exist
     * @throws MetadataException  if the change would go over the account's {@link MetadataLimits}
     */
    void set(MailboxName mailbox, Map<String, byte[]> changes);
}
