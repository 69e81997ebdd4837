package dev.mailkit.store;

import java.util.Objects;

/**
 * The outcome of {@link MailboxView#copy} and {@link MailboxView#move}: which messages were copied to which new
 * UIDs (UIDPLUS {@code COPYUID uidValidity sourceUids targetUids}: the n-th source UID became the n-th target UID,
 * both ascending) and, for a move, the expunges in the source view to report.
 *
 * <p>Messages of the requested set that were no longer in the mailbox are simply not in {@link #sourceUids()}.
 * Immutable and thread-safe.
 *
 * @param uidValidity the target mailbox's UIDVALIDITY
 * @param sourceUids  the UIDs that were copied, ascending
 * @param targetUids  their new UIDs in the target, ascending, as many as {@code sourceUids}
 * @param expunged    for a move, the messages that left the source view; {@link Expunges#NONE} for a copy
 */
public record CopyResult(long uidValidity, UidSet sourceUids, UidSet targetUids, Expunges expunged) {
    /** Validates. */
    public CopyResult {
        Objects.requireNonNull(sourceUids, "sourceUids");
        Objects.requireNonNull(targetUids, "targetUids");
        Objects.requireNonNull(expunged, "expunged");
        if (sourceUids.size() != targetUids.size()) {
            throw new IllegalArgumentException("source and target UID sets differ in size");
        }
    }

    /** The number of messages copied. */
    public int count() {
        return (int) sourceUids.size();
    }
}
