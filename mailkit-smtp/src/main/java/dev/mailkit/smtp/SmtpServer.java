package dev.mailkit.smtp;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.server.ConnectionLimiter;
import dev.mailkit.core.server.MailServer;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.core.Cidr;
import dev.mailkit.smtp.internal.Delivery;
import dev.mailkit.smtp.internal.FreeSpace;
import dev.mailkit.smtp.internal.SmtpConfig;
import dev.mailkit.smtp.internal.SmtpListener;
import dev.mailkit.smtp.internal.TransactionIds;
import dev.mailkit.core.outbound.OutboundQueue;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP receiver that a Java application (or a test) starts inside its own JVM. It listens on one or more ports,
 * each with a {@link SmtpRole role} (MX, submission, implicit-TLS submission), and hands every accepted message,
 * once per transaction with its whole envelope, to a {@link MessageSink} that stores it durably before the client is
 * told {@code 250}.
 *
 * <pre>{@code
 * InMemorySink sink = new InMemorySink();
 * try (SmtpServer smtp = SmtpServer.builder()
 *         .localDomains("example.test")
 *         .sink(sink)
 *         .build()
 *         .start()) {
 *     int port = smtp.port();   // a free port: send mail to it
 * }
 * }</pre>
 *
 * <p>Built on SubEthaSMTP's connection handling, with mailkit's own implementation of every command: it refuses
 * SMTP smuggling (bare CR/LF), drops plaintext pipelined after STARTTLS, refuses STARTTLS after AUTH, relays only when
 * told to, drains oversized messages before refusing them with {@code 552 5.3.4}, and gives every reply an enhanced
 * status code.
 *
 * <p>Relaying: without {@link Builder#relay(OutboundQueue)} every remote recipient is refused with {@code 554 5.7.1}. With
 * a relay, remote recipients are accepted only from authenticated users (on a submission or SMTPS port, or on any port
 * with {@link Builder#optionalAuth()}) and from clients in {@link Builder#trustedNetworks trusted networks}; the
 * {@code 250} after DATA comes once both the local sink and the relay queue hold the message durably.
 *
 * <p>Defaults: one MX listener on a free port of the loopback address; host name {@code localhost}; local domain
 * {@code localhost}; no TLS; 25 MiB maximum message size; 1000 recipients; 1000-octet lines; 5 minute read timeout and
 * 30 minute session deadline; 1000 connections, 50 per client address; failed AUTH delayed 2 s doubling to 15 s, and
 * the connection closed after 3 failures; bare CR/LF rejected; messages above 256 KiB spooled to the temporary
 * directory; virtual threads on JDK 21+.
 *
 * <p>Thread-safe. {@link #close()} is idempotent and returns within about a second.
 */
public final class SmtpServer implements MailServer {
    private final SmtpConfig config;
    private final List<SmtpListener> listeners = new ArrayList<>();
    private final AtomicInteger state = new AtomicInteger(); // 0 new, 1 running, 2 closed
    private volatile Thread reaper;

    private SmtpServer(SmtpConfig config) {
        this.config = config;
        ConnectionLimiter limiter = new ConnectionLimiter(config.maxConnections, config.maxConnectionsPerAddress);
        SmtpListener.SharedServices shared = new SmtpListener.SharedServices(limiter,
                new TransactionIds(config.clock.millis()), new Delivery(config), new Runnable() {
                    @Override
                    // a class, not a lambda: each lambda on the start path costs a fresh JVM a generated class
                    public void run() {
                        sessionStarted();
                    }
                });
        for (SmtpConfig.Listen l : config.listeners) {
            listeners.add(new SmtpListener(config, l, shared));
        }
    }

    /** The number of client connections open on all listeners now. */
    public int connectionCount() {
        int n = 0;
        for (SmtpListener l : listeners) {
            n += l.sessionCount();
        }
        return n;
    }

    /** A builder with the defaults described above. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SmtpServer start() {
        if (!state.compareAndSet(0, 1)) {
            throw new IllegalStateException("SMTP server was already started" + (state.get() == 2
                    ? " and closed; build a new one" : ""));
        }
        List<SmtpListener> started = new ArrayList<>();
        for (SmtpListener l : listeners) {
            try {
                l.start();
                started.add(l);
            } catch (RuntimeException e) {
                for (SmtpListener s : started) {
                    s.beginStop();
                    s.awaitStopped(System.nanoTime());
                }
                state.set(2);
                String where = config.bindAddress.getHostAddress() + ":"
                        + config.listeners.get(listeners.indexOf(l)).port;
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new UncheckedIOException("cannot bind SMTP " + l.role() + " listener to " + where + ": "
                        + cause.getMessage(), cause instanceof java.io.IOException ? (java.io.IOException) cause
                        : new java.io.IOException(cause));
            }
        }
        return this;
    }

    /** Starts the session-deadline sweeper when the first session arrives (a server nobody uses costs no thread). */
    private void sessionStarted() {
        if (config.sessionTimeout != null && reaper == null) {
            synchronized (this) {
                if (reaper == null && state.get() == 1) {
                    Thread t = new Thread(this::reapExpiredSessions, "mailkit-smtp-deadlines");
                    t.setDaemon(true);
                    t.start();
                    reaper = t;
                }
            }
        }
    }

    /** Enforces the session deadline: checks every listener's sessions a few times per timeout period. */
    private void reapExpiredSessions() {
        long timeout = config.sessionTimeout.toNanos();
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(20), Math.min(TimeUnit.SECONDS.toNanos(1), timeout / 4));
        while (state.get() == 1) {
            java.util.concurrent.locks.LockSupport.parkNanos(tick);
            if (Thread.interrupted()) {
                return;
            }
            long now = System.nanoTime();
            for (SmtpListener l : listeners) {
                l.closeExpired(now, timeout);
            }
        }
    }

    /** The port of the first listener. */
    @Override
    public int port() {
        checkStarted();
        return listeners.get(0).port();
    }

    /**
     * The port of the listener with the given role.
     *
     * @throws IllegalArgumentException if there is no listener with that role
     */
    public int port(SmtpRole role) {
        checkStarted();
        for (SmtpListener l : listeners) {
            if (l.role() == role) {
                return l.port();
            }
        }
        throw new IllegalArgumentException("this server has no " + role + " listener");
    }

    @Override
    public InetSocketAddress localAddress() {
        checkStarted();
        return listeners.get(0).localAddress();
    }

    @Override
    public boolean isRunning() {
        return state.get() == 1;
    }

    /** The TLS configuration, if any (to make clients trust a generated certificate). */
    public java.util.Optional<TlsConfig> tls() {
        return java.util.Optional.ofNullable(config.tls);
    }

    /** The configured host name (greeting, Received headers). */
    public String hostName() {
        return config.hostName;
    }

    @Override
    public void close() {
        if (state.getAndSet(2) == 2) {
            return;
        }
        // every listener stops accepting and tells its sessions to end first, then all wait for one deadline
        long deadline = System.nanoTime() + config.closeGrace.toNanos();
        for (SmtpListener l : listeners) {
            l.beginStop();
        }
        for (SmtpListener l : listeners) {
            l.awaitStopped(deadline);
        }
        Thread r;
        synchronized (this) {
            r = reaper;
        }
        if (r != null) {
            r.interrupt();
        }
    }

    private void checkStarted() {
        if (state.get() == 0) {
            throw new IllegalStateException("SMTP server is not started: call start() first");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SmtpServer{");
        for (SmtpListener l : listeners) {
            sb.append(l.role()).append(isRunning() ? ":" + l.port() : "").append(' ');
        }
        return sb.append(config.hostName).append('}').toString();
    }

    /** Builds an {@link SmtpServer}; {@link #build()} validates everything. Not thread-safe. */
    public static final class Builder {
        private String hostName = "localhost";
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private final List<SmtpConfig.Listen> listeners = new ArrayList<>();
        private final Set<String> localDomains = new LinkedHashSet<>();
        private boolean acceptAllDomains;
        private UserDirectory users;
        private RecipientPolicy recipientPolicy;
        private MessageSink sink;
        private final List<MailFilter> filters = new ArrayList<>();
        private TlsConfig tls;
        private boolean allowInsecureAuth;
        private boolean requireTls;
        private boolean optionalAuth;
        private long maxMessageSize = 25L * 1024 * 1024;
        private int maxRecipients = 1000;
        private int maxLineLength = 998;
        private Duration readTimeout = Duration.ofMinutes(5);
        private Duration sessionTimeout = Duration.ofMinutes(30);
        private int maxConnections = 1000;
        private int maxConnectionsPerAddress = 50;
        private AuthFailurePenalty penalty;
        private int maxAuthFailures = 3;
        private BareLineEndings bareLineEndings = BareLineEndings.REJECT;
        private MessageSpool spool;
        private Clock clock = Clock.systemUTC();
        private boolean virtualThreads = true;
        private boolean transcripts;
        private Duration closeGrace = Duration.ofMillis(600);
        private OutboundQueue relay;
        private final List<Cidr> trustedNetworks = new ArrayList<>();
        private Path freeSpaceDirectory;
        private long minFreeSpace;

        private Builder() {
        }

        /** The name in the greeting, EHLO reply and {@code Received:} headers (default {@code localhost}). */
        public Builder hostName(String hostName) {
            Objects.requireNonNull(hostName, "hostName");
            if (hostName.isEmpty() || !printableAscii(hostName)) {
                throw new IllegalArgumentException("hostName must be a non-empty ASCII name without spaces, was '"
                        + hostName + "'");
            }
            this.hostName = hostName;
            return this;
        }

        /** The address to listen on (default the loopback address; use {@code 0.0.0.0} for every interface). */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Adds an MX listener (port 0: a free port). */
        public Builder mx(int port) {
            return listener(SmtpRole.MX, port);
        }

        /** Adds a submission listener: AUTH required, STARTTLS before AUTH (port 0: a free port). */
        public Builder submission(int port) {
            return listener(SmtpRole.SUBMISSION, port);
        }

        /** Adds an implicit-TLS submission listener (port 0: a free port); needs {@link #tls}. */
        public Builder smtps(int port) {
            return listener(SmtpRole.SMTPS, port);
        }

        /** Adds a listener with the given role. */
        public Builder listener(SmtpRole role, int port) {
            Objects.requireNonNull(role, "role");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            listeners.add(new SmtpConfig.Listen(role, port));
            return this;
        }

        /**
         * The domains this server accepts mail for (default {@code localhost}); case does not matter, and an
         * internationalized domain may be given in U-labels or A-labels ({@code bücher.example} is
         * {@code xn--bcher-kva.example}).
         */
        public Builder localDomains(String... domains) {
            for (String d : domains) {
                String l = MailAddress.canonicalDomain(Objects.requireNonNull(d, "domain")); // xn-- form
                if (l.isEmpty() || l.startsWith("[") || l.indexOf('@') >= 0 || hasSpaceOrControl(l)) {
                    throw new IllegalArgumentException("'" + d + "' is not a domain name");
                }
                localDomains.add(l);
            }
            return this;
        }

        /**
         * Accepts mail for every domain and gives it to the sink (never relaying it): what a throwaway test server
         * wants, so that an application under test can send to any address. Not for a server on the internet.
         */
        public Builder acceptAllDomains() {
            this.acceptAllDomains = true;
            return this;
        }

        /** The users who may AUTH on submission ports. */
        public Builder users(UserDirectory users) {
            this.users = Objects.requireNonNull(users, "users");
            return this;
        }

        /** Decides which local recipients exist (default: all; see {@link RecipientPolicy}). */
        public Builder recipientPolicy(RecipientPolicy policy) {
            this.recipientPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Where accepted messages go (required, or {@link #onMessage}). */
        public Builder sink(MessageSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** Receives accepted messages with a simple callback (instead of {@link #sink}). */
        public Builder onMessage(MessageListener listener) {
            Objects.requireNonNull(listener, "listener");
            this.sink = (envelope, message) -> {
                listener.onMessage(envelope, message);
                return DeliveryReport.allDelivered(envelope.transactionId());
            };
            return this;
        }

        /** Adds filters, run in order at every stage (see {@link MailFilter}). */
        public Builder filters(MailFilter... filters) {
            this.filters.addAll(Arrays.asList(filters));
            return this;
        }

        /** TLS for STARTTLS on every listener and for the implicit-TLS listener. */
        public Builder tls(TlsConfig tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * Allows AUTH without TLS on submission ports. Only for tests and trusted networks: passwords then cross the
         * network in clear.
         */
        public Builder allowInsecureAuth() {
            this.allowInsecureAuth = true;
            return this;
        }

        /**
         * Requires STARTTLS before MAIL on every port, the MX port included ({@code 530 5.7.0} otherwise). Needs
         * {@link #tls}. Submission ports always require TLS before AUTH.
         */
        public Builder requireTls() {
            this.requireTls = true;
            return this;
        }

        /**
         * Makes AUTH optional: offered on every port (MX included) but required on none, as a throwaway test server
         * or an internal relay that some clients log in to needs. Needs {@link #users}. AUTH still needs TLS unless
         * {@link #allowInsecureAuth()}. Unauthenticated clients still cannot relay.
         */
        public Builder optionalAuth() {
            this.optionalAuth = true;
            return this;
        }

        /** The largest message accepted, in octets (default 25 MiB); advertised with SIZE. */
        public Builder maxMessageSize(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxMessageSize must be at least 1, was " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /** The most recipients per message (default 1000); more get {@code 452 4.5.3}. */
        public Builder maxRecipients(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxRecipients must be at least 1, was " + n);
            }
            this.maxRecipients = n;
            return this;
        }

        /**
         * The longest line of message content in octets, without CRLF (default 998, RFC 5321 4.5.3.1.6); 0 for no
         * limit. Command lines are always limited to 998 characters.
         */
        public Builder maxLineLength(int octets) {
            if (octets < 0) {
                throw new IllegalArgumentException("maxLineLength must be >= 0, was " + octets);
            }
            this.maxLineLength = octets;
            return this;
        }

        /** The longest wait for each read from the client (default 5 minutes). */
        public Builder readTimeout(Duration d) {
            this.readTimeout = positive(d, "readTimeout");
            return this;
        }

        /** The longest a session may last (default 30 minutes); {@code null} for no deadline. */
        public Builder sessionTimeout(Duration d) {
            this.sessionTimeout = d == null ? null : positive(d, "sessionTimeout");
            return this;
        }

        /** The most connections at once over all listeners (default 1000). */
        public Builder maxConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, was " + n);
            }
            this.maxConnections = n;
            return this;
        }

        /** The most connections at once from one client address (default 50). */
        public Builder maxConnectionsPerAddress(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnectionsPerAddress must be at least 1, was " + n);
            }
            this.maxConnectionsPerAddress = n;
            return this;
        }

        /** The delay after failed AUTH (default {@link AuthFailurePenalty#defaults()}; share one between servers). */
        public Builder authFailurePenalty(AuthFailurePenalty p) {
            this.penalty = Objects.requireNonNull(p, "penalty");
            return this;
        }

        /** Failed AUTH attempts after which the connection is closed (default 3). */
        public Builder maxAuthFailures(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxAuthFailures must be at least 1, was " + n);
            }
            this.maxAuthFailures = n;
            return this;
        }

        /** What to do with bare CR/LF in message content (default {@link BareLineEndings#REJECT}). */
        public Builder bareLineEndings(BareLineEndings policy) {
            this.bareLineEndings = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Where incoming messages are collected (default {@link MessageSpool#temporary()}). */
        public Builder spool(MessageSpool spool) {
            this.spool = Objects.requireNonNull(spool, "spool");
            return this;
        }

        /** The clock for Received headers (in its time zone) and envelopes (default the system clock in UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Whether connections use virtual threads on JDK 21+ (default true). */
        public Builder virtualThreads(boolean v) {
            this.virtualThreads = v;
            return this;
        }

        /**
         * Relays mail for remote recipients through this queue (started and closed by the caller, who may also submit
         * to it directly). Only authenticated submission users and clients in {@link #trustedNetworks} may relay;
         * default: no relay, every remote recipient refused.
         */
        public Builder relay(OutboundQueue queue) {
            this.relay = Objects.requireNonNull(queue, "queue");
            return this;
        }

        /**
         * Refuses new mail transactions with {@code 452 4.3.1 Insufficient system storage} at MAIL FROM while the file
         * system that holds {@code directory} (the mail store or spool) has less than {@code minFreeBytes} usable, or
         * less than that plus one and a half times the size a client announces with SIZE, as Postfix's
         * {@code queue_minfree}: a sender on a full disk is told to come back later before it sends the message, not
         * after. Default: no check.
         *
         * @throws IllegalArgumentException if {@code minFreeBytes} is negative
         */
        public Builder minFreeSpace(Path directory, long minFreeBytes) {
            if (minFreeBytes < 0) {
                throw new IllegalArgumentException("minFreeBytes must not be negative, was " + minFreeBytes);
            }
            this.freeSpaceDirectory = Objects.requireNonNull(directory, "directory");
            this.minFreeSpace = minFreeBytes;
            return this;
        }

        /**
         * Networks whose clients may relay without AUTH, on any port, like Postfix's {@code mynetworks} (CIDR, e.g.
         * {@code 192.0.2.0/24}, {@code 2001:db8::/32}, {@code 127.0.0.1}); needs {@link #relay}. Default: none.
         *
         * @throws IllegalArgumentException if a network is not valid CIDR; the message says why
         */
        public Builder trustedNetworks(String... networks) {
            for (String n : networks) {
                trustedNetworks.add(Cidr.parse(n));
            }
            return this;
        }

        /** Records each session's transcript (commands and replies, no content) for diagnostics (default off). */
        public Builder transcripts(boolean on) {
            this.transcripts = on;
            return this;
        }

        /**
         * Builds the server (not yet listening).
         *
         * @throws IllegalStateException if the configuration is incomplete or contradictory; the message says what to
         *                               change
         */
        public SmtpServer build() {
            if (sink == null) {
                throw new IllegalStateException("set a sink(...) or onMessage(...) so that accepted mail has a place to go");
            }
            List<SmtpConfig.Listen> ls = new ArrayList<>(listeners);
            if (ls.isEmpty()) {
                ls.add(new SmtpConfig.Listen(SmtpRole.MX, 0));
            }
            for (SmtpConfig.Listen l : ls) {
                if (l.role == SmtpRole.SMTPS && tls == null) {
                    throw new IllegalStateException("an smtps listener needs tls(...), e.g. tls(TlsConfig.selfSigned())");
                }
                if (l.role.requiresAuth() && users == null) {
                    throw new IllegalStateException("a " + l.role.name().toLowerCase(Locale.ROOT)
                            + " listener requires AUTH: set users(...)");
                }
                if (l.role == SmtpRole.SUBMISSION && tls == null && !allowInsecureAuth) {
                    throw new IllegalStateException("a submission listener needs tls(...) so that passwords are "
                            + "protected, or allowInsecureAuth() for tests");
                }
            }
            if (optionalAuth && users == null) {
                throw new IllegalStateException("optionalAuth() needs users(...)");
            }
            if (requireTls && tls == null) {
                throw new IllegalStateException("requireTls() needs tls(...), e.g. tls(TlsConfig.selfSigned())");
            }
            Set<String> domains = new LinkedHashSet<>(localDomains);
            if (domains.isEmpty()) {
                domains.add("localhost");
            }
            if (!trustedNetworks.isEmpty() && relay == null) {
                throw new IllegalStateException("trustedNetworks(...) lets clients relay, but no relay(...) is set: "
                        + "add relay(queue), or drop trustedNetworks");
            }
            if (maxConnectionsPerAddress > maxConnections) {
                maxConnectionsPerAddress = maxConnections;
            }
            return new SmtpServer(new SmtpConfig(hostName, bindAddress, ls, domains, acceptAllDomains, users,
                    recipientPolicy, sink, MailFilter.chain(filters), tls, allowInsecureAuth, requireTls, optionalAuth, maxMessageSize,
                    maxRecipients, maxLineLength, readTimeout, sessionTimeout, maxConnections,
                    maxConnectionsPerAddress, penalty == null ? AuthFailurePenalty.defaults() : penalty,
                    maxAuthFailures, bareLineEndings, spool == null ? MessageSpool.temporary() : spool, clock,
                    virtualThreads, transcripts, closeGrace, relay, trustedNetworks,
                    freeSpaceDirectory == null ? null : FreeSpace.of(freeSpaceDirectory, minFreeSpace)));
        }

        private static boolean printableAscii(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) <= 32 || s.charAt(i) >= 127) {
                    return false;
                }
            }
            return true;
        }

        private static boolean hasSpaceOrControl(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) <= 32) {
                    return true;
                }
            }
            return false;
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }
    }
}
