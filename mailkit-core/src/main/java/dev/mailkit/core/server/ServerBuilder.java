package dev.mailkit.core.server;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.tls.TlsConfig;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings every mailkit server has, with one name, one check and one meaning for all of them: the builders of
 * {@code SmtpServer}, {@code ImapServer} and {@code Pop3Server} extend this class and add their protocol's own
 * settings. Where the protocols' defaults differ (the host name, the idle timeout), each setter says so.
 *
 * <p>Each setter checks its value ({@link IllegalArgumentException} or {@link NullPointerException} naming the
 * setting); the server's {@code build()} checks the combination ({@link IllegalStateException} saying what to
 * change). Not thread-safe: one thread sets a builder up; the server it builds is thread-safe.
 *
 * @param <B> the server's builder, returned by every setter for chaining
 */
public abstract class ServerBuilder<B extends ServerBuilder<B>> {
    private String hostName;
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private TlsConfig tls;
    private Boolean requireTlsForLogin;
    private UserDirectory users;
    private AuthFailurePenalty penalty;
    private int maxAuthFailures = 3;
    private int maxConnections = ConnectionLimiter.DEFAULT_MAX_CONNECTIONS;
    private int maxConnectionsPerAddress; // 0: the default
    private Duration idleTimeout;
    private boolean virtualThreads = true;
    private ProxyProtocol proxyProtocol;

    /**
     * @param defaultHostName    the protocol's default {@link #hostName}
     * @param defaultIdleTimeout the protocol's default {@link #idleTimeout}
     */
    protected ServerBuilder(String defaultHostName, Duration defaultIdleTimeout) {
        this.hostName = Arguments.hostName(defaultHostName, "hostName");
        this.idleTimeout = Arguments.positive(defaultIdleTimeout, "idleTimeout");
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * The name the server gives itself: SMTP's greeting, EHLO reply and {@code Received:} headers (default
     * {@code localhost}); IMAP's greeting and ID response, POP3's greeting and CAPA IMPLEMENTATION (default
     * {@code mailkit}). 1 to 255 visible ASCII characters without spaces.
     */
    public B hostName(String hostName) {
        this.hostName = Arguments.hostName(hostName, "hostName");
        return self();
    }

    /** The address to listen on (default the loopback address; {@code 0.0.0.0} for every interface). */
    public B bindAddress(InetAddress address) {
        this.bindAddress = Objects.requireNonNull(address, "address");
        return self();
    }

    /**
     * TLS: STARTTLS (POP3: STLS) on the plain ports, and the certificate of the implicit-TLS ports (SMTPS, IMAPS,
     * POP3S), which need it. Default: none.
     */
    public B tls(TlsConfig tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
        return self();
    }

    /**
     * Whether logins (SMTP AUTH, IMAP LOGIN and AUTHENTICATE, POP3 USER, PASS and AUTH) are refused until TLS is
     * active, and not offered before. Default: true when {@link #tls} is set. Without TLS, IMAP and POP3 allow
     * logins in plaintext (for tests on loopback), while SMTP offers no AUTH at all unless this is set to false,
     * and an SMTP submission listener needs one or the other. True without {@link #tls} is refused by
     * {@code build()}. False with TLS is for tests and trusted networks only: passwords then cross the network in
     * clear.
     */
    public B requireTlsForLogin(boolean require) {
        this.requireTlsForLogin = require;
        return self();
    }

    /**
     * Who may log in: required by IMAP and POP3 (a user's mailboxes are those of their address), and by SMTP for
     * submission listeners and {@code optionalAuth()}. Default: none.
     */
    public B users(UserDirectory users) {
        this.users = Objects.requireNonNull(users, "users");
        return self();
    }

    /**
     * The delay after failed logins (default {@link AuthFailurePenalty#defaults()}: 2 s doubling to 15 s per client
     * address). Share one instance between servers so that switching protocol does not reset it.
     */
    public B authFailurePenalty(AuthFailurePenalty penalty) {
        this.penalty = Objects.requireNonNull(penalty, "penalty");
        return self();
    }

    /** Failed logins on one connection after which it is closed (default 3). */
    public B maxAuthFailures(int n) {
        this.maxAuthFailures = Arguments.atLeastOne(n, "maxAuthFailures");
        return self();
    }

