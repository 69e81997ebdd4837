package dev.mailkit.imap;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.filter.SpamLearning;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.server.Connection;
import dev.mailkit.core.server.PlainAndImplicitTlsServer;
import dev.mailkit.core.server.ServerBuilder;
import dev.mailkit.imap.internal.session.IdleNotifier;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.session.SessionConfig;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.search.SearchIndex;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * An IMAP4rev1 server (RFC 3501), and IMAP4rev2 (RFC 9051) for a client that enables it, with the extensions real
 * clients use: IDLE, UIDPLUS, MOVE, NAMESPACE, ENABLE, ID,
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
 * <p>Defaults: the loopback address, a free port, no implicit-TLS port, no TLS; logins need TLS when TLS is
 * configured; failed logins delayed 2 s doubling to 15 s ({@link AuthFailurePenalty#defaults()}), 3 per connection;
 * 64 KiB command lines after login (8 KiB before); 1 minute of silence allowed before login and 30 minutes after;
 * no session deadline (IDLE sessions may last); 1000 connections over both ports, 100 per client address; host name
 * {@code mailkit}; virtual threads on JDK 21+.
 *
 * <p>Thread-safe. {@link #start()} binds synchronously; {@link #close()} is idempotent and returns within about a
 * second.
 */
public final class ImapServer extends PlainAndImplicitTlsServer {
    private final SessionConfig config;
    private final IdleNotifier notifier;

    private ImapServer(Builder b, ServerBuilder.Common c, SessionConfig config) {
        super("IMAP", b, c, null, "* BYE [UNAVAILABLE] Too many connections, try again later\r\n");
        this.config = config;
        this.notifier = new IdleNotifier("mailkit-imap-idle-", c.virtualThreads());
    }

    @Override
    protected void serve(Connection c) throws IOException {
        new ImapSession(config, notifier, c).run();
    }

    /** A builder with the defaults described on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ImapServer start() {
        super.start();
        return this;
    }

    /** The number of sessions in IDLE now (for monitoring). */
    public int idlingSessions() {
        return notifier.idlingSessions();
    }

    @Override
    public void close() {
        super.close();
        notifier.close();
    }

    /**
     * Builds an {@link ImapServer}. The settings every server has (host name, TLS, users, limits, idle timeout) are
     * {@link ServerBuilder}'s; the ports and the login timeout {@link PlainAndImplicitTlsServer.Builder}'s; the ones
     * below are IMAP's own. {@link #build()} validates the combination. Not thread-safe: one thread sets it up, and
     * the server it builds is thread-safe.
     */
    public static final class Builder extends PlainAndImplicitTlsServer.Builder<Builder> {
        /**
         * The longest line before login: room for ID with RFC 2971's maxima (30 pairs of 30-octet fields and
         * 1024-octet values, about 32 KiB quoted), and no more.
         */
        private static final int MAX_LINE_BEFORE_LOGIN = 36 * 1024;
        private MailStore store;
        private int maxLineLength = 64 * 1024;
        private long maxLiteralBeforeLogin = 8 * 1024;
        private long maxLiteral = 64 * 1024;
        private long maxCommandSize = 1024 * 1024;
        private long appendLimit = 64L * 1024 * 1024;
        private int maxNestingDepth = 100;
        private MessageSpool spool;
        private Clock clock = Clock.systemUTC();
        private ZoneId zone = ZoneOffset.UTC;
        private SpamLearning spamLearning;
        private SearchIndex searchIndex;

        private Builder() {
            super("mailkit", Duration.ofMinutes(30));
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

        /** The longest command line after login, in octets (default 64 KiB, at least 1024; 36 KiB before login, room for RFC 2971's largest ID). */
        public Builder maxLineLength(int octets) {
            this.maxLineLength = Arguments.atLeast(octets, 1024, "maxLineLength");
            return this;
        }

        /** The largest string literal before login (default 8 KiB, at least 256). */
        public Builder maxLiteralBeforeLogin(long octets) {
            this.maxLiteralBeforeLogin = Arguments.atLeast(octets, 256, "maxLiteralBeforeLogin");
            return this;
        }

        /** The largest string literal after login, APPEND messages aside (default 64 KiB, at least 1024). */
        public Builder maxLiteral(long octets) {
            this.maxLiteral = Arguments.atLeast(octets, 1024, "maxLiteral");
            return this;
        }

        /**
         * The most octets in one command after login, lines and string literals together (default 1 MiB, at least
         * 4096).
         */
        public Builder maxCommandSize(long octets) {
            this.maxCommandSize = Arguments.atLeast(octets, 4096, "maxCommandSize");
            return this;
        }

        /** The largest message APPEND accepts, advertised as APPENDLIMIT (default 64 MiB). */
        public Builder appendLimit(long octets) {
            this.appendLimit = Arguments.atLeast(octets, 1, "appendLimit");
            if (octets > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("appendLimit must be at most 4294967295 (an IMAP number), was "
                        + octets);
            }
            return this;
        }

        /** The deepest nesting of parenthesised lists and search keys (default 100, at least 4). */
        public Builder maxNestingDepth(int depth) {
            this.maxNestingDepth = Arguments.atLeast(depth, 4, "maxNestingDepth");
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

        /**
         * A full-text index that answers SEARCH BODY and TEXT (e.g. mailkit-search's {@code LuceneSearchIndex});
         * default none: the server reads the messages. Results are the same either way.
         */
        public Builder searchIndex(SearchIndex index) {
            this.searchIndex = Objects.requireNonNull(index, "index");
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
         * @throws IllegalStateException if a required setting is missing or settings contradict each other; the
         *                               message says what to change
         */
        public ImapServer build() {
            ServerBuilder.Common c = checkedCommon();
            if (c.users() == null) {
                throw new IllegalStateException("set users(...) before build(): the IMAP server needs a "
                        + "UserDirectory to check logins (e.g. InMemoryUserDirectory.builder()...build())");
            }
            if (maxLiteral > maxCommandSize) {
                throw new IllegalStateException("maxLiteral (" + maxLiteral + ") must not exceed maxCommandSize ("
                        + maxCommandSize + ")");
            }
            SessionConfig sc = new SessionConfig(c.hostName(), c.users(), c.tls() != null,
                    c.requireTlsForLogin(c.tls() != null), c.penalty(), c.maxAuthFailures(), maxLineLength,
                    Math.min(maxLineLength, MAX_LINE_BEFORE_LOGIN), Math.min(maxLiteralBeforeLogin, maxLiteral),
                    maxLiteral,
                    maxCommandSize, appendLimit, maxNestingDepth, loginTimeoutSetting(), c.idleTimeout(),
                    spool == null ? MessageSpool.temporary() : spool, clock, zone, store, spamLearning, searchIndex);
            return new ImapServer(this, c, sc);
        }
    }
}
