package dev.mailkit.mailauth;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.dns.DnsJavaResolver;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What every sender-authentication check's builder says about DNS, in the same words: {@link #resolver} (any
 * {@link DnsResolver}, e.g. a {@code StaticDnsResolver} in tests), or {@link #dnsServers} to ask given name servers,
 * or by default the operating system's name servers through {@code DnsJavaResolver.system()}; and {@link #timeout},
 * how long one question may wait (what a check concludes after it is said on the check). Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class DnsCheckBuilder<B extends DnsCheckBuilder<B>> {
    private DnsResolver resolver;
    private InetSocketAddress[] servers;
    private Duration timeout;

    /** A builder whose questions wait {@code defaultTimeout} unless told otherwise. */
    protected DnsCheckBuilder(Duration defaultTimeout) {
        this.timeout = Arguments.positive(defaultTimeout, "timeout");
    }

    /**
     * Asks these name servers and nothing else (default: those of the operating system).
     *
     * @throws IllegalArgumentException if none is given
     */
    public B dnsServers(InetSocketAddress... servers) {
        if (servers.length == 0) {
            throw new IllegalArgumentException("name at least one DNS server, e.g. "
                    + "new InetSocketAddress(\"127.0.0.1\", 53)");
        }
        this.servers = servers.clone();
        this.resolver = null;
        return self();
    }

    /** Asks through this resolver (for example a {@code StaticDnsResolver} in tests). */
    public B resolver(DnsResolver r) {
        this.resolver = Objects.requireNonNull(r, "resolver");
        this.servers = null;
        return self();
    }

    /**
     * How long one DNS question may wait (default 5 seconds).
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public B timeout(Duration d) {
        this.timeout = Arguments.positive(d, "timeout");
        return self();
    }

    /** The resolver the check asks: the one given, one for the given servers, or the system's. */
    public DnsResolver dnsResolver() {
        if (resolver != null) {
            return resolver;
        }
        return servers != null ? DnsJavaResolver.using(timeout, servers) : DnsJavaResolver.system(timeout);
    }

    /** The timeout per question. */
    public Duration dnsTimeout() {
        return timeout;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
