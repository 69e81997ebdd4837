package dev.mailkit.store.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The change log of one mailbox and the views that follow it. The engine appends a {@link Change} under its write
 * lock, in the same critical section that assigns the UIDs and MODSEQ, so the log is in UID order; each view keeps
 * a cursor into it and applies the changes when its session syncs. Nodes no view points to any more are garbage.
 * Views are woken without locks, after the engine released its lock.
 */
final class ChangeLog {
    private final Set<ViewImpl> followers = ConcurrentHashMap.newKeySet();
    private volatile Change tail;

    /** A log that starts at {@code modSeq}. */
    ChangeLog(long modSeq) {
        this.tail = new Change(Change.START, modSeq, new int[0], null);
    }

    /** The newest change: where a new view starts following. Read under the engine's lock. */
    Change tail() {
        return tail;
    }

    /** Appends a change. Under the engine's write lock. */
    void append(int kind, long modSeq, int[] uids, Object origin) {
        Change c = new Change(kind, modSeq, uids, origin);
        tail.next = c;
        tail = c;
    }

    /** Starts a new log at {@code modSeq} (a store restored the mailbox before any view could follow it). */
    void restart(long modSeq) {
        tail = new Change(Change.START, modSeq, new int[0], null);
    }

    /** A view follows the log from now on. */
    void follow(ViewImpl view) {
        followers.add(view);
    }

    /** A view no longer follows the log. */
    void unfollow(ViewImpl view) {
        followers.remove(view);
    }

    /** Wakes every view: changes are pending. Called without locks. */
    void wake() {
        for (ViewImpl v : followers) {
            v.signal();
        }
    }
}
