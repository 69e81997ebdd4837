package dev.mailkit.relay.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Hands jobs to delivery sessions, one queue per destination. A destination gets a new session (a thread with its own
 * connection) when jobs wait and no session of it is idle, up to the per-destination and the total limits; a session
 * takes the destination's jobs one after the other over the same connection and ends after an idle period. Jobs that
 * find every slot taken wait until a session ends. Thread-safe.
 */
final class Dispatcher {
    /** One destination's queue and sessions. Guarded by the dispatcher's lock. */
    static final class Destination {
        final String key;
        final ArrayDeque<Job> queue = new ArrayDeque<>();
        final Condition hasWork;
        int sessions;
        int idle;

        Destination(String key, Condition hasWork) {
            this.key = key;
            this.hasWork = hasWork;
        }

        @Override
        public String toString() {
            return key;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Destination> destinations = new LinkedHashMap<>();
    private final ExecutorService executor;
    private final int perDestination;
    private final int total;
    private final Consumer<Destination> session;
    private int active;
    private boolean closed;

    Dispatcher(ExecutorService executor, int perDestination, int total, Consumer<Destination> session) {
        this.executor = executor;
        this.perDestination = perDestination;
        this.total = total;
        this.session = session;
    }

    void submit(Job job) {
        lock.lock();
        try {
            Destination d = destinations.get(job.destination);
            if (d == null) {
                d = new Destination(job.destination, lock.newCondition());
                destinations.put(job.destination, d);
            }
            d.queue.add(job);
            if (d.idle > 0) {
                d.hasWork.signal();
            } else {
                spawnIfNeeded(d);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Lock held. */
    private void spawnIfNeeded(Destination d) {
        if (closed || d.queue.size() <= d.idle || d.sessions >= perDestination || active >= total) {
            return;
        }
        d.sessions++;
        active++;
        try {
            executor.execute(() -> session.accept(d));
        } catch (RejectedExecutionException e) {
            d.sessions--;
            active--;
        }
    }

    /** The next job of the destination, waiting up to the idle time; null when none came (the session should end). */
    Job take(Destination d, long idleNanos) {
        lock.lock();
        try {
            d.idle++;
            try {
                long left = idleNanos;
                while (d.queue.isEmpty()) {
                    if (closed || left <= 0) {
                        return null;
                    }
                    try {
                        left = d.hasWork.awaitNanos(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
                return d.queue.poll();
            } finally {
                d.idle--;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the destination has sessions besides the caller's. */
    boolean hasOtherSessions(Destination d) {
        lock.lock();
        try {
            return d.sessions > 1;
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns every job waiting for the destination. */
    List<Job> drain(Destination d) {
        lock.lock();
        try {
            List<Job> out = new ArrayList<>(d.queue);
            d.queue.clear();
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** A session of the destination ended: its slot goes to whoever waits. */
    void sessionEnded(Destination d) {
        lock.lock();
        try {
            d.sessions--;
            active--;
            if (d.sessions == 0 && d.queue.isEmpty()) {
                destinations.remove(d.key, d);
            }
            spawnIfNeeded(d);
            for (Destination other : destinations.values()) {
                if (active >= total) {
                    break;
                }
                spawnIfNeeded(other);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The number of sessions running. */
    int activeSessions() {
        lock.lock();
        try {
            return active;
        } finally {
            lock.unlock();
        }
    }

    /** Stops handing out jobs, wakes idle sessions and waits briefly for the running ones. */
    void close(long waitMillis) {
        lock.lock();
        try {
            closed = true;
            for (Destination d : destinations.values()) {
                d.hasWork.signalAll();
            }
        } finally {
            lock.unlock();
        }
        executor.shutdown();
        try {
            executor.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
