package dev.mailkit.store;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link MailboxView#store}: the flags of every message the operation applied to (for the
 * {@code FETCH (FLAGS ... MODSEQ ...)} responses), and the messages that failed an {@code UNCHANGEDSINCE}
 * condition (CONDSTORE's {@code [MODIFIED ...]}). Messages of the requested set that were no longer in the mailbox
 * are in neither.
 *
 * <p>Immutable and thread-safe.
 *
 * @param updates  one entry per message the operation applied to, in ascending UID order
 * @param modified the UIDs whose MODSEQ was above {@code unchangedSince}; they were not changed
 */
public record StoreResult(List<Entry> updates, UidSet modified) {
    /** Validates and copies. */
    public StoreResult {
        updates = List.copyOf(updates);
        Objects.requireNonNull(modified, "modified");
    }

    /**
     * One message after the operation.
     *
     * @param uid     the UID
     * @param flags   its flags now
     * @param modSeq  its MODSEQ now
     * @param changed whether this operation changed its flags (if not, its MODSEQ did not change either)
     */
    public record Entry(long uid, Flags flags, long modSeq, boolean changed) {
    }
}
