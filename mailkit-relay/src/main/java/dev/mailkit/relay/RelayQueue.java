package dev.mailkit.relay;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.core.outbound.MailLoopException;
import dev.mailkit.core.outbound.MessageSigner;
import dev.mailkit.core.outbound.OutboundQueue;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.relay.internal.MimeSubmission;
import dev.mailkit.relay.internal.Pending;
import dev.mailkit.relay.internal.QueueManagement;
import dev.mailkit.relay.internal.RelayConfig;
import dev.mailkit.relay.internal.RelayEngine;
import dev.mailkit.relay.spi.QueueStorage;
import dev.mailkit.core.Arguments;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import javax.net.ssl.SSLContext;

/**
 * The relay: a durable queue of outgoing mail and the deliveries that empty it. The host application (or an
 * {@code dev.mailkit.smtp.SmtpServer} it configured with {@code relay(queue)}) submits a message with its envelope
 * and gets a queue id back once the message is on disk ({@code fsync}ed) or, with another {@link QueueStorage} such as
 * mailkit-postgres's, committed there; from then on the relay delivers it to each
 * recipient domain's mail exchangers, or to a {@link SmartHost}, retrying temporary failures with backoff
 * ({@link RetryPolicy}) and returning permanent failures to the sender as a DSN (RFC 3464). The queue survives
 * restarts and {@code kill -9}: nothing acknowledged is lost, and a recipient whose delivery was recorded is never sent
 * the message again. (A crash in the few milliseconds between a remote server's {@code 250} and the record can, as
 * with every MTA, cause that one recipient to get the message twice.)
 *
 * <pre>{@code
 * try (RelayQueue relay = RelayQueue.builder(Path.of("queue"))
 *         .hostName("mail.example.com")
 *         .smartHost(SmartHost.builder("smtp.provider.example", 587).auth("me", "secret")
 *                 .tls(RelayTls.REQUIRED).build())
 *         .build().start()) {
 *     String id = relay.submit(mimeMessage);   // durable when this returns
 * }
 * }</pre>
 *
 * <p>Defaults: MX delivery on port 25 with DNS from the system's resolver configuration, opportunistic STARTTLS, the
 * JVM's trusted certificate authorities for required TLS, host name {@code localhost} (EHLO and DSNs), Postfix-like
 * retries (5 minutes doubling to 4000 s, bounce after 5 days), 20 connections per destination and 100 in all, 50
 * recipients per transaction, connections kept 2 seconds after their last message and at most 5 minutes, timeouts 30 s
 * to connect, 5 minutes per command, 10 minutes for the message data, DSNs carrying the whole message up to 50 000
 * octets, no DKIM signing, the system clock, virtual threads on JDK 21+.
 *
 * <p>Events ({@link RelayListener}) and log lines ({@code dev.mailkit.relay} logger) report every attempt with the
 * queue id, the remote host and its exact reply. The management methods ({@link #list}, {@link #retryNow},
 * {@link #hold}, {@link #release}, {@link #delete}) act on the live queue. Thread-safe. {@link #close()} stops
 * delivery within about a second; what is still queued is delivered after the next {@link #start()} of a queue on the
 * same directory.
 */
public final class RelayQueue implements OutboundQueue, AutoCloseable {
    private final RelayConfig config;
    private final RelayEngine engine;
    private final QueueManagement management;

    private RelayQueue(RelayConfig config) {
        this.config = config;
        try {
            this.engine = new RelayEngine(config, new PublicTypeFactory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the relay queue " + where(config) + ": "
                    + e.getMessage(), e);
        }
        this.management = engine.management();
    }

    /** A builder for a queue kept in the given directory (created if missing; one queue per directory). */
    public static Builder builder(Path directory) {
        return new Builder(Objects.requireNonNull(directory, "directory"), null);
    }

    /**
     * A builder for a queue kept in an application's storage, such as {@code PostgresQueueStorage} (mailkit-postgres)
     * for a queue that several nodes share. The queue closes the storage when it is closed. Without a
     * {@link Builder#spool spool}, copies for local delivery are spooled to temporary files.
     */
    public static Builder builder(QueueStorage storage) {
        return new Builder(null, Objects.requireNonNull(storage, "storage"));
    }

