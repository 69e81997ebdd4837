package dev.mailkit.smtp.relay.internal;

import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.smtp.relay.DkimSigner;
import dev.mailkit.smtp.relay.RelayListener;
import dev.mailkit.smtp.relay.RelayResolver;
import dev.mailkit.smtp.relay.RelayTls;
import dev.mailkit.smtp.relay.RetryPolicy;
import dev.mailkit.smtp.relay.SmartHost;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.net.ssl.SSLContext;

/** The validated, immutable configuration of a relay queue (see {@code RelayQueue.Builder} for meanings). */
public final class RelayConfig {
    public final Path directory;
    public final String hostName;
    public final SmartHost smartHost;
    public final RelayResolver resolver;
    public final int port;
    public final RelayTls defaultTls;
    public final Map<String, RelayTls> domainTls;
    public final SSLContext verifying;
    public final SSLContext opportunistic;
    public final RetryPolicy retry;
    public final int maxConnectionsPerDestination;
    public final int maxConnections;
    public final int maxRecipientsPerTransaction;
    public final int maxTransactionsPerConnection;
    public final Duration connectTimeout;
    public final Duration commandTimeout;
    public final Duration dataTimeout;
    public final Duration idleTimeout;
    public final Duration maxConnectionAge;
    public final Clock clock;
    public final Random random;
    public final List<RelayListener> listeners;
    public final Map<String, DkimSigner> dkim;
    public final long bounceSizeLimit;
    public final boolean virtualThreads;
    public final MessageSink localSink;
    public final Set<String> localDomains;
    public final MessageSpool spool;

    @SuppressWarnings("checkstyle:ParameterNumber")
    public RelayConfig(Path directory, String hostName, SmartHost smartHost, RelayResolver resolver, int port,
                       RelayTls defaultTls, Map<String, RelayTls> domainTls, SSLContext verifying,
                       SSLContext opportunistic, RetryPolicy retry, int maxConnectionsPerDestination,
                       int maxConnections, int maxRecipientsPerTransaction, int maxTransactionsPerConnection,
                       Duration connectTimeout, Duration commandTimeout, Duration dataTimeout, Duration idleTimeout,
                       Duration maxConnectionAge, Clock clock, Random random, List<RelayListener> listeners,
                       Map<String, DkimSigner> dkim, long bounceSizeLimit, boolean virtualThreads,
                       MessageSink localSink, Set<String> localDomains, MessageSpool spool) {
        this.directory = directory;
        this.hostName = hostName;
        this.smartHost = smartHost;
        this.resolver = resolver;
        this.port = port;
        this.defaultTls = defaultTls;
        this.domainTls = Map.copyOf(domainTls);
        this.verifying = verifying;
        this.opportunistic = opportunistic;
        this.retry = retry;
        this.maxConnectionsPerDestination = maxConnectionsPerDestination;
        this.maxConnections = maxConnections;
        this.maxRecipientsPerTransaction = maxRecipientsPerTransaction;
        this.maxTransactionsPerConnection = maxTransactionsPerConnection;
        this.connectTimeout = connectTimeout;
        this.commandTimeout = commandTimeout;
        this.dataTimeout = dataTimeout;
        this.idleTimeout = idleTimeout;
        this.maxConnectionAge = maxConnectionAge;
        this.clock = clock;
        this.random = random;
        this.listeners = List.copyOf(listeners);
        this.dkim = Map.copyOf(dkim);
        this.bounceSizeLimit = bounceSizeLimit;
        this.virtualThreads = virtualThreads;
        this.localSink = localSink;
        this.localDomains = Set.copyOf(localDomains);
        this.spool = spool;
    }

    /** The TLS mode for MX delivery to a domain. */
    public RelayTls tlsFor(String domain) {
        return domainTls.getOrDefault(domain.toLowerCase(Locale.ROOT), defaultTls);
    }

    /** The DKIM signer for a sending domain: the domain's own, or a parent domain's; null if none. */
    public DkimSigner signerFor(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        while (true) {
            DkimSigner s = dkim.get(d);
            if (s != null) {
                return s;
            }
            int dot = d.indexOf('.');
            if (dot < 0) {
                return null;
            }
            d = d.substring(dot + 1);
        }
    }
}
