package dev.mailkit.imap.internal.session;

import dev.mailkit.core.server.ServerExecutors;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Writes mailbox updates to idling clients. A store's change listener runs on the thread that made the change and
 * must not block, so it only asks this notifier to run the session's update; the update runs here, on a virtual
 * thread (JDK 21+) or on a small pool of daemon threads (JDK 17), so that a delivery never waits for a slow client
 * and a thousand idling sessions need no thread each beyond their own. The executor is created with the first
 * update (a server whose clients never idle never loads the virtual-thread machinery). One per server. Thread-safe.
 */
public final class IdleNotifier implements AutoCloseable {
    private final String name;
    private final boolean virtualThreads;
    private final java.util.concurrent.atomic.AtomicInteger idling = new java.util.concurrent.atomic.AtomicInteger();
    private volatile ExecutorService executor;
    private boolean closed; // guarded by this

    /** A notifier; {@code name} prefixes thread names. */
    public IdleNotifier(String name, boolean virtualThreads) {
        this.name = name;
        this.virtualThreads = virtualThreads;
    }

    /** Runs the task soon on another thread; dropped after {@link #close()}. */
    public void submit(Runnable task) {
        ExecutorService ex = executor;
        if (ex == null) {
            ex = createExecutor();
            if (ex == null) {
                return; // closed
            }
        }
        try {
            ex.execute(task);
        } catch (RejectedExecutionException e) {
            // closing: the session is closing too
        }
    }

    private synchronized ExecutorService createExecutor() {
        if (closed) {
            return null;
        }
        if (executor == null) {
            if (virtualThreads && ServerExecutors.virtualThreadsAvailable()) {
                executor = ServerExecutors.forConnections(name, 1, true);
            } else {
                ThreadPoolExecutor pool = new ThreadPoolExecutor(16, 16, 30, TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(), ServerExecutors.platformFactory(name));
                pool.allowCoreThreadTimeOut(true);
                executor = pool;
            }
        }
        return executor;
    }

    /** Counts a session entering (+1) or leaving (-1) IDLE. */
    void idling(int delta) {
        idling.addAndGet(delta);
    }

    /** The number of sessions in IDLE now. */
    public int idlingSessions() {
        return idling.get();
    }

    /** Stops the threads (sessions are closed by their server). */
    @Override
    public void close() {
        ExecutorService ex;
        synchronized (this) {
            closed = true;
            ex = executor;
        }
        if (ex != null) {
            ex.shutdownNow();
        }
    }
}