    private static String where(RelayConfig c) {
        return c.directory != null ? "directory " + c.directory : c.storage.describe();
    }

    /**
     * Recovers what the directory holds and starts delivering.
     *
     * @throws UncheckedIOException  if the directory cannot be read
     * @throws IllegalStateException if already started
     */
    public RelayQueue start() {
        try {
            engine.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recover the relay queue in " + where(config) + ": "
                    + e.getMessage(), e);
        }
        return this;
    }

    /**
     * Queues a message for the envelope's recipients; returns its queue id once it is durable. Line ends are sent as
     * CRLF whatever the source uses; the message is DKIM-signed if a signer matches its {@code From:} domain. The
     * source is read during the call and not kept.
     *
     * @throws IOException              if it cannot be stored (nothing is queued then)
     * @throws IllegalArgumentException if the envelope has no recipients
     * @throws MailLoopException        if the message has more than 50 {@code Received:} fields (a mail loop,
     *                                  refused as Postfix does)
     * @throws IllegalStateException    if the queue is not running
     */
    public String submit(Envelope envelope, MessageSource message) throws IOException {
        try (Submission s = prepare(envelope, message)) {
            return s.commit();
        }
    }

    /** Queues a message given as bytes (see {@link #submit(Envelope, MessageSource)}). */
    public String submit(Envelope envelope, byte[] message) throws IOException {
        return submit(envelope, MessageSource.of(message));
    }

    /** Queues a message read from a stream, spooled first (see {@link #submit(Envelope, MessageSource)}). */
    public String submit(Envelope envelope, InputStream message) throws IOException {
        try (MessageSource src = config.spool.copyOf(message)) {
            return submit(envelope, src);
        }
    }

    /**
     * Queues a Jakarta Mail message for the given envelope. The message is written as {@link MimeMessage#writeTo}
     * writes it (without {@code Bcc:}, as Jakarta Mail's own transport does); a new message gets its
     * {@code Message-ID} and MIME headers that way.
     */
    public String submit(Envelope envelope, MimeMessage message) throws IOException, MessagingException {
        try (MessageSource src = MimeSubmission.spool(config.spool, message)) {
            return submit(envelope, src);
        }
    }

    /**
     * Queues a Jakarta Mail message with the envelope taken from its header: the reverse-path is the {@code Sender:}
     * or else the first {@code From:} address, the recipients are every {@code To:}, {@code Cc:} and {@code Bcc:}
     * address (the {@code Bcc:} field itself is not sent).
     *
     * @throws IllegalArgumentException if the message has no sender or no recipient, or an address is not a valid
     *                                  mailbox
     */
    public String submit(MimeMessage message) throws IOException, MessagingException {
        return submit(MimeSubmission.envelopeOf(message), message);
    }

    /**
     * Writes a message to the queue directory durably but does not queue it yet: {@link Submission#commit()} does,
     * {@link Submission#abort()} (or closing without commit) discards it. For receivers that must store a message in
     * two places before acknowledging it: the SMTP server prepares the relay copy, stores the local copy, then
     * commits, and says {@code 250} only after both.
     *
     * @throws IOException if the message cannot be written
     */
    @Override
    public Submission prepare(Envelope envelope, MessageSource message) throws IOException {
        engine.checkRunning();
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(message, "message");
        return new Submission(engine.prepare(envelope, message, false));
    }

    /**
     * Queues a "delivered" delivery status notification (RFC 3464 {@code Action: delivered}, with the message's
     * header) to the envelope's reverse-path for recipients that were delivered into local mailboxes and asked for
     * it with {@code NOTIFY=SUCCESS} (RFC 3461). The SMTP receiver calls it after its sink stored the message. Best
     * effort, as RFC 3461 allows for success reports: a notification that cannot be queued is logged, not thrown;
     * nothing is sent for the null reverse-path.
     */
    @Override
    public void reportDelivered(Envelope envelope, MessageSource message, List<MailAddress> recipients) {
        engine.checkRunning();
        engine.reportDelivered(Objects.requireNonNull(envelope, "envelope"), Objects.requireNonNull(message, "message"),
                List.copyOf(recipients));
    }

    /** A prepared message (see {@link #prepare}). Used by one thread. */
    public final class Submission implements OutboundQueue.Prepared {
        private final Pending pending;

        private Submission(Pending pending) {
            this.pending = pending;
        }

        /** The queue id the message will have. */
        @Override
        public String id() {
            return pending.id();
        }

        /**
         * Queues the message durably and starts delivering it.
         *
         * @return the queue id
         * @throws IOException           if the message cannot be moved into the queue (it is discarded then)
         * @throws IllegalStateException if already committed or aborted
         */
        @Override
        public String commit() throws IOException {
            return engine.commit(pending);
        }

        /** Discards the message. Idempotent; does nothing after a commit. */
        @Override
        public void abort() {
            engine.abort(pending);
        }

        /** Same as {@link #abort()} unless committed. */
        @Override
        public void close() {
            abort();
        }
    }

    /** Every queued message, oldest first. */
    public List<QueueEntry> list() {
        return management.list();
    }

    /** One queued message, if it is still queued. */
    public Optional<QueueEntry> entry(String queueId) {
        return management.entry(queueId);
    }

    /** The number of queued messages. */
    public int size() {
        return management.size();
    }

    /**
     * Starts an attempt for the message now, whatever its schedule.
     *
     * @return false if there is no such message or it is held
     */
    public boolean retryNow(String queueId) {
        return management.retryNow(queueId);
    }

    /** Starts an attempt for every queued message that is not held (like {@code postqueue -f}); returns how many. */
    public int flush() {
        return management.flush();
    }

    /**
     * Holds a message: no more attempts until {@link #release}. An attempt already running finishes. Recorded
     * durably.
     *
     * @return false if there is no such message
     */
    public boolean hold(String queueId) throws IOException {
        return management.hold(queueId);
    }

    /**
     * Releases a held message and attempts it now.
     *
     * @return false if there is no such message
     */
    public boolean release(String queueId) throws IOException {
        return management.release(queueId);
    }

    /**
     * Deletes a message from the queue: its remaining recipients will not get it, and no DSN is sent. Durable when
     * this returns.
     *
     * @return false if there is no such message
     */
    public boolean delete(String queueId) throws IOException {
        return management.delete(queueId);
    }

    /** Waits until the queue is empty (every message delivered, bounced or deleted); false on timeout. */
    public boolean awaitEmpty(Duration timeout) throws InterruptedException {
        return engine.awaitEmpty(timeout.toMillis());
    }

    /** The queue directory, or null when the queue is kept in an application's {@link QueueStorage}. */
    public Path directory() {
        return config.directory;
    }

    /** The host name used in EHLO and DSNs. */
    public String hostName() {
        return config.hostName;
    }

    /** The smart host, if mail goes through one. */
    public Optional<SmartHost> smartHost() {
        return Optional.ofNullable(config.smartHost);
    }

    /** Whether the queue is started and not closed. */
    public boolean isRunning() {
        return engine.isRunning();
    }

    /**
     * Stops delivering: running transactions get about a second to finish, then their connections are closed (their
     * recipients stay queued). Releases the directory. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
 return "RelayQueue{" + where(config) + ", " + (config.smartHost != null ? config.smartHost
                : "MX delivery") + "}";
    }

    /**
     * Builds a {@link RelayQueue}; each setter checks its value and {@link #build()} checks the combination, with a
     * message that says what to change. Not thread-safe; the queue copies everything at {@code build()}.
     */
    public static final class Builder {
        private final RelayConfig.Settings s = new RelayConfig.Settings();

        private Builder(Path directory, QueueStorage storage) {
            s.directory = directory;
            s.storage = storage;
        }

        /** The name this relay gives in EHLO and in its DSNs (default {@code localhost}; set the real name). */
        public Builder hostName(String hostName) {
            Objects.requireNonNull(hostName, "hostName");
            if (hostName.isEmpty() || hostName.chars().anyMatch(c -> c <= 32 || c >= 127)) {
                throw new IllegalArgumentException("hostName must be a non-empty ASCII name without spaces, was '"
                        + hostName + "'");
            }
            s.hostName = hostName;
            return this;
        }

        /** Sends all mail through a smart host instead of looking up MX records (default: MX delivery). */
        public Builder smartHost(SmartHost smartHost) {
            s.smartHost = Objects.requireNonNull(smartHost, "smartHost");
            return this;
        }

        /**
         * Where DNS answers come from (default: the system's name servers and hosts file, through
         * {@code DnsJavaResolver.system()}); a {@code StaticDnsResolver} routes any domain to loopback servers in tests.
         */
        public Builder resolver(DnsResolver resolver) {
            s.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** The port mail exchangers are reached on (default 25; tests point it at a loopback server's port). */
        public Builder mxPort(int port) {
            s.mxPort = Arguments.remotePort(port, "mxPort");
            return this;
        }

        /** How TLS is used with mail exchangers, unless set per domain (default {@link RelayTls#OPPORTUNISTIC}). */
        public Builder tls(RelayTls mode) {
            s.defaultTls = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** How TLS is used with the mail exchangers of one recipient domain. */
        public Builder tls(String domain, RelayTls mode) {
            Objects.requireNonNull(domain, "domain");
            s.domainTls.put(MailAddress.canonicalDomain(domain), Objects.requireNonNull(mode, "mode"));
            return this;
        }

        /** Requires verified TLS for the mail exchangers of these recipient domains. */
        public Builder requireTls(String... domains) {
            for (String d : domains) {
                tls(d, RelayTls.REQUIRED);
            }
            return this;
        }

        /**
         * Whom to trust when TLS is {@link RelayTls#REQUIRED} (default: the JVM's trusted certificate authorities);
         * e.g. {@code TlsConfig.clientSslContext()} to trust a test server's generated certificate.
         */
        public Builder trust(SSLContext context) {
            s.trust = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Applies recipient domains' MTA-STS policies (RFC 8461) to MX delivery (default false): the policy announced
         * by {@code _mta-sts.DOMAIN} is fetched from {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt} (trusted
         * as {@link #trust} says) and kept for its {@code max_age}, in memory and in {@code DIRECTORY/mta-sts/} (in
         * memory only for a queue in an application's storage). In
         * {@code enforce} mode mail goes only to MX hosts the policy names, over TLS with a certificate that is
         * trusted and names the host, else it is deferred with {@code 4.7.5} and the reason; in {@code testing} mode
         * it is delivered as before and {@link RelayEvent#tlsPolicy()} reports what would have failed.
         */
        public Builder mtaSts(boolean enabled) {
            s.mtaSts = enabled;
            return this;
        }

        /** The HTTPS port MTA-STS policies are fetched from (default 443; tests use a loopback server's port). */
        public Builder mtaStsPort(int port) {
            s.mtaStsPort = Arguments.remotePort(port, "mtaStsPort");
            return this;
        }

        /**
         * Applies DANE (RFC 7672) to MX delivery (default false), as Postfix's {@code smtp_tls_security_level=dane}:
         * when the MX answer and the host's {@code _PORT._tcp} TLSA records are DNSSEC-authenticated, TLS is required
         * and the certificate must match a DANE-TA(2) or DANE-EE(3) record, else the delivery is deferred with
         * {@code 4.7.5} and the reason. Needs a {@link #resolver} that reports authentication, such as
         * {@code DnsJavaResolver.validating(...)} asking a local validating resolver; with any other, no answer is
         * authenticated and nothing changes. DANE takes precedence over MTA-STS for a host that has TLSA records.
         */
        public Builder dane(boolean enabled) {
            s.dane = enabled;
            return this;
        }

        /** When to retry and when to give up (default {@link RetryPolicy#defaults()}). */
        public Builder retryPolicy(RetryPolicy policy) {
            s.retry = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The most connections at once to one destination (default 20). */
        public Builder maxConnectionsPerDestination(int n) {
            s.maxConnectionsPerDestination = Arguments.atLeastOne(n, "maxConnectionsPerDestination");
            return this;
        }

        /** The most outgoing connections at once (default 100). */
        public Builder maxConnections(int n) {
            s.maxConnections = Arguments.atLeastOne(n, "maxConnections");
            return this;
        }

        /** The most recipients in one transaction (default 50); more are split over transactions. */
        public Builder maxRecipientsPerTransaction(int n) {
            s.maxRecipientsPerTransaction = Arguments.atLeastOne(n, "maxRecipientsPerTransaction");
            return this;
        }

        /** The time to establish a connection (default 30 s). */
        public Builder connectTimeout(Duration d) {
            s.connectTimeout = Arguments.positive(d, "connectTimeout");
            return this;
        }

        /** The time for each command's reply, the greeting and the TLS handshake (default 5 minutes). */
        public Builder commandTimeout(Duration d) {
            s.commandTimeout = Arguments.positive(d, "commandTimeout");
            return this;
        }

        /** The time for sending the message data and getting its reply (default 10 minutes). */
        public Builder dataTimeout(Duration d) {
            s.dataTimeout = Arguments.positive(d, "dataTimeout");
            return this;
        }

        /** How long a connection is kept open waiting for another message (default 2 s). */
        public Builder connectionIdleTime(Duration d) {
            s.connectionIdleTime = Arguments.positive(d, "connectionIdleTime");
            return this;
        }

        /** The longest a connection is reused (default 5 minutes). */
        public Builder maxConnectionAge(Duration d) {
            s.maxConnectionAge = Arguments.positive(d, "maxConnectionAge");
            return this;
        }

        /** The clock for retry times, expiry, signatures and events (default the system clock, UTC). */
        public Builder clock(Clock clock) {
            s.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The randomness for the order of equal MX preferences and DSN boundaries (default a SecureRandom). */
        public Builder random(Random random) {
            s.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Adds a listener that is told of every {@link RelayEvent} (queued, attempts, delivered, bounced...). */
        public Builder onEvent(RelayListener listener) {
            s.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Signs mail whose {@code From:} domain is one of these signers' domains (or a subdomain of one), for example
         * with {@code mailkit-mailauth}'s {@code DkimSigner}. Default: nothing is signed.
         */
        public Builder signers(MessageSigner... signers) {
            for (MessageSigner signer : signers) {
                s.signers.put(MailAddress.canonicalDomain(Objects.requireNonNull(signer, "signer").domain()), signer);
            }
            return this;
        }

        /** The largest original message a DSN carries whole (default 50 000 octets); above, only its header. */
        public Builder bounceSizeLimit(long octets) {
            if (octets < 0) {
                throw new IllegalArgumentException("bounceSizeLimit must be >= 0, was " + octets);
            }
            s.bounceSizeLimit = octets;
            return this;
        }

        /** Whether delivery sessions use virtual threads on JDK 21+ (default true). */
        public Builder virtualThreads(boolean v) {
            s.virtualThreads = v;
            return this;
        }

        /**
         * Hands recipients in these domains to a local sink instead of relaying them (for example DSNs to local
         * senders, or API submissions to local users). The sink must store durably, as for an SMTP server.
         */
        public Builder localDelivery(MessageSink sink, String... domains) {
            s.localSink = Objects.requireNonNull(sink, "sink");
            for (String d : domains) {
                s.localDomains.add(MailAddress.canonicalDomain(Objects.requireNonNull(d, "domain")));
            }
            return this;
        }

        /** Where DSNs and stream submissions are collected before queueing (default {@code DIRECTORY/spool}). */
        public Builder spool(MessageSpool spool) {
            s.spool = Objects.requireNonNull(spool, "spool");
            return this;
        }

        /**
         * Builds the queue (not yet started).
         *
         * @throws IllegalStateException if the configuration is contradictory; the message says what to change
         * @throws UncheckedIOException  if the directory cannot be used
         */
        public RelayQueue build() {
            return new RelayQueue(RelayConfig.of(s));
        }
    }
}
