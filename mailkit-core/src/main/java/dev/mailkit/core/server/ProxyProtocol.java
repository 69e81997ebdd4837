package dev.mailkit.core.server;

import dev.mailkit.core.Cidr;
import dev.mailkit.core.internal.ProxyHeader;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The PROXY protocol (HAProxy's, versions 1 and 2) on a server's listeners, for servers behind a TCP load balancer:
 * a connection from one of the configured proxy networks must begin with a PROXY header, and the client it names is
 * the connection's client from then on (connection limits, login penalties, SPF, DNSBL, {@code Received:} fields).
 * A connection from any other address is an ordinary client: a PROXY header it sends is not read as one (the server
 * answers it as an unknown command), so nobody outside the proxy networks can claim another address. A connection
 * from a proxy that sends no valid header within the time-out is closed without a reply.
 *
 * <p>Version 1 (text: {@code PROXY TCP4 src dst sport dport}, {@code TCP6}, {@code UNKNOWN}) and version 2 (binary:
 * {@code PROXY} and {@code LOCAL} commands, TCP over IPv4 and IPv6; other families and {@code LOCAL} keep the proxy's
 * address; TLVs are skipped) are both accepted on every port. The header is read before anything else, before
 * the TLS handshake on implicit-TLS ports. Immutable.
 */
public final class ProxyProtocol {
    private final List<Cidr> proxies;
    private final Duration headerTimeout;

    private ProxyProtocol(List<Cidr> proxies, Duration headerTimeout) {
        this.proxies = List.copyOf(proxies);
        this.headerTimeout = headerTimeout;
    }

    /**
     * The PROXY protocol from these networks (for example {@code Cidr.parse("10.0.0.5/32")}); a header is awaited for
     * 5 seconds.
     *
     * @throws IllegalArgumentException if no network is given
     */
    public static ProxyProtocol from(List<Cidr> proxies) {
        Objects.requireNonNull(proxies, "proxies");
        if (proxies.isEmpty()) {
            throw new IllegalArgumentException("the PROXY protocol needs at least one proxy network");
        }
        return new ProxyProtocol(proxies, Duration.ofSeconds(5));
    }

    /** See {@link #from(List)}; each text is a network ({@code 10.0.0.0/24}) or an address. */
    public static ProxyProtocol from(String... proxies) {
        List<Cidr> list = new java.util.ArrayList<>();
        for (String p : proxies) {
            list.add(Cidr.parse(p.contains("/") ? p : p + (p.contains(":") ? "/128" : "/32")));
        }
        return from(list);
    }

    /** The same with another wait for the header (at least 100 ms). */
    public ProxyProtocol withHeaderTimeout(Duration timeout) {
        if (timeout == null || timeout.toMillis() < 100) {
            throw new IllegalArgumentException("the header time-out must be at least 100 ms, was " + timeout);
        }
        return new ProxyProtocol(proxies, timeout);
    }

    /** The proxy networks. */
    public List<Cidr> proxies() {
        return proxies;
    }

    /** How long a proxy may take to send the header. */
    public Duration headerTimeout() {
        return headerTimeout;
    }

    /** Whether a connection from this address must (and may) send a PROXY header. */
    public boolean isProxy(InetAddress peer) {
        for (Cidr c : proxies) {
            if (c.contains(peer)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads a PROXY header, exactly (not a byte more), from a connection of a proxy, and returns the client it
     * names: the proxy's own address ({@code peer}) for {@code LOCAL}, {@code UNKNOWN} and address families other
     * than TCP over IP.
     *
     * @throws IOException a {@link java.net.ProtocolException} if the header is malformed; the connection must be closed
     */
    public InetSocketAddress readHeader(InputStream in, InetSocketAddress peer) throws IOException {
        InetSocketAddress client = ProxyHeader.read(in);
        return client == null ? peer : client;
    }

    @Override
    public String toString() {
        return "ProxyProtocol{from " + proxies + "}";
    }
}
