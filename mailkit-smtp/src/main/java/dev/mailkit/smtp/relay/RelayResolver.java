package dev.mailkit.smtp.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * The DNS questions the relay asks: MX records of a recipient domain, and the addresses of a host. Injected through
 * {@link RelayQueue.Builder#resolver}, so that tests can route any domain to servers on loopback addresses.
 *
 * <p>Implementations: {@link DnsRelayResolver} (real DNS through dnsjava) and {@link StaticRelayResolver} (answers
 * from memory). Implementations must be thread-safe.
 */
public interface RelayResolver {
    /**
     * The MX answer for a domain (ASCII form, no trailing dot).
     *
     * @throws IOException on a temporary failure (timeout, SERVFAIL): delivery is deferred and retried
     */
    MxLookup mx(String domain) throws IOException;

    /**
     * The IPv4 and IPv6 addresses of a host, in the order to try them.
     *
     * @return the addresses; empty when the host has none or does not exist
     * @throws IOException on a temporary failure
     */
    List<InetAddress> addresses(String host) throws IOException;
}
