package dev.mailkit.smtp.internal;

import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.TlsInfo;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.server.AcceptFailures;
import dev.mailkit.core.server.AcceptLoops;
import dev.mailkit.core.server.ConnectionLimiter;
import dev.mailkit.core.server.ListenerGroup;
import dev.mailkit.core.server.ServerExecutors;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.smtp.internal.command.AuthCommand;
import dev.mailkit.smtp.internal.command.BdatCommand;
import dev.mailkit.smtp.internal.command.DataCommand;
import dev.mailkit.smtp.internal.command.EhloCommand;
import dev.mailkit.smtp.internal.command.MailCommand;
import dev.mailkit.smtp.internal.command.RcptCommand;
import dev.mailkit.smtp.internal.command.SimpleCommands;
import dev.mailkit.smtp.internal.command.StartTlsCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One listening port of an SMTP server: SubEthaSMTP's session loop (through {@link SubethaAccess}, the one class that
 * touches SubEthaSMTP) running mailkit's own commands, plus the per-session state, limits and deadlines. The listener
 * binds the port and runs the accept loop itself, on a pooled thread ({@link AcceptLoops}), and hands each
 * connection to a SubEthaSMTP session on the connection executor: SubEthaSMTP's own {@code start()} would create a
 * server thread for every start, which is most of what starting and stopping a test server costs. A member of its
 * server's {@link ListenerGroup}.
 */
public final class SmtpListener implements ListenerGroup.Member {
    private static final int BACKLOG = 256;

    private final SmtpConfig config;
    private final SmtpRole role;
    private final int listenPort;
    private final String threadPrefix;
    private final SharedServices shared;
    private final AtomicInteger state = new AtomicInteger(); // 0 new, 1 running, 2 stopped
    private volatile ServerSocket serverSocket;
    // set by the accept loop's thread when the first connection arrives (see engine())
    private volatile SubethaAccess.Engine engine;
    private volatile ExecutorService executor; // read by beginStop() after the accept loop has ended
    private volatile AcceptLoops.Running acceptLoop;

    /** What the listeners of one server share: limits, transaction ids, delivery, the session deadline. */
    public static final class SharedServices {
        final ConnectionLimiter limiter;
        final TransactionIds ids;
        final Delivery delivery;
        final SessionDeadlines deadlines;

        public SharedServices(ConnectionLimiter limiter, TransactionIds ids, Delivery delivery,
                              SessionDeadlines deadlines) {
            this.limiter = limiter;
            this.ids = ids;
            this.delivery = delivery;
            this.deadlines = deadlines;
        }
    }

    /** Clients named by PROXY headers read on an implicit-TLS port before the handshake, until their session starts. */
    private final java.util.Map<Socket, InetSocketAddress> preRead = new java.util.concurrent.ConcurrentHashMap<>();

    public SmtpListener(SmtpConfig config, SmtpConfig.Listen listen, SharedServices shared) {
        this.config = config;
        this.role = listen.role;
        this.shared = shared;
        this.listenPort = listen.port;
        this.threadPrefix = "mailkit-smtp-" + role.name().toLowerCase(java.util.Locale.ROOT) + "-";
    }

    /**
     * The SubEthaSMTP machinery that runs this listener's sessions with mailkit's commands: built when the first
     * connection arrives, in the accept loop's thread (a test server that nobody connects to never loads SubEthaSMTP's
     * and mailkit's command classes, which is most of a first start's cost).
     */
    private SubethaAccess.Engine engine() {
        SubethaAccess.Engine e = engine;
        if (e != null) {
            return e;
        }
        ExecutorService ex = ServerExecutors.forConnections(threadPrefix, config.maxConnections + 32,
                config.virtualThreads);
        e = new SubethaAccess.Engine(config, listenPort, threadPrefix, serverSocket, ex, List.of(
                new EhloCommand(this, "EHLO"), new EhloCommand(this, "HELO"), new MailCommand(this),
                new RcptCommand(this), new DataCommand(this), new BdatCommand(this), new StartTlsCommand(this),
                new AuthCommand(this), SimpleCommands.rset(this), SimpleCommands.noop(this), SimpleCommands.quit(this),
                SimpleCommands.help(this), SimpleCommands.vrfy(this), SimpleCommands.expn(this)), new Sessions(),
                preRead);
        executor = ex;
        engine = e;
        return e;
    }

