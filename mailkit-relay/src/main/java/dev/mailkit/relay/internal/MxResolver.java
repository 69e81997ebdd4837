package dev.mailkit.relay.internal;

import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsException;
import dev.mailkit.core.dns.DnsRecord;
import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.core.dns.DnsType;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The two DNS questions of the relay over the {@link DnsResolver} SPI: where does mail for a domain go (RFC 5321 5.1,
 * with RFC 7505's null MX), and what are a host's addresses (A, then AAAA). Thread-safe.
 */
final class MxResolver {
    /** The longest the relay waits for one answer; the resolver's own timeout usually ends it sooner. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private final DnsResolver dns;

    MxResolver(DnsResolver dns) {
        this.dns = dns;
    }

    /**
     * The MX answer for a domain.
     *
     * @throws IOException on a temporary failure: delivery is deferred
     */
    MxLookup mx(String domain) throws IOException {
        DnsAnswer answer = dns.lookup(domain, DnsType.MX, MAX_WAIT);
        if (answer.isNoSuchName()) {
            return MxLookup.noSuchDomain();
        }
        List<MxLookup.Host> hosts = new ArrayList<>();
        for (DnsRecord.Mx mx : answer.records(DnsRecord.Mx.class)) {
            if (mx.isNullMx()) {
                return MxLookup.nullMx(); // RFC 7505: other MX records beside "MX 0 ." are ignored
            }
            hosts.add(MxLookup.Host.of(mx.preference(), mx.host()));
        }
        MxLookup out = hosts.isEmpty() ? MxLookup.noRecords() : MxLookup.records(hosts);
        return answer.isAuthenticated() ? out.authenticated() : out;
    }

    /**
     * Any answer for a name and type, as the resolver gives it (with its DNSSEC authentication).
     *
     * @throws IOException on a temporary failure
     */
    DnsAnswer lookup(String name, DnsType type) throws IOException {
        return dns.lookup(name, type, MAX_WAIT);
    }

    /**
     * The IPv4 and IPv6 addresses of a host, IPv4 first; empty when it has none or does not exist.
     *
     * @throws IOException on a temporary failure when no address was found at all
     */
    List<InetAddress> addresses(String host) throws IOException {
        List<InetAddress> out = new ArrayList<>();
        DnsException failure = null;
        for (DnsType type : new DnsType[] {DnsType.A, DnsType.AAAA}) {
            try {
                DnsAnswer a = dns.lookup(host, type, MAX_WAIT);
                if (a.isNoSuchName()) {
                    return List.of();
                }
                for (DnsRecord.Address r : a.records(DnsRecord.Address.class)) {
                    out.add(r.address());
                }
            } catch (DnsException e) {
                failure = e;
            }
        }
        if (out.isEmpty() && failure != null) {
            throw failure;
        }
        return out;
    }
}
