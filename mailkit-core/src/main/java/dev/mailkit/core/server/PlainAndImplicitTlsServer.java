package dev.mailkit.core.server;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.tls.TlsConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * A mail server with a plain port (STARTTLS, or POP3's STLS, when TLS is configured) and optionally a second port
 * with implicit TLS, both {@link TcpServer}s in one {@link ListenerGroup} with one {@link ConnectionLimiter}: the
 * shape of the IMAP and POP3 servers, which extend it with their protocol's session ({@link #serve}) and settings.
 * It gives them one lifecycle (start, rollback, close with one deadline), one set of accessors and, through
 * {@link Builder}, one set of port settings.
 *
 * <p>Thread-safe. {@link #start()} binds synchronously; {@link #close()} is idempotent and returns within about a
 * second.
 */
public abstract class PlainAndImplicitTlsServer implements MailServer {
    private final String protocol;
    private final ServerBuilder.Common common;
    private final ListenerGroup listeners;

    /**
     * The server's ports, not yet bound.
     *
     * @param protocol       the protocol's name ({@code IMAP}, {@code POP3}): thread names, error messages
     * @param b              the builder's port settings
     * @param common         the builder's checked shared settings
     * @param sessionTimeout the longest a session may last, or null for no limit
     * @param refusal        the line (with CRLF) sent on the plain port to a client the connection limits refuse
     */
    protected PlainAndImplicitTlsServer(String protocol, Builder<?> b, ServerBuilder.Common common,
                                        Duration sessionTimeout, String refusal) {
        this.protocol = protocol;
        this.common = common;
        TcpServer.Builder t = TcpServer.builder(protocol.toLowerCase(java.util.Locale.ROOT))
                .bindAddress(common.bindAddress())
                .maxConnections(common.maxConnections())
                .limiter(common.limiter())
                .readTimeout(b.loginTimeout)
                .sessionTimeout(sessionTimeout)
                .virtualThreads(common.virtualThreads())
                .handler(new Sessions())
                .refusalMessage(refusal)
                .proxyProtocol(common.proxyProtocol());
        this.listeners = ListenerGroup.plainAndImplicitTls(protocol, t, b.port, common.tls(), b.implicitTlsPort);
    }

    /** Runs one session of the protocol over a connection (on the connection's own thread); returns at its end. */
    protected abstract void serve(Connection connection) throws IOException;

    /**
     * Binds the plain port (and the implicit-TLS port, if configured) and starts accepting connections.
     *
     * @throws UncheckedIOException  if a port cannot be bound (the other is freed again); the message names the port
     *                               and its address
     * @throws IllegalStateException if the server was already started or closed
     */
    @Override
    public PlainAndImplicitTlsServer start() {
        listeners.start();
        return this;
    }

    /** The plain port (STARTTLS or STLS is offered there when TLS is configured). */
    @Override
    public int port() {
        return listeners.started(0).port();
    }

    /**
     * The implicit-TLS port (IMAPS, POP3S).
     *
     * @throws IllegalStateException if no implicit-TLS port was configured or the server is not started
     */
    public int implicitTlsPort() {
        if (listeners.members().size() < 2) {
            throw new IllegalStateException("this " + protocol + " server has no implicit-TLS port: set "
                    + "implicitTlsPort(...) on its builder");
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

    /** The number of open client connections, both ports together. */
    public int connectionCount() {
        return common.limiter().active();
    }

    /** The TLS configuration, if any (to make clients trust a generated certificate). */
    public Optional<TlsConfig> tls() {
        return Optional.ofNullable(common.tls());
    }

    /** The configured host name. */
    public String hostName() {
        return common.hostName();
    }

    /** Stops both ports and ends every session (see {@link ListenerGroup#close()}). Idempotent; never throws. */
    @Override
    public void close() {
        listeners.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + listeners.members();
    }

    /** Hands each connection to the protocol; a class, not a lambda: each costs a fresh JVM a generated class. */
    private final class Sessions implements TcpServer.Handler {
        @Override
        public void handle(Connection c) throws IOException {
            serve(c);
        }
    }

    /**
     * The port settings of a {@link PlainAndImplicitTlsServer}, besides those every server has. Not thread-safe.
     *
     * @param <B> the server's builder, returned by every setter for chaining
     */
    public abstract static class Builder<B extends Builder<B>> extends ServerBuilder<B> {
        private int port;
        private int implicitTlsPort = -1;
        private Duration loginTimeout = Duration.ofMinutes(1);

        /**
         * @param defaultHostName    the protocol's default {@link #hostName}
         * @param defaultIdleTimeout the protocol's default {@link #idleTimeout}
         */
        protected Builder(String defaultHostName, Duration defaultIdleTimeout) {
            super(defaultHostName, defaultIdleTimeout);
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** The plain port (IMAP normally 143, POP3 110); 0 (the default) picks a free one. */
        public B port(int port) {
            this.port = Arguments.listeningPort(port, "port");
            return self();
        }

        /**
         * Also listen on this port with implicit TLS (IMAPS normally 993, POP3S 995); 0 picks a free one. Off by
         * default; needs {@link #tls}.
         */
        public B implicitTlsPort(int port) {
            this.implicitTlsPort = Arguments.listeningPort(port, "implicitTlsPort");
            return self();
        }

        /** How long a client may stay silent before logging in (default 1 minute). */
        public B loginTimeout(Duration d) {
            this.loginTimeout = Arguments.positive(d, "loginTimeout");
            return self();
        }

        /** The login timeout as set (for the protocol's sessions). */
        protected final Duration loginTimeoutSetting() {
            return loginTimeout;
        }

        /**
         * {@link #common()}, and the check that an implicit-TLS port has TLS; for the server's {@code build()}.
         *
         * @throws IllegalStateException if settings contradict each other; the message says what to change
         */
        protected final ServerBuilder.Common checkedCommon() {
            ServerBuilder.Common c = common();
            if (implicitTlsPort >= 0 && c.tls() == null) {
                throw new IllegalStateException("implicitTlsPort(...) needs tls(...), e.g. tls(TlsConfig.selfSigned())");
            }
            return c;
        }
    }
}
