package dev.mailkit.relay.internal;

import dev.mailkit.relay.spi.QueueStorage;

import dev.mailkit.core.MailAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of a delivery session, which the {@link Dispatcher} runs on a thread of its own for one destination: it
 * takes the destination's jobs one after the other and sends each over one connection that it keeps while it is
 * usable ({@link Router} opens it, {@link SmtpConnection} speaks SMTP); a cached connection the server closed
 * meanwhile is replaced once. When the destination cannot be reached and no other session of it runs, what waits for
 * it is deferred too, as Postfix does. Jobs for deleted messages are skipped, local jobs go to {@link LocalDelivery};
 * every job ends in {@link OutcomeRecorder#complete}, even when the session fails. Thread-safe.
 */
final class DeliverySessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.relay");

    private final RelayConfig cfg;
    private final Router router;
    private final Dispatcher dispatcher;
    private final QueueStorage store;
    private final LocalDelivery local;
    private final OutcomeRecorder recorder;
    private volatile boolean closed;

    DeliverySessions(RelayConfig cfg, Router router, Dispatcher dispatcher, QueueStorage store,
                     OutcomeRecorder recorder) {
        this.cfg = cfg;
        this.router = router;
        this.dispatcher = dispatcher;
        this.store = store;
        this.local = new LocalDelivery(cfg, store);
        this.recorder = recorder;
    }

    /** One delivery session: takes the destination's jobs one after the other over one connection. */
    void run(Dispatcher.Destination d) {
        SmtpConnection conn = null;
        Job job = null;
        try {
            while (!closed) {
                job = dispatcher.take(d, cfg.connectionIdleTime.toNanos());
                if (job == null) {
                    break;
                }
                if (isDeleted(job.message)) {
                    recorder.complete(job, List.of());
                    job = null;
                    continue;
                }
                if (d.key.equals(Router.LOCAL)) {
                    recorder.complete(job, local.deliver(job));
                    job = null;
                    continue;
                }
                if (conn != null && !conn.isUsable(cfg.maxConnectionAge, cfg.maxTransactionsPerConnection)) {
                    conn.quit();
                    conn = null;
                }
                if (conn == null) {
                    Router.Route route = router.connect(d.key);
                    if (route.connection == null) {
                        recorder.complete(job, route.outcomes(job));
                        job = null;
                        if (route.failure == Outcome.Kind.DEFERRED) {
                            if (!dispatcher.hasOtherSessions(d)) {
                                // the destination is unreachable: defer what waits for it, as Postfix does
                                for (Job other : dispatcher.drain(d)) {
                                    recorder.complete(other, route.outcomes(other));
                                }
                            }
                            break;
                        }
                        continue;
                    }
                    conn = route.connection;
                }
                List<Outcome> outcomes = conn.send(job.message, job.recipients(), store);
                if (conn.lostBeforeReply() && conn.transactions() > 1) {
                    // a cached connection the server had closed meanwhile: once more on a fresh one
                    conn.abort();
                    conn = null;
                    Router.Route route = router.connect(d.key);
                    if (route.connection != null) {
                        conn = route.connection;
                        outcomes = conn.send(job.message, job.recipients(), store);
                    } else {
                        outcomes = route.outcomes(job);
                    }
                }
                recorder.complete(job, outcomes);
                job = null;
                if (conn != null && !conn.isUsable(cfg.maxConnectionAge, cfg.maxTransactionsPerConnection)) {
                    conn.abort();
                    conn = null;
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("relay session for {} failed", d.key, e);
            if (job != null) {
                List<Outcome> deferred = new ArrayList<>();
                for (MailAddress r : job.recipients()) {
                    deferred.add(new Outcome(r, Outcome.Kind.DEFERRED, null, "4.3.0", "internal error: "
                            + Text.describe(e), null, null, null));
                }
                recorder.complete(job, deferred);
            }
        } finally {
            if (conn != null) {
                conn.quit();
            }
            dispatcher.sessionEnded(d);
        }
    }

    private static boolean isDeleted(StoredMessage m) {
        m.lock.lock();
        try {
            return m.deleted;
        } finally {
            m.lock.unlock();
        }
    }

    /** Sessions take no more jobs; the one each is sending finishes (the dispatcher bounds the wait). */
    @Override
    public void close() {
        closed = true;
    }
}
