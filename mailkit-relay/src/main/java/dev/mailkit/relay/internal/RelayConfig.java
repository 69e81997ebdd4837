package dev.mailkit.relay.internal;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.core.outbound.MessageSigner;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.dns.DnsJavaResolver;
import dev.mailkit.relay.RelayListener;
import dev.mailkit.relay.RelayTls;
import dev.mailkit.relay.RetryPolicy;
import dev.mailkit.relay.SmartHost;
import dev.mailkit.relay.spi.QueueStorage;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The validated, immutable configuration of a relay queue, copied from the {@link Settings} that
 * {@code RelayQueue.Builder} fills in (see the builder for meanings and defaults) by {@link #of}.
 */
public final class RelayConfig {
    /**
     * What {@code RelayQueue.Builder} collects, with the defaults; mutable, used by the builder only. The builder
     * validates each value as it is set and the combination in {@code build()}.
     */
    public static final class Settings {
        public Path directory;
        /** A storage of the application's; null for the disk storage in {@link #directory}. */
        public QueueStorage storage;
        public String hostName = "localhost";
        public SmartHost smartHost;
        public DnsResolver resolver;
        public int mxPort = 25;
        public RelayTls defaultTls = RelayTls.OPPORTUNISTIC;
        public final Map<String, RelayTls> domainTls = new HashMap<>();
        public SSLContext trust;
        public RetryPolicy retry = RetryPolicy.defaults();
        public int maxConnectionsPerDestination = 20;
        public int maxConnections = 100;
        public int maxRecipientsPerTransaction = 50;
        public int maxTransactionsPerConnection = 10_000;
        public Duration connectTimeout = Duration.ofSeconds(30);
        public Duration commandTimeout = Duration.ofMinutes(5);
        public Duration dataTimeout = Duration.ofMinutes(10);
        public Duration connectionIdleTime = Duration.ofSeconds(2);
        public Duration maxConnectionAge = Duration.ofMinutes(5);
        public Clock clock = Clock.systemUTC();
        public Random random;
        public final List<RelayListener> listeners = new ArrayList<>();
        public final Map<String, MessageSigner> signers = new HashMap<>();
        public long bounceSizeLimit = 50_000;
        public boolean virtualThreads = true;
        public MessageSink localSink;
        public final Set<String> localDomains = new LinkedHashSet<>();
        public MessageSpool spool;
        public boolean mtaSts;
        public int mtaStsPort = 443;
        public boolean dane;
    }

    /** The queue directory, or null when the queue is in {@link #storage}. */
    public final Path directory;
    /** The application's storage, or null for the disk storage in {@link #directory}. */
    public final QueueStorage storage;
    public final String hostName;
    public final SmartHost smartHost;
    public final DnsResolver resolver;
    public final int mxPort;
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
    public final Duration connectionIdleTime;
    public final Duration maxConnectionAge;
    public final Clock clock;
    public final Random random;
    public final List<RelayListener> listeners;
    public final Map<String, MessageSigner> signers;
    public final long bounceSizeLimit;
    public final boolean virtualThreads;
    public final MessageSink localSink;
    public final Set<String> localDomains;
    public final MessageSpool spool;
    /** Whether MTA-STS policies (RFC 8461) are fetched and applied to MX delivery. */
    public final boolean mtaSts;
    /** The HTTPS port policies are fetched from (443; tests use a loopback server's port). */
    public final int mtaStsPort;
    /** Whether DANE (RFC 7672) applies to MX hosts whose MX and TLSA answers are DNSSEC-authenticated. */
    public final boolean dane;

    /**
     * Checks the combination of the settings and copies them; what was left unset gets its default here: the
     * system's DNS ({@code DnsJavaResolver.system()}), the JVM's trusted certificate authorities, a
     * {@link SecureRandom}, and a spool in {@code DIRECTORY/spool}.
     *
     * @throws IllegalStateException if the settings contradict each other; the message says what to change
     */
    public static RelayConfig of(Settings s) {
        if (s.maxConnectionsPerDestination > s.maxConnections) {
            throw new IllegalStateException("maxConnectionsPerDestination (" + s.maxConnectionsPerDestination
                    + ") cannot exceed maxConnections (" + s.maxConnections + ")");
        }
        if (s.localSink != null && s.localDomains.isEmpty()) {
            throw new IllegalStateException("localDelivery(sink, domains...) needs at least one domain");
        }
        return new RelayConfig(s, s.resolver != null ? s.resolver : DnsJavaResolver.system(),
                s.trust != null ? s.trust : TlsContexts.defaultTrust(), TlsContexts.trustAll(),
                s.random != null ? s.random : new SecureRandom(),
                s.spool != null ? s.spool : s.directory == null ? MessageSpool.temporary()
                        : MessageSpool.create(s.directory.resolve("spool"), MessageSpool.DEFAULT_THRESHOLD));
    }

    private RelayConfig(Settings s, DnsResolver resolver, SSLContext verifying, SSLContext opportunistic,
                        Random random, MessageSpool spool) {
        this.directory = s.directory;
        this.storage = s.storage;
        this.hostName = s.hostName;
        this.smartHost = s.smartHost;
        this.resolver = resolver;
        this.mxPort = s.mxPort;
        this.defaultTls = s.defaultTls;
        this.domainTls = Map.copyOf(s.domainTls);
        this.verifying = verifying;
        this.opportunistic = opportunistic;
        this.retry = s.retry;
        this.maxConnectionsPerDestination = s.maxConnectionsPerDestination;
        this.maxConnections = s.maxConnections;
        this.maxRecipientsPerTransaction = s.maxRecipientsPerTransaction;
        this.maxTransactionsPerConnection = s.maxTransactionsPerConnection;
        this.connectTimeout = s.connectTimeout;
        this.commandTimeout = s.commandTimeout;
        this.dataTimeout = s.dataTimeout;
        this.connectionIdleTime = s.connectionIdleTime;
        this.maxConnectionAge = s.maxConnectionAge;
        this.clock = s.clock;
        this.random = random;
        this.listeners = List.copyOf(s.listeners);
        this.signers = Map.copyOf(s.signers);
        this.bounceSizeLimit = s.bounceSizeLimit;
        this.virtualThreads = s.virtualThreads;
        this.localSink = s.localSink;
        this.localDomains = Set.copyOf(s.localDomains);
        this.spool = spool;
        this.mtaSts = s.mtaSts;
        this.mtaStsPort = s.mtaStsPort;
        this.dane = s.dane;
    }

    /** The TLS mode for MX delivery to a domain. */
    public RelayTls tlsFor(String domain) {
        return domainTls.getOrDefault(MailAddress.canonicalDomain(domain), defaultTls);
    }

    /** The signer for a sending domain: the domain's own, or a parent domain's; null if none. */
    public MessageSigner signerFor(String domain) {
        String d = MailAddress.canonicalDomain(domain); // U-labels or A-labels: one domain
        while (true) {
            MessageSigner s = signers.get(d);
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
