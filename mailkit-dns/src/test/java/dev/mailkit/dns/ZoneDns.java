package dev.mailkit.dns;

import dev.mailkit.core.dns.DnsResolver;
import org.xbill.DNS.Resolver;

import java.time.Duration;

/**
 * For tests in other modules: a {@link DnsResolver} over a dnsjava resolver, such as
 * {@link dev.mailkit.dns.testing.ZoneResolver}'s in-memory zone, through the same code as real name servers.
 */
public final class ZoneDns {
    private ZoneDns() {
    }

    /** The resolver, asking through {@code resolver} with the given timeout per question. */
    public static DnsResolver over(Resolver resolver, Duration timeout) {
        return DnsJavaResolver.over(resolver, timeout);
    }

    /** The resolver, 2 seconds per question. */
    public static DnsResolver over(Resolver resolver) {
        return over(resolver, Duration.ofSeconds(2));
    }
}
