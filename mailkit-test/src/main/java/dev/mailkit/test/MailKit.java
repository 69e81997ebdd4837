package dev.mailkit.test;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.server.MailServer;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.pop3.Pop3Server;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.test.internal.AnyLoginDirectory;
import dev.mailkit.test.internal.ClientSessions;
import dev.mailkit.test.internal.FileAndRecord;
import dev.mailkit.test.internal.SieveFiling;
import dev.mailkit.test.internal.MailboxPurge;
import dev.mailkit.test.internal.MailboxServers;
import dev.mailkit.test.internal.Recorder;
import dev.mailkit.test.internal.WebInbox;
import dev.mailkit.web.TraceRecorder;
import dev.mailkit.web.WebServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Predicate;
import jakarta.mail.Session;
import javax.net.ssl.SSLContext;

/**
 * A throwaway mail server for integration tests, built from the real mailkit servers: SMTP on a free port of
 * 127.0.0.1 that accepts mail for any domain and records every transaction with its whole envelope, and on request
 * IMAP and POP3 over mailboxes that the same mail is filed into. Starts in a millisecond or two; needs no JUnit (see
 * {@code dev.mailkit.test.junit.MailKitExtension} for the extension).
 *
 * <pre>{@code
 * try (MailKit mail = MailKit.builder().smtp().build().start()) {
 *     app.sendWelcomeMail("bob@example.test", "localhost", mail.smtpPort());
 *     ReceivedMail m = mail.takeMessage();          // waits up to 10 s, then fails listing what did arrive
 *     assertThat(m.subject()).isEqualTo("Welcome");
 * }
 * }</pre>
 *
 * <p>Defaults: an SMTP port that offers (but does not require) AUTH and accepts any login, no TLS, any recipient
 * domain, a 10 second wait. {@link Builder#tls()} adds STARTTLS and an implicit-TLS port with a certificate generated
 * for localhost, which clients trust through {@link #sslContext()}, {@link #trustStore()} or
 * {@link #certificatePem()} (no JVM-wide settings are touched). Thread-safe.
 */
public final class MailKit implements AutoCloseable {
    // the builder's settings, copied at build(): changing the builder afterwards changes nothing here
    private final boolean imapEnabled;
    private final boolean pop3Enabled;
    private final boolean webEnabled;
    private final boolean requireTls;
    private final Duration timeout;
    private final Recorder recorder = new Recorder();
    private final Faults faults = new Faults();
    private final TlsConfig tls;
    private final UserDirectory users;
    private final SmtpServer smtp;
    private final MemoryMailStore store;
    private final TraceRecorder trace;
    private final SieveFiling sieve;
    private volatile ImapServer imap;
    private volatile Pop3Server pop3;
    private volatile WebServer web;

    private MailKit(Builder b) {
        this.imapEnabled = b.imap;
        this.pop3Enabled = b.pop3;
        this.webEnabled = b.web;
        this.requireTls = b.requireTls;
        this.timeout = b.timeout;
        this.tls = b.tls ? TlsConfig.selfSigned() : null;
        if (b.users.isEmpty() && !b.strict) {
            this.users = new AnyLoginDirectory(b.domains.isEmpty() ? "localhost" : b.domains.get(0));
        } else {
            // passwords are throwaway test data: hash them cheaply so that a server starts fast
            InMemoryUserDirectory.Builder ub = InMemoryUserDirectory.builder().passwordHashIterations(1);
            b.users.forEach(ub::user);
            this.users = ub.build();
        }
        SmtpServer.Builder sb = SmtpServer.builder()
                .hostName("localhost")
                .users(users)
                .requireTlsForLogin(false)
                .authFailurePenalty(AuthFailurePenalty.none())
                .maxConnectionsPerAddress(10_000)
                .maxConnections(10_000)
                .maxMessageSize(b.maxMessageSize)
                .transcripts(true);
        this.trace = b.web ? TraceRecorder.create() : null;
        if (trace == null) {
            sb.filters(faults.filter(), recorder);
        } else {
            sb.filters(faults.filter(), recorder, trace); // the web inbox shows envelopes and transcripts
        }
        this.store = b.imap || b.pop3 || b.web || b.sieve ? MemoryMailStore.builder().standardMailboxes().build()
                : null;
        this.sieve = b.sieve ? new SieveFiling(store, recorder) : null;
        FileAndRecord sink = store == null ? null : new FileAndRecord(store, recorder, b.imap || b.pop3,
                b.web ? WebInbox.ACCOUNT : null, sieve);
        sb.sink(store == null ? recorder : trace == null ? sink : trace.sink(sink));
        if (b.domains.isEmpty()) {
            sb.acceptAllDomains();
        } else {
            sb.localDomains(b.domains.toArray(new String[0]));
        }
        sb.listener(b.requireAuth ? SmtpRole.SUBMISSION : SmtpRole.MX, 0);
        if (!b.requireAuth) {
            sb.optionalAuth(); // AUTH offered everywhere (the SMTPS port too), required nowhere
        }
        if (tls != null) {
            sb.tls(tls).smtps(0);
            if (b.requireTls) {
                sb.requireTls();
            }
        }
        this.smtp = sb.build();
    }

