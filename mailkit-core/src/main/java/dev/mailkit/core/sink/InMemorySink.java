package dev.mailkit.core.sink;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link MessageSink} that records every transaction in memory, once, with its whole envelope (every recipient,
 * BCC included): the sink for tests and for trying mailkit out. Waiting methods are woken by arrival, never by
 * polling.
 *
 * <p>Each recorded message keeps its source ({@link MessageSource#retain() retained}) until {@link #clear()}.
 * Thread-safe.
 */
public final class InMemorySink implements MessageSink {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<ReceivedMessage> messages = new ArrayList<>();
    private int taken;

    @Override
    public DeliveryReport deliver(Envelope envelope, MessageSource message) {
        ReceivedMessage m = new ReceivedMessage(envelope, message.retain());
        lock.lock();
        try {
            messages.add(m);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        return DeliveryReport.allDelivered(envelope.transactionId());
    }

    /** A snapshot of every message recorded so far, oldest first. */
    public List<ReceivedMessage> messages() {
        lock.lock();
        try {
            return List.copyOf(messages);
        } finally {
            lock.unlock();
        }
    }

    /** The number of messages recorded so far. */
    public int count() {
        lock.lock();
        try {
            return messages.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until at least {@code n} messages have been recorded.
     *
     * @return whether they arrived before the timeout
     */
    public boolean await(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (messages.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                arrived.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the next message not yet returned by this method, waiting up to the timeout for it to arrive.
     *
     * @return the message, or empty on timeout
     */
    public Optional<ReceivedMessage> poll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (taken >= messages.size()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                arrived.await(left, TimeUnit.NANOSECONDS);
            }
            return Optional.of(messages.get(taken++));
        } finally {
            lock.unlock();
        }
    }

    /** Forgets every recorded message and releases their sources. */
    public void clear() {
        List<ReceivedMessage> old;
        lock.lock();
        try {
            old = new ArrayList<>(messages);
            messages.clear();
            taken = 0;
        } finally {
            lock.unlock();
        }
        for (ReceivedMessage m : old) {
            m.source().close();
        }
    }

    @Override
    public String toString() {
        return "InMemorySink{" + count() + " messages}";
    }
}
