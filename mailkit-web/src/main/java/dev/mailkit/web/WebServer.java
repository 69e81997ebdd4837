package dev.mailkit.web;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.server.MailServer;
import dev.mailkit.core.server.ServerExecutors;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.relay.RelayQueue;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailStore;
import dev.mailkit.web.internal.api.WebApp;
import dev.mailkit.web.internal.api.WebSettings;
import dev.mailkit.web.internal.http.HttpService;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The web inbox and HTTP API over a {@link MailStore}: Mailpit's API v1 (so test tooling written for Mailpit works
 * unchanged), mailkit's additions in the same style (envelope, transcript, delivery trace, filter verdicts, MIME
 * tree, folders, the relay queue), server-sent events, and a browser inbox served from the jar.
 *
 * <pre>{@code
 * try (WebServer web = WebServer.builder()
 *         .store(store)                        // the mailboxes mail is delivered into
 *         .users(users)                        // who may log in; each sees the account of their address
 *         .submission(MailSender.queue(relay)) // where "send" goes (optional)
 *         .build()
 *         .start()) {                          // binds a free port on 127.0.0.1
 *     System.out.println(web.url());
 * }
 * }</pre>
 *
 * <h2>Who sees what</h2>
 * With {@link Builder#users(UserDirectory) users} every request needs a login: the API takes HTTP Basic with a
 * mailbox user's address and password (as Mailpit's does), the inbox a login form that starts a session (a random
 * token in an {@code HttpOnly}, {@code SameSite=Strict} cookie, {@code Secure} over TLS; 30 minutes idle, 12 hours
 * at most). A user sees exactly the mailboxes of their own account. Failed logins wait the same growing delay per
 * client address as the mail protocols ({@link AuthFailurePenalty}). Without users, {@link Builder#openAccess}
 * names the accounts anyone may see without logging in: for test inboxes on loopback only.
 *
 * <h2>Hostile mail</h2>
 * A message's HTML is shown in a sandboxed frame under a Content-Security-Policy that allows no script, no form,
 * no plugin and nothing remote until the user asks for remote content; {@code cid:} images come from the message
 * itself. Attachments and sources download with {@code nosniff}, a sandboxing policy and a file name that can
 * choose neither a path nor a header. Requests that change something need the session's CSRF token (or HTTP Basic),
 * must not come from another site, and must send JSON; the {@code Host} must be this server's name or address
 * (DNS rebinding).
 *
 * <h2>Defaults</h2>
 * The loopback address, a free port, plain HTTP (HTTPS with {@link Builder#tls}), login required, no sending, no
 * release, no trace, no queue view, failed logins delayed 2 s doubling to 15 s, request bodies up to 32 MiB, 1000
 * connections and 100 per client address, 64 mailboxes indexed at once, virtual threads on JDK 21+.
 *
 * <p>Thread-safe. {@link #start()} binds synchronously; {@link #close()} is idempotent and returns within about a
 * second, ending open event streams.
 */
public final class WebServer implements MailServer {
    private final WebSettings settings;
    private final HttpService http;
    private final ExecutorService syncExecutor;
    private final WebApp app;
    private final AtomicInteger state = new AtomicInteger(); // 0 new, 1 running, 2 closed

    private WebServer(Builder b, WebSettings settings) {
        this.settings = settings;
        this.syncExecutor = ServerExecutors.forConnections("mailkit-web-sync-", 16, b.virtualThreads);
        this.app = new WebApp(settings, syncExecutor, b.metrics, b.health);
        HttpService.Settings s = new HttpService.Settings();
        s.bindAddress = b.bindAddress;
        s.port = b.port;
        s.tls = b.tls;
        s.maxConnections = b.maxConnections;
        s.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        s.maxBody = b.maxRequestSize;
        s.virtualThreads = b.virtualThreads;
        s.proxyProtocol = b.proxyProtocol;
        this.http = new HttpService(s, app);
    }

    /** A builder with the defaults described above. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws java.io.UncheckedIOException if the port cannot be bound; the message names the address
     * @throws IllegalStateException        if the server was already started or closed
     */
    @Override
    public WebServer start() {
        if (!state.compareAndSet(0, 1)) {
            throw new IllegalStateException("web server was already started" + (state.get() == 2
                    ? " and closed; build a new one" : ""));
        }
        try {
            http.start();
        } catch (RuntimeException e) {
            state.set(2);
            app.close();
            syncExecutor.shutdownNow();
            throw e;
        }
        return this;
    }

    @Override
    public int port() {
        return http.port();
    }

    @Override
    public InetSocketAddress localAddress() {
        return http.localAddress();
    }

    /**
     * The address to open in a browser, such as {@code http://127.0.0.1:8025/} (a server bound to every interface
     * is reached through the loopback address).
     */
    public String url() {
        InetSocketAddress a = localAddress();
        InetAddress ip = a.getAddress();
        String host = ip.isAnyLocalAddress() ? "127.0.0.1" : ip.getHostAddress();
        if (ip instanceof Inet6Address && !ip.isAnyLocalAddress()) {
            host = "[" + host.replaceAll("%.*$", "") + "]";
        }
        return (settings.tls ? "https://" : "http://") + host + ":" + a.getPort() + "/";
    }

    @Override
    public boolean isRunning() {
        return state.get() == 1;
    }

    /** The number of open HTTP connections (event streams included). */
    public int connectionCount() {
        return http.connectionCount();
    }

    /** Whether anyone may use it without logging in. */
    public boolean isOpen() {
        return settings.open();
    }

    @Override
    public void close() {
        if (state.getAndSet(2) == 2) {
            return;
        }
        app.close();
        http.close();
        syncExecutor.shutdownNow();
    }

    @Override
    public String toString() {
        return "WebServer{" + http + (settings.open() ? ", open" : "") + "}";
    }

    /** Builds a {@link WebServer}; {@link #build()} validates the settings. Not thread-safe. */
    public static final class Builder {
        private MailStore store;
        private UserDirectory users;
        private final List<AccountId> openAccounts = new ArrayList<>();
        private TlsConfig tls;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private final Set<String> hostNames = new LinkedHashSet<>();
        private AuthFailurePenalty penalty;
        private MailSender submission;
        private MailSender release;
        private DeliveryTrace trace;
        private Object relayQueue;
        private String hostName = "localhost";
        private String label = "";
        private Duration sessionIdle = Duration.ofMinutes(30);
        private Duration sessionMax = Duration.ofHours(12);
        private long maxRequestSize = 32L * 1024 * 1024;
        private int maxConnections = 1000;
        private int maxConnectionsPerAddress = 100;
        private int indexedMailboxes = 64;
        private Clock clock = Clock.systemUTC();
        private boolean virtualThreads = true;
        private dev.mailkit.core.server.ProxyProtocol proxyProtocol;
        private Supplier<String> metrics;
        private Supplier<List<String>> health;

        private Builder() {
        }

        /**
         * Serves {@code GET /metrics} without a login: what {@code scrape} returns (called per request, from any
         * thread), as Prometheus's text exposition format 0.0.4, for a Prometheus server to scrape. Meters are counts
         * and durations: give nothing that names a user. Default none ({@code /metrics} needs a login and is 404).
         */
        public Builder metrics(Supplier<String> scrape) {
            this.metrics = Objects.requireNonNull(scrape, "scrape");
            return this;
        }

        /**
         * Serves {@code GET /health} without a login: {@code 200 UP} when {@code problems} (called per request, from
         * any thread) returns an empty list, else {@code 503} with {@code DOWN} and one problem per line, for a load
         * balancer or a container's health check. Default none.
         */
        public Builder health(Supplier<List<String>> problems) {
            this.health = Objects.requireNonNull(problems, "problems");
            return this;
        }

        /** The store whose mailboxes are shown (required). */
        public Builder store(MailStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Who may log in; each user sees the account of their address. Required unless {@link #openAccess}. */
        public Builder users(UserDirectory users) {
            this.users = Objects.requireNonNull(users, "users");
            return this;
        }

        /**
         * No login at all: anyone who can reach the port sees these accounts (the first is the one the Mailpit API
         * shows by default). For test inboxes on loopback; cannot be combined with {@link #users}.
         *
         * @throws dev.mailkit.store.MailStoreException if an address cannot name an account
         */
        public Builder openAccess(String... accounts) {
            for (String a : accounts) {
                AccountId id = AccountId.parse(Objects.requireNonNull(a, "account"));
                if (!openAccounts.contains(id)) {
                    openAccounts.add(id);
                }
            }
            return this;
        }

        /** HTTPS with this certificate (default plain HTTP). */
        public Builder tls(TlsConfig tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** The address to bind (default the loopback address). */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The port; 0 (the default) picks a free one, see {@link WebServer#port()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Host names browsers may use to reach this server besides {@code localhost} and IP addresses (for example
         * {@code mail.example.com}); requests naming any other host are refused, which defeats DNS rebinding.
         */
        public Builder hostNames(String... names) {
            for (String n : names) {
                hostNames.add(Objects.requireNonNull(n, "name").toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /** This server's name in {@code Received:} fields and Message-IDs of mail it sends (default localhost). */
        public Builder hostName(String name) {
            Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z0-9.-]{1,253}")) {
                throw new IllegalArgumentException("hostName must be a domain name, was '" + name + "'");
            }
            this.hostName = name;
            return this;
        }

        /** A label shown in the inbox's title, Mailpit's {@code --label} (default none). */
        public Builder label(String label) {
            this.label = Objects.requireNonNull(label, "label");
            return this;
        }

        /** The delay after failed logins (default {@link AuthFailurePenalty#defaults()}); share the mail servers'. */
        public Builder authFailurePenalty(AuthFailurePenalty penalty) {
            this.penalty = Objects.requireNonNull(penalty, "penalty");
            return this;
        }

        /** Where messages written in the inbox or posted to {@code /api/v1/send} go (default: sending is off). */
        public Builder submission(MailSender sender) {
            this.submission = Objects.requireNonNull(sender, "sender");
            return this;
        }

        /** Where Mailpit's release ({@code POST /api/v1/message/{ID}/release}) sends (default: release is off). */
        public Builder release(MailSender sender) {
            this.release = Objects.requireNonNull(sender, "sender");
            return this;
        }

        /** Where the delivery trace comes from (default none), e.g. a {@link TraceRecorder}. */
        public Builder trace(DeliveryTrace trace) {
            this.trace = Objects.requireNonNull(trace, "trace");
            return this;
        }

        /** Shows this relay queue (list, retry, hold, release, delete); needs mailkit-relay. Default none. */
        public Builder relayQueue(RelayQueue queue) {
            this.relayQueue = Objects.requireNonNull(queue, "queue");
            return this;
        }

        /** How long a login session lasts without use (default 30 minutes) and at most (default 12 hours). */
        public Builder sessionTimeouts(Duration idle, Duration max) {
            this.sessionIdle = Arguments.positive(idle, "idle");
            this.sessionMax = Arguments.positive(max, "max");
            return this;
        }

        /** The largest request body, e.g. a send with attachments (default 32 MiB). */
        public Builder maxRequestSize(long octets) {
            if (octets < 1024) {
                throw new IllegalArgumentException("maxRequestSize must be at least 1024, was " + octets);
            }
            this.maxRequestSize = octets;
            return this;
        }

        /** The most connections at once (default 1000), and from one client address (default 100). */
        public Builder maxConnections(int total, int perAddress) {
            if (total < 1 || perAddress < 1) {
                throw new IllegalArgumentException("connection limits must be at least 1, were " + total + " and "
                        + perAddress);
            }
            this.maxConnections = total;
            this.maxConnectionsPerAddress = Math.min(perAddress, total);
            return this;
        }

        /** How many mailboxes keep a message index in memory at once (default 64; least recently used go). */
        public Builder indexedMailboxes(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("indexedMailboxes must be at least 1, was " + n);
            }
            this.indexedMailboxes = n;
            return this;
        }

        /** The clock for sessions and dates (default the system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Behind a TCP load balancer: connections from these proxies begin with a PROXY protocol header naming the
         * real client (see {@link dev.mailkit.core.server.ProxyProtocol}); default none.
         */
        public Builder proxyProtocol(dev.mailkit.core.server.ProxyProtocol proxyProtocol) {
            this.proxyProtocol = java.util.Objects.requireNonNull(proxyProtocol, "proxyProtocol");
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
        public WebServer build() {
            if (store == null) {
                throw new IllegalStateException("set store(...): the mailbox store whose mail is shown");
            }
            if (users == null && openAccounts.isEmpty()) {
                throw new IllegalStateException("set users(...) for logins, or openAccess(accounts...) for a test "
                        + "inbox without login");
            }
            if (users != null && !openAccounts.isEmpty()) {
                throw new IllegalStateException("users(...) and openAccess(...) exclude each other: a server either "
                        + "asks for a login or does not");
            }
            WebSettings s = new WebSettings(store, users, openAccounts,
                    penalty == null ? AuthFailurePenalty.defaults() : penalty, submission, release, trace, relayQueue,
                    hostNames, hostName, label, sessionIdle, sessionMax, indexedMailboxes, clock, new SecureRandom(),
                    tls != null);
            return new WebServer(this, s);
        }

    }
}
