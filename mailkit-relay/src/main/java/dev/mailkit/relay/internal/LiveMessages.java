package dev.mailkit.relay.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The messages in the queue, by queue id: added when committed or recovered, removed when finished or deleted, and
 * a wait for the queue to be empty. Thread-safe.
 */
final class LiveMessages {
    private final Map<String, StoredMessage> byId = new ConcurrentHashMap<>();
    private final ReentrantLock emptyLock = new ReentrantLock();
    private final Condition emptied = emptyLock.newCondition();

    void add(StoredMessage m) {
        byId.put(m.id, m);
    }

    /** The message, or null when it is not (or no longer) queued. */
    StoredMessage get(String id) {
        return byId.get(id);
    }

    /** Removes the message (if it is still the one under its id) and wakes whoever waits for an empty queue. */
    void remove(StoredMessage m) {
        byId.remove(m.id, m);
        if (byId.isEmpty()) {
            emptyLock.lock();
            try {
                emptied.signalAll();
            } finally {
                emptyLock.unlock();
            }
        }
    }

    int size() {
        return byId.size();
    }

    /** A live view of the messages (weakly consistent). */
    Collection<StoredMessage> all() {
        return byId.values();
    }

    /** The ids queued now. */
    List<String> ids() {
        return new ArrayList<>(byId.keySet());
    }

    /** Waits until the queue is empty; false on timeout. */
    boolean awaitEmpty(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        emptyLock.lock();
        try {
            while (!byId.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                emptied.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return true;
        } finally {
            emptyLock.unlock();
        }
    }
}
