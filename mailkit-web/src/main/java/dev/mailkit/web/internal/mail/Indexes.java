package dev.mailkit.web.internal.mail;

import dev.mailkit.store.MailStore;
import dev.mailkit.web.internal.mail.MessageId.MailboxKey;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open {@link MailboxIndex}es, at most {@code max}: opened on first use (one builder per mailbox, others wait
 * for it; different mailboxes build in parallel), the least recently used closed when there are too many. Thread-safe.
 */
public final class Indexes implements AutoCloseable {
    private static final class Holder {
        final ReentrantLock lock = new ReentrantLock();
        volatile MailboxIndex index;
        volatile long lastUsed;
    }

    private final MailStore store;
    private final Executor executor;
    private final MailboxIndex.Listener listener;
    private final int max;
    private final Map<MailboxKey, Holder> holders = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private volatile boolean closed;

    public Indexes(MailStore store, Executor executor, MailboxIndex.Listener listener, int max) {
        this.store = store;
        this.executor = executor;
        this.listener = listener;
        this.max = max;
    }

    /**
     * The index of a mailbox, opened (and built) if needed.
     *
     * @throws dev.mailkit.store.MailStoreException if the mailbox does not exist
     */
    public MailboxIndex get(MailboxKey key) {
        if (closed) {
            throw new IllegalStateException("the web server is closed");
        }
        Holder h = holders.computeIfAbsent(key, k -> new Holder());
        h.lastUsed = clock.incrementAndGet();
        MailboxIndex idx = h.index;
        if (idx != null && !idx.isClosed()) {
            return idx;
        }
        h.lock.lock();
        try {
            idx = h.index;
            if (idx == null || idx.isClosed()) {
                if (idx != null) {
                    idx.close();
                }
                idx = MailboxIndex.open(store, key, executor, listener);
                h.index = idx;
            }
        } finally {
            h.lock.unlock();
        }
        if (holders.size() > max) {
            evict(key);
        }
        return idx;
    }

    /** The index of a mailbox if it is open, else null. */
    public MailboxIndex ifOpen(MailboxKey key) {
        Holder h = holders.get(key);
        return h == null ? null : h.index;
    }

    private void evict(MailboxKey keep) {
        MailboxKey oldest = null;
        long min = Long.MAX_VALUE;
        for (Map.Entry<MailboxKey, Holder> e : holders.entrySet()) {
            if (!e.getKey().equals(keep) && e.getValue().lastUsed < min) {
                min = e.getValue().lastUsed;
                oldest = e.getKey();
            }
        }
        if (oldest != null) {
            Holder h = holders.remove(oldest);
            if (h != null && h.index != null) {
                h.index.close();
            }
        }
    }

    /** Closes every index. */
    @Override
    public void close() {
        closed = true;
        for (Holder h : holders.values()) {
            MailboxIndex idx = h.index;
            if (idx != null) {
                idx.close();
            }
        }
        holders.clear();
    }
}
