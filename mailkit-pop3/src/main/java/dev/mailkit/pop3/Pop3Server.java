package dev.mailkit.pop3;

import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.server.Connection;
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
import java.util.concurrent.atomic.AtomicInteger;

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
 * 10 minutes after (RFC 1939's autologout minimum); sessions end after 2 hours; 1000 connections per port, 100 per
 * client address; virtual threads on JDK 21+.
 *
 * <p>Thread-safe. {@link #start()} binds synchronously; {@link #close()} is idempotent and returns within about a
 * second.
 */
public final class Pop3Server implements MailServer {
    private final Pop3Config config;
    private final TcpServer plain;
    private final TcpServer implicit;
    private final AtomicInteger state = new AtomicInteger(); // 0 new, 1 running, 2 closed

    private Pop3Server(Builder b, Pop3Config config) {
        this.config = config;
        this.plain = tcp(b, "pop3").port(b.port).tls(b.tls).build();
        this.implicit = b.implicitTlsPort < 0 ? null : tcp(b, "pop3s").port(b.implicitTlsPort)
                .implicitTls(b.tls).build();
    }

    private TcpServer.Builder tcp(Builder b, String name) {
        return TcpServer.builder(name)
                .bindAddress(b.bindAddress)
                .maxConnections(b.maxConnections)
                .maxConnectionsPerAddress(b.maxConnectionsPerAddress)
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
        if (!state.compareAndSet(0, 1)) {
            throw new IllegalStateException("POP3 server was already started" + (state.get() == 2
                    ? " and closed; build a new one" : ""));
        }
        try {
            plain.start();
            if (implicit != null) {
                implicit.start();
            }
        } catch (RuntimeException e) {
            state.set(2);
            plain.close();
            if (implicit != null) {
                implicit.close();
            }
            throw e;
        }
        return this;
    }

    /** The plain port (STLS is offered there when TLS is configured). */
    @Override
    public int port() {
        return plain.port();
    }

    /**
     * The implicit-TLS (POP3S) port.
     *
     * @throws IllegalStateException if no implicit-TLS port was configured or the server is not started
     */
    public int implicitTlsPort() {
        if (implicit == null) {
            throw new IllegalStateException("this POP3 server has no implicit-TLS port: set implicitTlsPort(...)");
        }
        return implicit.port();
    }

    @Override
    public InetSocketAddress localAddress() {
        return plain.localAddress();
    }

    @Override
    public boolean isRunning() {
        return state.get() == 1;
    }

    /** The number of open client connections on both ports. */
    public int connectionCount() {
        return plain.connectionCount() + (implicit == null ? 0 : implicit.connectionCount());
    }

    /** The TLS configuration, if any (to make clients trust a generated certificate). */
    public java.util.Optional<TlsConfig> tls() {
        return java.util.Optional.ofNullable(config.tls());
    }

    @Override
    public void close() {
        if (state.getAndSet(2) == 2) {
            return;
        }
        if (implicit == null) {
            plain.close();
            return;
        }
        Thread t = new Thread(implicit::close, "mailkit-pop3s-close");
        t.setDaemon(true);
        t.start();
        plain.close();
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Pop3Server{" + plain + (implicit == null ? "" : " " + implicit) + "}";
    }

    /** Builds a {@link Pop3Server}; {@link #build()} validates the settings. Not thread-safe. */
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
        private int maxConnections = 1000;
        private int maxConnectionsPerAddress = 100;
        private String serverName = "mailkit";
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
         * Whether USER, PASS and AUTH are refused until TLS is active. Default: true when TLS is configured, false
         * otherwise.
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
            this.port = checkPort(port);
            return this;
        }

        /**
         * Also listen on this port with implicit TLS (POP3S, normally 995); 0 picks a free one. Off by default; needs
         * {@link #tls(TlsConfig)}.
         */
        public Builder implicitTlsPort(int port) {
            this.implicitTlsPort = checkPort(port);
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
            this.maxAuthFailures = atLeast(1, n, "maxAuthFailures");
            return this;
        }

        /** Unknown, malformed or misplaced commands on one connection after which it is closed (default 10). */
        public Builder maxBadCommands(int n) {
            this.maxBadCommands = atLeast(1, n, "maxBadCommands");
            return this;
        }

        /**
         * The longest command line in octets, without CRLF (default 1024; RFC 2449 needs 255). SASL responses may be
         * 8 times as long.
         */
        public Builder maxLineLength(int octets) {
            this.maxLineLength = atLeast(255, octets, "maxLineLength");
            return this;
        }

        /** How long a client may stay silent before logging in (default 1 minute). */
        public Builder loginTimeout(Duration d) {
            this.loginTimeout = positive(d, "loginTimeout");
            return this;
        }

        /** How long a logged-in client may stay silent (default 10 minutes, RFC 1939's minimum autologout timer). */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive(d, "idleTimeout");
            return this;
        }

        /** The longest a session may last in total (default 2 hours); {@code null} for no limit. */
        public Builder sessionTimeout(Duration d) {
            this.sessionTimeout = d == null ? null : positive(d, "sessionTimeout");
            return this;
        }

        /** The most connections at once on each port (default 1000). */
        public Builder maxConnections(int n) {
            this.maxConnections = atLeast(1, n, "maxConnections");
            return this;
        }

        /** The most connections at once from one client address on each port (default 100). */
        public Builder maxConnectionsPerAddress(int n) {
            this.maxConnectionsPerAddress = atLeast(1, n, "maxConnectionsPerAddress");
            return this;
        }

        /** The name in the greeting and CAPA's IMPLEMENTATION (default {@code mailkit}). */
        public Builder serverName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || name.length() > 64 || !visibleAscii(name)) {
                throw new IllegalArgumentException("serverName must be 1..64 printable ASCII characters without "
                        + "spaces, was '" + name + "'");
            }
            this.serverName = name;
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
            if (maxConnectionsPerAddress > maxConnections) {
                maxConnectionsPerAddress = maxConnections;
            }
            Pop3Config config = new Pop3Config(store, users, tls, requireTls, mailbox,
                    penalty == null ? AuthFailurePenalty.defaults() : penalty, maxAuthFailures, maxBadCommands,
                    maxLineLength, idleTimeout, serverName, markSeen);
            return new Pop3Server(this, config);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            return port;
        }

        private static int atLeast(int min, int n, String what) {
            if (n < min) {
                throw new IllegalArgumentException(what + " must be at least " + min + ", was " + n);
            }
            return n;
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }
    }

    private static boolean visibleAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x21 || s.charAt(i) > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
