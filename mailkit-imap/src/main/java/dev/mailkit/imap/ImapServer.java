package dev.mailkit.imap;

import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.filter.SpamLearning;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.server.Connection;
import dev.mailkit.core.server.MailServer;
import dev.mailkit.core.server.TcpServer;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.imap.internal.session.IdleNotifier;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.session.SessionConfig;
import dev.mailkit.store.MailStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * An IMAP4rev1 server (RFC 3501) with the extensions real clients use: IDLE, UIDPLUS, MOVE, NAMESPACE, ENABLE, ID,
 * UNSELECT, SPECIAL-USE, CHILDREN, LIST-EXTENDED, LIST-STATUS, SASL-IR, AUTHENTICATE PLAIN, QUOTA, APPENDLIMIT,
 * ESEARCH, CONDSTORE and LITERAL+; STARTTLS on the plain port and optionally a second port with implicit TLS.
 *
 * <pre>{@code
 * try (ImapServer imap = ImapServer.builder()
 *         .store(MemoryMailStore.create())
 *         .users(users)
 *         .tls(TlsConfig.selfSigned())
 *         .build().start()) {
 *     int port = imap.port();
 * }
 * }</pre>
 *
 * <p>Hostile input is bounded: lines, literals (much smaller before login), whole commands, nesting depth and
 * APPEND sizes have limits, big APPENDs are streamed to the spool, and failed logins are answered after a growing
 * delay and identically for unknown users and wrong passwords. With TLS configured, LOGIN and AUTHENTICATE are
 * refused (LOGINDISABLED) until the client has started TLS.
 *
 * <p>Thread-safe. {@link #start()} binds synchronously; {@link #close()} is idempotent and returns within about a
 * second.
 */
public final class ImapServer implements MailServer {
    private final SessionConfig config;
    private final IdleNotifier notifier;
    private final TcpServer plain;
    private final TcpServer implicit;

    private ImapServer(Builder b, SessionConfig config) {
        this.config = config;
        this.notifier = new IdleNotifier("mailkit-imap-idle-", b.virtualThreads);
        this.plain = tcp(b, "imap", b.port, false);
        this.implicit = b.implicitTlsPort >= 0 ? tcp(b, "imaps", b.implicitTlsPort, true) : null;
    }

    private TcpServer tcp(Builder b, String name, int port, boolean implicitTls) {
        TcpServer.Builder t = TcpServer.builder(name)
                .bindAddress(b.bindAddress)
                .port(port)
                .maxConnections(b.maxConnections)
                .maxConnectionsPerAddress(b.maxConnectionsPerAddress)
                .readTimeout(config.loginTimeout())
                .virtualThreads(b.virtualThreads)
                // a class, not a lambda: each lambda on the start path costs a fresh JVM a generated class
                .handler(new TcpServer.Handler() {
                    @Override
                    public void handle(Connection c) throws IOException {
                        new ImapSession(config, notifier, c).run();
                    }
                })
                .refusalMessage("* BYE [UNAVAILABLE] Too many connections, try again later\r\n");
        if (implicitTls) {
            t.implicitTls(b.tls);
        } else if (b.tls != null) {
            t.tls(b.tls);
        }
        return t.build();
    }

    /** A builder with the defaults described on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the plain port (and the implicit-TLS port, if configured) and starts accepting connections.
     *
     * @throws UncheckedIOException  if a port cannot be bound
     * @throws IllegalStateException if already started or closed
     */
    @Override
    public ImapServer start() {
        plain.start();
        if (implicit != null) {
            try {
                implicit.start();
            } catch (RuntimeException e) {
                plain.close();
                throw e;
            }
        }
        return this;
    }

    /** The plain (STARTTLS) port. */
    @Override
    public int port() {
        return plain.port();
    }

    /**
     * The implicit-TLS (IMAPS) port.
     *
     * @throws IllegalStateException if no implicit-TLS port was configured or the server is not started
     */
    public int implicitTlsPort() {
        if (implicit == null) {
            throw new IllegalStateException("no implicit-TLS port configured; use builder().implicitTlsPort(...)");
        }
        return implicit.port();
    }

    @Override
    public InetSocketAddress localAddress() {
        return plain.localAddress();
    }

    @Override
    public boolean isRunning() {
        return plain.isRunning();
    }

    /** The number of open client connections on both ports. */
    public int connectionCount() {
        return plain.connectionCount() + (implicit == null ? 0 : implicit.connectionCount());
    }

    /** The number of sessions in IDLE now (for monitoring). */
    public int idlingSessions() {
        return notifier.idlingSessions();
    }

    @Override
    public void close() {
        if (implicit != null) {
            implicit.close();
        }
        plain.close();
        notifier.close();
    }

    @Override
    public String toString() {
        return "ImapServer{" + plain + (implicit == null ? "" : ", " + implicit) + "}";
    }

    /** Builds an {@link ImapServer}. Not thread-safe. */
    public static final class Builder {
        private UserDirectory users;
        private MailStore store;
        private TlsConfig tls;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private int implicitTlsPort = -1;
        private Boolean requireTlsForLogin;
        private AuthFailurePenalty penalty;
        private int maxAuthFailures = 3;
        private int maxConnections = 1000;
        private int maxConnectionsPerAddress = 100;
        private int maxLineLength = 64 * 1024;
        private long maxLiteralBeforeLogin = 8 * 1024;
        private long maxLiteral = 64 * 1024;
        private long maxCommandSize = 1024 * 1024;
        private long appendLimit = 64L * 1024 * 1024;
        private int maxNestingDepth = 100;
        private Duration loginTimeout = Duration.ofMinutes(1);
        private Duration idleTimeout = Duration.ofMinutes(30);
        private MessageSpool spool;
        private Clock clock = Clock.systemUTC();
        private ZoneId zone = ZoneOffset.UTC;
        private String serverName = "mailkit";
        private boolean virtualThreads = true;
        private SpamLearning spamLearning;

        private Builder() {
        }

        /**
         * The mailboxes the server serves (required for anything beyond login), e.g.
         * {@code MemoryMailStore.create()} for tests. Each logged-in user sees the account
         * {@code store.account(user)}.
         */
        public Builder store(MailStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Who may log in (required). */
        public Builder users(UserDirectory users) {
            this.users = Objects.requireNonNull(users, "users");
            return this;
        }

        /**
         * TLS: enables STARTTLS on the plain port and is used by the implicit-TLS port. Without TLS (the default)
         * LOGIN works in plaintext, which suits tests on loopback.
         */
        public Builder tls(TlsConfig tls) {
            this.tls = tls;
            return this;
        }

        /** The address to bind (default the loopback address). */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "bindAddress");
            return this;
        }

        /** The plain IMAP port; 0 (the default) picks a free one, see {@link ImapServer#port()}. */
        public Builder port(int port) {
            this.port = checkPort(port, "port");
            return this;
        }

        /**
         * Also listen on this port with implicit TLS (IMAPS, normally 993); 0 picks a free one. Off by default;
         * needs {@link #tls(TlsConfig)}.
         */
        public Builder implicitTlsPort(int port) {
            this.implicitTlsPort = checkPort(port, "implicitTlsPort");
            return this;
        }

        /**
         * Whether LOGIN and AUTHENTICATE are refused until TLS is active (advertising LOGINDISABLED). Default: true
         * when TLS is configured, false otherwise.
         */
        public Builder requireTlsForLogin(boolean require) {
            this.requireTlsForLogin = require;
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
            this.maxAuthFailures = atLeast(n, 1, "maxAuthFailures");
            return this;
        }

        /** The most connections at once (default 1000). */
        public Builder maxConnections(int n) {
            this.maxConnections = atLeast(n, 1, "maxConnections");
            return this;
        }

        /** The most connections at once from one client address (default 100). */
        public Builder maxConnectionsPerAddress(int n) {
            this.maxConnectionsPerAddress = atLeast(n, 1, "maxConnectionsPerAddress");
            return this;
        }

        /** The longest command line after login, in octets (default 64 KiB; 8 KiB before login). */
        public Builder maxLineLength(int octets) {
            this.maxLineLength = atLeast(octets, 1024, "maxLineLength");
            return this;
        }

        /** The largest string literal before login (default 8 KiB). */
        public Builder maxLiteralBeforeLogin(long octets) {
            this.maxLiteralBeforeLogin = atLeast(octets, 256, "maxLiteralBeforeLogin");
            return this;
        }

        /** The largest string literal after login, APPEND messages aside (default 64 KiB). */
        public Builder maxLiteral(long octets) {
            this.maxLiteral = atLeast(octets, 1024, "maxLiteral");
            return this;
        }

        /** The most octets in one command after login, lines and string literals together (default 1 MiB). */
        public Builder maxCommandSize(long octets) {
            this.maxCommandSize = atLeast(octets, 4096, "maxCommandSize");
            return this;
        }

        /** The largest message APPEND accepts, advertised as APPENDLIMIT (default 64 MiB). */
        public Builder appendLimit(long octets) {
            this.appendLimit = atLeast(octets, 1, "appendLimit");
            if (octets > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("appendLimit must be at most 4294967295 (an IMAP number), was "
                        + octets);
            }
            return this;
        }

        /** The deepest nesting of parenthesised lists and search keys (default 100). */
        public Builder maxNestingDepth(int depth) {
            this.maxNestingDepth = atLeast(depth, 4, "maxNestingDepth");
            return this;
        }

        /** How long a client may stay silent before logging in (default 1 minute). */
        public Builder loginTimeout(Duration d) {
            this.loginTimeout = positive(d, "loginTimeout");
            return this;
        }

        /** How long a logged-in client may stay silent, IDLE included (default 30 minutes, RFC 3501 5.4). */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive(d, "idleTimeout");
            return this;
        }

        /** Where APPENDed messages are streamed before they are stored (default a temporary-directory spool). */
        public Builder spool(MessageSpool spool) {
            this.spool = Objects.requireNonNull(spool, "spool");
            return this;
        }

        /** The clock (default the system clock, UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The time zone INTERNALDATE is shown in (default UTC). */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** The server's name in the greeting and the ID response (default {@code mailkit}). */
        public Builder serverName(String name) {
            Objects.requireNonNull(name, "serverName");
            if (name.isEmpty() || !printable(name)) {
                throw new IllegalArgumentException("serverName must be non-empty printable ASCII, was '" + name + "'");
            }
            this.serverName = name;
            return this;
        }

        /** Whether connections run on virtual threads on JDK 21+ (default true). */
        public Builder virtualThreads(boolean v) {
            this.virtualThreads = v;
            return this;
        }

        /**
         * Teaches a content scanner from what users do, as Dovecot's IMAPSieve anti-spam set-up: a message moved or
         * copied into the Junk mailbox (special use {@code \Junk}, or named Junk) is learned as spam, one moved out of
         * Junk into any mailbox but Trash as ham (mailkit-scan's {@code ScannerLearning} talks to Rspamd and spamd).
         * The command waits for the learning; its failures are logged, never reported to the client. Default: none.
         */
        public Builder spamLearning(SpamLearning learning) {
            this.spamLearning = Objects.requireNonNull(learning, "learning");
            return this;
        }

        /**
         * Builds the server (not started).
         *
         * @throws IllegalStateException if a required setting is missing or settings contradict each other
         */
        public ImapServer build() {
            if (users == null) {
                throw new IllegalStateException("set users(...) before build(): the IMAP server needs a "
                        + "UserDirectory to check logins (e.g. InMemoryUserDirectory.builder()...build())");
            }
            if (implicitTlsPort >= 0 && tls == null) {
                throw new IllegalStateException("implicitTlsPort(...) needs tls(...): set a TlsConfig, e.g. "
                        + "TlsConfig.selfSigned()");
            }
            boolean requireTls = requireTlsForLogin == null ? tls != null : requireTlsForLogin;
            if (requireTls && tls == null) {
                throw new IllegalStateException("requireTlsForLogin(true) needs tls(...): without TLS nobody could "
                        + "log in");
            }
            if (maxLiteral > maxCommandSize) {
                throw new IllegalStateException("maxLiteral (" + maxLiteral + ") must not exceed maxCommandSize ("
                        + maxCommandSize + ")");
            }
            SessionConfig c = new SessionConfig(serverName, users, tls != null, requireTls,
                    penalty == null ? AuthFailurePenalty.defaults() : penalty, maxAuthFailures, maxLineLength,
                    Math.min(maxLineLength, 8 * 1024), Math.min(maxLiteralBeforeLogin, maxLiteral), maxLiteral,
                    maxCommandSize, appendLimit, maxNestingDepth, loginTimeout, idleTimeout,
                    spool == null ? MessageSpool.temporary() : spool, clock, zone, store, spamLearning);
            return new ImapServer(this, c);
        }

        private static int checkPort(int port, String what) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(what + " must be 0..65535, was " + port);
            }
            return port;
        }

        private static int atLeast(int n, int min, String what) {
            if (n < min) {
                throw new IllegalArgumentException(what + " must be at least " + min + ", was " + n);
            }
            return n;
        }

        private static long atLeast(long n, long min, String what) {
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

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20 || s.charAt(i) > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
