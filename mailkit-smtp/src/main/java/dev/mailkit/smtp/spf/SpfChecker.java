package dev.mailkit.smtp.spf;

import dev.mailkit.smtp.internal.DnsQuestions;
import dev.mailkit.smtp.spf.SpfResult.Result;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks whether a client may send mail for a domain, by the domain's SPF policy (RFC 7208): {@code check_host()}
 * with every mechanism (all, include, a, mx, ptr, ip4, ip6, exists), the redirect and exp modifiers, macros, the
 * limits of 10 DNS-querying terms and 2 void lookups, and the results none, neutral, pass, fail, softfail, temperror
 * and permerror. DNS questions go through dnsjava.
 *
 * <p>Defaults: the operating system's name servers, 5 seconds per question and 20 seconds for a whole check (RFC 7208
 * 4.6.4; after it, temperror), receiver name {@code unknown} (for the {@code %{r}} macro). Each checker has its own
 * DNS cache. Thread-safe.
 */
public final class SpfChecker {
    private static final int MAX_DNS_TERMS = 10;
    private static final int MAX_VOID = 2;

    private final DnsQuestions dns;
    private final Duration overallTimeout;
    private final String receiver;
    private final Clock clock;

    private SpfChecker(Builder b) {
        this.dns = DnsQuestions.of(b.resolver, b.timeout);
        this.overallTimeout = b.overallTimeout;
        this.receiver = b.receiver;
        this.clock = b.clock;
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks the MAIL FROM identity (RFC 7208 2.4): {@code sender} is the reverse-path, or empty for the null
     * reverse-path, in which case {@code postmaster@HELO} is checked.
     *
     * @param client the SMTP client's address
     * @param sender the reverse-path (e.g. {@code user@example.com}), or empty for {@code <>}
     * @param helo   the HELO/EHLO name
     */
    public SpfResult checkMailFrom(InetAddress client, String sender, String helo) {
        String s = sender == null || sender.isEmpty() ? "postmaster@" + helo : sender;
        int at = s.lastIndexOf('@');
        String domain = at < 0 ? s : s.substring(at + 1);
        if (at < 0) {
            s = "postmaster@" + s;
        }
        return checkHost(client, domain, s, helo);
    }

    /** Checks the HELO identity (RFC 7208 2.3): the policy of the HELO name, for {@code postmaster@HELO}. */
    public SpfResult checkHelo(InetAddress client, String helo) {
        return checkHost(client, helo, "postmaster@" + helo, helo);
    }

    /** {@code check_host(ip, domain, sender)} of RFC 7208 4. */
    public SpfResult checkHost(InetAddress client, String domain, String sender, String helo) {
        Objects.requireNonNull(client, "client");
        Evaluation e = new Evaluation(client, sender, helo == null ? "" : helo);
        String d = domain == null ? "" : stripDot(domain.trim());
        try {
            Outcome o = e.check(d, 0);
            String explanation = o.result == Result.FAIL && o.exp != null ? e.explain(o.exp, o.domain) : "";
            return new SpfResult(o.result, d, explanation, o.detail);
        } catch (SpfError err) {
            return new SpfResult(err.result, d, "", err.getMessage());
        }
    }

    /** What check_host found for one domain; exp is the domain's exp= modifier (for the explanation), if any. */
    private static final class Outcome {
        final Result result;
        final String detail;
        final String exp;
        final String domain;

        Outcome(Result result, String detail, String exp, String domain) {
            this.result = result;
            this.detail = detail;
            this.exp = exp;
            this.domain = domain;
        }
    }

    /** A temperror or permerror that ends the whole evaluation. */
    private static final class SpfError extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Result result;

        SpfError(Result result, String message) {
            super(message);
            this.result = result;
        }
    }

    /** One check_host() evaluation with its counters (shared by includes and redirects). */
    private final class Evaluation {
        final InetAddress ip;
        final String sender;
        final String helo;
        int dnsTerms;
        int voidLookups;
        final long deadline = System.nanoTime() + overallTimeout.toNanos();

        Evaluation(InetAddress ip, String sender, String helo) {
            this.ip = ip;
            this.sender = sender;
            this.helo = helo;
        }

