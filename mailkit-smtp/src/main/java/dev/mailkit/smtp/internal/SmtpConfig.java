package dev.mailkit.smtp.internal;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.server.ServerBuilder;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.smtp.BareLineEndings;
import dev.mailkit.smtp.RecipientPolicy;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.core.Cidr;
import dev.mailkit.core.outbound.OutboundQueue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The validated, immutable configuration of an SMTP server, shared by its listeners, copied from the {@link Settings}
 * that {@code SmtpServer.Builder} fills in (see the builder for meanings and defaults).
 */
public final class SmtpConfig {
    /**
     * What {@code SmtpServer.Builder} collects besides the settings every server has ({@code ServerBuilder.Common}),
     * with the defaults; mutable, used by the builder only. The builder validates each value as it is set and the
     * combination in {@code build()}.
     */
    public static final class Settings {
        public final List<Listen> listeners = new ArrayList<>();
        public final Set<String> localDomains = new LinkedHashSet<>();
        public boolean acceptAllDomains;
        public RecipientPolicy recipientPolicy;
        public MessageSink sink;
        public final List<MailFilter> filters = new ArrayList<>();
        public boolean requireTls;
        public boolean optionalAuth;
        public long maxMessageSize = 25L * 1024 * 1024;
        public int maxRecipients = 1000;
        public int maxLineLength = 998;
        public Duration sessionTimeout = Duration.ofMinutes(30);
        public BareLineEndings bareLineEndings = BareLineEndings.REJECT;
        public MessageSpool spool;
        public Clock clock = Clock.systemUTC();
        public boolean transcripts;
        public OutboundQueue relay;
        public final List<Cidr> trustedNetworks = new ArrayList<>();
        public Path freeSpaceDirectory;
        public long minFreeSpace;
    }

    public final String hostName;
    public final InetAddress bindAddress;
    /** The listeners in start order; one MX listener on a free port if none was configured. */
    public final List<Listen> listeners;
    public final Set<String> localDomains; // lower case
    public final boolean acceptAllDomains;
    public final UserDirectory users;
    public final RecipientPolicy recipientPolicy;
    public final MessageSink sink;
    public final MailFilter filter;
    public final TlsConfig tls;
    /** Whether AUTH waits for TLS ({@code 538 5.7.11} before). */
    public final boolean requireTlsForLogin;
    public final boolean requireTls;
    public final boolean optionalAuth;
    public final long maxMessageSize;
    public final int maxRecipients;
    public final int maxLineLength;
    public final Duration idleTimeout;
    /** The session deadline, or null for none. */
    public final Duration sessionTimeout;
    public final int maxConnections;
    public final AuthFailurePenalty penalty;
    public final int maxAuthFailures;
    public final BareLineEndings bareLineEndings;
    public final MessageSpool spool;
    public final Clock clock;
    public final boolean virtualThreads;
    /** The PROXY protocol's proxies, or null. */
    public final dev.mailkit.core.server.ProxyProtocol proxyProtocol;
    public final boolean transcripts;
    /** Where mail for remote recipients goes, or null: then nothing is relayed. */
    public final OutboundQueue relay;
    /** Clients in these networks may relay without AUTH (only with a relay). */
    public final List<Cidr> trustedNetworks;
    /** The free-space check at MAIL FROM, or null for none. */
    public final FreeSpace freeSpace;

    /** One listening port and its role. */
    public static final class Listen {
        public final SmtpRole role;
        public final int port;

        public Listen(SmtpRole role, int port) {
            this.role = role;
            this.port = port;
        }
    }

    /** The configuration of the builder's settings, with the defaults that depend on other settings filled in. */
    public SmtpConfig(ServerBuilder.Common c, Settings s) {
        this.hostName = c.hostName();
        this.bindAddress = c.bindAddress();
        this.listeners = s.listeners.isEmpty() ? List.of(new Listen(SmtpRole.MX, 0)) : List.copyOf(s.listeners);
        this.localDomains = s.localDomains.isEmpty() ? Set.of("localhost") : Collections.unmodifiableSet(
                new LinkedHashSet<>(s.localDomains)); // in order: the first is the primary domain
        this.acceptAllDomains = s.acceptAllDomains;
        this.users = c.users();
        this.recipientPolicy = s.recipientPolicy;
        this.sink = s.sink;
        this.filter = MailFilter.chain(s.filters);
        this.tls = c.tls();
        this.requireTlsForLogin = c.requireTlsForLogin(true);
        this.requireTls = s.requireTls;
        this.optionalAuth = s.optionalAuth;
        this.maxMessageSize = s.maxMessageSize;
        this.maxRecipients = s.maxRecipients;
        this.maxLineLength = s.maxLineLength;
        this.idleTimeout = c.idleTimeout();
        this.sessionTimeout = s.sessionTimeout;
        this.maxConnections = c.maxConnections();
        this.penalty = c.penalty();
        this.maxAuthFailures = c.maxAuthFailures();
        this.bareLineEndings = s.bareLineEndings;
        this.spool = s.spool == null ? MessageSpool.temporary() : s.spool;
        this.clock = s.clock;
        this.virtualThreads = c.virtualThreads();
        this.proxyProtocol = c.proxyProtocol();
        this.transcripts = s.transcripts;
        this.relay = s.relay;
        this.trustedNetworks = List.copyOf(s.trustedNetworks);
        this.freeSpace = s.freeSpaceDirectory == null ? null : FreeSpace.of(s.freeSpaceDirectory, s.minFreeSpace);
    }

    /**
     * Whether the DSN extension (RFC 3461) is offered: only with a relay queue, which sends the notifications (a
     * server that cannot send them must not promise them).
     */
    public boolean offersDsn() {
        return relay != null;
    }

    /** Whether the recipient's domain is one this server accepts mail for. */
    public boolean isLocal(MailAddress address) {
        if (address.isAddressLiteral()) {
            return false; // user@[1.2.3.4] is never taken as local: a classic relay trick
        }
        return acceptAllDomains || localDomains.contains(address.domainLowerCase());
    }

    /**
     * Whether the session may send to remote recipients: only with a relay, and only for an authenticated user (AUTH
     * exists on submission ports, and on the MX port only with {@code optionalAuth()}) or a client in a trusted
     * network. Everyone else gets {@code 554 5.7.1} for remote recipients.
     */
    public boolean mayRelay(SessionState st) {
        if (relay == null) {
            return false;
        }
        if ((st.role().requiresAuth() || optionalAuth) && st.authenticatedUser().isPresent()) {
            return true;
        }
        InetAddress client = st.clientAddress().getAddress();
        for (Cidr n : trustedNetworks) {
            if (n.contains(client)) {
                return true;
            }
        }
        return false;
    }

    /** The primary local domain (for {@code <postmaster>}). */
    public String primaryDomain() {
        return localDomains.isEmpty() ? hostName.toLowerCase(Locale.ROOT) : localDomains.iterator().next();
    }
}
