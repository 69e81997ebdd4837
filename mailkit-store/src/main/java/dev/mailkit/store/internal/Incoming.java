package dev.mailkit.store.internal;

import java.util.List;

/**
 * A message on its way into a mailbox: copied or moved from another mailbox (with its UID there), or found in the
 * store's own storage, put there by another program ({@link StorageSync#adopt}; no source UID).
 *
 * @param sourceUid its UID in the mailbox it comes from, or 0
 * @param ref       the source's reference to its content (for a copy), or the target's (for an adopted message)
 * @param flagBits  its system flags
 * @param keywords  its keywords
 * @param date      its internal date, epoch seconds
 * @param size      its size (as the store's {@code openContent} presents it)
 */
public record Incoming(long sourceUid, Object ref, int flagBits, List<String> keywords, long date, long size) {
    /** A message another program put into the mailbox's storage. */
    public static Incoming found(Object ref, int flagBits, List<String> keywords, long date, long size) {
        return new Incoming(0, ref, flagBits, List.copyOf(keywords), date, size);
    }
}
