package dev.mailkit.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * Messages that left a {@link MailboxView}'s snapshot, ready to be reported: as IMAP {@code EXPUNGE} responses
 * ({@link #sequenceNumbers()}, in order, each relative to the numbering left by the previous one, so the ascending
 * UIDs 3, 4 at sequence numbers 3, 4 give {@code 3, 3}) or as a QRESYNC {@code VANISHED} UID set ({@link #uids()}).
 *
 * <p>Immutable and thread-safe.
 */
public final class Expunges {
    /** Nothing expunged. */
    public static final Expunges NONE = new Expunges(UidSet.EMPTY, new int[0]);

    private final UidSet uids;
    private final int[] sequenceNumbers;

    /**
     * Creates the report.
     *
     * @param uids            the UIDs that left the snapshot
     * @param sequenceNumbers the sequence numbers to report, one per UID, in the order of ascending UIDs
     */
    public Expunges(UidSet uids, int[] sequenceNumbers) {
        this.uids = Objects.requireNonNull(uids, "uids");
        this.sequenceNumbers = sequenceNumbers.clone();
        if (uids.size() != sequenceNumbers.length) {
            throw new IllegalArgumentException(uids.size() + " UIDs but " + sequenceNumbers.length
                    + " sequence numbers");
        }
    }

    /** The UIDs that left the snapshot. */
    public UidSet uids() {
        return uids;
    }

    /** The number of messages. */
    public int count() {
        return sequenceNumbers.length;
    }

    /** Whether nothing was expunged. */
    public boolean isEmpty() {
        return sequenceNumbers.length == 0;
    }

    /** The sequence numbers to send as {@code * n EXPUNGE}, in this order (a copy). */
    public int[] sequenceNumbers() {
        return sequenceNumbers.clone();
    }

    @Override
    public String toString() {
        return "Expunges{uids=" + uids + ", seqs=" + Arrays.toString(sequenceNumbers) + "}";
    }
}
