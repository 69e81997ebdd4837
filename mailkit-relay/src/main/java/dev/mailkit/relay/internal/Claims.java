package dev.mailkit.relay.internal;

import dev.mailkit.relay.spi.QueueStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Asks a storage shared by several nodes, every {@link QueueStorage#claimInterval()}, for the messages that became
 * this node's (their node went away), and puts them into service ({@link Recovery#admit}). Does nothing for a
 * storage that never hands over work. A failure (the database away) is logged and tried again at the next interval.
 * Thread-safe.
 */
final class Claims implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.relay");

    private final RelayConfig cfg;
    private final QueueStorage store;
    private final LiveMessages messages;
    private final Scheduler scheduler;
    private final Duration interval;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stop = lock.newCondition();
    private Thread thread;
    private boolean closed;

    Claims(RelayConfig cfg, QueueStorage store, LiveMessages messages, Scheduler scheduler) {
        this.cfg = cfg;
        this.store = store;
        this.messages = messages;
        this.scheduler = scheduler;
        this.interval = store.claimInterval();
    }

    /** Starts asking, unless the storage never hands over work. */
    void start() {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        thread = new Thread(this::loop, "mailkit-relay-claims");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (waitInterval()) {
            try {
                List<QueueStorage.Recovered> claimed = store.claim();
                int n = Recovery.admit(cfg, claimed, store, messages, scheduler);
                if (n > 0) {
                    LOG.info("relay queue {}: took over {} message(s) whose node stopped renewing its lease",
                            store.describe(), n);
                }
            } catch (Exception e) {
                LOG.warn("relay queue {}: cannot look for messages to take over: {}", store.describe(),
                        Text.describe(e));
            }
        }
    }

    /** Waits one interval; false once closed. */
    private boolean waitInterval() {
        lock.lock();
        try {
            long left = interval.toNanos();
            while (!closed && left > 0) {
                left = stop.awaitNanos(left);
            }
            return !closed;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            stop.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