    /**
     * Binds the port and starts accepting.
     *
     * @throws UncheckedIOException if the port cannot be bound (its cause says why)
     */
    @Override
    public SmtpListener start() {
        if (!state.compareAndSet(0, 1)) {
            throw new IllegalStateException("SMTP " + role + " listener was already started");
        }
        ServerSocket ss = null;
        try {
            ss = role == SmtpRole.SMTPS ? new ImplicitTlsServerSocket(config.tls, config.proxyProtocol, preRead)
                    : new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(config.bindAddress, listenPort), BACKLOG);
        } catch (IOException e) {
            state.set(2);
            closeQuietly(ss);
            throw new UncheckedIOException(e);
        }
        serverSocket = ss;
        acceptLoop = AcceptLoops.start(threadPrefix + ss.getLocalPort() + "-accept", new Runnable() {
            @Override
            // a class, not a lambda: each lambda on the start path costs a fresh JVM a generated class
            public void run() {
                acceptLoop();
            }
        });
        return this;
    }

    private void acceptLoop() {
        ServerSocket ss = serverSocket;
        AcceptFailures failures = new AcceptFailures("SMTP " + role + " listener");
        while (state.get() == 1) {
            Socket s;
            try {
                s = ss.accept();
            } catch (IOException e) {
                if (state.get() == 1) {
                    failures.failed(e); // e.g. out of file descriptors: do not spin while it lasts
                    continue;
                }
                return;
            }
            failures.succeeded();
            startSession(s);
        }
    }

    /** What SubEthaSMTP's server thread would do with a connection: a session on the connection executor. */
    private void startSession(Socket s) {
        SubethaAccess.Engine e;
        try {
            e = engine();
        } catch (RuntimeException | LinkageError x) {
            Log.LOG.error("SMTP {} listener: cannot set up SubEthaSMTP", role, x);
            closeQuietly(s);
            return;
        }
        e.startSession(s);
    }

    /**
     * Stops accepting, frees the port and closes every session; {@link #awaitStopped} then waits for the sessions'
     * threads. Idempotent.
     */
    @Override
    public void beginStop() {
        if (state.getAndSet(2) != 1) {
            return;
        }
        closeQuietly(serverSocket);
        acceptLoop.awaitEnd(Duration.ofMillis(500));
        SubethaAccess.Engine e = engine;
        if (e != null) {
            e.quitAll();
        }
        ExecutorService ex = executor;
        if (ex != null) {
            ex.shutdown();
        }
    }

    /**
     * Waits until every session thread has ended, interrupting those still running at {@code deadlineNanos} (a
     * {@link System#nanoTime()} value) and then waiting at most 100 ms more.
     */
    @Override
    public void awaitStopped(long deadlineNanos) {
        ExecutorService executor = this.executor;
        if (executor == null) { // nobody ever connected
            return;
        }
        try {
            if (!executor.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** The sessions open on this port now (from the accepted connection until its thread is done). */
    public int sessionCount() {
        SubethaAccess.Engine e = engine;
        return e == null ? 0 : e.sessionCount();
    }

    @Override
    public String description() {
        return "SMTP " + role + " listener";
    }

    @Override
    public String configuredAddress() {
        return config.bindAddress.getHostAddress() + ":" + listenPort;
    }

    /** The bound port. */
    @Override
    public int port() {
        ServerSocket ss = serverSocket;
        if (ss == null) {
            throw new IllegalStateException("SMTP " + role + " listener is not started");
        }
        return ss.getLocalPort();
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress(config.bindAddress, port());
    }

    public SmtpRole role() {
        return role;
    }

    public SmtpConfig config() {
        return config;
    }

    public Delivery delivery() {
        return shared.delivery;
    }

    public TransactionIds ids() {
        return shared.ids;
    }

    /**
     * Closes every session that started more than {@code timeoutNanos} before {@code nowNanos} (the session
     * deadline; checked periodically by {@link SessionDeadlines} rather than scheduled per session, which would cost
     * a timer hand-off for every connection).
     */
    public void closeExpired(long nowNanos, long timeoutNanos) {
        SubethaAccess.Engine e = engine;
        if (e == null) {
            return;
        }
        for (SessionState st : e.states()) {
            if (nowNanos - st.startNanos > timeoutNanos) {
                Log.LOG.debug("{}: session deadline reached", st.sessionId());
                st.closeConnection();
            }
        }
    }

    /** Whether the TLS upgrade is available on this port (configured and not yet active). */
    public boolean tlsAvailable(SessionState st) {
        return config.tls != null && st.tls == null;
    }

    /**
     * Whether AUTH may be offered and used now: on submission ports (and on every port when AUTH is optional), only
     * with a user directory, and only over TLS unless {@code requireTlsForLogin(false)}.
     */
    public boolean authAvailable(SessionState st) {
        return authOffered() && (st.tls != null || !config.requireTlsForLogin);
    }

    /** Whether this port offers AUTH at all (TLS aside). */
    public boolean authOffered() {
        return (role.requiresAuth() || config.optionalAuth) && config.users != null;
    }

    /** Records TLS details once a handshake is complete. */
    public static void tlsEstablished(SessionState st, SSLSocket s) {
        SSLSession ssl = s.getSession();
        st.tls = new TlsInfo(ssl.getProtocol(), ssl.getCipherSuite());
    }

    /** Runs a filter stage, turning an exception into a temporary failure so that a bug never loses mail. */
    public static FilterVerdict safely(SessionState st, Supplier<FilterVerdict> stage) {
        try {
            FilterVerdict v = stage.get();
            return v == null ? FilterVerdict.accept() : v;
        } catch (RuntimeException e) {
            Log.LOG.error("{}: filter failed", st.sessionId(), e);
            return FilterVerdict.tempFail(451, "4.3.0", "Temporary local problem, try again later");
        }
    }

    /** Session lifecycle: mailkit state, implicit TLS, limits, deadline, connect filters. */
    private final class Sessions implements SubethaAccess.Lifecycle {
        @Override
        public SessionState open(SubethaAccess.Wire wire) {
            return new SessionState(wire, SmtpListener.this, config.transcripts);
        }

        @Override
        public SmtpReply accept(SessionState st) {
            try {
                st.wire.installReplyWriter(st);
                if (st.socket() instanceof SSLSocket) {
                    SSLSocket s = (SSLSocket) st.socket();
                    s.startHandshake();
                    tlsEstablished(st, s);
                }
            } catch (IOException e) {
                Log.LOG.debug("{}: TLS handshake failed: {}", st.sessionId(), e.toString());
                end(st);
                st.closeConnection();
                return SmtpReply.of(421, "4.7.0", "TLS handshake failed");
            }
            ConnectionLimiter.Permit permit = shared.limiter.acquire(st.clientAddress().getAddress());
            if (!permit.isGranted()) {
                end(st);
                return SmtpReply.of(421, "4.7.0", permit.refusal() == ConnectionLimiter.Refusal.PER_ADDRESS
                        ? "Too many connections from your address, try again later"
                        : "Too many connections, try again later");
            }
            st.permit = permit;
            shared.deadlines.sessionStarted();
            st.connectFiltered = true;
            FilterVerdict v = safely(st, () -> config.filter.onConnect(st));
            if (v.isDisconnect()) {
                end(st);
                st.closeConnection(); // the greeting below then fails quietly on the closed socket
                return SmtpReply.of(421, "4.3.0", "Closing connection");
            }
            if (!v.isAccept()) {
                end(st);
                return v.reply().orElseThrow();
            }
            return null;
        }

        @Override
        public void end(SessionState st) {
            if (st.connectFiltered) {
                st.connectFiltered = false;
                try {
                    config.filter.onDisconnect(st);
                } catch (RuntimeException e) {
                    Log.LOG.warn("{}: filter failed at disconnect", st.sessionId(), e);
                }
            }
            st.resetTransaction();
            if (st.permit != null) {
                st.permit.close();
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /**
     * Accepts plain sockets and layers server-side TLS over them; the handshake runs in the session's thread. A
     * connection from a PROXY protocol proxy has its header read first, here (it precedes the handshake; proxies
     * send it at once), with the header time-out; one without a valid header is closed.
     */
    private static final class ImplicitTlsServerSocket extends ServerSocket {
        private final TlsConfig tls;
        private final dev.mailkit.core.server.ProxyProtocol proxy;
        private final java.util.Map<Socket, InetSocketAddress> preRead;

        ImplicitTlsServerSocket(TlsConfig tls, dev.mailkit.core.server.ProxyProtocol proxy,
                                java.util.Map<Socket, InetSocketAddress> preRead) throws IOException {
            this.tls = tls;
            this.proxy = proxy;
            this.preRead = preRead;
        }

        @Override
        public Socket accept() throws IOException {
            while (true) {
                Socket plain = super.accept();
                InetSocketAddress client = null;
                if (proxy != null && proxy.isProxy(plain.getInetAddress())) {
                    try {
                        plain.setSoTimeout((int) proxy.headerTimeout().toMillis());
                        client = proxy.readHeader(plain.getInputStream(),
                                (InetSocketAddress) plain.getRemoteSocketAddress());
                        plain.setSoTimeout(0);
                    } catch (IOException e) {
                        Log.LOG.debug("SMTPS: no valid PROXY header from {}: {}", plain.getInetAddress(), e.toString());
                        closeQuietly(plain);
                        continue;
                    }
                }
                try {
                    Socket s = tls.wrap(plain);
                    if (client != null) {
                        preRead.put(s, client);
                    }
                    return s;
                } catch (IOException | RuntimeException e) {
                    plain.close();
                    throw e;
                }
            }
        }
    }

    /**
     * The logger, created when first used: a server that starts and stops without logging never initialises SLF4J
     * (its provider lookup is a large part of a JVM's first server start).
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(SmtpListener.class);
    }
}
