package dev.mailkit.test.internal;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.test.ReceivedMail;

import dev.mailkit.core.sink.Arrivals;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Records what a test server receives: every accepted message with its envelope and transcript (as the sink), and
 * the transcripts of the last sessions (as a filter, at disconnect). Waits are woken by arrival. Thread-safe.
 */
public final class Recorder implements MessageSink, MailFilter {
    private static final int MAX_SESSIONS = 50;

    private final Arrivals<ReceivedMail> messages = new Arrivals<>();
    private final ReentrantLock sessionsLock = new ReentrantLock();
    private final Deque<List<String>> sessions = new ArrayDeque<>();
    private final ThreadLocal<List<String>> pendingTranscript = new ThreadLocal<>();

    @Override
    public FilterVerdict onData(SessionInfo session, Envelope envelope, MessageSource message) {
        pendingTranscript.set(session.transcript()); // the sink runs next, on this same session thread
        return FilterVerdict.accept();
    }

    @Override
    public void onDisconnect(SessionInfo session) {
        List<String> t = session.transcript();
        sessionsLock.lock();
        try {
            if (sessions.size() >= MAX_SESSIONS) {
                sessions.removeFirst();
            }
            sessions.addLast(t);
        } finally {
            sessionsLock.unlock();
        }
    }

    @Override
    public DeliveryReport deliver(Envelope envelope, MessageSource message) {
        List<String> t = pendingTranscript.get();
        pendingTranscript.remove();
        messages.add(new ReceivedMail(envelope, message.retain(), t == null ? List.of() : t));
        return DeliveryReport.allDelivered(envelope.transactionId());
    }

    /** All messages so far. */
    public List<ReceivedMail> messages() {
        return messages.snapshot();
    }

    /** The transcripts of the last sessions that ended, oldest first. */
    public List<List<String>> sessions() {
        sessionsLock.lock();
        try {
            return List.copyOf(sessions);
        } finally {
            sessionsLock.unlock();
        }
    }

    /** The next message not yet taken, waiting up to the timeout; null on timeout. */
    public ReceivedMail take(Duration timeout) throws InterruptedException {
        return messages.takeNext(timeout);
    }

    /** Waits until at least n matching messages have arrived and returns them; null on timeout. */
    public List<ReceivedMail> await(int n, Duration timeout, Predicate<ReceivedMail> filter)
            throws InterruptedException {
        return messages.awaitMatching(n, timeout, filter);
    }

    /** How many messages {@link #take} has returned. */
    public int taken() {
        return messages.taken();
    }

    /** Forgets every message and session, releasing spooled message files. */
    public void purge() {
        for (ReceivedMail m : messages.clear()) {
            m.source().close();
        }
        sessionsLock.lock();
        try {
            sessions.clear();
        } finally {
            sessionsLock.unlock();
        }
    }
}
