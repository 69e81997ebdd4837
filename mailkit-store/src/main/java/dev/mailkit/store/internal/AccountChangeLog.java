package dev.mailkit.store.internal;

import dev.mailkit.store.AccountChange;
import dev.mailkit.store.AccountChanges;
import dev.mailkit.store.MailboxName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An account's {@link AccountChanges} kept in memory: the last {@value #HISTORY} changes and the listeners. The
 * {@link AccountEngine} records changes under the account's lock and calls {@link #fireIfRecorded()} after
 * releasing it, so listeners never run under a store lock. Thread-safe.
 */
public final class AccountChangeLog implements AccountChanges {
    /** How many changes are kept for sessions that fall behind. */
    public static final int HISTORY = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(AccountChangeLog.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<AccountChange> history = new ArrayDeque<>(); // guarded by lock
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean recorded = new AtomicBoolean();
    private long sequence; // guarded by lock

    /** Appends a change with the next number. */
    public void record(AccountChange.Kind kind, MailboxName mailbox, MailboxName oldName, String entry) {
        lock.lock();
        try {
            history.addLast(new AccountChange(++sequence, kind, mailbox, oldName, entry));
            if (history.size() > HISTORY) {
                history.removeFirst();
            }
        } finally {
            lock.unlock();
        }
        recorded.set(true);
    }

    /** Runs the listeners if a change was recorded since the last call. Call outside every store lock. */
    public void fireIfRecorded() {
        if (recorded.getAndSet(false)) {
            for (Runnable l : listeners) {
                try {
                    l.run();
                } catch (RuntimeException e) {
                    LOG.warn("an account change listener failed: {}", e.toString());
                }
            }
        }
    }

    @Override
    public long sequence() {
        lock.lock();
        try {
            return sequence;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<List<AccountChange>> since(long after) {
        lock.lock();
        try {
            if (after >= sequence) {
                return Optional.of(List.of());
            }
            AccountChange first = history.peekFirst();
            if (first == null || first.sequence() > after + 1) {
                return Optional.empty();
            }
            List<AccountChange> out = new ArrayList<>((int) (sequence - after));
            for (AccountChange c : history) {
                if (c.sequence() > after) {
                    out.add(c);
                }
            }
            return Optional.of(out);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void addListener(Runnable listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }
}
