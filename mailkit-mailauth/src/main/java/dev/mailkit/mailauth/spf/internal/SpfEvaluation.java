package dev.mailkit.mailauth.spf.internal;

import dev.mailkit.core.Cidr;
import dev.mailkit.core.dns.DnsException;
import dev.mailkit.core.dns.DnsRecord;
import dev.mailkit.core.dns.DnsType;
import dev.mailkit.mailauth.internal.DnsQuestions;
import dev.mailkit.mailauth.spf.SpfResult.Result;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One {@code check_host()} evaluation (RFC 7208 4): the record of each domain, its directives in order, includes and
 * redirects, with the counters they share (10 DNS-querying terms, 2 void lookups) and the deadline of the whole check.
 * Used by one thread.
 */
public final class SpfEvaluation implements SpfMacros.Values {
    private static final int MAX_DNS_TERMS = 10;
    private static final int MAX_VOID = 2;

    private final DnsQuestions dns;
    private final InetAddress ip;
    private final String sender;
    private final String helo;
    private final String receiver;
    private final Clock clock;
    private final Duration overallTimeout;
    private final long deadline;
    /** The client's validated names once looked up (see {@link #validatedNames()}). */
    private List<String> validatedNames;
    private int dnsTerms;
    private int voidLookups;

    /**
     * An evaluation for one client and sender.
     *
     * @param overallTimeout the budget of the whole check (RFC 7208 4.6.4)
     */
    public SpfEvaluation(DnsQuestions dns, InetAddress ip, String sender, String helo, String receiver, Clock clock,
                         Duration overallTimeout) {
        this.dns = dns;
        this.ip = ip;
        this.sender = sender;
        this.helo = helo;
        this.receiver = receiver;
        this.clock = clock;
        this.overallTimeout = overallTimeout;
        this.deadline = System.nanoTime() + overallTimeout.toNanos();
    }

    /**
     * check_host() for a domain.
     *
     * @throws SpfError for a temperror or permerror
     */
    public SpfOutcome check(String domain, int depth) throws SpfError {
        if (!SpfRecord.validDomain(domain)) {
            return new SpfOutcome(Result.NONE, "'" + domain + "' is not a domain name", null, domain);
        }
        if (depth > 20) {
            throw new SpfError(Result.PERMERROR, "includes and redirects nest too deep");
        }
        String text = spfRecord(domain);
        if (text == null) {
            return new SpfOutcome(Result.NONE, "no SPF record at " + domain, null, domain);
        }
        SpfRecord record = SpfRecord.parse(text, domain);
        for (SpfRecord.Directive d : record.directives()) {
            if (matches(d.mechanism(), d.argument(), domain, depth)) {
                return new SpfOutcome(d.result(), "mechanism " + d + " matched", record.exp(), domain);
            }
        }
        if (record.redirect() != null) {
            countDnsTerm();
            String target = expandDomain(record.redirect(), domain);
            SpfOutcome o = check(target, depth + 1);
            if (o.result() == Result.NONE) {
                throw new SpfError(Result.PERMERROR, "redirect to " + target + ", which has no SPF record");
            }
            return o;
        }
        return new SpfOutcome(Result.NEUTRAL, "no mechanism matched", record.exp(), domain);
    }

    private boolean matches(String mechanism, String arg, String domain, int depth) throws SpfError {
        switch (mechanism) {
            case "all":
                SpfRecord.noArgument(mechanism, arg);
                return true;
            case "include":
                return include(expandDomain(SpfRecord.domainSpec(mechanism, arg), domain), depth);
            case "a": {
                countDnsTerm();
                SpfRecord.DualCidr c = SpfRecord.dualCidr(arg);
                return anyInNetwork(addresses(target(c, domain)), c);
            }
            case "mx":
                return mx(SpfRecord.dualCidr(arg), domain);
            case "ptr": {
                countDnsTerm();
                String target = arg.isEmpty() ? domain
                        : expandDomain(SpfRecord.domainSpec(mechanism, arg), domain);
                String t = target.toLowerCase(Locale.ROOT);
                for (String name : validatedNames()) {
                    String n = name.toLowerCase(Locale.ROOT);
                    if (n.equals(t) || n.endsWith("." + t)) {
                        return true;
                    }
                }
                return false;
            }
            case "ip4":
            case "ip6":
                return ipMechanism(mechanism, arg);
            case "exists": {
                countDnsTerm();
                String target = expandDomain(SpfRecord.domainSpec(mechanism, arg), domain);
                return !query(target, DnsType.A, true).isEmpty();
            }
            default:
                throw new SpfError(Result.PERMERROR, "unknown mechanism '" + mechanism + "' at " + domain);
        }
    }

