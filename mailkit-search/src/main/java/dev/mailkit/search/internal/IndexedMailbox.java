package dev.mailkit.search.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * What the index holds of one mailbox (one UIDVALIDITY of one name in one account): the UIDs indexed, sorted, and
 * whether every one of them could be indexed (if not, searches of the mailbox are left to the scan). Guarded by its
 * lock, which also orders catch-ups.
 */
final class IndexedMailbox {
    final String box;
    final String key;
    final long uidValidity;
    final ReentrantLock lock = new ReentrantLock();
    boolean loaded;
    long[] uids = new long[0];
    boolean exact = true;
    /** UIDNEXT and the message count taken just before the last catch-up that left nothing to do; -1: none. */
    long seenUidNext = -1;
    int seenMessages = -1;

    IndexedMailbox(String box, long uidValidity) {
        this.box = box;
        this.uidValidity = uidValidity;
        this.key = box + "\n" + uidValidity;
    }

    /** Remembers the status a complete catch-up started from. */
    void seen(dev.mailkit.store.MailboxStatus status) {
        seenUidNext = status.uidNext();
        seenMessages = status.messages();
    }

    /** The UIDs in {@code a} and not in {@code b} (both sorted). */
    static long[] minus(long[] a, long[] b) {
        long[] out = new long[a.length];
        int n = 0;
        int j = 0;
        for (long x : a) {
            while (j < b.length && b[j] < x) {
                j++;
            }
            if (j >= b.length || b[j] != x) {
                out[n++] = x;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