    /** The most connections at once, all the server's ports together (default 1000). */
    public B maxConnections(int n) {
        this.maxConnections = Arguments.atLeastOne(n, "maxConnections");
        return self();
    }

    /**
     * The most connections at once from one client address, all the server's ports together (default 100, or
     * {@link #maxConnections} if that is lower); more than {@code maxConnections} is refused by {@code build()}.
     */
    public B maxConnectionsPerAddress(int n) {
        this.maxConnectionsPerAddress = Arguments.atLeastOne(n, "maxConnectionsPerAddress");
        return self();
    }

    /**
     * How long a client may stay silent: the wait for its next command. Default: SMTP 5 minutes (RFC 5321
     * 4.5.3.2.7, also each read of message content; then {@code 421 4.4.2}); IMAP 30 minutes after login, IDLE
     * included (RFC 3501 5.4's autologout minimum); POP3 10 minutes after login (RFC 1939's autologout minimum).
     * Before login IMAP and POP3 wait {@code loginTimeout}.
     */
    public B idleTimeout(Duration d) {
        this.idleTimeout = Arguments.positive(d, "idleTimeout");
        return self();
    }

    /**
     * Behind a TCP load balancer: connections from these proxies begin with a PROXY protocol header (HAProxy's,
     * version 1 or 2) naming the real client, which connection limits, login penalties and (SMTP) SPF, DNSBL and the
     * {@code Received:} field then see; nobody else may send one (default: none). See {@link ProxyProtocol}.
     */
    public B proxyProtocol(ProxyProtocol proxyProtocol) {
        this.proxyProtocol = java.util.Objects.requireNonNull(proxyProtocol, "proxyProtocol");
        return self();
    }

    /** Whether connections run on virtual threads on JDK 21+ (default true). */
    public B virtualThreads(boolean v) {
        this.virtualThreads = v;
        return self();
    }

    /**
     * The shared settings as set (or defaulted), checked together; for the server's {@code build()}.
     *
     * @throws IllegalStateException if {@code requireTlsForLogin(true)} has no {@link #tls}, or
     *                               {@code maxConnectionsPerAddress} exceeds {@code maxConnections}
     */
    protected final Common common() {
        if (Boolean.TRUE.equals(requireTlsForLogin) && tls == null) {
            throw new IllegalStateException("requireTlsForLogin(true) needs tls(...), e.g. tls(TlsConfig.selfSigned()):"
                    + " without TLS nobody could log in");
        }
        return new Common(hostName, bindAddress, tls, requireTlsForLogin, users,
                penalty == null ? AuthFailurePenalty.defaults() : penalty, maxAuthFailures, maxConnections,
                ConnectionLimiter.forServer(maxConnections, maxConnectionsPerAddress), idleTimeout, virtualThreads,
                proxyProtocol);
    }

    /**
     * The shared settings of one server, checked, with the defaults resolved (the penalty, the per-address limit in
     * the limiter): what {@link #common()} gives a server implementation. Immutable (the directory, penalty and
     * limiter are thread-safe services).
     *
     * @param hostName           the server's name
     * @param bindAddress        the address to listen on
     * @param tls                TLS, or null
     * @param requireTlsForLogin as set, or null for the protocol's default (see {@link #requireTlsForLogin(boolean)})
     * @param users              who may log in, or null
     * @param penalty            the delay after failed logins
     * @param maxAuthFailures    failed logins after which a connection is closed
     * @param maxConnections     the most connections at once
     * @param limiter            counts the connections of all the server's ports (a new one for each call)
     * @param idleTimeout        the wait for the client's next command
     * @param virtualThreads     whether to use virtual threads where the JVM has them
     * @param proxyProtocol      the PROXY protocol's proxies, or null
     */
    public record Common(String hostName, InetAddress bindAddress, TlsConfig tls, Boolean requireTlsForLogin,
                            UserDirectory users, AuthFailurePenalty penalty, int maxAuthFailures, int maxConnections,
                            ConnectionLimiter limiter, Duration idleTimeout, boolean virtualThreads,
                            ProxyProtocol proxyProtocol) {
        /** Whether logins wait for TLS: as set, else {@code whenUnset}. */
        public boolean requireTlsForLogin(boolean whenUnset) {
            return requireTlsForLogin == null ? whenUnset : requireTlsForLogin;
        }
    }
}
