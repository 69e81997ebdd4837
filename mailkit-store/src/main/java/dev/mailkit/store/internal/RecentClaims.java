package dev.mailkit.store.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which messages of one mailbox are still {@code \Recent} (RFC 3501 2.3.2): each new message is recent in exactly
 * one session, the first READ-WRITE one to learn of it. Since UIDs only grow, that is one number: the first UID no
 * session has claimed. Lock-free; claims race with a compare-and-set.
 */
final class RecentClaims {
    private final AtomicLong firstUnclaimed = new AtomicLong(1);

    /** The first UID no session has claimed yet. */
    long firstUnclaimed() {
        return firstUnclaimed.get();
    }

    /** Sets the first unclaimed UID (a store restored the mailbox before any view could claim). */
    void restore(long firstUid) {
        firstUnclaimed.set(Math.max(1, firstUid));
    }

    /** Claims a new message for one session; true if no session had it yet. */
    boolean claim(long uid) {
        while (true) {
            long f = firstUnclaimed.get();
            if (uid < f) {
                return false;
            }
            if (firstUnclaimed.compareAndSet(f, uid + 1)) {
                return true;
            }
        }
    }

    /** Whether no session has claimed the message. */
    boolean isUnclaimed(long uid) {
        return uid >= firstUnclaimed.get();
    }

    /**
     * Claims, for a session that selects the mailbox, every message below {@code uidNext} that no session has had
     * (a snapshot of ascending UIDs); returns those, ascending.
     */
    int[] claimAll(int[] uids, long uidNext) {
        long before = firstUnclaimed.getAndAccumulate(uidNext, Math::max);
        return before < uidNext ? tailFrom(uids, before) : new int[0];
    }

    /** The unclaimed messages of a snapshot (ascending UIDs), for a session that only examines the mailbox. */
    int[] unclaimed(int[] uids) {
        return tailFrom(uids, firstUnclaimed.get());
    }

    private static int[] tailFrom(int[] uids, long firstUid) {
        int i = Uids.ceiling(uids, uids.length, firstUid);
        return Arrays.copyOfRange(uids, i, uids.length);
    }
}