        Outcome check(String domain, int depth) throws SpfError {
            if (!validDomain(domain)) {
                return new Outcome(Result.NONE, "'" + domain + "' is not a domain name", null, domain);
            }
            if (depth > 20) {
                throw new SpfError(Result.PERMERROR, "includes and redirects nest too deep");
            }
            String record = spfRecord(domain);
            if (record == null) {
                return new Outcome(Result.NONE, "no SPF record at " + domain, null, domain);
            }
            String redirect = null;
            String exp = null;
            List<String[]> directives = new ArrayList<>(); // {qualifier, name, argument}
            for (String term : record.substring(6).trim().split(" +")) {
                if (term.isEmpty()) {
                    continue;
                }
                int eq = term.indexOf('=');
                int colon = term.indexOf(':');
                int slash = term.indexOf('/');
                boolean modifier = eq > 0 && (colon < 0 || eq < colon) && (slash < 0 || eq < slash)
                        && term.substring(0, eq).matches("[A-Za-z][A-Za-z0-9._-]*");
                if (modifier) {
                    String name = term.substring(0, eq).toLowerCase(Locale.ROOT);
                    String value = term.substring(eq + 1);
                    if (name.equals("redirect")) {
                        if (redirect != null) {
                            throw new SpfError(Result.PERMERROR, "two redirect= modifiers at " + domain);
                        }
                        redirect = value;
                    } else if (name.equals("exp")) {
                        if (exp != null) {
                            throw new SpfError(Result.PERMERROR, "two exp= modifiers at " + domain);
                        }
                        exp = value;
                    }
                    continue; // unknown modifiers are ignored (RFC 7208 6)
                }
                String q = "+";
                String t = term;
                if ("+-~?".indexOf(t.charAt(0)) >= 0) {
                    q = t.substring(0, 1);
                    t = t.substring(1);
                }
                int sep = indexOfAny(t, ":/");
                String name = (sep < 0 ? t : t.substring(0, sep)).toLowerCase(Locale.ROOT);
                String arg = sep < 0 ? "" : t.substring(sep);
                directives.add(new String[] {q, name, arg});
            }
            for (String[] d : directives) {
                if (matches(d[1], d[2], domain, depth)) {
                    return new Outcome(qualifierResult(d[0]), "mechanism " + d[0].replace("+", "") + d[1] + d[2]
                            + " matched", exp, domain);
                }
            }
            if (redirect != null) {
                countDnsTerm();
                String target = expandDomain(redirect, domain);
                Outcome o = check(target, depth + 1);
                if (o.result == Result.NONE) {
                    throw new SpfError(Result.PERMERROR, "redirect to " + target + ", which has no SPF record");
                }
                return o;
            }
            return new Outcome(Result.NEUTRAL, "no mechanism matched", exp, domain);
        }

