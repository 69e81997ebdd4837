package dev.mailkit.store.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongBinaryOperator;

/**
 * Which messages of one mailbox are still {@code \Recent} (RFC 3501 2.3.2): each new message is recent in exactly
 * one session, the first READ-WRITE one to learn of it. Since UIDs only grow, that is one number: the first UID no
 * session has claimed. Lock-free; claims race with a compare-and-set. When several processes share the mailbox
 * (mailkit-postgres), each claim of this process is also recorded with the store ({@link MailboxStorage#claimRecent}),
 * which says which of the messages no session of any process had.
 */
final class RecentClaims {
    private final AtomicLong firstUnclaimed = new AtomicLong(1);
    private final LongBinaryOperator shared;

    /** Claims recorded with {@code shared} too: (from, to) -> the first UID in it no process had claimed. */
    RecentClaims(LongBinaryOperator shared) {
        this.shared = shared;
    }

    /** The first UID no session has claimed yet. */
    long firstUnclaimed() {
        return firstUnclaimed.get();
    }

    /** Sets the first unclaimed UID (a store restored the mailbox before any view could claim). */
    void restore(long firstUid) {
        firstUnclaimed.set(Math.max(1, firstUid));
    }

    /** Another process's sessions claimed the messages below {@code firstUid}. */
    void claimedElsewhere(long firstUid) {
        firstUnclaimed.accumulateAndGet(firstUid, Math::max);
    }

    /** Claims a new message for one session; true if no session had it yet. */
    boolean claim(long uid) {
        while (true) {
            long f = firstUnclaimed.get();
            if (uid < f) {
                return false;
            }
            if (firstUnclaimed.compareAndSet(f, uid + 1)) {
                return shared.applyAsLong(f, uid + 1) <= uid;
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
        return before < uidNext ? tailFrom(uids, Math.max(before, shared.applyAsLong(before, uidNext))) : new int[0];
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
