package dev.mailkit.smtp.relay;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.hosts.HostsFileParser;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link RelayResolver} that asks real DNS servers, through dnsjava. Each instance has its own
 * {@link LookupSession} and its own answer cache (never dnsjava's JVM-wide {@code Lookup} defaults), so two relays in
 * one JVM never see each other's answers.
 *
 * <p>dnsjava reports "the name exists but has no record of this type" as an empty answer the first time and as a
 * {@link NoSuchRRSetException} once the negative answer is cached; both mean the same here. A null MX (a single
 * {@code MX 0 .}) is recognised (RFC 7505). Timeouts, SERVFAIL and other failures are temporary
 * ({@link IOException}).
 *
 * <p>Defaults: 10 seconds per question. Thread-safe.
 */
public final class DnsRelayResolver implements RelayResolver {
    private final LookupSession session;
    private final Duration timeout;
    private final String description;

    private DnsRelayResolver(Resolver resolver, boolean hostsFile, Duration timeout, String description) {
        resolver.setTimeout(timeout);
        LookupSession.LookupSessionBuilder b = LookupSession.builder()
                .resolver(resolver)
                .cache(new Cache(DClass.IN))
                .executor(Runnable::run)
                .clearSearchPath()
                .ndots(1);
        if (hostsFile) {
            b.hostsFileParser(new HostsFileParser());
        }
        this.session = b.build();
        this.timeout = timeout;
        this.description = description;
    }

    /**
     * Asks the name servers of the operating system's configuration ({@code /etc/resolv.conf}) and consults the hosts
     * file for addresses.
     */
    public static DnsRelayResolver system() {
        return system(Duration.ofSeconds(10));
    }

    /** Like {@link #system()} with the given timeout per question. */
    public static DnsRelayResolver system(Duration timeout) {
        return new DnsRelayResolver(new ExtendedResolver(), true, positive(timeout), "system name servers");
    }

    /**
     * Asks the given name servers (for example a test DNS server on a loopback port), nothing else: no hosts file.
     *
     * @throws IllegalArgumentException if no server is given
     */
    public static DnsRelayResolver using(Duration timeout, InetSocketAddress... servers) {
        Resolver r = dev.mailkit.smtp.internal.DnsQuestions.servers(servers);
        return new DnsRelayResolver(r, false, positive(timeout), "DNS servers " + List.of(servers));
    }

    /** Asks through the given dnsjava resolver (for example one that answers from an in-memory zone). */
    public static DnsRelayResolver using(Resolver resolver, Duration timeout) {
        return new DnsRelayResolver(Objects.requireNonNull(resolver, "resolver"), false, positive(timeout),
                resolver.toString());
    }

    @Override
    public MxLookup mx(String domain) throws IOException {
        Name name = name(domain);
        List<org.xbill.DNS.Record> records;
        try {
            records = lookup(name, Type.MX);
        } catch (NoSuchDomainException e) {
            return MxLookup.noSuchDomain();
        }
        List<MxLookup.Host> hosts = new ArrayList<>();
        boolean nullMx = false;
        for (org.xbill.DNS.Record r : records) {
            if (r instanceof MXRecord) {
                MXRecord mx = (MXRecord) r;
                if (mx.getTarget().equals(Name.root)) {
                    nullMx = true; // RFC 7505: "MX 0 ." - other MX records beside it are ignored, as the RFC asks
                } else {
                    hosts.add(MxLookup.Host.of(mx.getPriority(), mx.getTarget().toString(true)));
                }
            }
        }
        if (nullMx) {
            return MxLookup.nullMx();
        }
        return hosts.isEmpty() ? MxLookup.noRecords() : MxLookup.records(hosts);
    }

    @Override
    public List<InetAddress> addresses(String host) throws IOException {
        Name name = name(host);
        List<InetAddress> out = new ArrayList<>();
        IOException failure = null;
        for (int type : new int[] {Type.A, Type.AAAA}) {
            try {
                for (org.xbill.DNS.Record r : lookup(name, type)) {
                    if (r instanceof ARecord) {
                        out.add(((ARecord) r).getAddress());
                    } else if (r instanceof AAAARecord) {
                        out.add(((AAAARecord) r).getAddress());
                    }
                }
            } catch (NoSuchDomainException e) {
                return List.of();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (out.isEmpty() && failure != null) {
            throw failure;
        }
        return out;
    }

    /**
     * The records of one type; an empty list when the name exists without such records (an empty answer or, from
     * the cache, {@link NoSuchRRSetException}).
     *
     * @throws NoSuchDomainException if the name does not exist
     * @throws IOException           on any temporary failure
     */
    private List<org.xbill.DNS.Record> lookup(Name name, int type) throws IOException {
        try {
            LookupResult r = session.lookupAsync(name, type).toCompletableFuture()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return r.getRecords();
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof NoSuchRRSetException) {
                return List.of();
            }
            if (c instanceof NoSuchDomainException) {
                throw (NoSuchDomainException) c;
            }
            throw new IOException("DNS lookup of " + name + " " + Type.string(type) + " failed: " + c, c);
        } catch (TimeoutException e) {
            throw new IOException("DNS lookup of " + name + " " + Type.string(type) + " timed out after " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during DNS lookup of " + name);
        }
    }

    private static Name name(String s) throws IOException {
        try {
            return Name.fromString(s.endsWith(".") ? s : s + ".");
        } catch (TextParseException e) {
            throw new IOException("'" + s + "' is not a valid DNS name: " + e.getMessage(), e);
        }
    }

    private static Duration positive(Duration d) {
        Objects.requireNonNull(d, "timeout");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "DnsRelayResolver{" + description + "}";
    }
}
