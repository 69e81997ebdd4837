package dev.mailkit.mailauth.spf.internal;

import dev.mailkit.mailauth.spf.SpfResult.Result;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Macro expansion (RFC 7208 7): the letters (s, l, o, d, i, p, v, h, and c, r, t in explanations only), the digit and
 * reversal transformers, delimiters, and URL-encoding for upper-case letters.
 */
final class SpfMacros {
    /** What the letters stand for in one evaluation. */
    interface Values {
        String sender();

        String helo();

        InetAddress ip();

        /** The receiving host, for %{r}. */
        String receiver();

        /** Now in seconds since the epoch, for %{t}. */
        long now();

        /** The client's validated names, for %{p} (which asks DNS). */
        List<String> validatedNames() throws SpfError;
    }

    private SpfMacros() {
    }

    /** Expands a macro-string; {@code explanation} allows c, r and t. */
    static String expand(String spec, String domain, boolean explanation, Values v) throws SpfError {
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
                out.append(macro(spec.substring(i + 1, close), domain, explanation, v));
                i = close;
            } else {
                throw new SpfError(Result.PERMERROR, "bad macro '%" + n + "' in '" + spec + "'");
            }
        }
        return out.toString();
    }

    private static String macro(String m, String domain, boolean explanation, Values v) throws SpfError {
        if (m.isEmpty()) {
            throw new SpfError(Result.PERMERROR, "empty macro");
        }
        char letter = m.charAt(0);
        String value = letter(letter, domain, explanation, v);
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
            value = transform(value, delimiters.isEmpty() ? "." : delimiters, reverse, hasDigits ? digits : -1);
        }
        return Character.isUpperCase(letter) ? URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")
                : value;
    }

    private static String letter(char letter, String domain, boolean explanation, Values v) throws SpfError {
        String sender = v.sender();
        int at = sender.lastIndexOf('@');
        switch (Character.toLowerCase(letter)) {
            case 's':
                return sender;
            case 'l':
                return at <= 0 ? "postmaster" : sender.substring(0, at);
            case 'o':
                return sender.substring(at + 1);
            case 'd':
                return domain;
            case 'i':
                return dottedIp(v.ip());
            case 'p':
                List<String> names = v.validatedNames();
                return names.isEmpty() ? "unknown" : names.get(0);
            case 'v':
                return v.ip() instanceof Inet4Address ? "in-addr" : "ip6";
            case 'h':
                return v.helo();
            case 'c':
            case 'r':
            case 't':
                if (!explanation) {
                    throw new SpfError(Result.PERMERROR, "macro %{" + letter + "} is allowed only in exp=");
                }
                char l = Character.toLowerCase(letter);
                return l == 'c' ? v.ip().getHostAddress() : l == 'r' ? v.receiver() : Long.toString(v.now());
            default:
                throw new SpfError(Result.PERMERROR, "unknown macro letter '" + letter + "'");
        }
    }

    /** Splits at the delimiters, reverses, keeps the last {@code keep} parts (all if negative), joins with dots. */
    private static String transform(String value, String delims, boolean reverse, int keep) {
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
        if (keep >= 0 && keep < parts.size()) {
            parts = parts.subList(parts.size() - keep, parts.size());
        }
        return String.join(".", parts);
    }

    /** The %{i} form: an IPv4 address as is, an IPv6 address as dot-separated nibbles (RFC 7208 7.3). */
    static String dottedIp(InetAddress ip) {
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
