package dev.mailkit.store.maildir;

import dev.mailkit.store.UidSet;

/**
 * The UIDs and MODSEQs one Maildir mailbox may hand out without writing anything first: ceilings reserved in blocks,
 * each with an {@code R} record of {@code mailkit-index} made durable before a number it covers is used. After a
 * crash numbering continues above the last reservation, so that no UID or MODSEQ handed out before it is ever
 * handed out again (RFC 3501 2.3.1.1: UIDs strictly ascend; RFC 7162 3.1.1: HIGHESTMODSEQ never goes back). One
 * durable write per {@value #UID_BLOCK} UIDs or {@value #MODSEQ_BLOCK} MODSEQs. Used under the engine's write lock.
 */
final class UidReservations {
    /** UIDs reserved per durable index write. */
    static final long UID_BLOCK = 1000;
    /** MODSEQs reserved per durable index write. */
    static final long MODSEQ_BLOCK = 10_000;

    private final IndexRecorder index;
    private long uid;
    private long modSeq;

    UidReservations(IndexRecorder index) {
        this.index = index;
    }

    /** The highest UID reserved. */
    long uid() {
        return uid;
    }

    /** The highest MODSEQ reserved. */
    long modSeq() {
        return modSeq;
    }

    /** Takes over the reservations an index recorded. */
    void restore(long reservedUid, long reservedModSeq) {
        this.uid = reservedUid;
        this.modSeq = reservedModSeq;
    }

    /** Fresh blocks above the counters, for an index being rewritten (which records them first). */
    void renew(long uidNext, long highestModSeq) {
        this.uid = Math.min(UidSet.MAX_UID, uidNext - 1 + UID_BLOCK);
        this.modSeq = highestModSeq + MODSEQ_BLOCK;
    }

    /** Makes sure UIDs up to {@code lastUid} are reserved, durably. */
    void reserveUids(long lastUid) {
        if (lastUid <= uid) {
            return;
        }
        long r = Math.min(UidSet.MAX_UID, lastUid + UID_BLOCK);
        index.recordReservation(r, modSeq);
        uid = r;
    }

    /** Makes sure MODSEQ {@code m} is reserved, durably. */
    void reserveModSeq(long m) {
        if (m <= modSeq) {
            return;
        }
        long r = m + MODSEQ_BLOCK;
        index.recordReservation(uid, r);
        modSeq = r;
    }
}
