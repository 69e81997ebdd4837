package dev.mailkit.core.server;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections, in total and per client IP address, and refuses new ones beyond the limits. Each
 * connection asks for a {@link Permit} when it is accepted and closes it when it ends. Thread-safe.
 */
public final class ConnectionLimiter {
    /** The connection limit of every mailkit server unless its builder sets another: 1000 at once. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    /**
     * The per-address limit of every mailkit server unless its builder sets another: 100 at once from one client
     * address (or the total limit, if that is lower).
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 100;

    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    /**
     * @param maxTotal      the most connections at once
     * @param maxPerAddress the most connections at once from one IP address
     * @throws IllegalArgumentException if a limit is below 1
     */
    public ConnectionLimiter(int maxTotal, int maxPerAddress) {
        if (maxTotal < 1 || maxPerAddress < 1) {
            throw new IllegalArgumentException("connection limits must be at least 1 (total " + maxTotal
                    + ", per address " + maxPerAddress + ")");
        }
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * The limiter for a server builder's {@code maxConnections} and {@code maxConnectionsPerAddress}, with the check
     * every mailkit server makes in {@code build()}.
     *
     * @param maxConnections           the most connections at once
     * @param maxConnectionsPerAddress the most from one address as set on the builder, or 0 if it was not set: then
     *                                 {@link #DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}, or {@code maxConnections} if that
     *                                 is lower
     * @throws IllegalStateException    if {@code maxConnectionsPerAddress} exceeds {@code maxConnections}; the message
     *                                  names both values
     * @throws IllegalArgumentException if {@code maxConnections} is below 1 or the per-address limit negative
     */
    public static ConnectionLimiter forServer(int maxConnections, int maxConnectionsPerAddress) {
        if (maxConnectionsPerAddress > maxConnections) {
            throw new IllegalStateException("maxConnectionsPerAddress (" + maxConnectionsPerAddress
                    + ") cannot exceed maxConnections (" + maxConnections + "): lower the one or raise the other");
        }
        if (maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must be at least 1, was "
                    + maxConnectionsPerAddress);
        }
        return new ConnectionLimiter(maxConnections, maxConnectionsPerAddress != 0 ? maxConnectionsPerAddress
                : Math.min(DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, maxConnections));
    }

    /** Why a connection was refused. */
    public enum Refusal {
        /** Too many connections in total. */
        TOTAL,
        /** Too many connections from this client address. */
        PER_ADDRESS
    }

    /**
     * Asks to admit a connection from the address. The returned permit is either granted (close it when the
     * connection ends) or refused (it says why; closing it does nothing).
     */
    public Permit acquire(InetAddress address) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return new Permit(address, Refusal.TOTAL);
        }
        boolean[] ok = {false};
        perAddress.compute(address, (a, n) -> {
            int c = n == null ? 0 : n;
            if (c >= maxPerAddress) {
                return n;
            }
            ok[0] = true;
            return c + 1;
        });
        if (!ok[0]) {
            total.decrementAndGet();
            return new Permit(address, Refusal.PER_ADDRESS);
        }
        return new Permit(address, null);
    }

    /**
     * Admits a connection from a PROXY protocol proxy, counting it against the total only: the proxy carries many
     * clients, and {@link #forClient} counts the one it names against the per-address limit.
     */
    public Permit acquireForProxy() {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return new Permit(null, Refusal.TOTAL);
        }
        return new Permit(null, null);
    }

    /**
     * Moves a proxy's connection ({@link #acquireForProxy}) to the client its PROXY header named: a granted permit
     * counts against that address's limit and keeps the connection's place in the total; a refused one (over the
     * per-address limit) gives the place back. {@code proxyPermit} is used up either way.
     */
    public Permit forClient(Permit proxyPermit, InetAddress client) {
        boolean[] ok = {false};
        perAddress.compute(client, (a, n) -> {
            int c = n == null ? 0 : n;
            if (c >= maxPerAddress) {
                return n;
            }
            ok[0] = true;
            return c + 1;
        });
        if (!ok[0]) {
            proxyPermit.close();
            return new Permit(client, Refusal.PER_ADDRESS);
        }
        proxyPermit.released.set(true); // its place in the total goes to the client's permit
        return new Permit(client, null);
    }

    /** The number of open connections. */
    public int active() {
        return total.get();
    }

    /** The number of open connections from one address. */
    public int active(InetAddress address) {
        Integer n = perAddress.get(address);
        return n == null ? 0 : n;
    }

    /** The total limit. */
    public int maxTotal() {
        return maxTotal;
    }

    /** The per-address limit. */
    public int maxPerAddress() {
        return maxPerAddress;
    }

    /** The answer to {@link #acquire}: a granted slot, released by {@link #close()} (idempotent), or a refusal. */
    public final class Permit implements AutoCloseable {
        private final InetAddress address;
        private final Refusal refusal;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(InetAddress address, Refusal refusal) {
            this.address = address;
            this.refusal = refusal;
        }

        /** Whether the connection may proceed. */
        public boolean isGranted() {
            return refusal == null;
        }

        /** Why it was refused, or null if granted. */
        public Refusal refusal() {
            return refusal;
        }

        @Override
        public void close() {
            if (refusal == null && released.compareAndSet(false, true)) {
                if (address != null) {
                    perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
                }
                total.decrementAndGet();
            }
        }
    }
}
