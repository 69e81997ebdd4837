package dev.mailkit.core.server;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.tls.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * The accept loop and connection bookkeeping that mailkit's own protocol servers (IMAP, POP3) are built on: bind
 * (port 0 allowed), implicit TLS, connection limits in total and per client address, a per-read timeout and a
 * whole-session deadline, one thread per connection (virtual on JDK 21+), an accept loop on a pooled thread
 * ({@link AcceptLoops}: starting and stopping a server creates no thread), and a {@link #close()} that returns within
 * about a second whatever the clients do.
 *
 * <p>A protocol module supplies a {@link Handler} that runs one session over a {@link Connection}, and the bytes
 * to send a client that is refused because of the limits. A server with several ports keeps its {@code TcpServer}s
 * in a {@link ListenerGroup} (see {@link ListenerGroup#plainAndImplicitTls}). Thread-safe.
 */
public final class TcpServer implements MailServer, ListenerGroup.Member {

    /** Runs one session; returns when the session is over. Exceptions end the session and are logged. */
    @FunctionalInterface
    public interface Handler {
        void handle(Connection connection) throws IOException;
    }

    private final Builder config;
    private final ConnectionLimiter limiter;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    /** Whether the write watch is scheduled. */
    private final java.util.concurrent.atomic.AtomicBoolean writeWatch = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger state = new AtomicInteger(); // 0 new, 1 running, 2 closed
    private volatile ServerSocket serverSocket;
    private volatile AcceptLoops.Running acceptLoop;
    private volatile ExecutorService executor;
    private volatile ScheduledThreadPoolExecutor watchdog;

    private TcpServer(Builder b) {
        this.config = b;
        this.limiter = b.limiter;
    }

    /** A builder; {@code name} (e.g. {@code imap}) names threads and log lines. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    @Override
    public TcpServer start() {
        if (!state.compareAndSet(0, 1)) {
            throw new IllegalStateException(config.name + " server was already started" + (state.get() == 2
                    ? " and closed; build a new one" : ""));
        }
        ServerSocket ss;
        try {
            ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(config.bindAddress, config.port), config.backlog);
        } catch (IOException e) {
            state.set(2);
            throw new UncheckedIOException("cannot bind " + config.name + " server to "
                    + config.bindAddress.getHostAddress() + ":" + config.port + ": " + e.getMessage(), e);
        }
        serverSocket = ss;
        String prefix = "mailkit-" + config.name + "-" + ss.getLocalPort() + "-";
        acceptLoop = AcceptLoops.start(prefix + "accept", new Runnable() {
            @Override
            public void run() { // not a lambda or method reference: a JVM's first start would generate a class for it
                acceptLoop();
            }
        });
        return this;
    }

    private void acceptLoop() {
        ServerSocket ss = serverSocket;
        AcceptFailures failures = new AcceptFailures(config.name);
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
            admit(s);
        }
    }

    private void admit(Socket s) {
        ConnectionLimiter.Permit permit = config.proxy != null && config.proxy.isProxy(s.getInetAddress())
                ? limiter.acquireForProxy() : limiter.acquire(s.getInetAddress());
        if (!permit.isGranted()) {
            refuse(s, permit.refusal());
            return;
        }
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout((int) config.readTimeout.toMillis());
            Connection c = new Connection(config.name + "-" + Long.toString(ids.incrementAndGet(), 36), s,
                    config.tls);
            open.add(c);
            watchWrites();
            connectionExecutor().execute(() -> run(c, permit));
        } catch (IOException | RejectedExecutionException e) {
            permit.close();
            closeQuietly(s);
        }
    }

    private void refuse(Socket s, ConnectionLimiter.Refusal why) {
        try {
            if ((config.refusal != null || config.refusalText != null) && config.implicitTls == null) {
                s.setSoTimeout(1000);
                String text = config.refusal != null ? config.refusal.apply(why, s.getInetAddress())
                        : config.refusalText;
                byte[] b = text.getBytes(StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write(b);
                out.flush();
            }
        } catch (IOException ignored) {
            // the client is gone: nothing to tell it
        } finally {
            closeQuietly(s);
        }
    }

    private void run(Connection c, ConnectionLimiter.Permit first) {
        ScheduledFuture<?> deadline = null;
        ConnectionLimiter.Permit permit = first;
        try {
            if (config.sessionTimeout != null) {
                deadline = watchdog().schedule(c::close, config.sessionTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (config.proxy != null && config.proxy.isProxy(c.remoteAddress().getAddress())) {
                permit = proxied(c, permit);
                if (permit == null) {
                    return;
                }
            }
            if (config.implicitTls != null) {
                c.implicitTls();
            }
            config.handler.handle(c);
        } catch (SocketException e) {
            Log.LOG.debug("{}: connection ended: {}", c.id(), e.toString());
        } catch (IOException e) {
            Log.LOG.debug("{}: I/O error: {}", c.id(), e.toString());
        } catch (RuntimeException | Error e) {
            Log.LOG.error("{}: session failed", c.id(), e);
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
            c.close();
            open.remove(c);
            permit.close();
        }
    }

    /**
     * Reads the PROXY header of a connection from a proxy and makes the client it names the connection's client,
     * counted against the per-address limit instead of the proxy; returns the client's permit, or null (and the
     * first permit released) if the header is malformed or the client's address is over its limit.
     */
    private ConnectionLimiter.Permit proxied(Connection c, ConnectionLimiter.Permit proxyPermit) throws IOException {
        java.net.InetSocketAddress client;
        try {
            c.setReadTimeout(config.proxy.headerTimeout());
            client = config.proxy.readHeader(c.rawInput(), c.remoteAddress());
            c.setReadTimeout(config.readTimeout);
        } catch (IOException e) {
            Log.LOG.debug("{}: no valid PROXY header from {}: {}", c.id(), c.remoteAddress(), e.toString());
            proxyPermit.close();
            return null;
        }
        ConnectionLimiter.Permit p = limiter.forClient(proxyPermit, client.getAddress());
        c.proxied(client);
        if (!p.isGranted()) {
            if ((config.refusal != null || config.refusalText != null) && config.implicitTls == null) {
                String text = config.refusal != null ? config.refusal.apply(p.refusal(), client.getAddress())
                        : config.refusalText;
                c.output().write(text.getBytes(StandardCharsets.UTF_8));
                c.output().flush();
            }
            return null;
        }
        return p;
    }

    /**
     * The connection executor, created by the accept loop's thread for the first connection (creating one loads the
     * virtual-thread machinery on JDK 21+, which a server nobody connects to never needs). {@link #close()} reads it
     * only after the accept loop has ended.
     */
    private ExecutorService connectionExecutor() {
        ExecutorService ex = executor;
        if (ex == null) {
            ex = ServerExecutors.forConnections("mailkit-" + config.name + "-" + serverSocket.getLocalPort() + "-",
                    config.maxConnections + 8, config.virtualThreads);
            executor = ex;
        }
        return ex;
    }

    /**
     * Once a second while connections are open, closes those whose client has taken nothing for longer than the read
     * timeout while the session writes to it (a client that never reads would otherwise hold its thread and its
     * connection for good). Started by the first connection, ended when none is open, so that an idle server keeps no
     * thread.
     */
    private void watchWrites() {
        if (writeWatch.compareAndSet(false, true)) {
            watchdog().schedule(this::sweepWrites, 1, TimeUnit.SECONDS);
        }
    }

    private void sweepWrites() {
        long now = System.nanoTime();
        for (Connection c : open) {
            if (c.writeStalled(now)) {
                Log.LOG.info("{}: closing: the client has taken no data for longer than the read timeout", c.id());
                c.close();
            }
        }
        try {
            if (open.isEmpty()) {
                writeWatch.set(false);
                if (open.isEmpty() || !writeWatch.compareAndSet(false, true)) {
                    return; // the next connection starts it again
                }
            }
            watchdog().schedule(this::sweepWrites, 1, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor w = watchdog;
        if (w == null) {
            synchronized (this) {
                w = watchdog;
                if (w == null) {
                    w = new ScheduledThreadPoolExecutor(1,
                            ServerExecutors.platformFactory("mailkit-" + config.name + "-deadline-"));
                    w.setRemoveOnCancelPolicy(true);
                    w.setKeepAliveTime(10, TimeUnit.SECONDS);
                    w.allowCoreThreadTimeOut(true);
                    watchdog = w;
                }
            }
        }
        return w;
    }

    @Override
    public int port() {
        ServerSocket ss = serverSocket;
        if (ss == null) {
            throw new IllegalStateException(config.name + " server is not started");
        }
        return ss.getLocalPort();
    }

    @Override
    public InetSocketAddress localAddress() {
        ServerSocket ss = serverSocket;
        if (ss == null) {
            throw new IllegalStateException(config.name + " server is not started");
        }
        return (InetSocketAddress) ss.getLocalSocketAddress();
    }

    @Override
    public boolean isRunning() {
        return state.get() == 1;
    }

    /** The number of open connections (on every server that shares this one's {@link ConnectionLimiter}). */
    public int connectionCount() {
        return limiter.active();
    }

    /** The connection limiter (for statistics). */
    public ConnectionLimiter limiter() {
        return limiter;
    }

    /** Stops accepting, closes every connection and waits up to the close grace for their threads. Idempotent. */
    @Override
    public void close() {
        beginStop();
        awaitStopped(System.nanoTime() + config.closeGrace.toNanos());
    }

    @Override
    public String description() {
        return config.description;
    }

    @Override
    public String configuredAddress() {
        return config.bindAddress.getHostAddress() + ":" + config.port;
    }

    @Override
    public void beginStop() {
        if (state.getAndSet(2) == 2) {
            return;
        }
        ServerSocket ss = serverSocket;
        if (ss != null) {
            closeQuietly(ss);
        }
        AcceptLoops.Running loop = acceptLoop;
        if (loop != null) {
            loop.awaitEnd(Duration.ofMillis(500));
        }
        for (Connection c : open) {
            c.close();
        }
        ExecutorService ex = executor;
        if (ex != null) {
            ex.shutdown();
        }
    }

    @Override
    public void awaitStopped(long deadlineNanos) {
        ExecutorService ex = executor;
        if (ex != null) {
            try {
                if (!ex.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    ex.shutdownNow();
                }
            } catch (InterruptedException e) {
                ex.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        ScheduledThreadPoolExecutor w = watchdog;
        if (w != null) {
            w.shutdownNow();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        ServerSocket ss = serverSocket;
        return "TcpServer{" + config.name + (ss == null ? "" : " " + ss.getLocalSocketAddress()) + "}";
    }

    /** Builds a {@link TcpServer}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private String description;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private int backlog = 256;
        private TlsConfig tls;
        private TlsConfig implicitTls;
        private int maxConnections = ConnectionLimiter.DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress; // 0: the default
        private ConnectionLimiter limiter;
        private Duration readTimeout = Duration.ofMinutes(5);
        private Duration sessionTimeout;
        private Duration closeGrace = Duration.ofMillis(700);
        private boolean virtualThreads = true;
        private Handler handler;
        private BiFunction<ConnectionLimiter.Refusal, InetAddress, String> refusal;
        private String refusalText;
        private ProxyProtocol proxy;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
            this.description = name + " server";
        }

        /** The address to bind (default the loopback address). */
        public Builder bindAddress(InetAddress a) {
            this.bindAddress = Objects.requireNonNull(a, "bindAddress");
            return this;
        }

        /** The port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = Arguments.listeningPort(port, "port");
            return this;
        }

        /** TLS for STARTTLS ({@link Connection#startTls()}); none by default. */
        public Builder tls(TlsConfig tls) {
            this.tls = tls;
            return this;
        }

        /** Makes every connection start with a TLS handshake (IMAPS, POP3S). Also enables STARTTLS' config. */
        public Builder implicitTls(TlsConfig tls) {
            this.implicitTls = tls;
            this.tls = tls;
            return this;
        }

        /** The most connections at once (default 1000). */
        public Builder maxConnections(int n) {
            this.maxConnections = Arguments.atLeastOne(n, "maxConnections");
            return this;
        }

        /**
         * The most connections at once from one client address (default 100, or {@link #maxConnections} if that is
         * lower); more than {@code maxConnections} is an {@link IllegalStateException} in {@link #build()}.
         */
        public Builder maxConnectionsPerAddress(int n) {
            this.maxConnectionsPerAddress = Arguments.atLeastOne(n, "maxConnectionsPerAddress");
            return this;
        }

        /**
         * Counts connections with this limiter, which other servers may share (the ports of one server do), instead
         * of one of this server's own made from {@link #maxConnections} and {@link #maxConnectionsPerAddress}.
         */
        public Builder limiter(ConnectionLimiter shared) {
            this.limiter = Objects.requireNonNull(shared, "limiter");
            return this;
        }

        /** The longest wait for each read (default 5 minutes); handlers may change it per connection. */
        public Builder readTimeout(Duration d) {
            this.readTimeout = Arguments.positive(d, "readTimeout");
            return this;
        }

        /** The longest a session may last in total (default unlimited); the connection is closed at the deadline. */
        public Builder sessionTimeout(Duration d) {
            this.sessionTimeout = Arguments.positiveOrNull(d, "sessionTimeout");
            return this;
        }

        /** How long {@link TcpServer#close()} waits for sessions to end before interrupting them (default 700 ms). */
        public Builder closeGrace(Duration d) {
            this.closeGrace = Objects.requireNonNull(d, "closeGrace");
            return this;
        }

        /** Whether to use virtual threads on JDK 21+ (default true). */
        public Builder virtualThreads(boolean v) {
            this.virtualThreads = v;
            return this;
        }

        /** The session handler (required). */
        public Builder handler(Handler h) {
            this.handler = Objects.requireNonNull(h, "handler");
            return this;
        }

        /** The text (with its line end) sent to a client refused by the connection limits, before closing. */
        public Builder refusalMessage(String text) {
            this.refusalText = text;
            this.refusal = null;
            return this;
        }

        /** The text (with its line end) sent to a client refused by the connection limits, by reason and address. */
        public Builder refusalMessage(BiFunction<ConnectionLimiter.Refusal, InetAddress, String> f) {
            this.refusal = f;
            this.refusalText = null;
            return this;
        }

        /** Reads a PROXY protocol header first on connections from these proxies (default: none). */
        public Builder proxyProtocol(ProxyProtocol proxyProtocol) {
            this.proxy = proxyProtocol;
            return this;
        }

        /**
         * Builds the server (not started).
         *
         * @throws IllegalStateException if no handler was set, or {@code maxConnectionsPerAddress} exceeds
         *                               {@code maxConnections}
         */
        public TcpServer build() {
            if (handler == null) {
                throw new IllegalStateException("set a handler before build()");
            }
            Builder b = copy(name, description);
            b.limiter = limiterOrNew();
            return new TcpServer(b);
        }

        /** The limiter set with {@link #limiter}, or a new one made from the limits (checked). */
        ConnectionLimiter limiterOrNew() {
            return limiter != null ? limiter : ConnectionLimiter.forServer(maxConnections, maxConnectionsPerAddress);
        }

        /** A copy with another name and description (for the ports of a {@link ListenerGroup}). */
        Builder copy(String newName, String newDescription) {
            Builder b = new Builder(newName);
            b.description = newDescription;
            b.limiter = limiter;
            b.bindAddress = bindAddress;
            b.port = port;
            b.backlog = backlog;
            b.tls = tls;
            b.implicitTls = implicitTls;
            b.maxConnections = maxConnections;
            b.maxConnectionsPerAddress = maxConnectionsPerAddress;
            b.readTimeout = readTimeout;
            b.sessionTimeout = sessionTimeout;
            b.closeGrace = closeGrace;
            b.virtualThreads = virtualThreads;
            b.handler = handler;
            b.refusal = refusal;
            b.refusalText = refusalText;
            b.proxy = proxy;
            return b;
        }
    }

    /**
     * The logger, created when first used: a server that starts and stops without logging never initialises SLF4J
     * (its provider lookup is a large part of a JVM's first server start).
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(TcpServer.class);
    }
}