    private boolean include(String target, int depth) throws SpfError {
        countDnsTerm();
        SpfOutcome o = check(target, depth + 1);
        switch (o.result()) {
            case PASS:
                return true;
            case FAIL:
            case SOFTFAIL:
            case NEUTRAL:
                return false;
            default: // none: a permerror, as RFC 7208 5.2 says
                throw new SpfError(Result.PERMERROR, "include:" + target + " has no SPF record");
        }
    }

    private boolean mx(SpfRecord.DualCidr c, String domain) throws SpfError {
        countDnsTerm();
        String target = target(c, domain);
        List<DnsRecord> mx = query(target, DnsType.MX, true);
        if (mx.size() > 10) {
            throw new SpfError(Result.PERMERROR, "mx:" + target + " has more than 10 MX records");
        }
        for (DnsRecord r : mx) {
            if (anyInNetwork(addresses(((DnsRecord.Mx) r).host()), c)) {
                return true;
            }
        }
        return false;
    }

    private boolean ipMechanism(String mechanism, String arg) throws SpfError {
        if (!arg.startsWith(":")) {
            throw new SpfError(Result.PERMERROR, mechanism + " needs an address");
        }
        String spec = arg.substring(1);
        int slash = spec.indexOf('/');
        String addr = slash < 0 ? spec : spec.substring(0, slash);
        boolean v4 = mechanism.equals("ip4");
        int max = v4 ? 32 : 128;
        int len = slash < 0 ? max : SpfRecord.prefixLength(spec.substring(slash + 1), max);
        return Cidr.of(SpfRecord.literal(addr, v4), len).contains(ip);
    }

    private String target(SpfRecord.DualCidr c, String domain) throws SpfError {
        return c.domainSpec().isEmpty() ? domain : expandDomain(c.domainSpec(), domain);
    }

    private void countDnsTerm() throws SpfError {
        if (++dnsTerms > MAX_DNS_TERMS) {
            throw new SpfError(Result.PERMERROR, "more than " + MAX_DNS_TERMS + " DNS-querying terms");
        }
    }

    /** The addresses of a host, of the client's address family (A for IPv4 clients, AAAA for IPv6). */
    private List<InetAddress> addresses(String host) throws SpfError {
        List<InetAddress> out = new ArrayList<>();
        for (DnsRecord r : query(host, ip instanceof Inet4Address ? DnsType.A : DnsType.AAAA, true)) {
            out.add(((DnsRecord.Address) r).address());
        }
        return out;
    }

    @Override
    public List<String> validatedNames() {
        if (validatedNames == null) {
            validatedNames = List.copyOf(lookUpValidatedNames());
        }
        return validatedNames;
    }

    /**
     * The client's validated names, looked up once per evaluation: every {@code %{p}} macro and {@code ptr} mechanism
     * asks for them, and SpfFuzzTest found a record with many {@code %{p}} that made a PTR and up to 10 address
     * lookups for each, past every limit of RFC 7208 4.6.4.
     */
    private List<String> lookUpValidatedNames() {
        List<String> out = new ArrayList<>();
        List<DnsRecord> ptrs;
        try {
            ptrs = query(reverseName(ip), DnsType.PTR, false);
        } catch (SpfError e) {
            return out; // a DNS error during the PTR lookup: no match (RFC 7208 5.5)
        }
        int n = 0;
        for (DnsRecord r : ptrs) {
            if (++n > 10) {
                break;
            }
            String name = ((DnsRecord.Ptr) r).host();
            try {
                if (addresses(name).contains(ip)) {
                    out.add(name);
                }
            } catch (SpfError e) {
                // that name does not count
            }
        }
        return out;
    }