    /** A builder: {@code MailKit.builder().smtp().user(...).build().start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a server with the defaults (SMTP on a free port). */
    public static MailKit startDefault() {
        return builder().build().start();
    }

    /** Binds the ports and starts accepting. */
    public MailKit start() {
        smtp.start();
        try {
            imap = imapEnabled ? MailboxServers.imap(store, users, tls, requireTls) : null;
            pop3 = pop3Enabled ? MailboxServers.pop3(store, users, tls, requireTls) : null;
            if (webEnabled) {
                web = WebInbox.start(store, trace, smtp.port());
                System.out.println("mailkit-test: the mail this server receives is at " + web.url());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** The host to connect to: {@code 127.0.0.1} (use {@code localhost} to check the TLS host name). */
    public String host() {
        return "127.0.0.1";
    }

    /** The SMTP port (plain, with STARTTLS when TLS is on). */
    public int smtpPort() {
        return smtp.port();
    }

    /** The implicit-TLS SMTP port (IllegalStateException if the server was built without {@link Builder#tls()}). */
    public int smtpsPort() {
        requireTls();
        return smtp.port(SmtpRole.SMTPS);
    }

    /**
     * The IMAP port (plain, with STARTTLS when TLS is on).
     *
     * @throws IllegalStateException if the server was built without {@link Builder#imap()}
     */
    public int imapPort() {
        return imap().port();
    }

    /**
     * Installs and activates a user's Sieve script (needs {@link Builder#sieve()}; IllegalArgumentException with
     * sievec's error lines if it does not compile). Its redirects and vacation replies are recorded as received mail.
     */
    public void installSieveScript(String address, String script) {
        SieveFiling.install(sieve, address, script);
    }

    /** The implicit-TLS IMAP port (needs {@link Builder#imap()} and {@link Builder#tls()}). */
    public int imapsPort() {
        requireTls();
        return imap().implicitTlsPort();
    }

    /**
     * The POP3 port (plain, with STLS when TLS is on).
     *
     * @throws IllegalStateException if the server was built without {@link Builder#pop3()}
     */
    public int pop3Port() {
        return pop3().port();
    }

    /** The implicit-TLS POP3 port (needs {@link Builder#pop3()} and {@link Builder#tls()}). */
    public int pop3sPort() {
        requireTls();
        return pop3().implicitTlsPort();
    }

    private Pop3Server pop3() {
        return present(pop3, "POP3", "pop3()");
    }

    private ImapServer imap() {
        return present(imap, "IMAP", "imap()");
    }

    private static <T> T present(T server, String what, String builderCall) {
        if (server == null) {
            throw new IllegalStateException("this test server has no " + what + ": build it with MailKit.builder()."
                    + builderCall);
        }
        return server;
    }

    /**
     * The web inbox's address (requires {@link Builder#web()}), such as {@code http://127.0.0.1:41234/}: the inbox
     * for a browser, and Mailpit's API under {@code api/v1/}.
     */
    public String webUrl() {
        return present(web, "web inbox", "web()").url();
    }

    /**
     * The mailbox store behind IMAP (and POP3): every accepted message is filed into the INBOX of each envelope
     * recipient's account. Use it to inspect flags and folders, or to prepare mailboxes. With {@link Builder#web()},
     * each message is also filed once into the account the web inbox shows.
     */
    public MailStore store() {
        if (store == null) {
            throw new IllegalStateException("this test server has no mailboxes: build it with MailKit.builder().imap() "
                    + ", .pop3() or .web()");
        }
        return store;
    }

    /**
     * Puts messages straight into a user's INBOX (not through SMTP, so they are not in {@link #messages()}): each
     * argument is the text of an RFC 5322 message; lone LF line ends are turned into CRLF.
     */
    public void deliver(String address, String... messages) {
        try (Mailbox inbox = store().account(MailAddress.parse(address)).open(MailboxName.INBOX)) {
            for (String m : messages) {
                inbox.append(MessageSource.ofText(m));
            }
        }
    }

    /** Puts {@code .eml} files into a user's INBOX, in the order given (see {@link #deliver(String, String...)}). */
    public void preload(String address, Path... emlFiles) {
        try (Mailbox inbox = store().account(MailAddress.parse(address)).open(MailboxName.INBOX)) {
            for (Path f : emlFiles) {
                inbox.append(MessageSource.of(Files.readAllBytes(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + e.getMessage(), e);
        }
    }

    /** The TLS configuration with the generated certificate (requires {@link Builder#tls()}). */
    public TlsConfig tls() {
        requireTls();
        return tls;
    }

    /** An {@link SSLContext} that trusts this server's certificate, for clients (host name checks stay on). */
    public SSLContext sslContext() {
        return tls().clientSslContext();
    }

    /** A trust store holding this server's certificate. */
    public KeyStore trustStore() {
        return tls().trustStore();
    }

    /** This server's certificate in PEM form (for curl {@code --cacert}, Python's {@code cafile}, ...). */
    public String certificatePem() {
        return tls().certificatePem();
    }

    /**
     * Jakarta Mail properties for one of this server's ports: host, port, timeouts, STARTTLS or implicit TLS with
     * this server's certificate trusted (through the session's own socket factory, nothing JVM-wide), and for SMTPS
     * the {@code mail.transport.protocol.rfc822=smtps} that {@code Transport.send} needs. Add your own settings
     * before building a session from them.
     *
     * @throws IllegalStateException if the server lacks that port (no IMAP, no POP3, or no TLS)
     */
    public Properties clientProperties(ClientProtocol protocol) {
        return ClientSessions.properties(protocol.jakartaName(), host(), protocol.port(this), protocol.implicitTls(),
                tls == null ? null : sslContext(), false);
    }

    /** A Jakarta Mail session for one of this server's ports (see {@link #clientProperties}), without a login. */
    public Session clientSession(ClientProtocol protocol) {
        return ClientSessions.session(clientProperties(protocol), null, null);
    }

    /**
     * A Jakarta Mail session for one of this server's ports that logs in as the user: SMTP authenticates before
     * sending ({@code Transport.send(message)} just works), IMAP and POP3 use the credentials on
     * {@code store.connect()}.
     */
    public Session clientSession(ClientProtocol protocol, String user, String password) {
        Properties p = clientProperties(protocol);
        p.setProperty("mail." + protocol.jakartaName() + ".auth", "true");
        p.setProperty("mail." + protocol.jakartaName() + ".user", user);
        return ClientSessions.session(p, user, password);
    }

    /** The scripted failures of this server. */
    public Faults faults() {
        return faults;
    }

    /**
     * The next message not yet taken, waiting up to the default timeout (10 s).
     *
     * @throws AssertionError if none arrives in time; the message lists what did arrive and the SMTP transcripts
     */
    public ReceivedMail takeMessage() {
        return takeMessage(timeout);
    }

    /** Like {@link #takeMessage()} with an explicit timeout. */
    public ReceivedMail takeMessage(Duration timeout) {
        return recorder.take(timeout, connectHint());
    }

    /**
     * The next {@code n} messages not yet taken, waiting up to the default timeout for all of them.
     *
     * @throws AssertionError if fewer arrive in time; the message lists what did arrive
     */
    public List<ReceivedMail> takeMessages(int n) {
        return takeMessages(n, timeout);
    }

    /** Like {@link #takeMessages(int)} with an explicit timeout for all {@code n}. */
    public List<ReceivedMail> takeMessages(int n, Duration timeout) {
        return recorder.takeAll(n, timeout, connectHint());
    }

    /**
     * Waits until at least {@code n} messages in all have arrived and returns all of them (oldest first).
     *
     * @throws AssertionError if fewer arrive within the default timeout, listing what did
     */
    public List<ReceivedMail> awaitMessages(int n) {
        return awaitMessages(n, timeout);
    }

    /** Like {@link #awaitMessages(int)} with an explicit timeout. */
    public List<ReceivedMail> awaitMessages(int n, Duration timeout) {
        return await(n, timeout, m -> true, n + " messages");
    }

    /** Waits until at least {@code n} messages for the recipient (envelope) have arrived, and returns them. */
    public List<ReceivedMail> awaitMessagesTo(String recipient, int n) {
        return awaitMessagesTo(recipient, n, timeout);
    }

    /** Like {@link #awaitMessagesTo(String, int)} with an explicit timeout. */
    public List<ReceivedMail> awaitMessagesTo(String recipient, int n, Duration timeout) {
        return await(n, timeout, m -> m.hasRecipient(recipient), n + " messages to " + recipient);
    }

    private List<ReceivedMail> await(int n, Duration timeout, Predicate<ReceivedMail> filter, String what) {
        return recorder.await(n, timeout, filter, what, connectHint());
    }

    private String connectHint() {
        WebServer w = web;
        return "(did the application connect to 127.0.0.1:" + (smtp.isRunning() ? smtpPort() : 0) + "?)"
                + (w == null ? "" : " The web inbox: " + w.url());
    }

    /** Every message received so far, oldest first. */
    public List<ReceivedMail> messages() {
        return recorder.messages();
    }

    /** The messages whose envelope names this recipient. */
    public List<ReceivedMail> messagesTo(String recipient) {
        return find(m -> m.hasRecipient(recipient));
    }

    /** The messages matching a condition. */
    public List<ReceivedMail> find(Predicate<ReceivedMail> condition) {
        return recorder.messages().stream().filter(condition).collect(java.util.stream.Collectors.toList());
    }

    /** The transcripts of the most recent SMTP sessions that have ended (up to 50), oldest first. */
    public List<List<String>> sessionTranscripts() {
        return recorder.sessions();
    }

    /**
     * Forgets what SMTP recorded ({@link #messages()}, the takes and the transcripts). The IMAP and POP3 mailboxes keep
     * their messages: {@link #purgeMailboxes()} empties those, {@link #purgeAll()} does both.
     */
    public void purgeRecords() {
        recorder.purge();
    }

    /**
     * Empties every IMAP and POP3 mailbox of every user (messages are expunged; folders stay; IMAP sessions are told).
     * What SMTP recorded stays: see {@link #purgeRecords()}. Does nothing on a server without mailboxes.
     *
     * @return how many messages were removed
     */
    public int purgeMailboxes() {
        return store == null ? 0 : MailboxPurge.purge(store);
    }

    /**
     * Empties everything: the SMTP records and every mailbox (GreenMail's {@code purgeEmailFromAllMailboxes()} and
     * more).
     */
    public void purgeAll() {
        purgeMailboxes();
        purgeRecords();
    }

    /** Stops the servers (idempotent, returns within about a second). */
    @Override
    public void close() {
        for (MailServer server : Arrays.asList(web, pop3, imap, smtp)) { // read once each: they are volatile
            if (server != null) {
                server.close();
            }
        }
        recorder.purge();
        SieveFiling.close(sieve);
    }

    private void requireTls() {
        if (tls == null) {
            throw new IllegalStateException("this test server has no TLS: build it with MailKit.builder().tls()");
        }
    }

    @Override
    public String toString() {
        return "MailKit{" + smtp + (imap == null ? "" : ", " + imap) + (pop3 == null ? "" : ", " + pop3)
                + (web == null ? "" : ", " + web) + "}";
    }

    /** Builds a {@link MailKit}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> users = new LinkedHashMap<>();
        private final List<String> domains = new ArrayList<>();
        private boolean strict;
        private boolean tls;
        private boolean requireAuth;
        private boolean requireTls;
        private boolean imap;
        private boolean pop3;
        private boolean web;
        private boolean sieve;
        private Duration timeout = Duration.ofSeconds(10);
        private long maxMessageSize = 50L * 1024 * 1024;

        private Builder() {
        }

        /** Turns on SMTP (on by default; here for readable set-ups like {@code .smtp().imap()}). */
        public Builder smtp() {
            return this;
        }

        /**
         * Adds an IMAP server over an in-memory mailbox store: every message accepted over SMTP is filed into the
         * INBOX of each envelope recipient, and users log in as their address.
         */
        public Builder imap() {
            this.imap = true;
            return this;
        }

        /**
         * Adds a POP3 server over the same in-memory mailboxes as {@link #imap()}: each envelope recipient's INBOX is
         * their maildrop.
         */
        public Builder pop3() {
            this.pop3 = true;
            return this;
        }

        /**
         * Adds the web inbox and Mailpit's HTTP API on a free port of 127.0.0.1, without login: every message accepted
         * over SMTP is shown once, live, with its envelope (BCC included) and SMTP transcript; Mailpit's
         * {@code /api/v1/send} sends through this server's SMTP port. The address is printed when the server starts
         * and given by {@link MailKit#webUrl()}: open it to see what a failing test received.
         */
        public Builder web() {
            this.web = true;
            return this;
        }

        /** Runs users' Sieve scripts at delivery (see {@link MailKit#installSieveScript}); implies mailboxes. */
        public Builder sieve() {
            this.sieve = true;
            return this;
        }

        /** Adds a user; with users, logins are checked (strict mode). */
        public Builder user(String address, String password) {
            users.put(Objects.requireNonNull(address, "address"), Objects.requireNonNull(password, "password"));
            strict = true;
            return this;
        }

        /** Accepts any user name and password (the default when no users are added). */
        public Builder acceptAnyLogin() {
            if (!users.isEmpty()) {
                throw new IllegalStateException("acceptAnyLogin() cannot be combined with user(...)");
            }
            strict = false;
            return this;
        }

        /** Checks logins against the added users only (with no users, every login fails). */
        public Builder strictLogin() {
            strict = true;
            return this;
        }

        /** Accepts mail only for these domains (default: every domain). */
        public Builder domains(String... ds) {
            for (String d : ds) {
                domains.add(Objects.requireNonNull(d, "domain"));
            }
            return this;
        }

        /** Adds STARTTLS and an implicit-TLS port, with a certificate generated for localhost. */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** Requires AUTH before MAIL on the SMTP port. */
        public Builder requireAuth() {
            this.requireAuth = true;
            return this;
        }

        /**
         * Requires STARTTLS before MAIL on the SMTP port (turns on {@link #tls()}); IMAP and POP3 then refuse logins
         * until TLS too (their {@code requireTlsForLogin}). Default off: SMTP AUTH, IMAP and POP3 logins work without
         * TLS, as a test server's should.
         */
        public Builder requireTls() {
            this.tls = true;
            this.requireTls = true;
            return this;
        }

        /** The default wait of {@code takeMessage()} and {@code awaitMessages()} (default 10 s). */
        public Builder timeout(Duration d) {
            this.timeout = Arguments.positive(d, "timeout");
            return this;
        }

        /** The largest message accepted (default 50 MiB). */
        public Builder maxMessageSize(long bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /** Builds the server (not started). */
        public MailKit build() {
            return new MailKit(this);
        }
    }
}
