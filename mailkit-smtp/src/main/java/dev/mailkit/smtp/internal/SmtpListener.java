package dev.mailkit.smtp.internal;

import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.server.ConnectionLimiter;
import dev.mailkit.core.server.AcceptLoops;
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
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.internal.proxy.ProxyHandler;
import org.subethamail.smtp.internal.server.ServerThread;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One listening port of an SMTP server: a SubEthaSMTP {@link SMTPServer} whose every command is replaced by
 * mailkit's own, plus the per-session state, limits and deadlines. The listener binds the port and runs the accept
 * loop itself, on a pooled thread ({@link AcceptLoops}), and hands each connection to a SubEthaSMTP {@link Session}
 * on the connection executor: SubEthaSMTP's own {@code start()} would create a server thread for every start, which
 * is most of what starting and stopping a test server costs.
 */
public final class SmtpListener implements ListenerGroup.Member {
    private static final int BACKLOG = 256;

    private final SmtpConfig config;
    private final SmtpRole role;
    private final int listenPort;
    private final String threadPrefix;
    private final SharedServices shared;
    private final Set<Session> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger state = new AtomicInteger(); // 0 new, 1 running, 2 stopped
    private volatile ServerSocket serverSocket;
    // set by the accept loop's thread when the first connection arrives (see subetha())
    private SMTPServer server;
    private volatile ExecutorService executor; // read by beginStop() after the accept loop has ended
    private ServerThread accounting;
    private Semaphore permits;
    private volatile AcceptLoops.Running acceptLoop;
    private final Map<Session, SessionState> sessions = new ConcurrentHashMap<>();

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

    public SmtpListener(SmtpConfig config, SmtpConfig.Listen listen, SharedServices shared) {
        this.config = config;
        this.role = listen.role;
        this.shared = shared;
        this.listenPort = listen.port;
        this.threadPrefix = "mailkit-smtp-" + role.name().toLowerCase(java.util.Locale.ROOT) + "-";
    }

