package dev.mailkit.postgres.internal;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The node's ear on the database: one connection of its own (not from the pool) that {@code LISTEN}s on the
 * schema's channels, and a daemon thread that hands each notification to the subscribers. Notifications can be lost
 * (the connection breaks, the database restarts): after every reconnection the subscribers are told to
 * {@link Subscriber#resync() resync}, and every {@code tick} they get a {@link Subscriber#tick() tick}, for a
 * catch-up read that finds what a lost notification would have said. Thread-safe.
 */
public final class Notifications implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

    /** What a part of the node does with notifications. Called on the listening thread: hand work off quickly. */
    public interface Subscriber {
        /** A notification on one of the channels. */
        void notified(String channel, String payload);

        /** Notifications may have been lost: read what changed. */
        void resync();

        /** Periodically: a cheap check for what a lost notification would have said. */
        void tick();
    }

    /** Opens the listening connection. */
    @FunctionalInterface
    public interface Connector {
        /** A new connection to the database, not from the pool. */
        Connection open() throws SQLException;
    }

    private final Connector connector;
    private final List<String> channels;
    private final Duration tick;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition();
    private Thread thread; // guarded by lock
    private volatile boolean closed;
    private volatile boolean listening;
    private volatile Connection current;

    /**
     * A hub for these channels.
     *
     * @param tick how often subscribers check for what they may have missed
     */
    public Notifications(Connector connector, List<String> channels, Duration tick) {
        this.connector = connector;
        this.channels = List.copyOf(channels);
        this.tick = tick;
    }

    /** Adds a subscriber and starts listening if this is the first. */
    public void subscribe(Subscriber s) {
        subscribers.add(s);
        lock.lock();
        try {
            if (thread == null && !closed) {
                thread = new Thread(this::run, "mailkit-postgres-listen");
                thread.setDaemon(true);
                thread.start();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes a subscriber. */
    public void unsubscribe(Subscriber s) {
        subscribers.remove(s);
    }

    /** Whether the listening connection is up now (when it is not, subscribers cannot rely on notifications). */
    public boolean isListening() {
        return listening;
    }

    private void run() {
        long backoff = 50;
        while (!closed) {
            try (Connection c = connector.open()) {
                current = c;
                if (closed) {
                    break;
                }
                try (Statement st = c.createStatement()) {
                    for (String ch : channels) {
                        st.execute("LISTEN \"" + ch + "\"");
                    }
                }
                listening = true;
                backoff = 50;
                for (Subscriber s : subscribers) {
                    s.resync();
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                long nextTick = System.nanoTime() + tick.toNanos();
                while (!closed) {
                    long wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextTick - System.nanoTime()));
                    PGNotification[] got = pg.getNotifications((int) Math.min(wait, 500));
                    if (got != null) {
                        for (PGNotification n : got) {
                            for (Subscriber s : subscribers) {
                                deliver(s, n.getName(), n.getParameter());
                            }
                        }
                    }
                    if (System.nanoTime() - nextTick >= 0) {
                        nextTick = System.nanoTime() + tick.toNanos();
                        for (Subscriber s : subscribers) {
                            s.tick();
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (closed) {
                    break;
                }
                LOG.warn("listening for changes of other nodes failed ({}); reconnecting in {} ms", e.getMessage(),
                        backoff);
                awaitClose(backoff);
                backoff = Math.min(backoff * 2, 2000);
            }
        }
        listening = false;
    }

    private static void deliver(Subscriber s, String channel, String payload) {
        try {
            s.notified(channel, payload);
        } catch (RuntimeException e) {
            LOG.warn("a subscriber failed on a notification on {}: {}", channel, e.toString());
        }
    }

    private void awaitClose(long millis) {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (!closed && nanos > 0) {
                nanos = stopped.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Stops listening (within about half a second). Idempotent. */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            stopped.signalAll();
            t = thread;
        } finally {
            lock.unlock();
        }
        Connection c = current;
        if (c != null) {
            try {
                c.close(); // ends a wait for notifications at once
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        if (t != null) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
