package dev.mailkit.smtp;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.Cidr;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.outbound.OutboundQueue;
import dev.mailkit.core.server.ConnectionLimiter;
import dev.mailkit.core.server.ListenerGroup;
import dev.mailkit.core.server.MailServer;
import dev.mailkit.core.server.ServerBuilder;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.smtp.internal.Delivery;
import dev.mailkit.smtp.internal.SessionDeadlines;
import dev.mailkit.smtp.internal.SmtpConfig;
import dev.mailkit.smtp.internal.SmtpListener;
import dev.mailkit.smtp.internal.TransactionIds;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

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
 * {@code localhost}; no TLS; AUTH only over TLS; 25 MiB maximum message size; 1000 recipients; 998-octet lines; 5 minute
 * idle timeout and 30 minute session deadline; 1000 connections over all listeners, 100 per client address; failed
 * AUTH delayed 2 s doubling to 15 s, and the connection closed after 3 failures; bare CR/LF rejected; messages above
 * 256 KiB spooled to the temporary directory; virtual threads on JDK 21+.
 *
 * <p>Thread-safe. {@link #close()} is idempotent and returns within about a second.
 */
public final class SmtpServer implements MailServer {
    private final SmtpConfig config;
    private final List<SmtpListener> listeners = new ArrayList<>();
    private final ListenerGroup group;
    private final SessionDeadlines deadlines;

    private SmtpServer(SmtpConfig config, ConnectionLimiter limiter) {
        this.config = config;
        this.deadlines = new SessionDeadlines(config.sessionTimeout, listeners);
        SmtpListener.SharedServices shared = new SmtpListener.SharedServices(limiter,
                new TransactionIds(config.clock.millis()), new Delivery(config), deadlines);
        for (SmtpConfig.Listen l : config.listeners) {
            listeners.add(new SmtpListener(config, l, shared));
        }
        this.group = new ListenerGroup("SMTP", listeners);
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

    /**
     * Binds every listener, in the order they were added, and starts accepting connections.
     *
     * @throws UncheckedIOException  if a port cannot be bound (the listeners already started are stopped again); the
     *                               message names the listener and its address
     * @throws IllegalStateException if the server was already started or closed
     */
    @Override
    public SmtpServer start() {
        group.start();
        return this;
    }

    /** The port of the first listener. */
    @Override
    public int port() {
        return group.started(0).port();
    }

    /**
     * The port of the listener with the given role.
     *
     * @throws IllegalArgumentException if there is no listener with that role
     * @throws IllegalStateException    if the server is not started
     */
    public int port(SmtpRole role) {
        group.started(0);
        for (SmtpListener l : listeners) {
            if (l.role() == role) {
                return l.port();
            }
        }
        throw new IllegalArgumentException("this server has no " + role + " listener");
    }

    @Override
    public InetSocketAddress localAddress() {
        return group.started(0).localAddress();
    }

    @Override
    public boolean isRunning() {
        return group.isRunning();
    }

    /** The TLS configuration, if any (to make clients trust a generated certificate). */
    public Optional<TlsConfig> tls() {
        return Optional.ofNullable(config.tls);
    }

    /** The configured host name (greeting, EHLO, Received headers). */
    public String hostName() {
        return config.hostName;
    }

    @Override
    public void close() {
        group.close();
        deadlines.stop();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SmtpServer{");
        for (SmtpListener l : listeners) {
            sb.append(l.role()).append(isRunning() ? ":" + l.port() : "").append(' ');
        }
        return sb.append(config.hostName).append('}').toString();
    }

    /**
     * Builds an {@link SmtpServer}: the settings every server has (host name, TLS, users, limits, timeouts) are
     * {@link ServerBuilder}'s, the ones below SMTP's own. Each setter checks its value, {@link #build()} the
     * combination. Not thread-safe: one thread sets it up, and the server it builds is thread-safe.
     */
    public static final class Builder extends ServerBuilder<Builder> {
        private final SmtpConfig.Settings s = new SmtpConfig.Settings();

        private Builder() {
            super("localhost", Duration.ofMinutes(5));
        }

        /** Adds an MX listener (port 0: a free port). Without any listener, the server has one MX listener. */
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

        /** Adds a listener with the given role (port 0: a free port); listeners start in the order added. */
        public Builder listener(SmtpRole role, int port) {
            Objects.requireNonNull(role, "role");
            s.listeners.add(new SmtpConfig.Listen(role, Arguments.listeningPort(port, "port")));
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
                s.localDomains.add(l);
            }
            return this;
        }

        /**
         * Accepts mail for every domain and gives it to the sink (never relaying it): what a throwaway test server
         * wants, so that an application under test can send to any address. Not for a server on the internet.
         * Default: only the {@link #localDomains}.
         */
        public Builder acceptAllDomains() {
            s.acceptAllDomains = true;
            return this;
        }

        /** Decides which local recipients exist (default: all; see {@link RecipientPolicy}). */
        public Builder recipientPolicy(RecipientPolicy policy) {
            s.recipientPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Where accepted messages go (required, or {@link #onMessage}). */
        public Builder sink(MessageSink sink) {
            s.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** Receives accepted messages with a simple callback (instead of {@link #sink}). */
        public Builder onMessage(MessageListener listener) {
            Objects.requireNonNull(listener, "listener");
            s.sink = (envelope, message) -> {
                listener.onMessage(envelope, message);
                return DeliveryReport.allDelivered(envelope.transactionId());
            };
            return this;
        }

        /** Adds filters, run in order at every stage (see {@link MailFilter}); default none. */
        public Builder filters(MailFilter... filters) {
            s.filters.addAll(Arrays.asList(filters));
            return this;
        }

        /**
         * Requires STARTTLS before MAIL on every port, the MX port included ({@code 530 5.7.0} otherwise). Needs
         * {@link #tls}. Default off. (For TLS before AUTH see {@link #requireTlsForLogin}.)
         */
        public Builder requireTls() {
            s.requireTls = true;
            return this;
        }

        /**
         * Makes AUTH optional: offered on every port (MX included) but required on none, as a throwaway test server
         * or an internal relay that some clients log in to needs. Needs {@link #users}. AUTH still needs TLS unless
         * {@code requireTlsForLogin(false)}. Unauthenticated clients still cannot relay. Default: AUTH on submission
         * and SMTPS listeners only.
         */
        public Builder optionalAuth() {
            s.optionalAuth = true;
            return this;
        }

        /** The largest message accepted, in octets (default 25 MiB); advertised with SIZE. */
        public Builder maxMessageSize(long bytes) {
            s.maxMessageSize = Arguments.atLeast(bytes, 1L, "maxMessageSize");
            return this;
        }

        /** The most recipients per message (default 1000); more get {@code 452 4.5.3}. */
        public Builder maxRecipients(int n) {
            s.maxRecipients = Arguments.atLeastOne(n, "maxRecipients");
            return this;
        }

        /**
         * The longest line of message content in octets, without CRLF (default 998, RFC 5321 4.5.3.1.6); 0 for no
         * limit. Command lines are always limited to 998 characters.
         */
        public Builder maxLineLength(int octets) {
            s.maxLineLength = (int) Arguments.notNegative(octets, "maxLineLength");
            return this;
        }

        /** The longest a session may last in total (default 30 minutes); {@code null} for no deadline. */
        public Builder sessionTimeout(Duration d) {
            s.sessionTimeout = Arguments.positiveOrNull(d, "sessionTimeout");
            return this;
        }

        /** What to do with bare CR/LF in message content (default {@link BareLineEndings#REJECT}). */
        public Builder bareLineEndings(BareLineEndings policy) {
            s.bareLineEndings = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Where incoming messages are collected (default {@link MessageSpool#temporary()}). */
        public Builder spool(MessageSpool spool) {
            s.spool = Objects.requireNonNull(spool, "spool");
            return this;
        }

        /** The clock for Received headers (in its time zone) and envelopes (default the system clock in UTC). */
        public Builder clock(Clock clock) {
            s.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Relays mail for remote recipients through this queue (started and closed by the caller, who may also submit
         * to it directly). Only authenticated submission users and clients in {@link #trustedNetworks} may relay;
         * default: no relay, every remote recipient refused.
         */
        public Builder relay(OutboundQueue queue) {
            s.relay = Objects.requireNonNull(queue, "queue");
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
            s.minFreeSpace = Arguments.notNegative(minFreeBytes, "minFreeBytes");
            s.freeSpaceDirectory = Objects.requireNonNull(directory, "directory");
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
                s.trustedNetworks.add(Cidr.parse(n));
            }
            return this;
        }

        /** Records each session's transcript (commands and replies, no content) for diagnostics (default off). */
        public Builder transcripts(boolean on) {
            s.transcripts = on;
            return this;
        }

        /**
         * Builds the server (not yet listening).
         *
         * @throws IllegalStateException if the configuration is incomplete or contradictory; the message says what to
         *                               change
         */
        public SmtpServer build() {
            ServerBuilder.Common c = common();
            if (s.sink == null) {
                throw new IllegalStateException("set a sink(...) or onMessage(...) so that accepted mail has a place to go");
            }
            for (SmtpConfig.Listen l : s.listeners) {
                if (l.role == SmtpRole.SMTPS && c.tls() == null) {
                    throw new IllegalStateException("an smtps listener needs tls(...), e.g. tls(TlsConfig.selfSigned())");
                }
                if (l.role.requiresAuth() && c.users() == null) {
                    throw new IllegalStateException("a " + l.role.name().toLowerCase(Locale.ROOT)
                            + " listener requires AUTH: set users(...)");
                }
                if (l.role == SmtpRole.SUBMISSION && c.tls() == null && c.requireTlsForLogin(true)) {
                    throw new IllegalStateException("a submission listener needs tls(...) so that passwords are "
                            + "protected, or requireTlsForLogin(false) for tests");
                }
            }
            if (s.optionalAuth && c.users() == null) {
                throw new IllegalStateException("optionalAuth() needs users(...)");
            }
            if (s.requireTls && c.tls() == null) {
                throw new IllegalStateException("requireTls() needs tls(...), e.g. tls(TlsConfig.selfSigned())");
            }
            if (!s.trustedNetworks.isEmpty() && s.relay == null) {
                throw new IllegalStateException("trustedNetworks(...) lets clients relay, but no relay(...) is set: "
                        + "add relay(queue), or drop trustedNetworks");
            }
            return new SmtpServer(new SmtpConfig(c, s), c.limiter());
        }

        private static boolean hasSpaceOrControl(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) <= 32) {
                    return true;
                }
            }
            return false;
        }
    }
}
