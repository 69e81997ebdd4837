package dev.mailkit.smtp.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link RelayResolver} that answers from tables given to its builder, without any network: for tests and for
 * closed set-ups. A domain with MX entries answers them; a domain with a null MX answers {@link MxLookup#nullMx()};
 * a name with addresses but no MX answers {@link MxLookup#noRecords()} (the implicit MX); anything else does not
 * exist. Names are compared without regard to case. Immutable and thread-safe.
 *
 * <pre>{@code
 * RelayResolver dns = StaticRelayResolver.builder()
 *         .mx("remote.test", 10, "mx.remote.test")
 *         .address("mx.remote.test", "127.0.0.1")
 *         .nullMx("nomail.test")
 *         .build();
 * }</pre>
 */
public final class StaticRelayResolver implements RelayResolver {
    private final Map<String, List<MxLookup.Host>> mx;
    private final Set<String> nullMx;
    private final Map<String, List<InetAddress>> addresses;
    private final Set<String> failing;

    private StaticRelayResolver(Builder b) {
        this.mx = Map.copyOf(b.mx);
        this.nullMx = Set.copyOf(b.nullMx);
        this.addresses = Map.copyOf(b.addresses);
        this.failing = Set.copyOf(b.failing);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public MxLookup mx(String domain) throws IOException {
        String d = key(domain);
        if (failing.contains(d)) {
            throw new IOException("temporary DNS failure for " + d + " (configured)");
        }
        if (nullMx.contains(d)) {
            return MxLookup.nullMx();
        }
        List<MxLookup.Host> hosts = mx.get(d);
        if (hosts != null) {
            return MxLookup.records(hosts);
        }
        return addresses.containsKey(d) ? MxLookup.noRecords() : MxLookup.noSuchDomain();
    }

    @Override
    public List<InetAddress> addresses(String host) throws IOException {
        String h = key(host);
        if (failing.contains(h)) {
            throw new IOException("temporary DNS failure for " + h + " (configured)");
        }
        return addresses.getOrDefault(h, List.of());
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    @Override
    public String toString() {
        return "StaticRelayResolver{mx=" + mx + ", nullMx=" + nullMx + ", addresses=" + addresses.keySet() + "}";
    }

    /** Builds a {@link StaticRelayResolver}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, List<MxLookup.Host>> mx = new HashMap<>();
        private final Set<String> nullMx = new HashSet<>();
        private final Map<String, List<InetAddress>> addresses = new HashMap<>();
        private final Set<String> failing = new HashSet<>();

        private Builder() {
        }

        /** Adds an MX record for the domain. */
        public Builder mx(String domain, int preference, String host) {
            mx.computeIfAbsent(key(domain), k -> new ArrayList<>()).add(MxLookup.Host.of(preference, host));
            return this;
        }

        /** Gives the domain a null MX (RFC 7505). */
        public Builder nullMx(String domain) {
            nullMx.add(key(domain));
            return this;
        }

        /**
         * Adds addresses for a host (IP literals only, such as {@code 127.0.0.1} or {@code ::1}).
         *
         * @throws IllegalArgumentException if an address is not an IP literal
         */
        public Builder address(String host, String... ips) {
            List<InetAddress> list = addresses.computeIfAbsent(key(host), k -> new ArrayList<>());
            for (String ip : ips) {
                Objects.requireNonNull(ip, "ip");
                if (!ip.matches("[0-9a-fA-F.:]+")) {
                    throw new IllegalArgumentException("'" + ip + "' is not an IP address literal");
                }
                try {
                    list.add(InetAddress.getByName(ip));
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("'" + ip + "' is not an IP address literal", e);
                }
            }
            return this;
        }

        /** Makes every question about this name fail temporarily (as a DNS timeout would). */
        public Builder failing(String name) {
            failing.add(key(name));
            return this;
        }

        /** Builds the resolver. */
        public StaticRelayResolver build() {
            Map<String, List<InetAddress>> a = new HashMap<>();
            addresses.forEach((k, v) -> a.put(k, List.copyOf(v)));
            Map<String, List<MxLookup.Host>> m = new HashMap<>();
            mx.forEach((k, v) -> m.put(k, List.copyOf(v)));
            Builder copy = new Builder();
            copy.mx.putAll(m);
            copy.nullMx.addAll(nullMx);
            copy.addresses.putAll(a);
            copy.failing.addAll(failing);
            return new StaticRelayResolver(copy);
        }
    }
}
