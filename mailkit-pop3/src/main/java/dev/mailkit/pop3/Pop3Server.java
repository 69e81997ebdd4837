package dev.mailkit.pop3;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.server.Connection;
import dev.mailkit.core.server.PlainAndImplicitTlsServer;
import dev.mailkit.core.server.ServerBuilder;
import dev.mailkit.pop3.internal.Pop3Config;
import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailboxName;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

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
public final class Pop3Server extends PlainAndImplicitTlsServer {
    private final Pop3Config config;

    private Pop3Server(Builder b, ServerBuilder.Common c, Pop3Config config) {
        super("POP3", b, c, b.sessionTimeout, "-ERR [SYS/TEMP] Too many connections, try again later\r\n");
        this.config = config;
    }

    @Override
    protected void serve(Connection c) throws IOException {
        new Pop3Session(config, c).run();
    }

    /** A builder with the defaults described above. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Pop3Server start() {
        super.start();
        return this;
    }

    /**
     * Builds a {@link Pop3Server}. The settings every server has (host name, TLS, users, limits, idle timeout) are
     * {@link ServerBuilder}'s; the ports and the login timeout {@link PlainAndImplicitTlsServer.Builder}'s; the ones
     * below are POP3's own. {@link #build()} validates the combination. Not thread-safe: one thread sets it up, and
     * the server it builds is thread-safe.
     */
    public static final class Builder extends PlainAndImplicitTlsServer.Builder<Builder> {
        private MailStore store;
        private MailboxName mailbox = MailboxName.INBOX;
        private int maxBadCommands = 10;
        private int maxLineLength = 1024;
        private Duration sessionTimeout = Duration.ofHours(2);
        private boolean markSeen = true;

        private Builder() {
            super("mailkit", Duration.ofMinutes(10));
        }

        /** The store whose accounts are served (required); a user's maildrop is their account's INBOX. */
        public Builder store(MailStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The mailbox served as the maildrop (default {@code INBOX}). */
        public Builder mailbox(MailboxName mailbox) {
            this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
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

        /** The longest a session may last in total (default 2 hours); {@code null} for no limit. */
        public Builder sessionTimeout(Duration d) {
            this.sessionTimeout = Arguments.positiveOrNull(d, "sessionTimeout");
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

        /**
         * Builds the server (not started).
         *
         * @throws IllegalStateException if a required setting is missing or settings contradict each other; the
         *                               message says what to change
         */
        public Pop3Server build() {
            ServerBuilder.Common c = checkedCommon();
            if (store == null) {
                throw new IllegalStateException("set store(...): the mailbox store whose INBOXes are served");
            }
            if (c.users() == null) {
                throw new IllegalStateException("set users(...): the user directory that checks passwords");
            }
            Pop3Config config = new Pop3Config(store, c.users(), c.tls(), c.requireTlsForLogin(c.tls() != null),
                    mailbox, c.penalty(), c.maxAuthFailures(), maxBadCommands, maxLineLength, c.idleTimeout(),
                    c.hostName(), markSeen);
            return new Pop3Server(this, c, config);
        }
    }
}
