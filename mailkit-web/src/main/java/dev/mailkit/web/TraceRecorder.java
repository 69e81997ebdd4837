package dev.mailkit.web;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.relay.RelayEvent;
import dev.mailkit.store.delivery.DeliveryAgent;
import dev.mailkit.store.delivery.Destination;
import dev.mailkit.web.internal.trace.RelayEvents;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The built-in {@link DeliveryTrace}: records, in memory, the last transactions and what happened to them. Wire it
 * into the servers whose events it should see:
 *
 * <pre>{@code
 * TraceRecorder trace = TraceRecorder.create();
 * RelayQueue relay = RelayQueue.builder(dir).onEvent(trace::relayEvent)...build();    // relay attempts, bounces
 * SmtpServer smtp = SmtpServer.builder()
 *         .filters(spf, dkim, trace)            // last: sees the envelope and transcript of accepted messages
 *         .sink(trace.sink(deliveryAgent))      // which mailboxes each recipient's copy went into
 *         .transcripts(true)                    // optional: the session transcript in the trace
 *         ...;
 * WebServer web = WebServer.builder().trace(trace)...;
 * }</pre>
 *
 * <p>The relay queue names, in its {@code QUEUED} event, the transaction a message came from; later events of that
 * queue id are added to the same trace. Defaults: the last 10 000 transactions, the system clock. Memory is bounded
 * by that count (events per transaction are capped at 200). Thread-safe.
 */
public final class TraceRecorder implements DeliveryTrace, MailFilter {
    private static final int MAX_EVENTS = 200;

    private final int max;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private final LinkedHashMap<String, String> queueToTransaction = new LinkedHashMap<>();

    private static final class Entry {
        final String id;
        final Envelope envelope;
        final List<String> transcript;
        final List<MessageTrace.Event> events = new ArrayList<>();

        Entry(String id, Envelope envelope, List<String> transcript) {
            this.id = id;
            this.envelope = envelope;
            this.transcript = transcript;
        }
    }

    private TraceRecorder(Builder b) {
        this.max = b.max;
        this.clock = b.clock;
    }

