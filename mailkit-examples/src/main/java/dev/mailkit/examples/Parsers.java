package dev.mailkit.examples;

import dev.mailkit.core.MailAddress;
import dev.mailkit.examples.config.Setting;
import dev.mailkit.mailauth.dnsbl.DnsBlocklistFilter;
import dev.mailkit.relay.SmartHost;
import dev.mailkit.smtp.SmtpServer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parsers of the server's settings: each takes the text a flag or a configuration-file value gives and returns the
 * value, or throws an {@link IllegalArgumentException} whose message says what is wrong (the caller says where).
 */
final class Parsers {
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\\.?");

    private Parsers() {
    }

    static int port(String value) {
        try {
            int p = Integer.parseInt(value);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("must be a port number 0..65535, was '" + shown(value) + "'");
    }

    static int positive(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("must be a whole number of at least 1, was '" + shown(value) + "'");
    }

    static String jdbcUrl(String value) {
        if (!value.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("must be a jdbc:postgresql: URL, was '" + shown(value) + "'");
        }
        return text(value);
    }

    static String schema(String value) {
        if (!value.matches("[a-z_][a-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("must be lower-case letters, digits and '_', was '" + shown(value) + "'");
        }
        return value;
    }

    static String nodeName(String value) {
        if (!value.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("must be 1 to 64 letters, digits, '.', '-' or '_', was '" + shown(value)
                    + "'");
        }
        return value;
    }

    /** A parser that accepts one of the words. */
    static Setting.Parser<String> oneOf(String... words) {
        return value -> {
            for (String w : words) {
                if (w.equals(value)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("must be " + String.join(" or ", words) + ", was '" + shown(value) + "'");
        };
    }

    static String domain(String value) {
        if (!DOMAIN.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + shown(value) + "' is not a domain name");
        }
        return value;
    }

    static String text(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < 32 || value.charAt(i) == 127) {
                throw new IllegalArgumentException("control characters are not allowed");
            }
        }
        return value;
    }

    static Map.Entry<String, String> user(String value) {
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("needs ADDR:PASSWORD, e.g. --user rcpt@local.test:secret");
        }
        String addr = value.substring(0, colon);
        MailAddress.parse(addr);
        return Map.entry(addr, text(value.substring(colon + 1)));
    }

    static Map.Entry<String, List<String>> alias(String value) {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1) {
            throw new IllegalArgumentException("needs ADDR=TARGET[,TARGET...], e.g. --alias team@local.test="
                    + "ann@local.test,bob@local.test");
        }
        String alias = value.substring(0, eq);
        MailAddress.parse(alias);
        List<String> targets = new ArrayList<>();
        for (String t : value.substring(eq + 1).split(",")) {
            MailAddress.parse(t.trim());
            targets.add(t.trim());
        }
        return Map.entry(alias, List.copyOf(targets));
    }

    static Map.Entry<String, String> catchAll(String value) {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1 || value.substring(0, eq).contains("@")) {
            throw new IllegalArgumentException("needs DOMAIN=ADDR, e.g. --catch-all local.test=postmaster@local.test");
        }
        String target = value.substring(eq + 1);
        MailAddress.parse(target);
        return Map.entry(domain(value.substring(0, eq)), target);
    }

    static String smartHost(String value) {
        try {
            SmartHost.parse(value).build();
            return value;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("needs HOST:PORT: " + e.getMessage(), e);
        }
    }

    /** A DNS server's address: {@code HOST}, {@code HOST:PORT} or {@code [IPV6]:PORT} (port 53 when none). */
    static String resolver(String value) {
        java.util.regex.Matcher m = Pattern.compile("\\[([0-9A-Fa-f:.]+)\\](?::([0-9]{1,5}))?|([0-9.]+|[A-Za-z0-9.-]+)"
                + "(?::([0-9]{1,5}))?").matcher(value);
        if (!m.matches() || m.group(1) == null && m.group(3) == null) {
            throw new IllegalArgumentException("must be a DNS server's HOST:PORT, e.g. 127.0.0.1:53, was '"
                    + shown(value) + "'");
        }
        String port = m.group(2) != null ? m.group(2) : m.group(4);
        if (port != null && (Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
            throw new IllegalArgumentException("the port must be 1..65535, was '" + shown(value) + "'");
        }
        return value;
    }

    /** The socket address of a {@link #resolver} value. */
    static java.net.InetSocketAddress resolverAddress(String value) {
        String host;
        int port = 53;
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            host = value.substring(1, end);
            if (end + 1 < value.length()) {
                port = Integer.parseInt(value.substring(end + 2));
            }
        } else {
            int colon = value.indexOf(':');
            host = colon < 0 ? value : value.substring(0, colon);
            if (colon >= 0) {
                port = Integer.parseInt(value.substring(colon + 1));
            }
        }
        return new java.net.InetSocketAddress(host, port);
    }

    static String network(String value) {
        SmtpServer.builder().trustedNetworks(value);
        return value;
    }

    /** A proxy's address or network (an address alone is that one host). */
    static String proxyNetwork(String value) {
        dev.mailkit.core.Cidr.parse(value.contains("/") ? value : value + (value.contains(":") ? "/128" : "/32"));
        return value;
    }

    static String dnsbl(String value) {
        DnsBlocklistFilter.builder().zone(value);
        return value;
    }

    /** The value if the library's builder accepts it (the builder's message otherwise). */
    static String checked(String value, Runnable parse) {
        parse.run();
        return value;
    }

    /** The value as an error message shows it: printable, at most 80 characters. */
    static String shown(String value) {
        String v = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return v.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
