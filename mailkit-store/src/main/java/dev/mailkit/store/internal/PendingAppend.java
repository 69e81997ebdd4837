package dev.mailkit.store.internal;

import dev.mailkit.store.Flags;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * One append waiting for the mailbox's write lock, with its stored content: {@link MailboxEngine#append} queues it, and
 * whichever append takes the lock next adds all that are queued and records them as one change (see
 * {@link MailboxStorage#groupsAppends()}). Its result (the UID, or the failure) is set under the write lock and read by
 * its own thread after taking the lock, so the lock orders them.
 */
final class PendingAppend {
    private final Object ref;
    private final Flags flags;
    private final long date;
    private final long size;
    private long uid;
    private boolean committed;
    private boolean done;
    private Throwable failure;

    PendingAppend(Object ref, Flags flags, long date, long size) {
        this.ref = ref;
        this.flags = flags;
        this.date = date;
        this.size = size;
    }

    /** Takes every queued append, oldest first. */
    static List<PendingAppend> drain(Queue<PendingAppend> queue) {
        List<PendingAppend> out = new ArrayList<>();
        for (PendingAppend a; (a = queue.poll()) != null; ) {
            out.add(a);
        }
        return out;
    }

    Object ref() {
        return ref;
    }

    Flags flags() {
        return flags;
    }

    long date() {
        return date;
    }

    long size() {
        return size;
    }

    /** Added to the index under {@code uid}. */
    void added(long uid) {
        this.uid = uid;
        this.committed = true;
    }

    /** Failed (only the first failure counts); not added unless {@link #added} came first. */
    void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
    }

    /** Handled by the section that held the lock. */
    void done() {
        done = true;
    }

    boolean isDone() {
        return done;
    }

    /** Whether its row is in the index (then its content and quota stay, even if recording failed). */
    boolean isCommitted() {
        return committed;
    }

    /** The UID; throws the failure instead, as the append would have. */
    long uid() {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        if (!done) {
            throw new IllegalStateException("append not handled");
        }
        return uid;
    }
}
