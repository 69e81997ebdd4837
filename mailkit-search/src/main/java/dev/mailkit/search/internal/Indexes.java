package dev.mailkit.search.internal;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The mailboxes the index knows, each caught up with its mailbox before a search answers, and the most recently
 * searched ones watched so that arrivals and expunges are indexed as they happen. Thread-safe.
 */
public final class Indexes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.search.LuceneSearchIndex");

    private final IndexEngine engine;
    private final ExecutorService pool;
    private final int maxWatched;
    private final ConcurrentHashMap<String, IndexedMailbox> mailboxes = new ConcurrentHashMap<>();
    private final ReentrantLock watchLock = new ReentrantLock();
    private final LinkedHashMap<String, Watcher> watched = new LinkedHashMap<>(16, 0.75f, true);
    private volatile boolean closed;

    public Indexes(IndexEngine engine, ExecutorService pool, int maxWatched) {
        this.engine = engine;
        this.pool = pool;
        this.maxWatched = maxWatched;
    }

    private IndexedMailbox state(AccountId account, Mailbox mailbox) {
        String box = account + "\n" + mailbox.name();
        long uv = mailbox.uidValidity();
        String key = box + "\n" + uv;
        return mailboxes.computeIfAbsent(key, k -> new IndexedMailbox(box, uv));
    }

    /** Brings a mailbox's index up to date now (and watches it). */
    public void update(AccountId account, Mailbox mailbox) throws IOException {
        IndexedMailbox m = state(account, mailbox);
        m.lock.lock();
        try {
            engine.catchUp(m, mailbox);
        } finally {
            m.lock.unlock();
        }
        watch(m, account, mailbox);
    }

    /** Searches a mailbox, caught up first; empty if the index cannot answer. */
    public Optional<UidSet> search(AccountId account, Mailbox mailbox, String text, boolean bodyOnly) {
        if (closed) {
            return Optional.empty();
        }
        IndexedMailbox m = state(account, mailbox);
        try {
            m.lock.lock();
            try {
                engine.catchUp(m, mailbox);
                if (!m.exact) {
                    return Optional.empty();
                }
                Optional<UidSet> out = Optional.ofNullable(engine.search(m, text, bodyOnly));
                watch(m, account, mailbox);
                return out;
            } finally {
                m.lock.unlock();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("the search index cannot answer for {} ({}); the messages are read", m.box.replace('\n', '/'),
                    e.toString());
            return Optional.empty();
        }
    }

    private void watch(IndexedMailbox m, AccountId account, Mailbox mailbox) {
        watchLock.lock();
        try {
            if (closed || watched.get(m.key) != null) {
                return;
            }
            Watcher w = new Watcher(mailbox.openView(ViewMode.READ_ONLY), pool, () -> catchUpQuietly(m, account));
            watched.put(m.key, w);
            if (watched.size() > maxWatched) {
                Map.Entry<String, Watcher> eldest = watched.entrySet().iterator().next();
                watched.remove(eldest.getKey());
                eldest.getValue().close();
            }
        } catch (RuntimeException e) {
            LOG.debug("cannot watch {}: {}", m.box, e.toString());
        } finally {
            watchLock.unlock();
        }
    }

    private void catchUpQuietly(IndexedMailbox m, AccountId account) {
        Watcher w;
        watchLock.lock();
        try {
            w = watched.get(m.key);
        } finally {
            watchLock.unlock();
        }
        if (w == null || closed) {
            return;
        }
        m.lock.lock();
        try {
            engine.catchUp(m, w.mailbox());
        } catch (IOException | RuntimeException e) {
            LOG.debug("catching up {} failed: {}", m.box, e.toString());
        } finally {
            m.lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        watchLock.lock();
        try {
            for (Watcher w : watched.values()) {
                w.close();
            }
            watched.clear();
        } finally {
            watchLock.unlock();
        }
    }
}
