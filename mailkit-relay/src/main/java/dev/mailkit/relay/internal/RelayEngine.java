package dev.mailkit.relay.internal;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.server.ServerExecutors;
import dev.mailkit.relay.RelayEvent;
import dev.mailkit.relay.spi.QueueStorage;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay queue's machinery, and the one place that wires it: submission ({@link Intake} into the
 * {@link QueueStorage}: the configured one, or {@link DiskStorage}; then {@link #commit}), {@link Recovery} at start
 * and {@link Claims} of other nodes' messages, the {@link Scheduler} (now and by the retry
 * policy), delivery sessions per destination ({@link Dispatcher}, {@link DeliverySessions}, {@link Router},
 * {@link SmtpConnection}), the {@link OutcomeRecorder}, {@link Notifications} (DSNs), {@link Events}, and the
 * {@link QueueManagement} API. Thread-safe.
 *
 * <p>Durability rules: a message is acknowledged only once the storage's commit is durable; a recipient's delivery
 * is recorded durably before anything else is done for the message, except when the whole message is done, where
 * removing it records it; a DSN is queued durably before its recipients are recorded as
 * bounced.
 */
public final class RelayEngine implements AutoCloseable {
    private final RelayConfig cfg;
    private final QueueStorage store;
    private final Claims claims;
    private final LiveMessages messages = new LiveMessages();
    private final Watchdog watchdog = new Watchdog();
    private final Events events;
    private final Intake intake;
    private final Dispatcher dispatcher;
    private final Scheduler scheduler;
    private final Notifications notifications;
    private final DeliverySessions sessions;
    private final QueueManagement management;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int CLOSED = 2;

    /**
     * Opens the storage: the one configured, or the queue directory (locking it).
     *
     * @param types makes the public events and snapshots
     * @throws IOException if the directory cannot be used
     */
    public RelayEngine(RelayConfig cfg, PublicTypes types) throws IOException {
        this.cfg = cfg;
        this.store = cfg.storage != null ? cfg.storage : new DiskStorage(cfg.directory);
        Router router = new Router(cfg, watchdog);
        this.events = new Events(types, cfg.listeners, router);
        this.intake = new Intake(cfg, store);
        this.dispatcher = new Dispatcher(ServerExecutors.forConnections("mailkit-relay-", cfg.maxConnections + 8,
                cfg.virtualThreads), cfg.maxConnectionsPerDestination, cfg.maxConnections, this::runSession);
        this.scheduler = new Scheduler(cfg, router, dispatcher);
        this.notifications = new Notifications(cfg, store, events, this::enqueueNotification);
        OutcomeRecorder recorder = new OutcomeRecorder(cfg, store, messages, events, notifications, scheduler);
        this.sessions = new DeliverySessions(cfg, router, dispatcher, store, recorder);
        this.management = new QueueManagement(cfg, store, messages, scheduler, events, types);
        this.claims = new Claims(cfg, store, messages, scheduler);
    }

    /**
     * Recovers the queue from its storage and starts delivering (and, for a storage shared by several nodes, taking
     * over the messages of nodes that went away).
     *
     * @throws IOException           if the directory cannot be read (the engine is closed then)
     * @throws IllegalStateException if already started
     */
    public void start() throws IOException {
        if (!state.compareAndSet(NEW, RUNNING)) {
            throw new IllegalStateException("the relay queue was already started" + (state.get() == CLOSED
                    ? " and closed; build a new one" : ""));
        }
        try {
            Recovery.recover(cfg, store, messages, scheduler);
        } catch (IOException e) {
            close();
            throw e;
        }
        scheduler.start();
        claims.start();
    }

    /**
     * Writes a message durably under a temporary name: not yet visible, not yet acknowledged.
     *
     * @throws IOException if it cannot be written
     */
    public Pending prepare(Envelope envelope, MessageSource message, boolean notification) throws IOException {
        checkNotClosed();
        return intake.prepare(envelope, message, notification);
    }

    /** Makes a prepared message part of the queue (durably) and starts its delivery; returns its queue id. */
    public String commit(Pending p) throws IOException {
        if (p.done) {
            throw new IllegalStateException("this submission was already committed or aborted");
        }
        p.done = true;
        boolean ok = false;
        try {
            checkNotClosed();
            store.commit(p.prepared);
            StoredMessage m = p.message;
            ok = true;
            messages.add(m);
            events.emit(events.about(RelayEvent.Type.QUEUED, m.id, cfg.clock.instant(), m.recipients,
                    "from=<" + (m.reversePath == null ? "" : m.reversePath) + ">, size=" + m.contentLength
                            + ", nrcpt=" + m.recipients.size() + ", origin=" + m.origin));
            scheduler.dispatch(m);
            return m.id;
        } finally {
            if (!ok) {
                store.abort(p.prepared);
            }
        }
    }

    /** Discards a prepared message. Idempotent; does nothing after {@link #commit}. */
    public void abort(Pending p) {
        if (!p.done) {
            p.done = true;
            store.abort(p.prepared);
        }
    }

    private String enqueueNotification(Envelope envelope, MessageSource dsn) throws IOException {
        return commit(prepare(envelope, dsn, true));
    }

    /**
     * Queues a "delivered" notification (RFC 3464) for recipients the receiver delivered locally that asked for
     * NOTIFY=SUCCESS. Best effort: a failure is logged.
     */
    public void reportDelivered(Envelope envelope, MessageSource message, List<MailAddress> recipients) {
        notifications.reportDelivered(envelope, message, recipients);
    }

    /** The management API of the live queue. */
    public QueueManagement management() {
        return management;
    }

    /** Waits until the queue is empty; false on timeout. */
    public boolean awaitEmpty(long timeoutMillis) throws InterruptedException {
        return messages.awaitEmpty(timeoutMillis);
    }

    private void runSession(Dispatcher.Destination d) {
        sessions.run(d);
    }

    private void checkNotClosed() {
        if (state.get() == CLOSED) {
            throw new IllegalStateException("the relay queue is closed");
        }
    }

    /**
     * Refuses work unless started and not closed.
     *
     * @throws IllegalStateException with a message that says which
     */
    public void checkRunning() {
        int s = state.get();
        if (s != RUNNING) {
            throw new IllegalStateException(s == NEW ? "the relay queue is not started: call start() first"
                    : "the relay queue is closed");
        }
    }

    /** Whether started and not closed. */
    public boolean isRunning() {
        return state.get() == RUNNING;
    }

    /**
     * Stops delivering (running transactions get about a second to finish) and releases the directory. Idempotent.
     */
    @Override
    public void close() {
        if (state.getAndSet(CLOSED) == CLOSED) {
            return;
        }
        claims.close();
        scheduler.close();
        sessions.close();
        dispatcher.close(1000);
        watchdog.abortAll();
        watchdog.close();
        store.close();
    }
}
