package dev.mailkit.relay.internal;

import dev.mailkit.core.mime.HeaderSection;
import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.server.ServerExecutors;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.Dsn;
import dev.mailkit.core.outbound.MessageSigner;
import dev.mailkit.relay.QueueEntry;
import dev.mailkit.relay.RelayEvent;
import dev.mailkit.relay.RelayListener;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The relay queue's machinery: submission into the {@link QueueStore}, recovery at start, scheduling of attempts
 * (immediately, then by the retry policy), delivery sessions per destination ({@link Dispatcher}, {@link Router},
 * {@link SmtpConnection}), recording of each recipient's outcome, bounces (DSNs) and events. Thread-safe.
 *
 * <p>Durability rules: a message is acknowledged only once its file is renamed into place and the directory synced;
 * a recipient's delivery is recorded (synced) before anything else is done for the message, except when the whole
 * message is done, where removing the file records it; a DSN is queued durably before its recipients are recorded as
 * bounced.
 */
public final class RelayEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.relay");
    private static final long TIMER_TICK_MILLIS = 200;
    /** Like Postfix's hopcount_limit: more Received: fields than this means a mail loop. */
    public static final int MAX_HOPS = 50;

    private final RelayConfig cfg;
    private final QueueStore store;
    private final QueueIds ids;
    private final Map<String, StoredMessage> messages = new ConcurrentHashMap<>();
    private final Watchdog watchdog = new Watchdog();
    private final Router router;
    private final Dispatcher dispatcher;
    private final ReentrantLock timerLock = new ReentrantLock();
    private final Condition timerWake = timerLock.newCondition();
    private final PriorityQueue<Scheduled> timer = new PriorityQueue<>(Comparator.comparingLong(s -> s.due));
    private final Thread timerThread;
    private final ReentrantLock emptyLock = new ReentrantLock();
    private final Condition emptied = emptyLock.newCondition();
    private volatile boolean closed;

    /** A message written under its temporary name, waiting for {@link #commit} or {@link #abort}. */
    public static final class Pending {
        final QueueStore.Prepared prepared;
        boolean done;

        Pending(QueueStore.Prepared prepared) {
            this.prepared = prepared;
        }

        public String id() {
            return prepared.meta.id;
        }
    }

    private static final class Scheduled {
        final StoredMessage message;
        final long due;

        Scheduled(StoredMessage message, long due) {
            this.message = message;
            this.due = due;
        }
    }

    /**
     * Opens the queue directory (locking it).
     *
     * @throws IOException if the directory cannot be used
     */
    public RelayEngine(RelayConfig cfg) throws IOException {
        this.cfg = cfg;
        this.store = new QueueStore(cfg.directory);
        this.ids = new QueueIds(cfg.clock, cfg.random);
        this.router = new Router(cfg, watchdog);
        this.dispatcher = new Dispatcher(ServerExecutors.forConnections("mailkit-relay-", cfg.maxConnections + 8,
                cfg.virtualThreads), cfg.maxConnectionsPerDestination, cfg.maxConnections, this::runSession);
        this.timerThread = new Thread(this::timerLoop, "mailkit-relay-timer");
        timerThread.setDaemon(true);
    }

    /** Recovers the queue from disk and starts delivering. */
    public void start() throws IOException {
        int recovered = 0;
        long now = cfg.clock.millis();
        for (QueueStore.Recovered r : store.recover()) {
            StoredMessage m = r.message;
            apply(m, r.records);
            if (m.isFinished()) {
                store.remove(m, false);
                continue;
            }
            messages.put(m.id, m);
            recovered++;
            if (!m.held) {
                schedule(m, Math.max(now, m.nextAttempt));
            }
        }
        if (recovered > 0) {
            LOG.info("relay queue {}: recovered {} message(s)", cfg.directory, recovered);
        }
        timerThread.start();
    }

    private static void apply(StoredMessage m, List<String> records) {
        for (String rec : records) {
            String[] f = rec.split(" ", 5);
            try {
                switch (f[0]) {
                    case "D":
                    case "B": {
                        int idx = Integer.parseInt(f[1]);
                        if (idx >= 0 && idx < m.states.length) {
                            boolean delivered = f[0].equals("D");
                            m.states[idx] = delivered ? StoredMessage.State.DELIVERED : StoredMessage.State.BOUNCED;
                            String[] g = rec.split(" ", delivered ? 4 : 5);
                            m.lastReply[idx] = g.length == (delivered ? 4 : 5) ? g[g.length - 1] : null;
                        }
                        break;
                    }
                    case "T":
                        m.attempts = Integer.parseInt(f[2]);
                        m.nextAttempt = Long.parseLong(f[3]);
                        break;
                    case "H":
                        m.held = true;
                        break;
                    case "U":
                        m.held = false;
                        break;
                    default:
                        break;
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: ignoring unreadable state record '{}'", m.id, rec);
            }
        }
    }

    // ---------------------------------------------------------------- submission

    /**
     * Writes a message durably under a temporary name: not yet visible, not yet acknowledged.
     *
     * @throws IOException if it cannot be written
     */
    public Pending prepare(Envelope envelope, MessageSource message, boolean notification) throws IOException {
        checkOpen();
        if (envelope.recipients().isEmpty()) {
            throw new IllegalArgumentException("the envelope has no recipients");
        }
        Map<String, String> params = new LinkedHashMap<>();
        envelope.mailParameter("BODY").ifPresent(v -> params.put("BODY", v.toUpperCase(Locale.ROOT)));
        boolean utf8 = envelope.mailParameter("SMTPUTF8").isPresent()
                || envelope.reversePath().map(MailAddress::isSmtpUtf8).orElse(false)
                || envelope.recipients().stream().anyMatch(MailAddress::isSmtpUtf8);
        if (utf8) {
            params.put("SMTPUTF8", "");
        }
        // DSN (RFC 3461): what the sender asked to hear about, kept for the remote server and for our own reports
        envelope.mailParameter("RET").map(v -> v.toUpperCase(Locale.ROOT)).filter(Dsn::validRet)
                .ifPresent(v -> params.put("RET", v));
        envelope.mailParameter("ENVID").filter(Dsn::validEnvid).ifPresent(v -> params.put("ENVID", v));
        List<Map<String, String>> rparams = new ArrayList<>(envelope.recipients().size());
        for (MailAddress r : envelope.recipients()) {
            Map<String, String> rp = new LinkedHashMap<>();
            Map<String, String> given = envelope.recipientParameters(r);
            Optional.ofNullable(given.get("NOTIFY")).map(Dsn::normalizeNotify).ifPresent(v -> rp.put("NOTIFY", v));
            Optional.ofNullable(given.get("ORCPT")).filter(Dsn::validOrcpt).ifPresent(v -> rp.put("ORCPT", v));
            rparams.add(rp);
        }
        int hops = hops(message);
        if (hops > MAX_HOPS) {
            throw new dev.mailkit.core.outbound.MailLoopException("the message has " + hops + " Received: header fields (at most "
                    + MAX_HOPS + "): it is looping between mail servers");
        }
        byte[] signature = sign(message);
        String origin = envelope.transactionId().isEmpty() ? "api" : envelope.transactionId();
        Instant now = cfg.clock.instant();
        for (int attempt = 0; ; attempt++) {
            QueueFile.Meta meta = new QueueFile.Meta(ids.next(), now, envelope.reversePath().orElse(null), params,
                    envelope.recipients(), rparams, origin, notification);
            try {
                return new Pending(store.write(meta, out -> {
                    if (signature != null) {
                        out.write(signature);
                    }
                    message.writeTo(out);
                }, message.size() + (signature == null ? 0 : signature.length)));
            } catch (FileAlreadyExistsException e) {
                if (attempt > 5) {
                    throw e;
                }
            }
        }
    }

    /** Makes a prepared message part of the queue (durably) and starts its delivery; returns its queue id. */
    public String commit(Pending p) throws IOException {
        if (p.done) {
            throw new IllegalStateException("this submission was already committed or aborted");
        }
        p.done = true;
        boolean ok = false;
        try {
            checkOpen();
            StoredMessage m = store.commit(p.prepared);
            ok = true;
            messages.put(m.id, m);
            emit(RelayEvent.builder(RelayEvent.Type.QUEUED, m.id, cfg.clock.instant()).recipients(m.recipients)
                    .detail("from=<" + (m.reversePath == null ? "" : m.reversePath) + ">, size=" + m.contentLength
                            + ", nrcpt=" + m.recipients.size() + ", origin=" + m.origin).build());
            dispatch(m);
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

    /** The number of Received: fields in the header. */
    private static int hops(MessageSource message) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(message.openStream(), 4096)) {
            return HeaderSection.read(in, 1024 * 1024).all("received").size();
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("the header section is larger")) {
                return 0; // not ours to judge here; the remote server will
            }
            throw e;
        }
    }

    /** The DKIM-Signature field for the message, or null when no signer matches its From domain. */
    private byte[] sign(MessageSource message) {
        if (cfg.signers.isEmpty()) {
            return null;
        }
        try {
            String from;
            try (InputStream in = message.openStream()) {
                from = HeaderSection.read(new java.io.BufferedInputStream(in), 1024 * 1024).first("From");
            }
            if (from == null) {
                return null;
            }
            InternetAddress[] addrs = InternetAddress.parseHeader(from, false);
            if (addrs.length == 0 || addrs[0].getAddress() == null || addrs[0].getAddress().indexOf('@') < 0) {
                return null;
            }
            String a = addrs[0].getAddress();
            MessageSigner signer = cfg.signerFor(a.substring(a.lastIndexOf('@') + 1));
            if (signer == null) {
                return null;
            }
            try (InputStream in = message.openStream()) {
                return signer.sign(in, cfg.clock.instant()).getBytes(StandardCharsets.ISO_8859_1);
            }
        } catch (IOException | AddressException | RuntimeException e) {
            LOG.warn("not DKIM-signing a message: {}", Text.describe(e));
            return null;
        }
    }

    // ---------------------------------------------------------------- scheduling

    private void schedule(StoredMessage m, long due) {
        m.lock.lock();
        try {
            m.nextAttempt = due;
        } finally {
            m.lock.unlock();
        }
        enqueueTimer(m, due);
    }

    /** Adds a timer entry; the message's {@code nextAttempt} must already be {@code due}. */
    private void enqueueTimer(StoredMessage m, long due) {
        timerLock.lock();
        try {
            timer.add(new Scheduled(m, due));
            timerWake.signal();
        } finally {
            timerLock.unlock();
        }
    }

    private void timerLoop() {
        while (!closed) {
            Scheduled due = null;
            timerLock.lock();
            try {
                Scheduled s = timer.peek();
                long now = cfg.clock.millis();
                if (s != null && s.due <= now) {
                    due = timer.poll();
                } else {
                    long wait = s == null ? TIMER_TICK_MILLIS : Math.min(TIMER_TICK_MILLIS, s.due - now);
                    timerWake.awaitNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(1, wait)));
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                timerLock.unlock();
            }
            if (due != null) {
                StoredMessage m = due.message;
                boolean current;
                m.lock.lock();
                try {
                    current = m.nextAttempt == due.due;
                } finally {
                    m.lock.unlock();
                }
                if (current) {
                    dispatch(m);
                }
            }
        }
    }

    /** Starts an attempt for every pending recipient of the message, grouped by destination. */
    private void dispatch(StoredMessage m) {
        List<Job> jobs = new ArrayList<>();
        m.lock.lock();
        try {
            if (m.deleted || m.removed || m.held || closed) {
                return;
            }
            m.nextAttempt = -1;
            Map<String, List<Integer>> groups = new LinkedHashMap<>();
            for (int i = 0; i < m.recipients.size(); i++) {
                if (m.states[i] == StoredMessage.State.PENDING) {
                    groups.computeIfAbsent(router.destinationOf(m.recipients.get(i)), k -> new ArrayList<>()).add(i);
                }
            }
            for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
                List<Integer> all = g.getValue();
                for (int from = 0; from < all.size(); from += cfg.maxRecipientsPerTransaction) {
                    List<Integer> chunk = all.subList(from, Math.min(all.size(), from + cfg.maxRecipientsPerTransaction));
                    int[] idx = chunk.stream().mapToInt(Integer::intValue).toArray();
                    for (int i : idx) {
                        m.states[i] = StoredMessage.State.ACTIVE;
                    }
                    m.jobsInFlight++;
                    jobs.add(new Job(m, g.getKey(), idx));
                }
            }
        } finally {
            m.lock.unlock();
        }
        for (Job j : jobs) {
            dispatcher.submit(j);
        }
    }

    // ---------------------------------------------------------------- delivery sessions

    /** One delivery session: takes the destination's jobs one after the other over one connection. */
    private void runSession(Dispatcher.Destination d) {
        SmtpConnection conn = null;
        Job job = null;
        try {
            while (!closed) {
                job = dispatcher.take(d, cfg.connectionIdleTime.toNanos());
                if (job == null) {
                    break;
                }
                if (isDeleted(job.message)) {
                    complete(job, List.of());
                    job = null;
                    continue;
                }
                if (d.key.equals(Router.LOCAL)) {
                    complete(job, deliverLocally(job));
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
                        complete(job, route.outcomes(job));
                        job = null;
                        if (route.failure == Outcome.Kind.DEFERRED) {
                            if (!dispatcher.hasOtherSessions(d)) {
                                // the destination is unreachable: defer what waits for it, as Postfix does
                                for (Job other : dispatcher.drain(d)) {
                                    complete(other, route.outcomes(other));
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
                complete(job, outcomes);
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
                complete(job, deferred);
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

    /** Hands local recipients to the local sink. */
    private List<Outcome> deliverLocally(Job job) {
        StoredMessage m = job.message;
        List<MailAddress> rcpts = job.recipients();
        List<Outcome> out = new ArrayList<>();
        Envelope env = Envelope.builder().reversePath(m.reversePath).recipients(rcpts)
                .mailParameters(m.mailParameters).receivedAt(m.created).transactionId(m.id).protocol("LOCAL").build();
        try (InputStream in = store.content(m); MessageSource src = cfg.spool.copyOf(in)) {
            DeliveryReport report = cfg.localSink.deliver(env, src);
            for (MailAddress r : rcpts) {
                SmtpReply f = report.failures().get(r);
                if (f == null) {
                    out.add(new Outcome(r, Outcome.Kind.DELIVERED, null, "2.0.0", "delivered to the local store",
                            "local", null, null));
                } else {
                    out.add(new Outcome(r, f.isTransientFailure() ? Outcome.Kind.DEFERRED : Outcome.Kind.BOUNCED,
                            null, f.enhancedStatus(), "local delivery failed: " + f, "local", null, null));
                }
            }
        } catch (IOException | RuntimeException e) {
            out.clear();
            for (MailAddress r : rcpts) {
                out.add(new Outcome(r, Outcome.Kind.DEFERRED, null, "4.3.0", "local delivery failed: "
                        + Text.describe(e), "local", null, null));
            }
        }
        return out;
    }

    /**
     * Records what a job did. Outcomes are in the job's recipient order (empty when the message was deleted).
     */
    private void complete(Job job, List<Outcome> outcomes) {
        StoredMessage m = job.message;
        List<RelayEvent> events = new ArrayList<>();
        long scheduleAt = -1;
        boolean finished = false;
        m.lock.lock();
        try {
            m.jobsInFlight--;
            if (m.deleted) {
                return;
            }
            if (outcomes.size() != job.indexes.length) {
                throw new IllegalStateException("expected " + job.indexes.length + " outcomes, got " + outcomes.size());
            }
            Instant now = cfg.clock.instant();
            int attempt = m.attempts + 1;
            List<String> records = new ArrayList<>();
            for (int k = 0; k < outcomes.size(); k++) {
                Outcome o = outcomes.get(k);
                int idx = job.indexes[k];
                m.lastReply[idx] = Text.escapeControls(o.diagnostic());
                RelayEvent.Type type;
                switch (o.kind) {
                    case DELIVERED:
                        m.states[idx] = StoredMessage.State.DELIVERED;
                        records.add("D " + idx + " " + now.toEpochMilli() + " " + m.lastReply[idx]);
                        type = RelayEvent.Type.DELIVERED;
                        if (!o.dsnPassedOn && m.reportsSuccess(o.recipient)) {
                            m.unreportedSuccesses.add(o); // NOTIFY=SUCCESS, and the next server will not report
                        }
                        break;
                    case BOUNCED:
                        m.states[idx] = StoredMessage.State.BOUNCED;
                        m.unreportedBounces.add(o);
                        type = RelayEvent.Type.BOUNCED;
                        break;
                    default:
                        m.states[idx] = StoredMessage.State.PENDING;
                        type = RelayEvent.Type.DEFERRED;
                        break;
                }
                events.add(event(type, m, o, now, attempt));
            }
            boolean roundOver = m.jobsInFlight == 0;
            finished = m.isFinished();
            if (roundOver && !finished) {
                m.attempts++;
                long deadline = m.created.toEpochMilli() + cfg.retry.maxLifetime().toMillis();
                if (now.toEpochMilli() >= deadline) {
                    for (int i = 0; i < m.states.length; i++) {
                        if (m.states[i] == StoredMessage.State.PENDING) {
                            m.states[i] = StoredMessage.State.BOUNCED;
                            Outcome expired = new Outcome(m.recipients.get(i), Outcome.Kind.BOUNCED, null, "4.4.7",
                                    "delivery time expired after " + human(cfg.retry.maxLifetime()) + "; last problem: "
                                            + (m.lastReply[i] == null ? "none" : m.lastReply[i]), null, null, null);
                            m.unreportedBounces.add(expired);
                            events.add(event(RelayEvent.Type.EXPIRED, m, expired, now, 0));
                        }
                    }
                    finished = true;
                } else {
                    scheduleAt = Math.min(now.toEpochMilli() + cfg.retry.delayAfter(m.attempts).toMillis(), deadline);
                    records.add("T " + now.toEpochMilli() + " " + m.attempts + " " + scheduleAt);
                    Instant next = Instant.ofEpochMilli(scheduleAt);
                    for (int i = 0; i < events.size(); i++) {
                        RelayEvent e = events.get(i);
                        if (e.type() == RelayEvent.Type.DEFERRED) {
                            events.set(i, withNext(e, next));
                        }
                    }
                }
            }
            if (!m.unreportedBounces.isEmpty()) {
                List<Outcome> bounces = new ArrayList<>(m.unreportedBounces);
                m.unreportedBounces.clear();
                if (!bounce(m, bounces, events, now)) {
                    // the DSN could not be queued: keep the recipients and try again later rather than lose it
                    for (Outcome b : bounces) {
                        m.states[m.index(b.recipient)] = StoredMessage.State.PENDING;
                    }
                    finished = false;
                    if (roundOver && scheduleAt < 0) {
                        scheduleAt = now.toEpochMilli() + cfg.retry.delayAfter(Math.max(1, m.attempts)).toMillis();
                    }
                } else {
                    for (Outcome b : bounces) {
                        records.add("B " + m.index(b.recipient) + " " + now.toEpochMilli() + " " + b.status + " "
                                + Text.escapeControls(b.diagnostic()));
                    }
                }
            }
            if (!m.unreportedSuccesses.isEmpty()) {
                List<Outcome> relayed = new ArrayList<>(m.unreportedSuccesses);
                m.unreportedSuccesses.clear();
                // best effort, as RFC 3461 allows: a success report lost to a crash is not a lost message
                notify(m, relayed, DsnMessage.Kind.RELAYED, events, now);
            }
            if (scheduleAt >= 0) {
                m.nextAttempt = scheduleAt;
            }
            try {
                if (finished) {
                    m.removed = true;
                    store.remove(m, false);
                } else if (!records.isEmpty()) {
                    boolean sync = records.stream().anyMatch(r -> r.startsWith("D") || r.startsWith("B"));
                    store.append(m, records, sync);
                }
            } catch (IOException e) {
                LOG.error("{}: cannot record delivery state: {}", m.id, e.toString());
            }
        } finally {
            m.lock.unlock();
        }
        for (RelayEvent e : events) {
            emit(e);
        }
        if (finished) {
            messages.remove(m.id, m); // after the events: whoever waits for an empty queue has seen them all
            signalIfEmpty();
        }
        if (scheduleAt >= 0) {
            enqueueTimer(m, scheduleAt);
        }
    }

    /** A duration as people write it: "5 days", "90 minutes". */
    static String human(java.time.Duration d) {
        long s = d.getSeconds();
        if (s % 86400 == 0) {
            return s / 86400 + (s == 86400 ? " day" : " days");
        }
        if (s % 3600 == 0) {
            return s / 3600 + (s == 3600 ? " hour" : " hours");
        }
        if (s % 60 == 0) {
            return s / 60 + (s == 60 ? " minute" : " minutes");
        }
        return s + " seconds";
    }

    private static RelayEvent withNext(RelayEvent e, Instant next) {
        RelayEvent.Builder b = RelayEvent.builder(e.type(), e.queueId(), e.time()).recipients(e.recipients())
                .destination(e.destination().orElse(null)).remote(e.remoteHost().orElse(null),
                        e.remoteAddress().orElse(null)).reply(e.reply()).status(e.status().orElse(null))
                .detail(e.detail()).tls(e.tls().orElse(null)).attempt(e.attempt()).nextAttempt(next);
        return b.build();
    }

    private RelayEvent event(RelayEvent.Type type, StoredMessage m, Outcome o, Instant now, int attempt) {
        return RelayEvent.builder(type, m.id, now).recipients(List.of(o.recipient))
                .destination(router.destinationOf(o.recipient).equals(Router.SMART_HOST) && cfg.smartHost != null
                        ? cfg.smartHost.address() : router.destinationOf(o.recipient))
                .remote(o.remoteHost, o.remoteAddress).reply(o.replyLines()).status(o.status)
                .detail(o.detail).tls(o.tls).attempt(attempt).build();
    }

    /**
     * Queues a DSN for the bounced recipients to the reverse-path; returns false if that failed. Never to the null
     * reverse-path: a bounce of a bounce is only reported by its events. Caller holds the message's lock.
     */
    private boolean bounce(StoredMessage m, List<Outcome> bounced, List<RelayEvent> events, Instant now) {
        if (m.reversePath == null) {
            LOG.info("{}: no DSN for {} recipient(s): the reverse-path is <>", m.id, bounced.size());
            return true;
        }
        List<Outcome> failed = new ArrayList<>();
        for (Outcome o : bounced) {
            if (m.reportsFailure(o.recipient)) {
                failed.add(o);
            } else {
                LOG.info("{}: no DSN for <{}>: the sender asked for NOTIFY={}", m.id, o.recipient,
                        m.notify(o.recipient));
            }
        }
        if (failed.isEmpty()) {
            return true;
        }
        boolean expired = failed.stream().allMatch(o -> "4.4.7".equals(o.status));
        return notify(m, failed, expired ? DsnMessage.Kind.EXPIRED : DsnMessage.Kind.FAILED, events, now);
    }

    /**
     * Queues a notification of the given kind about the recipients to the message's reverse-path; returns false if
     * that failed. Caller holds the message's lock.
     */
    private boolean notify(StoredMessage m, List<Outcome> failed, DsnMessage.Kind kind, List<RelayEvent> events,
                           Instant now) {
        if (m.reversePath == null) {
            return true;
        }
        try {
            String id = queueNotification(m.id, m.reversePath, m.created, now, failed, new DsnMessage.Original() {
                @Override
                public InputStream open() throws IOException {
                    return store.content(m);
                }

                @Override
                public long size() {
                    return m.contentLength;
                }
            }, kind, request(m), "8BITMIME".equals(m.mailParameters.get("BODY")) ? Map.of("BODY", "8BITMIME")
                    : Map.of());
            events.add(RelayEvent.builder(RelayEvent.Type.DSN_QUEUED, m.id, now).recipients(
                    failed.stream().map(o -> o.recipient).collect(java.util.stream.Collectors.toList()))
                    .relatedId(id).detail((kind.success() ? "sender delivery notification " :
                            "sender non-delivery notification ") + id + " to <" + m.reversePath + ">").build());
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: cannot queue the DSN to <{}>: {}", m.id, m.reversePath, e.toString());
            return false;
        }
    }

    /**
     * Writes a notification (RFC 3464) about {@code outcomes} of message {@code id} to {@code to}, from the null
     * reverse-path, and makes it part of the queue; returns its queue id. Nothing is left behind if it fails.
     */
    private String queueNotification(String id, MailAddress to, Instant arrival, Instant now, List<Outcome> outcomes,
                                     DsnMessage.Original original, DsnMessage.Kind kind, DsnMessage.Request request,
                                     Map<String, String> mailParameters) throws IOException {
        Envelope env = Envelope.builder().reversePath((MailAddress) null).recipient(to).mailParameters(mailParameters)
                .build();
        MessageSpool.Writer w = cfg.spool.newWriter();
        try {
            ZoneId zone = cfg.clock.getZone() == null ? ZoneId.systemDefault() : cfg.clock.getZone();
            String boundary = id + "/" + Long.toHexString(cfg.random.nextLong()) + "/" + cfg.hostName;
            DsnMessage.write(w, cfg.hostName, id, to, arrival.atZone(zone), now.atZone(zone), outcomes, original,
                    cfg.bounceSizeLimit, boundary, kind, request);
            try (MessageSource dsn = w.finish()) {
                return commit(prepare(env, dsn, true));
            }
        } catch (IOException | RuntimeException e) {
            w.abort();
            throw e;
        }
    }

    /**
     * Queues a "delivered" notification (RFC 3464) for recipients the receiver delivered locally that asked for
     * NOTIFY=SUCCESS. Best effort: a failure is logged.
     */
    public void reportDelivered(Envelope envelope, MessageSource message, List<MailAddress> recipients) {
        MailAddress to = envelope.reversePath().orElse(null);
        if (to == null || recipients.isEmpty()) {
            return;
        }
        String id = envelope.transactionId().isEmpty() ? "local" : envelope.transactionId();
        List<Outcome> delivered = new ArrayList<>();
        for (MailAddress r : recipients) {
            delivered.add(new Outcome(r, Outcome.Kind.DELIVERED, null, "2.0.0", "delivered to mailbox", null, null,
                    null));
        }
        DsnMessage.Request request = new DsnMessage.Request() {
            @Override
            public String envelopeId() {
                return envelope.mailParameter("ENVID").filter(Dsn::validEnvid).orElse(null);
            }

            @Override
            public String originalRecipient(MailAddress recipient) {
                String orcpt = envelope.recipientParameters(recipient).get("ORCPT");
                return orcpt != null && Dsn.validOrcpt(orcpt) ? orcpt : null;
            }

            @Override
            public boolean headersOnly() {
                return true;
            }
        };
        try {
            String dsnId = queueNotification(id, to, envelope.receivedAt(), cfg.clock.instant(), delivered,
                    new DsnMessage.Original() {
                        @Override
                        public InputStream open() {
                            return message.openStream();
                        }

                        @Override
                        public long size() {
                            return message.size();
                        }
                    }, DsnMessage.Kind.DELIVERED, request, Map.of());
            LOG.info("{}: delivery notification {} to <{}> for {} recipient(s)", id, dsnId, to, recipients.size());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot queue the delivery notification to <{}>: {}", id, to, e.toString());
        }
    }

    /** The message's DSN parameters (RFC 3461) for its notifications. */
    private static DsnMessage.Request request(StoredMessage m) {
        return new DsnMessage.Request() {
            @Override
            public String envelopeId() {
                return m.mailParameters.get("ENVID");
            }

            @Override
            public String originalRecipient(MailAddress recipient) {
                return m.originalRecipient(recipient);
            }

            @Override
            public boolean headersOnly() {
                return "HDRS".equals(m.mailParameters.get("RET"));
            }
        };
    }

    // ---------------------------------------------------------------- management

    public List<QueueEntry> list() {
        long now = cfg.clock.millis();
        List<QueueEntry> out = new ArrayList<>();
        for (StoredMessage m : messages.values()) {
            out.add(m.snapshot(now));
        }
        out.sort(Comparator.comparing(QueueEntry::created).thenComparing(QueueEntry::id));
        return out;
    }

    public Optional<QueueEntry> entry(String id) {
        StoredMessage m = messages.get(id);
        return m == null ? Optional.empty() : Optional.of(m.snapshot(cfg.clock.millis()));
    }

    public int size() {
        return messages.size();
    }

    public boolean retryNow(String id) {
        StoredMessage m = messages.get(id);
        if (m == null) {
            return false;
        }
        m.lock.lock();
        try {
            if (m.deleted || m.removed || m.held) {
                return false;
            }
            if (m.jobsInFlight > 0) {
                return true; // an attempt is already running
            }
        } finally {
            m.lock.unlock();
        }
        dispatch(m);
        return true;
    }

    public int flush() {
        int n = 0;
        for (String id : new ArrayList<>(messages.keySet())) {
            if (retryNow(id)) {
                n++;
            }
        }
        return n;
    }

    public boolean hold(String id) throws IOException {
        StoredMessage m = messages.get(id);
        if (m == null) {
            return false;
        }
        m.lock.lock();
        try {
            if (m.deleted || m.removed) {
                return false;
            }
            if (!m.held) {
                store.append(m, List.of("H " + cfg.clock.millis()), true);
                m.held = true;
            }
        } finally {
            m.lock.unlock();
        }
        emit(RelayEvent.builder(RelayEvent.Type.HELD, id, cfg.clock.instant()).detail("held").build());
        return true;
    }

    public boolean release(String id) throws IOException {
        StoredMessage m = messages.get(id);
        if (m == null) {
            return false;
        }
        boolean start;
        m.lock.lock();
        try {
            if (m.deleted || m.removed || !m.held) {
                return !m.deleted && !m.removed;
            }
            store.append(m, List.of("U " + cfg.clock.millis()), true);
            m.held = false;
            start = m.jobsInFlight == 0;
        } finally {
            m.lock.unlock();
        }
        emit(RelayEvent.builder(RelayEvent.Type.RELEASED, id, cfg.clock.instant()).detail("released").build());
        if (start) {
            dispatch(m);
        }
        return true;
    }

    public boolean delete(String id) throws IOException {
        StoredMessage m = messages.get(id);
        if (m == null) {
            return false;
        }
        List<MailAddress> pending = new ArrayList<>();
        m.lock.lock();
        try {
            if (m.deleted || m.removed) {
                return false;
            }
            m.deleted = true;
            m.removed = true;
            store.remove(m, true);
            for (int i = 0; i < m.states.length; i++) {
                if (m.states[i] == StoredMessage.State.PENDING || m.states[i] == StoredMessage.State.ACTIVE) {
                    pending.add(m.recipients.get(i));
                }
            }
        } finally {
            m.lock.unlock();
        }
        messages.remove(id, m);
        signalIfEmpty();
        emit(RelayEvent.builder(RelayEvent.Type.DELETED, id, cfg.clock.instant()).recipients(pending)
                .detail("deleted from the queue; " + pending.size() + " recipient(s) will not receive it").build());
        return true;
    }

    /** Waits until the queue is empty; false on timeout. */
    public boolean awaitEmpty(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        emptyLock.lock();
        try {
            while (!messages.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                emptied.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return true;
        } finally {
            emptyLock.unlock();
        }
    }

    private void signalIfEmpty() {
        if (messages.isEmpty()) {
            emptyLock.lock();
            try {
                emptied.signalAll();
            } finally {
                emptyLock.unlock();
            }
        }
    }

    // ---------------------------------------------------------------- events

    private void emit(RelayEvent e) {
        switch (e.type()) {
            case DELIVERED:
            case DEFERRED:
            case BOUNCED:
            case EXPIRED:
            case DELETED:
            case HELD:
            case RELEASED:
            case DSN_QUEUED:
                if (e.type() == RelayEvent.Type.DELIVERED) {
                    LOG.info("{}", e);
                } else if (e.type() == RelayEvent.Type.BOUNCED || e.type() == RelayEvent.Type.EXPIRED) {
                    LOG.warn("{}", e);
                } else {
                    LOG.info("{}", e);
                }
                break;
            default:
                LOG.debug("{}", e);
        }
        for (RelayListener l : cfg.listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                LOG.warn("relay listener {} failed on {}: {}", l, e.type(), ex.toString());
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the relay queue is closed");
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops delivering (running transactions get about a second to finish) and releases the directory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timerThread.interrupt();
        dispatcher.close(1000);
        watchdog.abortAll();
        watchdog.close();
        store.close();
    }
}