    /**
     * The SubEthaSMTP server that runs this listener's sessions, with mailkit's commands in place of its own: built
     * when the first connection arrives, in the accept loop's thread (a test server that nobody connects to never
     * loads SubEthaSMTP's and mailkit's command classes, which is most of a first start's cost).
     */
    private SMTPServer subetha() {
        SMTPServer s = server;
        if (s != null) {
            return s;
        }
        ExecutorService ex = ServerExecutors.forConnections(threadPrefix, config.maxConnections + 32,
                config.virtualThreads);
        s = SMTPServer.port(listenPort)
                .bindAddress(config.bindAddress)
                .hostName(config.hostName)
                .softwareName("mailkit")
                .backlog(BACKLOG)
                .executorService(ex)
                .maxConnections(config.maxConnections + 16) // mailkit's own limiter refuses first, with a clear reply
                .connectionTimeout((int) config.idleTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .maxRecipients(config.maxRecipients)
                .insertReceivedHeaders(false)
                .messageHandlerFactory(SmtpListener::noMessageHandler)
                .sessionHandler(new Sessions())
                .serverThreadName(threadPrefix + "accept")
                .build();
        for (org.subethamail.smtp.internal.server.Command c : new org.subethamail.smtp.internal.server.Command[] {
                new EhloCommand(this, "EHLO"), new EhloCommand(this, "HELO"), new MailCommand(this),
                new RcptCommand(this), new DataCommand(this), new BdatCommand(this), new StartTlsCommand(this),
                new AuthCommand(this), SimpleCommands.rset(this), SimpleCommands.noop(this), SimpleCommands.quit(this),
                SimpleCommands.help(this), SimpleCommands.vrfy(this), SimpleCommands.expn(this)}) {
            s.getCommandHandler().addCommand(c);
        }
        // SubEthaSMTP's sessions report their end to a server thread; this one is never started
        accounting = new ServerThread(s, serverSocket, ProxyHandler.NOP);
        permits = SubethaAccess.connectionPermits(accounting);
        executor = ex;
        server = s;
        return s;
    }

    private static MessageHandler noMessageHandler(MessageContext ctx) {
        throw new IllegalStateException("mailkit's commands never start SubEthaSMTP message handlers");
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
            ss = role == SmtpRole.SMTPS ? new ImplicitTlsServerSocket(config.tls) : new ServerSocket();
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
        while (state.get() == 1) {
            Socket s;
            try {
                s = ss.accept();
            } catch (IOException e) {
                if (state.get() == 1) {
                    Log.LOG.warn("SMTP {} listener: accept failed: {}", role, e.toString());
                    // e.g. out of file descriptors: do not spin while it lasts
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                    continue;
                }
                return;
            }
            startSession(s);
        }
    }

    /** What SubEthaSMTP's server thread does with a connection: a session on the connection executor. */
    private void startSession(Socket s) {
        SMTPServer subetha;
        try {
            subetha = subetha();
        } catch (RuntimeException | LinkageError e) {
            Log.LOG.error("SMTP {} listener: cannot set up SubEthaSMTP", role, e);
            closeQuietly(s);
            return;
        }
        if (!permits.tryAcquire()) { // more sessions than SubEthaSMTP's limit: mailkit's own limiter refuses first
            closeQuietly(s);
            return;
        }
        Session session;
        try {
            session = new Session(subetha, accounting, s, ProxyHandler.NOP);
        } catch (IOException | RuntimeException e) {
            permits.release();
            closeQuietly(s);
            return;
        }
        live.add(session);
        try {
            executor.execute(() -> {
                try {
                    session.run();
                } finally {
                    live.remove(session);
                }
            });
        } catch (RejectedExecutionException e) { // stopping
            live.remove(session);
            permits.release();
            closeQuietly(s);
        }
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
        for (Session s : live) {
            s.quit();
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
        return live.size();
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
     * deadline; checked periodically by the server rather than scheduled per session, which would cost a timer
     * hand-off for every connection).
     */
    public void closeExpired(long nowNanos, long timeoutNanos) {
        for (SessionState st : sessions.values()) {
            if (nowNanos - st.startNanos > timeoutNanos) {
                Log.LOG.debug("{}: session deadline reached", st.sessionId());
                st.session.quit();
            }
        }
    }

    /** The mailkit state of a SubEthaSMTP session. */
    public SessionState state(Session s) {
        SessionState st = sessions.get(s);
        if (st == null) {
            throw new IllegalStateException("no mailkit state for session " + s.getSessionId());
        }
        return st;
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
        st.tls = new dev.mailkit.core.TlsInfo(ssl.getProtocol(), ssl.getCipherSuite());
    }

    /** Re-installs mailkit's reply writer after the session's socket changed (STARTTLS). */
    public static void socketChanged(SessionState st) throws IOException {
        SubethaAccess.installReplyWriter(st.session, st);
    }

    /** Runs a filter stage, turning an exception into a temporary failure so that a bug never loses mail. */
    public static FilterVerdict safely(SessionState st, java.util.function.Supplier<FilterVerdict> stage) {
        try {
            FilterVerdict v = stage.get();
            return v == null ? FilterVerdict.accept() : v;
        } catch (RuntimeException e) {
            Log.LOG.error("{}: filter failed", st.sessionId(), e);
            return FilterVerdict.tempFail(451, "4.3.0", "Temporary local problem, try again later");
        }
    }

    /** Session lifecycle: mailkit state, implicit TLS, limits, deadline, connect filters. */
    private final class Sessions implements SessionHandler {
        @Override
        public SessionAcceptance accept(Session session) {
            SessionState st = new SessionState(session, SmtpListener.this, config.transcripts);
            sessions.put(session, st);
            try {
                SubethaAccess.installReplyWriter(session, st);
                if (session.getSocket() instanceof SSLSocket) {
                    SSLSocket s = (SSLSocket) session.getSocket();
                    s.startHandshake();
                    tlsEstablished(st, s);
                }
            } catch (IOException e) {
                Log.LOG.debug("{}: TLS handshake failed: {}", session.getSessionId(), e.toString());
                end(session, st);
                session.quit();
                return SessionAcceptance.failure(421, "4.7.0 TLS handshake failed");
            }
            ConnectionLimiter.Permit permit = shared.limiter.acquire(st.clientAddress().getAddress());
            if (!permit.isGranted()) {
                end(session, st);
                return SessionAcceptance.failure(421, permit.refusal() == ConnectionLimiter.Refusal.PER_ADDRESS
                        ? "4.7.0 Too many connections from your address, try again later"
                        : "4.7.0 Too many connections, try again later");
            }
            st.permit = permit;
            shared.deadlines.sessionStarted();
            st.connectFiltered = true;
            FilterVerdict v = safely(st, () -> config.filter.onConnect(st));
            if (v.isDisconnect()) {
                end(session, st);
                session.quit(); // the greeting below then fails quietly on the closed socket
                return SessionAcceptance.failure(421, "4.3.0 Closing connection");
            }
            if (!v.isAccept()) {
                SmtpReply r = v.reply().orElseThrow();
                end(session, st);
                return SessionAcceptance.failure(r.code(), r.enhancedStatus() + " " + r.text());
            }
            return SessionAcceptance.success();
        }

        @Override
        public void onSessionEnd(Session session) {
            SessionState st = sessions.get(session);
            if (st != null) {
                end(session, st);
            }
        }

        private void end(Session session, SessionState st) {
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
            sessions.remove(session);
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

    /** Accepts plain sockets and layers server-side TLS over them; the handshake runs in the session's thread. */
    private static final class ImplicitTlsServerSocket extends ServerSocket {
        private final TlsConfig tls;

        ImplicitTlsServerSocket(TlsConfig tls) throws IOException {
            this.tls = tls;
        }

        @Override
        public Socket accept() throws IOException {
            Socket plain = super.accept();
            try {
                return tls.wrap(plain);
            } catch (IOException | RuntimeException e) {
                plain.close();
                throw e;
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
