package dev.mailkit.dns;

import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsException;
import dev.mailkit.core.dns.DnsRecord;
import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.core.dns.DnsType;

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
import java.util.concurrent.CompletableFuture;

/**
 * A {@link DnsResolver} that answers from records given to its builder, without any network: for tests and for
 * closed set-ups. A name exists when it has any record (of any type); asked for a type it has no record of, it
 * answers none (NODATA); any other name does not exist (NXDOMAIN). Names are compared without regard to case or a
 * trailing dot. Immutable and thread-safe.
 *
 * <pre>{@code
 * DnsResolver dns = StaticDnsResolver.builder()
 *         .mx("remote.test", 10, "mx.remote.test")
 *         .address("mx.remote.test", "127.0.0.1")
 *         .nullMx("nomail.test")
 *         .txt("remote.test", "v=spf1 ip4:127.0.0.1 -all")
 *         .build();
 * }</pre>
 */
public final class StaticDnsResolver implements DnsResolver {
    private final Map<String, List<DnsRecord>> records;
    private final Set<String> failing;

    private StaticDnsResolver(Map<String, List<DnsRecord>> records, Set<String> failing) {
        this.records = records;
        this.failing = failing;
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletableFuture<DnsAnswer> lookup(String name, DnsType type) {
        String n = key(name);
        if (failing.contains(n)) {
            return CompletableFuture.failedFuture(new DnsException("temporary DNS failure for " + n + " " + type
                    + " (configured)"));
        }
        List<DnsRecord> all = records.get(n);
        if (all == null) {
            return CompletableFuture.completedFuture(DnsAnswer.noSuchName());
        }
        List<DnsRecord> out = new ArrayList<>();
        for (DnsRecord r : all) {
            if (r.type() == type) {
                out.add(r);
            }
        }
        return CompletableFuture.completedFuture(DnsAnswer.of(out));
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    @Override
    public String toString() {
        return "StaticDnsResolver{" + records.keySet() + (failing.isEmpty() ? "" : ", failing " + failing) + "}";
    }

    /** Builds a {@link StaticDnsResolver}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, List<DnsRecord>> records = new HashMap<>();
        private final Set<String> failing = new HashSet<>();

        private Builder() {
        }

        /** Adds a record for a name. */
        public Builder record(String name, DnsRecord record) {
            records.computeIfAbsent(key(name), k -> new ArrayList<>()).add(Objects.requireNonNull(record, "record"));
            return this;
        }

        /** Adds an MX record for the domain. */
        public Builder mx(String domain, int preference, String host) {
            if (key(host).isEmpty()) {
                throw new IllegalArgumentException("an MX host must not be empty: use nullMx(domain) for RFC 7505");
            }
            return record(domain, new DnsRecord.Mx(preference, host));
        }

        /** Gives the domain a null MX (RFC 7505: {@code MX 0 .}). */
        public Builder nullMx(String domain) {
            return record(domain, new DnsRecord.Mx(0, ""));
        }

        /**
         * Adds A or AAAA records for a host (IP literals only, such as {@code 127.0.0.1} or {@code ::1}).
         *
         * @throws IllegalArgumentException if an address is not an IP literal
         */
        public Builder address(String host, String... ips) {
            records.computeIfAbsent(key(host), k -> new ArrayList<>());
            for (String ip : ips) {
                record(host, new DnsRecord.Address(literal(ip)));
            }
            return this;
        }

        /** Adds a TXT record of one or more character strings (ISO-8859-1, one char per octet). */
        public Builder txt(String name, String... strings) {
            return record(name, DnsRecord.Txt.of(strings));
        }

        /** Adds a PTR record, e.g. {@code ptr("7.2.0.192.in-addr.arpa", "mail.example.test")}. */
        public Builder ptr(String name, String host) {
            return record(name, new DnsRecord.Ptr(host));
        }

        /** Makes every question about this name fail temporarily (as a DNS timeout would). */
        public Builder failing(String name) {
            failing.add(key(name));
            return this;
        }

        /** Builds the resolver. */
        public StaticDnsResolver build() {
            Map<String, List<DnsRecord>> copy = new HashMap<>();
            records.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return new StaticDnsResolver(Map.copyOf(copy), Set.copyOf(failing));
        }

        private static InetAddress literal(String ip) {
            Objects.requireNonNull(ip, "ip");
            if (!ip.matches("[0-9a-fA-F.:]+")) {
                throw new IllegalArgumentException("'" + ip + "' is not an IP address literal");
            }
            try {
                return InetAddress.getByName(ip);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + ip + "' is not an IP address literal", e);
            }
        }
    }
}
