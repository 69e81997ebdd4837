package dev.mailkit.dns;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsException;
import dev.mailkit.core.dns.DnsRecord;
import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.core.dns.DnsType;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.hosts.HostsFileParser;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A {@link DnsResolver} that asks real name servers, through dnsjava. Each instance has its own
 * {@link LookupSession} and its own answer cache (never dnsjava's JVM-wide {@code Lookup} defaults), so two servers in
 * one JVM never see each other's answers.
 *
 * <p>dnsjava reports "the name exists but has no record of this type" as an empty answer the first time and as a
 * {@code NoSuchRRSetException} once the negative answer is cached; both are an empty {@link DnsAnswer} here.
 * Timeouts, SERVFAIL and network errors complete the future with a {@link DnsException}.
 *
 * <pre>{@code
 * DnsResolver dns = DnsJavaResolver.system();                                     // /etc/resolv.conf + /etc/hosts
 * DnsResolver test = DnsJavaResolver.using(Duration.ofSeconds(2), new InetSocketAddress("127.0.0.1", 5353));
 * }</pre>
 *
 * <p>Defaults: 10 seconds per question. Thread-safe.
 */
public final class DnsJavaResolver implements DnsResolver {
    private final LookupSession session;
    private final Duration timeout;
    private final String description;
    /** Set for a trusted validating resolver: questions go to it directly and carry its AD bit. */
    private final ValidatedQueries validated;

    private DnsJavaResolver(Resolver resolver, boolean hostsFile, Duration timeout, String description) {
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
        this.validated = null;
    }

    private DnsJavaResolver(SimpleResolver validating, Duration timeout, String description) {
        validating.setTimeout(timeout);
        this.session = null;
        this.timeout = timeout;
        this.description = description;
        this.validated = new ValidatedQueries(validating);
    }

    /**
     * Asks one validating resolver that the application trusts (a local Unbound, say, on a path nobody can tamper
     * with) and believes its AD bit, as Postfix does with {@code smtp_dns_support_level = dnssec}: answers it has
     * validated are {@link DnsAnswer#isAuthenticated() authenticated}, which DANE (RFC 7672) requires. Questions carry
     * the DO and AD bits; answers are not cached here (the validating resolver caches them); CNAMEs are followed up
     * to 8 times, and the answer is authenticated only if every step was. A bogus answer (the resolver's SERVFAIL)
     * is a {@link DnsException}.
     *
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public static DnsJavaResolver validating(Duration timeout, InetSocketAddress server) {
        SimpleResolver r = new SimpleResolver(Objects.requireNonNull(server, "server"));
        return new DnsJavaResolver(r, Arguments.positive(timeout, "timeout"), "validating DNS server " + server);
    }

    /**
     * Asks the name servers of the operating system's configuration ({@code /etc/resolv.conf}) and consults the hosts
     * file for addresses, 10 seconds per question.
     */
    public static DnsJavaResolver system() {
        return system(Duration.ofSeconds(10));
    }

    /** Like {@link #system()} with the given timeout per question. */
    public static DnsJavaResolver system(Duration timeout) {
        return new DnsJavaResolver(new ExtendedResolver(), true, Arguments.positive(timeout, "timeout"),
                "system name servers");
    }

    /**
     * Asks the given name servers (for example a test DNS server on a loopback port) and nothing else: no hosts file.
     *
     * @throws IllegalArgumentException if no server is given or the timeout is not positive
     */
    public static DnsJavaResolver using(Duration timeout, InetSocketAddress... servers) {
        if (servers.length == 0) {
            throw new IllegalArgumentException("name at least one DNS server, e.g. "
                    + "new InetSocketAddress(\"127.0.0.1\", 53)");
        }
        List<Resolver> rs = new ArrayList<>();
        for (InetSocketAddress s : servers) {
            rs.add(new SimpleResolver(Objects.requireNonNull(s, "server")));
        }
        Resolver r = rs.size() == 1 ? rs.get(0) : new ExtendedResolver(rs);
        return new DnsJavaResolver(r, false, Arguments.positive(timeout, "timeout"),
                "DNS servers " + List.of(servers));
    }

    /** Asks through a dnsjava resolver: for tests in this package's test jar (no dnsjava type in the public API). */
    static DnsJavaResolver over(Resolver resolver, Duration timeout) {
        return new DnsJavaResolver(Objects.requireNonNull(resolver, "resolver"), false,
                Arguments.positive(timeout, "timeout"), resolver.toString());
    }

    /** The timeout per question. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public CompletableFuture<DnsAnswer> lookup(String name, DnsType type) {
        Name n;
        try {
            n = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(DnsAnswer.noSuchName());
        }
        if (validated != null) {
            return validated.ask(n, type, name);
        }
        return session.lookupAsync(n, type.code()).toCompletableFuture().handle((LookupResult r, Throwable failure) -> {
            if (failure != null) {
                Throwable c = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (c instanceof NoSuchDomainException) {
                    return DnsAnswer.noSuchName();
                }
                if (c instanceof NoSuchRRSetException) {
                    return DnsAnswer.of(List.of());
                }
                throw new CompletionException(new DnsException("DNS lookup of " + name + " " + type + " failed: "
                        + c, c));
            }
            List<DnsRecord> out = new ArrayList<>();
            for (org.xbill.DNS.Record rec : r.getRecords()) {
                DnsRecord converted = convert(rec, type);
                if (converted != null) {
                    out.add(converted);
                }
            }
            return DnsAnswer.of(out);
        });
    }

    @Override
    public DnsAnswer lookup(String name, DnsType type, Duration maxWait) throws DnsException {
        // dnsjava gives up after its own timeout; a second more lets its failure arrive before ours
        Duration bound = timeout.plusSeconds(1);
        return DnsResolver.super.lookup(name, type, maxWait.compareTo(bound) < 0 ? maxWait : bound);
    }

    /** The record in mailkit's types; null for a record of another type (a CNAME on the way, say). */
    static DnsRecord convert(org.xbill.DNS.Record rec, DnsType asked) {
        if (rec.getType() != asked.code()) {
            return null;
        }
        if (rec instanceof ARecord a) {
            return new DnsRecord.Address(a.getAddress());
        }
        if (rec instanceof AAAARecord a) {
            return new DnsRecord.Address(a.getAddress());
        }
        if (rec instanceof MXRecord mx) {
            return new DnsRecord.Mx(mx.getPriority(), mx.getTarget().equals(Name.root) ? ""
                    : mx.getTarget().toString(true));
        }
        if (rec instanceof TXTRecord txt) {
            return new DnsRecord.Txt(txt.getStringsAsByteArrays());
        }
        if (rec instanceof PTRRecord ptr) {
            return new DnsRecord.Ptr(ptr.getTarget().toString(true));
        }
        if (rec instanceof TLSARecord t) {
            return new DnsRecord.Tlsa(t.getCertificateUsage(), t.getSelector(), t.getMatchingType(),
                    t.getCertificateAssociationData());
        }
        return null;
    }


    @Override
    public String toString() {
        return "DnsJavaResolver{" + description + "}";
    }
}
