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

    /**
     * The next message not yet taken, waiting up to the timeout.
     *
     * @param hint said when no session ever ended (where the application should have connected)
     * @throws AssertionError on timeout, with what did arrive and the last transcripts
     */
    public ReceivedMail take(Duration timeout, String hint) {
        try {
            ReceivedMail m = messages.takeNext(timeout);
            if (m == null) {
                throw new AssertionError(report("No message arrived within " + human(timeout) + " (" + taken()
                        + " taken before)", hint));
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a message", e);
        }
    }

    /**
     * The next n messages not yet taken, all within the timeout.
     *
     * @throws AssertionError when fewer arrive in time, with what did arrive and the last transcripts
     */
    public List<ReceivedMail> takeAll(int n, Duration timeout, String hint) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ReceivedMail> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            try {
                out.add(take(left, hint));
            } catch (AssertionError e) {
                throw new AssertionError(report("Took " + out.size() + " of " + n + " messages within "
                        + human(timeout), hint), e);
            }
        }
        return out;
    }

    /**
     * Waits until at least n matching messages have arrived and returns them.
     *
     * @param what what was awaited, for the failure ("3 messages to bob@example.test")
     * @throws AssertionError on timeout, with what did arrive and the last transcripts
     */
    public List<ReceivedMail> await(int n, Duration timeout, Predicate<ReceivedMail> filter, String what,
                                    String hint) {
        try {
            List<ReceivedMail> got = messages.awaitMatching(n, timeout, filter);
            if (got == null) {
                throw new AssertionError(report("Expected " + what + " within " + human(timeout), hint));
            }
            return got;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for messages", e);
        }
    }

    /** A failure report: the headline, every message received, and the transcripts of the last three sessions. */
    public String report(String headline, String hint) {
        StringBuilder sb = new StringBuilder(headline).append('.');
        List<ReceivedMail> all = messages();
        sb.append("\nMessages received (").append(all.size()).append("):");
        if (all.isEmpty()) {
            sb.append(" none");
        }
        int i = 1;
        for (ReceivedMail m : all) {
            sb.append("\n  ").append(i++).append(". ").append(m);
        }
        List<List<String>> ended = sessions();
        int from = Math.max(0, ended.size() - 3);
        sb.append("\nSMTP sessions ended: ").append(ended.size());
        for (int s = from; s < ended.size(); s++) {
            sb.append("\n  session ").append(s + 1).append(':');
            for (String line : ended.get(s)) {
                sb.append("\n    ").append(line);
            }
        }
        if (ended.isEmpty()) {
            sb.append(' ').append(hint);
        }
        return sb.toString();
    }

    /** "300 ms", "10 s". */
    public static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
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