        boolean matches(String mechanism, String arg, String domain, int depth) throws SpfError {
            switch (mechanism) {
                case "all":
                    requireNoArgument(mechanism, arg);
                    return true;
                case "include": {
                    countDnsTerm();
                    String target = expandDomain(requireDomainSpec(mechanism, arg), domain);
                    Outcome o = check(target, depth + 1);
                    switch (o.result) {
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
                case "a": {
                    countDnsTerm();
                    Cidrs c = cidrs(arg);
                    String target = c.domainSpec.isEmpty() ? domain : expandDomain(c.domainSpec, domain);
                    return anyInNetwork(addresses(target), c);
                }
                case "mx": {
                    countDnsTerm();
                    Cidrs c = cidrs(arg);
                    String target = c.domainSpec.isEmpty() ? domain : expandDomain(c.domainSpec, domain);
                    List<org.xbill.DNS.Record> mx = query(target, Type.MX, true);
                    if (mx.size() > 10) {
                        throw new SpfError(Result.PERMERROR, "mx:" + target + " has more than 10 MX records");
                    }
                    for (org.xbill.DNS.Record r : mx) {
                        String host = stripDot(((MXRecord) r).getTarget().toString());
                        if (anyInNetwork(addresses(host), c)) {
                            return true;
                        }
                    }
                    return false;
                }
                case "ptr": {
                    countDnsTerm();
                    String target = arg.isEmpty() ? domain : expandDomain(requireDomainSpec(mechanism, arg), domain);
                    for (String name : validatedNames()) {
                        String n = name.toLowerCase(Locale.ROOT);
                        String t = target.toLowerCase(Locale.ROOT);
                        if (n.equals(t) || n.endsWith("." + t)) {
                            return true;
                        }
                    }
                    return false;
                }
                case "ip4":
                case "ip6": {
                    if (!arg.startsWith(":")) {
                        throw new SpfError(Result.PERMERROR, mechanism + " needs an address");
                    }
                    String spec = arg.substring(1);
                    int slash = spec.indexOf('/');
                    String addr = slash < 0 ? spec : spec.substring(0, slash);
                    boolean v4 = mechanism.equals("ip4");
                    int max = v4 ? 32 : 128;
                    int len = slash < 0 ? max : prefixLength(spec.substring(slash + 1), max);
                    InetAddress net = literal(addr, v4);
                    return inNetwork(ip, net, len);
                }
                case "exists": {
                    countDnsTerm();
                    String target = expandDomain(requireDomainSpec(mechanism, arg), domain);
                    return !query(target, Type.A, true).isEmpty();
                }
                default:
                    throw new SpfError(Result.PERMERROR, "unknown mechanism '" + mechanism + "' at " + domain);
            }
        }

        void countDnsTerm() throws SpfError {
            if (++dnsTerms > MAX_DNS_TERMS) {
                throw new SpfError(Result.PERMERROR, "more than " + MAX_DNS_TERMS + " DNS-querying terms");
            }
        }

        /** The addresses of a host, of the client's address family (A for IPv4 clients, AAAA for IPv6). */
        List<InetAddress> addresses(String host) throws SpfError {
            List<InetAddress> out = new ArrayList<>();
            boolean v4 = ip instanceof Inet4Address;
            for (org.xbill.DNS.Record r : query(host, v4 ? Type.A : Type.AAAA, true)) {
                out.add(r instanceof ARecord ? ((ARecord) r).getAddress() : ((AAAARecord) r).getAddress());
            }
            return out;
        }

        /** The client's names from PTR that resolve back to it (RFC 7208 5.5), at most 10. */
        List<String> validatedNames() throws SpfError {
            List<String> out = new ArrayList<>();
            List<org.xbill.DNS.Record> ptrs;
            try {
                ptrs = query(ReverseMap.fromAddress(ip).toString(), Type.PTR, false);
            } catch (SpfError e) {
                return out; // a DNS error during the PTR lookup: no match (RFC 7208 5.5)
            }
            int n = 0;
            for (org.xbill.DNS.Record r : ptrs) {
                if (++n > 10) {
                    break;
                }
                String name = stripDot(((PTRRecord) r).getTarget().toString());
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

        boolean anyInNetwork(List<InetAddress> addrs, Cidrs c) {
            int len = ip instanceof Inet4Address ? c.v4 : c.v6;
            for (InetAddress a : addrs) {
                if (inNetwork(ip, a, len)) {
                    return true;
                }
            }
            return false;
        }

        /** The v=spf1 record of the domain, or null; two of them are a permerror. */
        String spfRecord(String domain) throws SpfError {
            String found = null;
            for (org.xbill.DNS.Record r : query(domain, Type.TXT, false)) {
                String txt = DnsQuestions.text((TXTRecord) r);
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
        List<org.xbill.DNS.Record> query(String name, int type, boolean countVoid) throws SpfError {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SpfError(Result.TEMPERROR, "the check took longer than " + overallTimeout.toMillis()
                        + " ms");
            }
            List<org.xbill.DNS.Record> out;
            try {
                out = dns.ask(name, type, Duration.ofNanos(left)).records();
            } catch (DnsQuestions.Failure e) {
                throw new SpfError(Result.TEMPERROR, e.getMessage());
            }
            if (out.isEmpty() && countVoid && ++voidLookups > MAX_VOID) {
                throw new SpfError(Result.PERMERROR, "more than " + MAX_VOID + " void DNS lookups");
            }
            return out;
        }

        /** The explanation of a fail: the TXT record named by exp=, macro-expanded; empty on any problem. */
        String explain(String exp, String domain) {
            try {
                String target = expandDomain(exp, domain);
                List<org.xbill.DNS.Record> txt = query(target, Type.TXT, false);
                if (txt.size() != 1) {
                    return "";
                }
                String text = expand(DnsQuestions.text((TXTRecord) txt.get(0)), domain, true);
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
        String expandDomain(String spec, String domain) throws SpfError {
            String s = stripDot(expand(spec, domain, false));
            while (s.length() > 253 && s.indexOf('.') > 0) {
                s = s.substring(s.indexOf('.') + 1);
            }
            return s;
        }

        /** Macro expansion (RFC 7208 7). */
        String expand(String spec, String domain, boolean explanation) throws SpfError {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < spec.length(); i++) {
                char c = spec.charAt(i);
                if (c != '%') {
                    out.append(c);
                    continue;
                }
                if (++i >= spec.length()) {
                    throw new SpfError(Result.PERMERROR, "'%' at the end of '" + spec + "'");
                }
                char n = spec.charAt(i);
                if (n == '%') {
                    out.append('%');
                } else if (n == '_') {
                    out.append(' ');
                } else if (n == '-') {
                    out.append("%20");
                } else if (n == '{') {
                    int close = spec.indexOf('}', i);
                    if (close < 0) {
                        throw new SpfError(Result.PERMERROR, "unterminated macro in '" + spec + "'");
                    }
                    out.append(macro(spec.substring(i + 1, close), domain, explanation));
                    i = close;
                } else {
                    throw new SpfError(Result.PERMERROR, "bad macro '%" + n + "' in '" + spec + "'");
                }
            }
            return out.toString();
        }

        String macro(String m, String domain, boolean explanation) throws SpfError {
            if (m.isEmpty()) {
                throw new SpfError(Result.PERMERROR, "empty macro");
            }
            char letter = m.charAt(0);
            boolean upper = Character.isUpperCase(letter);
            String value;
            int at = sender.lastIndexOf('@');
            switch (Character.toLowerCase(letter)) {
                case 's':
                    value = sender;
                    break;
                case 'l':
                    value = at <= 0 ? "postmaster" : sender.substring(0, at);
                    break;
                case 'o':
                    value = sender.substring(at + 1);
                    break;
                case 'd':
                    value = domain;
                    break;
                case 'i':
                    value = dottedIp();
                    break;
                case 'p':
                    List<String> names = validatedNames();
                    value = names.isEmpty() ? "unknown" : names.get(0);
                    break;
                case 'v':
                    value = ip instanceof Inet4Address ? "in-addr" : "ip6";
                    break;
                case 'h':
                    value = helo;
                    break;
                case 'c':
                case 'r':
                case 't':
                    if (!explanation) {
                        throw new SpfError(Result.PERMERROR, "macro %{" + letter + "} is allowed only in exp=");
                    }
                    value = letter == 'c' || letter == 'C' ? ip.getHostAddress()
                            : letter == 'r' || letter == 'R' ? receiver : Long.toString(clock.instant().getEpochSecond());
                    break;
                default:
                    throw new SpfError(Result.PERMERROR, "unknown macro letter '" + letter + "'");
            }
            int j = 1;
            int digits = 0;
            while (j < m.length() && Character.isDigit(m.charAt(j))) {
                digits = digits * 10 + (m.charAt(j) - '0');
                j++;
            }
            boolean hasDigits = j > 1;
            if (hasDigits && digits == 0) {
                throw new SpfError(Result.PERMERROR, "macro transformer 0 in %{" + m + "}");
            }
            boolean reverse = j < m.length() && (m.charAt(j) == 'r' || m.charAt(j) == 'R');
            if (reverse) {
                j++;
            }
            String delimiters = m.substring(j);
            for (char d : delimiters.toCharArray()) {
                if (".-+,/_=".indexOf(d) < 0) {
                    throw new SpfError(Result.PERMERROR, "bad delimiter '" + d + "' in %{" + m + "}");
                }
            }
            if (hasDigits || reverse || !delimiters.isEmpty()) {
                String delims = delimiters.isEmpty() ? "." : delimiters;
                List<String> parts = new ArrayList<>();
                int start = 0;
                for (int k = 0; k <= value.length(); k++) {
                    if (k == value.length() || delims.indexOf(value.charAt(k)) >= 0) {
                        parts.add(value.substring(start, k));
                        start = k + 1;
                    }
                }
                if (reverse) {
                    Collections.reverse(parts);
                }
                if (hasDigits && digits < parts.size()) {
                    parts = parts.subList(parts.size() - digits, parts.size());
                }
                value = String.join(".", parts);
            }
            return upper ? URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20") : value;
        }

        String dottedIp() {
            if (ip instanceof Inet4Address) {
                return ip.getHostAddress();
            }
            StringBuilder sb = new StringBuilder();
            for (byte b : ip.getAddress()) {
                sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append('.').append(Character.forDigit(b & 0xf, 16))
                        .append('.');
            }
            return sb.substring(0, sb.length() - 1);
        }
    }

    /** A mechanism's domain-spec and its IPv4 and IPv6 prefix lengths ({@code a:host/24//64}). */
    private static final class Cidrs {
        final String domainSpec;
        final int v4;
        final int v6;

        Cidrs(String domainSpec, int v4, int v6) {
            this.domainSpec = domainSpec;
            this.v4 = v4;
            this.v6 = v6;
        }
    }

    private static Cidrs cidrs(String arg) throws SpfError {
        String a = arg;
        int v4 = 32;
        int v6 = 128;
        int dbl = a.indexOf("//");
        if (dbl >= 0) {
            v6 = prefixLength(a.substring(dbl + 2), 128);
            a = a.substring(0, dbl);
        }
        int slash = a.indexOf('/');
        if (slash >= 0) {
            v4 = prefixLength(a.substring(slash + 1), 32);
            a = a.substring(0, slash);
        }
        if (a.startsWith(":")) {
            a = a.substring(1);
            if (a.isEmpty()) {
                throw new SpfError(Result.PERMERROR, "empty domain after ':'");
            }
        } else if (!a.isEmpty()) {
            throw new SpfError(Result.PERMERROR, "malformed mechanism argument '" + arg + "'");
        }
        return new Cidrs(a, v4, v6);
    }

    private static String requireDomainSpec(String mechanism, String arg) throws SpfError {
        if (!arg.startsWith(":") || arg.length() == 1 || arg.indexOf('/') >= 0) {
            throw new SpfError(Result.PERMERROR, mechanism + " needs a domain: " + mechanism + ":example.com");
        }
        return arg.substring(1);
    }

    private static void requireNoArgument(String mechanism, String arg) throws SpfError {
        if (!arg.isEmpty()) {
            throw new SpfError(Result.PERMERROR, mechanism + " takes no argument");
        }
    }

    private static int prefixLength(String s, int max) throws SpfError {
        if (!s.matches("0|[1-9][0-9]{0,2}")) {
            throw new SpfError(Result.PERMERROR, "bad prefix length '/" + s + "'");
        }
        int n = Integer.parseInt(s);
        if (n > max) {
            throw new SpfError(Result.PERMERROR, "prefix length /" + n + " over " + max);
        }
        return n;
    }

    private static InetAddress literal(String addr, boolean v4) throws SpfError {
        boolean looksV4 = addr.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (v4 != looksV4 || (!v4 && !addr.contains(":"))) {
            throw new SpfError(Result.PERMERROR, "'" + addr + "' is not an IPv" + (v4 ? "4" : "6") + " address");
        }
        try {
            InetAddress a = InetAddress.getByName(addr); // a literal: no DNS question
            if (v4 != (a instanceof Inet4Address) && !(v4 && a.getAddress().length == 4)) {
                throw new SpfError(Result.PERMERROR, "'" + addr + "' is not an IPv" + (v4 ? "4" : "6") + " address");
            }
            return a;
        } catch (UnknownHostException e) {
            throw new SpfError(Result.PERMERROR, "'" + addr + "' is not an address");
        }
    }

    /** Whether {@code ip} is in {@code net/len} (both of one family; a mismatch never matches). */
    static boolean inNetwork(InetAddress ip, InetAddress net, int len) {
        byte[] a = ip.getAddress();
        byte[] b = net.getAddress();
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            int mask = 0x80 >> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static Result qualifierResult(String q) {
        switch (q) {
            case "-":
                return Result.FAIL;
            case "~":
                return Result.SOFTFAIL;
            case "?":
                return Result.NEUTRAL;
            default:
                return Result.PASS;
        }
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** A fully qualified domain name of at least two labels, each 1 to 63 characters (RFC 7208 4.3). */
    static boolean validDomain(String d) {
        if (d.isEmpty() || d.length() > 253 || !d.contains(".")) {
            return false;
        }
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
        }
        return true;
    }

    /** Builds an {@link SpfChecker}. Not thread-safe. */
    public static final class Builder {
        private Resolver resolver;
        private Duration timeout = Duration.ofSeconds(5);
        private Duration overallTimeout = Duration.ofSeconds(20);
        private String receiver = "unknown";
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Asks the given name servers (default: those of the operating system). */
        public Builder dnsServers(InetSocketAddress... servers) {
            this.resolver = DnsQuestions.servers(servers);
            return this;
        }

        /** Asks through the given dnsjava resolver (for example one answering from an in-memory zone). */
        public Builder resolver(Resolver r) {
            this.resolver = Objects.requireNonNull(r, "resolver");
            return this;
        }

        /** How long one DNS question may take (default 5 seconds); after it, the result is temperror. */
        public Builder timeout(Duration d) {
            this.timeout = DnsQuestions.positive(d, "timeout");
            return this;
        }

        /** How long a whole check may take (default 20 seconds, RFC 7208 4.6.4); after it, the result is temperror. */
        public Builder overallTimeout(Duration d) {
            this.overallTimeout = DnsQuestions.positive(d, "overallTimeout");
            return this;
        }

        /** This server's name, for the {@code %{r}} macro in explanations (default {@code unknown}). */
        public Builder receiver(String name) {
            this.receiver = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The clock for the {@code %{t}} macro (default the system clock). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Builds the checker. */
        public SpfChecker build() {
            return new SpfChecker(this);
        }
    }
}
