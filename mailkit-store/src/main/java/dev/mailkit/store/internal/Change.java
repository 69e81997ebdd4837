package dev.mailkit.store.internal;

/**
 * One node of a mailbox's change log: a singly linked list that the mailbox appends to under its write lock and
 * that every view walks from its own cursor without locks. Nodes no view points to any more are garbage, so the log
 * costs memory only for changes some open view has not synced yet. Immutable except for {@link #next}, which is
 * set once.
 */
final class Change {
    static final int START = 0;
    static final int APPEND = 1;
    static final int FLAGS = 2;
    static final int EXPUNGE = 3;
    static final int DELETE = 4;

    final int kind;
    final long modSeq;
    final int[] uids; // ascending (unsigned)
    final Object origin; // the view that made a flag change, or null
    volatile Change next;

    Change(int kind, long modSeq, int[] uids, Object origin) {
        this.kind = kind;
        this.modSeq = modSeq;
        this.uids = uids;
        this.origin = origin;
    }
}
