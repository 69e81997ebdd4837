package dev.mailkit.smtp.internal;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.smtp.BareLineEndings;
import dev.mailkit.smtp.RecipientPolicy;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.core.Cidr;
import dev.mailkit.core.outbound.OutboundQueue;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The validated, immutable configuration of an SMTP server, shared by its listeners. */
public final class SmtpConfig {
    public final String hostName;
    public final InetAddress bindAddress;
    public final List<Listen> listeners;
    public final Set<String> localDomains; // lower case
    public final boolean acceptAllDomains;
    public final UserDirectory users;
    public final RecipientPolicy recipientPolicy;
    public final MessageSink sink;
    public final MailFilter filter;
    public final TlsConfig tls;
    public final boolean allowInsecureAuth;
    public final boolean requireTls;
    public final boolean optionalAuth;
    public final long maxMessageSize;
    public final int maxRecipients;
    public final int maxLineLength;
    public final Duration readTimeout;
    public final Duration sessionTimeout;
    public final int maxConnections;
    public final int maxConnectionsPerAddress;
    public final AuthFailurePenalty penalty;
    public final int maxAuthFailures;
    public final BareLineEndings bareLineEndings;
    public final MessageSpool spool;
    public final Clock clock;
    public final boolean virtualThreads;
    public final boolean transcripts;
    public final Duration closeGrace;
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

    @SuppressWarnings("checkstyle:ParameterNumber")
    public SmtpConfig(String hostName, InetAddress bindAddress, List<Listen> listeners, Set<String> localDomains,
                      boolean acceptAllDomains, UserDirectory users, RecipientPolicy recipientPolicy,
                      MessageSink sink, MailFilter filter, TlsConfig tls, boolean allowInsecureAuth, boolean requireTls, boolean optionalAuth,
                      long maxMessageSize, int maxRecipients, int maxLineLength, Duration readTimeout,
                      Duration sessionTimeout, int maxConnections, int maxConnectionsPerAddress,
                      AuthFailurePenalty penalty, int maxAuthFailures, BareLineEndings bareLineEndings,
                      MessageSpool spool, Clock clock, boolean virtualThreads, boolean transcripts,
                      Duration closeGrace, OutboundQueue relay, List<Cidr> trustedNetworks, FreeSpace freeSpace) {
        this.hostName = hostName;
        this.bindAddress = bindAddress;
        this.listeners = List.copyOf(listeners);
        this.localDomains = Set.copyOf(localDomains);
        this.acceptAllDomains = acceptAllDomains;
        this.users = users;
        this.recipientPolicy = recipientPolicy;
        this.sink = sink;
        this.filter = filter;
        this.tls = tls;
        this.allowInsecureAuth = allowInsecureAuth;
        this.requireTls = requireTls;
        this.optionalAuth = optionalAuth;
        this.maxMessageSize = maxMessageSize;
        this.maxRecipients = maxRecipients;
        this.maxLineLength = maxLineLength;
        this.readTimeout = readTimeout;
        this.sessionTimeout = sessionTimeout;
        this.maxConnections = maxConnections;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        this.penalty = penalty;
        this.maxAuthFailures = maxAuthFailures;
        this.bareLineEndings = bareLineEndings;
        this.spool = spool;
        this.clock = clock;
        this.virtualThreads = virtualThreads;
        this.transcripts = transcripts;
        this.closeGrace = closeGrace;
        this.relay = relay;
        this.trustedNetworks = List.copyOf(trustedNetworks);
        this.freeSpace = freeSpace;
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
