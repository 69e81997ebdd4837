package dev.mailkit.mailauth.spf.internal;

import dev.mailkit.mailauth.spf.SpfResult.Result;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An SPF record split into its terms (RFC 7208 4.6.1): the directives in order, and the redirect= and exp= modifiers
 * (other modifiers are ignored, RFC 7208 6). Parsing only: what a term means is {@link SpfEvaluation}'s business.
 *
 * @param directives the mechanisms with their qualifiers, in order
 * @param redirect   the redirect= domain-spec, or null
 * @param exp        the exp= domain-spec, or null
 */
record SpfRecord(List<Directive> directives, String redirect, String exp) {

    /**
     * One directive: a qualifier, a mechanism name (lower case) and its raw argument (from its ':' or '/').
     *
     * @param result    the result when it matches (from the qualifier: + pass, - fail, ~ softfail, ? neutral)
     * @param qualifier the qualifier as written, "" for the default
     * @param mechanism the mechanism name, lower case
     * @param argument  what follows the name, starting with ':' or '/', or ""
     */
    record Directive(Result result, String qualifier, String mechanism, String argument) {
        @Override
        public String toString() {
            return qualifier + mechanism + argument;
        }
    }

    /** A mechanism's domain-spec and its IPv4 and IPv6 prefix lengths ({@code a:host/24//64}). */
    record DualCidr(String domainSpec, int v4, int v6) {
    }

    /** The mechanisms of RFC 7208 5 (any other name is a syntax error). */
    private static final java.util.Set<String> MECHANISMS = java.util.Set.of("all", "include", "a", "mx", "ptr", "ip4",
            "ip6", "exists");

    /**
     * Splits a record (starting with {@code v=spf1}).
     *
     * @throws SpfError a permerror for two redirect= or two exp= modifiers, a character other than a space or
     *                  visible ASCII (RFC 7208 4.6.1 and 7.1: terms are visible ASCII separated by spaces), or a term
     *                  that is neither a modifier nor a known mechanism (RFC 7208 4.6: a syntax error anywhere)
     */
    static SpfRecord parse(String record, String domain) throws SpfError {
        for (int i = 0; i < record.length(); i++) {
            char c = record.charAt(i);
            if (c != ' ' && (c < 0x21 || c > 0x7e)) {
                throw new SpfError(Result.PERMERROR, String.format("the SPF record at %s has the character U+%04X at "
                        + "offset %d: only visible ASCII and spaces are allowed (RFC 7208 4.6.1)", domain, (int) c, i));
            }
        }
        String redirect = null;
        String exp = null;
        List<Directive> directives = new ArrayList<>();
        for (String term : record.substring(6).strip().split(" +")) {
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
                continue;
            }
            String q = "";
            String t = term;
            if ("+-~?".indexOf(t.charAt(0)) >= 0) {
                q = t.substring(0, 1);
                t = t.substring(1);
            }
            int sep = indexOfAny(t, ":/");
            String name = (sep < 0 ? t : t.substring(0, sep)).toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw new SpfError(Result.PERMERROR, "the SPF record at " + domain + " has the term '" + term
                        + "' without a mechanism name (RFC 7208 4.6.1: directive = [qualifier] mechanism)");
            }
            if (!MECHANISMS.contains(name)) { // a syntax error anywhere is a permerror at once (RFC 7208 4.6)
                throw new SpfError(Result.PERMERROR, "unknown mechanism '" + name + "' at " + domain);
            }
            directives.add(new Directive(qualifierResult(q), q.equals("+") ? "" : q, name,
                    sep < 0 ? "" : t.substring(sep)));
        }
        return new SpfRecord(List.copyOf(directives), redirect, exp);
    }

    /** Parses {@code [:domain-spec][/v4[//v6]]} of the a and mx mechanisms. */
    static DualCidr dualCidr(String arg) throws SpfError {
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
        return new DualCidr(a, v4, v6);
    }

    /** The domain-spec of include, exists and ptr (which take no prefix length). */
    static String domainSpec(String mechanism, String arg) throws SpfError {
        if (!arg.startsWith(":") || arg.length() == 1 || arg.indexOf('/') >= 0) {
            throw new SpfError(Result.PERMERROR, mechanism + " needs a domain: " + mechanism + ":example.com");
        }
        return arg.substring(1);
    }

    static void noArgument(String mechanism, String arg) throws SpfError {
        if (!arg.isEmpty()) {
            throw new SpfError(Result.PERMERROR, mechanism + " takes no argument");
        }
    }

    static int prefixLength(String s, int max) throws SpfError {
        if (!s.matches("0|[1-9][0-9]{0,2}")) {
            throw new SpfError(Result.PERMERROR, "bad prefix length '/" + s + "'");
        }
        int n = Integer.parseInt(s);
        if (n > max) {
            throw new SpfError(Result.PERMERROR, "prefix length /" + n + " over " + max);
        }
        return n;
    }

    /** The address literal of ip4: or ip6:, of the family the mechanism names. */
    static InetAddress literal(String addr, boolean v4) throws SpfError {
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
}
