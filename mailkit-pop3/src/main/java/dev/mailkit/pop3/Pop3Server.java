package dev.mailkit.pop3;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.server.Connection;
import dev.mailkit.core.server.ConnectionLimiter;
import dev.mailkit.core.server.ListenerGroup;
import dev.mailkit.core.server.MailServer;
import dev.mailkit.core.server.TcpServer;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.pop3.internal.Pop3Config;
import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailboxName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A POP3 server (RFC 1939) over a {@link MailStore}: every user's {@code INBOX} is their maildrop. It speaks
 * USER/PASS, STAT, LIST, RETR, DELE, NOOP, RSET, QUIT, TOP and UIDL, CAPA with RESP-CODES, AUTH-RESP-CODE and
 * PIPELINING (RFC 2449), SASL PLAIN and LOGIN (RFC 5034), STLS (RFC 2595) on the plain port, and optionally a second
 * port with implicit TLS (POP3S).
 *
 * <pre>{@code
 * try (Pop3Server pop3 = Pop3Server.builder()
 *         .store(store)                        // e.g. MemoryMailStore.create()
 *         .users(users)                        // who may log in, and whose INBOX is whose
 *         .tls(TlsConfig.selfSigned())         // STLS; logins then need TLS
 *         .build()
 *         .start()) {
 *     int port = pop3.port();
 * }
 * }</pre>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>The maildrop is locked for the session (an {@link dev.mailkit.store.ViewMode#EXCLUSIVE exclusive view}): a
 *       second POP3 session of the same user gets {@code -ERR [IN-USE]}. IMAP sessions are not locked out.</li>
 *   <li>The session sees the maildrop as it was at login: messages delivered meanwhile appear in the next
 *       session.</li>
 *   <li>DELE only marks; the messages are expunged when the client sends QUIT (the UPDATE state), together with
 *       {@code \Seen} for the messages it retrieved. A connection that ends any other way changes nothing.</li>
 *   <li>UIDLs are the message's UID and the mailbox's UIDVALIDITY, in Dovecot's default format
 *       ({@code %08Xu%08Xv}): stable across sessions and, with a durable store, restarts. Over a Maildir that
 *       Dovecot served, the Maildir store takes over Dovecot's UIDs, so the UIDLs are the ones Dovecot gave out.</li>
 *   <li>RETR and TOP stream the message from the store with byte-stuffing and CRLF line ends; sizes are the
 *       store's sizes, which are those of the CRLF form.</li>
 * </ul>
 *
 * <h2>Hostile clients</h2>
 * With TLS configured, USER, PASS and AUTH are refused until the client has started TLS (and CAPA does not offer
 * them). Plaintext sent after STLS but before the handshake is discarded. Unknown users and wrong passwords get the
 * same reply after the same work; each failure waits a growing per-address delay before the reply, and a connection
 * is closed after a few failures. Command lines, bad commands, silence before and after login, connections in
 * total and per address are all limited.
 *
 * <h2>Defaults</h2>
 * The loopback address, a free port, no implicit-TLS port, no TLS; logins need TLS when TLS is configured; failed
 * logins delayed 2 s doubling to 15 s ({@link AuthFailurePenalty#defaults()}), 3 per connection; 10 bad commands per
 * connection; 1024-octet command lines (8 KiB SASL responses); 1 minute of silence allowed before login and
 * 10 minutes after (RFC 1939's autologout minimum); sessions end after 2 hours; 1000 connections over both ports, 100
 * per client address; host name {@code mailkit}; virtual threads on JDK 21+.
 *
 * <p>Thread-safe. {@link #start()} binds synchronously; {@link #close()} is idempotent and returns within about a
 * second.
 */
public final class Pop3Server implements MailServer {
    private final Pop3Config config;
    private final ConnectionLimiter limiter;
    private final ListenerGroup listeners;

    private Pop3Server(Builder b, Pop3Config config, ConnectionLimiter limiter) {
        this.config = config;
        this.limiter = limiter;
        TcpServer.Builder t = TcpServer.builder("pop3")
                .bindAddress(b.bindAddress)
                .maxConnections(b.maxConnections)
                .limiter(limiter)
                .readTimeout(b.loginTimeout)
                .sessionTimeout(b.sessionTimeout)
                .virtualThreads(b.virtualThreads)
                // a class, not a lambda: each lambda on the start path costs a fresh JVM a generated class
                .handler(new TcpServer.Handler() {
                    @Override
                    public void handle(Connection c) throws IOException {
                        new Pop3Session(config, c).run();
                    }
                })
                .refusalMessage("-ERR [SYS/TEMP] Too many connections, try again later\r\n");
        this.listeners = ListenerGroup.plainAndImplicitTls("POP3", t, b.port, b.tls, b.implicitTlsPort);
    }

    /** A builder with the defaults described above. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the plain port (and the implicit-TLS port, if configured) and starts accepting connections.
     *
     * @throws UncheckedIOException  if a port cannot be bound; the message names the address
     * @throws IllegalStateException if the server was already started or closed
     */
    @Override
    public Pop3Server start() {
        listeners.start();
        return this;
    }

    /** The plain port (STLS is offered there when TLS is configured). */
    @Override
    public int port() {
        return listeners.started(0).port();
    }

    /**
     * The implicit-TLS (POP3S) port.
     *
     * @throws IllegalStateException if no implicit-TLS port was configured or the server is not started
     */
    public int implicitTlsPort() {
        if (listeners.members().size() < 2) {
            throw new IllegalStateException("this POP3 server has no implicit-TLS port: set implicitTlsPort(...)");
        }
        return listeners.started(1).port();
    }

    @Override
    public InetSocketAddress localAddress() {
        return listeners.started(0).localAddress();
    }

    @Override
    public boolean isRunning() {
        return listeners.isRunning();
    }

    /** The number of open client connections on both ports. */
    public int connectionCount() {
        return limiter.active();
    }

    /** The TLS configuration, if any (to make clients trust a generated certificate). */
    public Optional<TlsConfig> tls() {
        return Optional.ofNullable(config.tls());
    }

    /** The configured host name (greeting, CAPA IMPLEMENTATION). */
    public String hostName() {
        return config.hostName();
    }

    @Override
    public void close() {
        listeners.close();
    }

    @Override
    public String toString() {
        return "Pop3Server" + listeners.members();
    }

    /**
     * Builds a {@link Pop3Server}; {@link #build()} validates the combination. Not thread-safe: one thread sets it
     * up, and the server it builds is thread-safe.
     */
    public static final class Builder {
        private MailStore store;
        private UserDirectory users;
        private TlsConfig tls;
        private Boolean requireTlsForLogin;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private int implicitTlsPort = -1;
        private MailboxName mailbox = MailboxName.INBOX;
        private AuthFailurePenalty penalty;
        private int maxAuthFailures = 3;
        private int maxBadCommands = 10;
        private int maxLineLength = 1024;
        private Duration loginTimeout = Duration.ofMinutes(1);
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration sessionTimeout = Duration.ofHours(2);
        private int maxConnections = ConnectionLimiter.DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress; // 0: the default
        private String hostName = "mailkit";
        private boolean markSeen = true;
        private boolean virtualThreads = true;

        private Builder() {
        }

        /** The store whose accounts are served (required). */
        public Builder store(MailStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Who may log in (required); a user's maildrop is the INBOX of the account of the user's address. */
        public Builder users(UserDirectory users) {
            this.users = Objects.requireNonNull(users, "users");
            return this;
        }

        /**
         * TLS: enables STLS on the plain port and is used by the implicit-TLS port. Without TLS (the default)
         * USER/PASS work in plaintext, which suits tests on loopback.
         */
        public Builder tls(TlsConfig tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * Whether USER, PASS and AUTH are refused until TLS is active (and not offered by CAPA). Default: true when
         * TLS is configured, false otherwise; true without {@link #tls} is refused by {@link #build()}.
         */
        public Builder requireTlsForLogin(boolean require) {
            this.requireTlsForLogin = require;
            return this;
        }

        /** The address to bind (default the loopback address; {@code 0.0.0.0} for every interface). */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The plain POP3 port (normally 110); 0 (the default) picks a free one, see {@link Pop3Server#port()}. */
        public Builder port(int port) {
            this.port = Arguments.listeningPort(port, "port");
            return this;
        }

        /**
         * Also listen on this port with implicit TLS (POP3S, normally 995); 0 picks a free one. Off by default; needs
         * {@link #tls(TlsConfig)}.
         */
        public Builder implicitTlsPort(int port) {
            this.implicitTlsPort = Arguments.listeningPort(port, "implicitTlsPort");
            return this;
        }

        /** The mailbox served as the maildrop (default {@code INBOX}). */
        public Builder mailbox(MailboxName mailbox) {
            this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
            return this;
        }

        /**
         * The delay after failed logins (default {@link AuthFailurePenalty#defaults()}: 2 s doubling to 15 s per
         * client address). Share one instance between servers so that switching protocol does not reset it.
         */
        public Builder authFailurePenalty(AuthFailurePenalty penalty) {
            this.penalty = Objects.requireNonNull(penalty, "penalty");
            return this;
        }

        /** Failed logins on one connection after which it is closed (default 3). */
        public Builder maxAuthFailures(int n) {
            this.maxAuthFailures = Arguments.atLeastOne(n, "maxAuthFailures");
            return this;
        }

        /** Unknown, malformed or misplaced commands on one connection after which it is closed (default 10). */
        public Builder maxBadCommands(int n) {
            this.maxBadCommands = Arguments.atLeastOne(n, "maxBadCommands");
            return this;
        }

        /**
         * The longest command line in octets, without CRLF (default 1024, at least 255 as RFC 2449 needs). SASL
         * responses may be 8 times as long.
         */
        public Builder maxLineLength(int octets) {
            this.maxLineLength = Arguments.atLeast(octets, 255, "maxLineLength");
            return this;
        }

        /** How long a client may stay silent before logging in (default 1 minute). */
        public Builder loginTimeout(Duration d) {
            this.loginTimeout = Arguments.positive(d, "loginTimeout");
            return this;
        }

        /**
         * How long a logged-in client may stay silent: the wait for its next command (default 10 minutes, RFC 1939's
         * minimum autologout timer).
         */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = Arguments.positive(d, "idleTimeout");
            return this;
        }

        /** The longest a session may last in total (default 2 hours); {@code null} for no limit. */
        public Builder sessionTimeout(Duration d) {
            this.sessionTimeout = Arguments.positiveOrNull(d, "sessionTimeout");
            return this;
        }

        /** The most connections at once, both ports together (default 1000). */
        public Builder maxConnections(int n) {
            this.maxConnections = Arguments.atLeastOne(n, "maxConnections");
            return this;
        }

        /**
         * The most connections at once from one client address, both ports together (default 100, or
         * {@link #maxConnections} if that is lower); more than {@code maxConnections} is refused by {@link #build()}.
         */
        public Builder maxConnectionsPerAddress(int n) {
            this.maxConnectionsPerAddress = Arguments.atLeastOne(n, "maxConnectionsPerAddress");
            return this;
        }

        /**
         * The name the server gives itself in the greeting and CAPA's IMPLEMENTATION (default {@code mailkit}); 1 to
         * 255 visible ASCII characters without spaces.
         */
        public Builder hostName(String hostName) {
            this.hostName = Arguments.hostName(hostName, "hostName");
            return this;
        }

        /**
         * Whether the messages a session retrieved with RETR get {@code \Seen} when it QUITs, as Dovecot does (default
         * true). IMAP clients of the same mailbox then see them as read.
         */
        public Builder markSeen(boolean markSeen) {
            this.markSeen = markSeen;
            return this;
        }

        /** Whether connections run on virtual threads on JDK 21+ (default true). */
        public Builder virtualThreads(boolean v) {
            this.virtualThreads = v;
            return this;
        }

        /**
         * Builds the server (not started).
         *
         * @throws IllegalStateException if a required setting is missing or settings contradict each other; the
         *                               message says what to change
         */
        public Pop3Server build() {
            if (store == null) {
                throw new IllegalStateException("set store(...): the mailbox store whose INBOXes are served");
            }
            if (users == null) {
                throw new IllegalStateException("set users(...): the user directory that checks passwords");
            }
            if (implicitTlsPort >= 0 && tls == null) {
                throw new IllegalStateException("implicitTlsPort(...) needs tls(...), e.g. tls(TlsConfig.selfSigned())");
            }
            boolean requireTls = requireTlsForLogin == null ? tls != null : requireTlsForLogin;
            if (requireTls && tls == null) {
                throw new IllegalStateException("requireTlsForLogin(true) needs tls(...), or nobody could log in");
            }
            ConnectionLimiter limiter = ConnectionLimiter.forServer(maxConnections, maxConnectionsPerAddress);
            Pop3Config config = new Pop3Config(store, users, tls, requireTls, mailbox,
                    penalty == null ? AuthFailurePenalty.defaults() : penalty, maxAuthFailures, maxBadCommands,
                    maxLineLength, idleTimeout, hostName, markSeen);
            return new Pop3Server(this, config, limiter);
        }
    }
}