    private boolean anyInNetwork(List<InetAddress> addrs, SpfRecord.DualCidr c) {
        int len = ip instanceof Inet4Address ? c.v4() : c.v6();
        for (InetAddress a : addrs) {
            if (Cidr.of(a, len).contains(ip)) {
                return true;
            }
        }
        return false;
    }

    /** The v=spf1 record of the domain, or null; two of them are a permerror. */
    private String spfRecord(String domain) throws SpfError {
        String found = null;
        for (DnsRecord r : query(domain, DnsType.TXT, false)) {
            String txt = ((DnsRecord.Txt) r).text();
            String lower = txt.toLowerCase(Locale.ROOT);
            if (lower.equals("v=spf1") || lower.startsWith("v=spf1 ")) {
                if (found != null) {
                    throw new SpfError(Result.PERMERROR, "more than one SPF record at " + domain);
                }
                found = txt;
            }
        }
        return found;
    }

    /**
     * The records of a type; an empty list for NXDOMAIN or no records (a void lookup when {@code countVoid});
     * temperror on any DNS failure.
     */
    private List<DnsRecord> query(String name, DnsType type, boolean countVoid) throws SpfError {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SpfError(Result.TEMPERROR, "the check took longer than " + overallTimeout.toMillis() + " ms");
        }
        List<DnsRecord> out;
        try {
            out = dns.ask(name, type, Duration.ofNanos(left)).records();
        } catch (DnsException e) {
            throw new SpfError(Result.TEMPERROR, e.getMessage());
        }
        if (out.isEmpty() && countVoid && ++voidLookups > MAX_VOID) {
            throw new SpfError(Result.PERMERROR, "more than " + MAX_VOID + " void DNS lookups");
        }
        return out;
    }

    /** The explanation of a fail: the TXT record named by exp=, macro-expanded; empty on any problem. */
    public String explain(String exp, String domain) {
        try {
            String target = expandDomain(exp, domain);
            List<DnsRecord> txt = query(target, DnsType.TXT, false);
            if (txt.size() != 1) {
                return "";
            }
            String text = SpfMacros.expand(((DnsRecord.Txt) txt.get(0)).text(), domain, true, this);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < text.length() && sb.length() < 300; i++) {
                char c = text.charAt(i);
                sb.append(c >= 32 && c < 127 ? c : ' ');
            }
            return sb.toString().trim();
        } catch (SpfError e) {
            return "";
        }
    }

    /** Expands a domain-spec and shortens it to 253 characters from the left (RFC 7208 7.3). */
    private String expandDomain(String spec, String domain) throws SpfError {
        String s = stripDot(SpfMacros.expand(spec, domain, false, this));
        while (s.length() > 253 && s.indexOf('.') > 0) {
            s = s.substring(s.indexOf('.') + 1);
        }
        return s;
    }

    /** The reverse-lookup name of an address (in-addr.arpa or ip6.arpa). */
    static String reverseName(InetAddress ip) {
        byte[] b = ip.getAddress();
        StringBuilder sb = new StringBuilder();
        if (b.length == 4) {
            for (int i = 3; i >= 0; i--) {
                sb.append(b[i] & 0xff).append('.');
            }
            return sb.append("in-addr.arpa").toString();
        }
        for (int i = 15; i >= 0; i--) {
            sb.append(Character.forDigit(b[i] & 0xf, 16)).append('.').append(Character.forDigit((b[i] >> 4) & 0xf, 16))
                    .append('.');
        }
        return sb.append("ip6.arpa").toString();
    }

    /** The name without a trailing dot. */
    public static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public String sender() {
        return sender;
    }

    @Override
    public String helo() {
        return helo;
    }

    @Override
    public InetAddress ip() {
        return ip;
    }

    @Override
    public String receiver() {
        return receiver;
    }

    @Override
    public long now() {
        return clock.instant().getEpochSecond();
    }
}