    /** A recorder with the defaults. */
    public static TraceRecorder create() {
        return builder().build();
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public FilterVerdict onData(SessionInfo session, Envelope envelope, MessageSource message) {
        StringBuilder d = new StringBuilder("from ");
        d.append(session.heloName().orElse("unknown")).append(" [")
                .append(session.clientAddress().getAddress().getHostAddress()).append("] with ")
                .append(envelope.protocol());
        session.tls().ifPresent(t -> d.append(", ").append(t.protocol()).append(' ').append(t.cipherSuite()));
        session.authenticatedUser().ifPresent(u -> d.append(", authenticated as ").append(u));
        d.append(", ").append(message.size()).append(" octets");
        record(envelope.transactionId(), envelope, session.transcript(), "received", "", d.toString());
        return FilterVerdict.accept();
    }

    /**
     * A sink that records what {@code delegate} did with each recipient (for a {@link DeliveryAgent}, the
     * mailboxes its copies went into), then returns its report unchanged.
     */
    public MessageSink sink(MessageSink delegate) {
        Objects.requireNonNull(delegate, "delegate");
        return new MessageSink() {
            @Override
            public DeliveryReport deliver(Envelope envelope, MessageSource message) throws IOException {
                DeliveryReport r;
                try {
                    r = delegate.deliver(envelope, message);
                } catch (IOException | RuntimeException e) {
                    for (MailAddress a : envelope.recipients()) {
                        event(envelope.transactionId(), "failed", a.toString(), "not stored: " + e.getMessage());
                    }
                    throw e;
                }
                for (MailAddress a : envelope.recipients()) {
                    SmtpReply failure = r.failures().get(a);
                    if (failure != null) {
                        event(envelope.transactionId(), "failed", a.toString(), failure.toString());
                    } else {
                        event(envelope.transactionId(), "delivered", a.toString(), where(delegate, a));
                    }
                }
                return r;
            }

            @Override
            public Optional<SmtpReply> checkRecipient(Envelope transaction, MailAddress recipient) {
                return delegate.checkRecipient(transaction, recipient);
            }
        };
    }

    private static String where(MessageSink sink, MailAddress rcpt) {
        if (sink instanceof DeliveryAgent) {
            List<String> out = new ArrayList<>();
            try {
                for (Destination d : ((DeliveryAgent) sink).resolve(rcpt)) {
                    out.add(d.account() + " " + d.mailbox());
                }
            } catch (RuntimeException e) {
                return "stored";
            }
            return out.isEmpty() ? "stored" : "into " + String.join(", ", out);
        }
        return "stored";
    }

    /**
     * Records an event of the relay queue; pass it as the queue's listener ({@code onEvent(trace::relayEvent)}).
     * Needs mailkit-relay on the class path, as the queue does.
     */
    public void relayEvent(RelayEvent event) {
        RelayEvents.Neutral n = RelayEvents.neutral(event);
        if (n == null) {
            return;
        }
        lock.lock();
        try {
            String tx = queueToTransaction.get(n.queueId);
            if (tx == null) {
                tx = n.origin != null && entries.containsKey(n.origin) ? n.origin : "queue-" + n.queueId;
                queueToTransaction.put(n.queueId, tx);
                while (queueToTransaction.size() > max) {
                    Iterator<String> it = queueToTransaction.keySet().iterator();
                    it.next();
                    it.remove();
                }
            }
            if (!entries.containsKey(tx)) {
                entries.put(tx, new Entry(tx, n.envelope, List.of()));
                trim();
            }
            add(entries.get(tx), new MessageTrace.Event(n.time, n.kind, n.subject, n.detail));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts (or adds to) the trace of a transaction: for an application's own paths into the servers. The web server
     * records its own submissions with it.
     */
    public void record(String transactionId, Envelope envelope, List<String> transcript, String kind, String subject,
                       String detail) {
        Objects.requireNonNull(transactionId, "transactionId");
        if (transactionId.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            Entry e = entries.get(transactionId);
            if (e == null) {
                e = new Entry(transactionId, envelope, List.copyOf(transcript));
                entries.put(transactionId, e);
                trim();
            }
            add(e, new MessageTrace.Event(clock.instant(), kind, subject, detail));
        } finally {
            lock.unlock();
        }
    }

    private void event(String transactionId, String kind, String subject, String detail) {
        if (transactionId.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            Entry e = entries.get(transactionId);
            if (e == null) {
                // the relay hands local recipients to the sink under the queue id
                String tx = queueToTransaction.get(transactionId);
                e = tx == null ? null : entries.get(tx);
            }
            if (e != null) {
                add(e, new MessageTrace.Event(clock.instant(), kind, subject, detail));
            }
        } finally {
            lock.unlock();
        }
    }

    private static void add(Entry e, MessageTrace.Event ev) {
        if (e.events.size() < MAX_EVENTS) {
            e.events.add(ev);
        }
    }

    private void trim() {
        while (entries.size() > max) {
            Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
            it.next();
            it.remove();
        }
    }

    @Override
    public Optional<MessageTrace> find(String transactionId) {
        lock.lock();
        try {
            Entry e = entries.get(transactionId);
            return e == null ? Optional.empty() : Optional.of(snapshot(e));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<MessageTrace> recent(int n) {
        lock.lock();
        try {
            List<Entry> all = new ArrayList<>(entries.values());
            List<MessageTrace> out = new ArrayList<>();
            for (int i = all.size() - 1; i >= 0 && out.size() < n; i--) {
                out.add(snapshot(all.get(i)));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    private static MessageTrace snapshot(Entry e) {
        return new MessageTrace(e.id, e.envelope, e.transcript, e.events);
    }

    /** The number of transactions kept now. */
    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "TraceRecorder{" + size() + " transactions}";
    }

    /** Builds a {@link TraceRecorder}. Not thread-safe. */
    public static final class Builder {
        private int max = 10_000;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The most transactions kept (default 10 000); the oldest are forgotten first. */
        public Builder maxTransactions(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxTransactions must be at least 1, was " + n);
            }
            this.max = n;
            return this;
        }

        /** The clock the events are stamped with (default the system clock; the relay stamps its own). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds it. */
        public TraceRecorder build() {
            return new TraceRecorder(this);
        }
    }
}
