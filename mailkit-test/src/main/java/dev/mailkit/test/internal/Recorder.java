package dev.mailkit.test.internal;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.test.ReceivedMail;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Records what a test server receives: every accepted message with its envelope and transcript (as the sink), and
 * the transcripts of the last sessions (as a filter, at disconnect). Waits are woken by arrival. Thread-safe.
 */
public final class Recorder implements MessageSink, MailFilter {
    private static final int MAX_SESSIONS = 50;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<ReceivedMail> messages = new ArrayList<>();
    private final Deque<List<String>> sessions = new ArrayDeque<>();
    private final ThreadLocal<List<String>> pendingTranscript = new ThreadLocal<>();
    private int taken;

    @Override
    public FilterVerdict onData(SessionInfo session, Envelope envelope, MessageSource message) {
        pendingTranscript.set(session.transcript()); // the sink runs next, on this same session thread
        return FilterVerdict.accept();
    }

    @Override
    public void onDisconnect(SessionInfo session) {
        List<String> t = session.transcript();
        lock.lock();
        try {
            if (sessions.size() >= MAX_SESSIONS) {
                sessions.removeFirst();
            }
            sessions.addLast(t);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public DeliveryReport deliver(Envelope envelope, MessageSource message) {
        List<String> t = pendingTranscript.get();
        pendingTranscript.remove();
        ReceivedMail m = new ReceivedMail(envelope, message.retain(), t == null ? List.of() : t);
        lock.lock();
        try {
            messages.add(m);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        return DeliveryReport.allDelivered(envelope.transactionId());
    }

    /** All messages so far. */
    public List<ReceivedMail> messages() {
        lock.lock();
        try {
            return List.copyOf(messages);
        } finally {
            lock.unlock();
        }
    }

    /** The transcripts of the last sessions that ended, oldest first. */
    public List<List<String>> sessions() {
        lock.lock();
        try {
            return List.copyOf(sessions);
        } finally {
            lock.unlock();
        }
    }

    /** The next message not yet taken, waiting up to the timeout; null on timeout. */
    public ReceivedMail take(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (taken >= messages.size()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                arrived.await(left, TimeUnit.NANOSECONDS);
            }
            return messages.get(taken++);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until at least n messages in all have arrived (or, with a filter, n matching); null on timeout. */
    public List<ReceivedMail> await(int n, Duration timeout, Predicate<ReceivedMail> filter)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                List<ReceivedMail> matching = new ArrayList<>();
                for (ReceivedMail m : messages) {
                    if (filter.test(m)) {
                        matching.add(m);
                    }
                }
                if (matching.size() >= n) {
                    return matching;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                arrived.await(left, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many messages {@link #take} has returned. */
    public int taken() {
        lock.lock();
        try {
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets every message and session, releasing spooled message files. */
    public void purge() {
        List<ReceivedMail> old;
        lock.lock();
        try {
            old = new ArrayList<>(messages);
            messages.clear();
            sessions.clear();
            taken = 0;
        } finally {
            lock.unlock();
        }
        for (ReceivedMail m : old) {
            m.source().close();
        }
    }
}
