package dev.mailkit.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An MTA-STS policy (RFC 8461 3.2), the text a domain serves at {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt},
 * and the {@code _mta-sts} TXT record (RFC 8461 3.1) that announces it: the one parser of both in mailkit, used by the
 * relay (which enforces the policy) and by {@code mailkit diagnose} (which checks it).
 *
 * <pre>{@code
 * MtaStsPolicy p = MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: *.example.org\nmax_age: 86400\n");
 * p.matches("mx1.example.org");   // true
 * MtaStsPolicy.recordId("v=STSv1; id=20260101T000000");   // Optional["20260101T000000"]
 * }</pre>
 *
 * <p>Parsing is strict where RFC 8461 is: {@code version: STSv1}, a {@code mode} of {@code enforce}, {@code testing}
 * or {@code none}, a {@code max_age} of at most 31557600 seconds, and at least one {@code mx} pattern unless the mode
 * is {@code none}; the first occurrence of a field counts (every {@code mx} counts), unknown fields are ignored.
 * Immutable and thread-safe.
 */
public final class MtaStsPolicy {
    /** The longest {@code max_age} RFC 8461 allows: 31557600 seconds, about a year. */
    public static final long MAX_AGE_LIMIT = 31_557_600L;

    /** What a sending server does with the policy (RFC 8461 5). */
    public enum Mode {
        /** Deliver only to a matching MX over TLS with a valid certificate; otherwise do not deliver. */
        ENFORCE,
        /** Deliver as without a policy, but report what would have failed. */
        TESTING,
        /** The domain withdraws its policy. */
        NONE
    }

    private final Mode mode;
    private final List<String> mx;
    private final Duration maxAge;

    private MtaStsPolicy(Mode mode, List<String> mx, Duration maxAge) {
        this.mode = mode;
        this.mx = mx;
        this.maxAge = maxAge;
    }

    /**
     * Parses a policy's text (lines ending in CRLF or LF).
     *
     * @throws IllegalArgumentException if it is not a valid STSv1 policy; the message names the field and what is
     *                                  allowed
     */
    public static MtaStsPolicy parse(String text) {
        Objects.requireNonNull(text, "text");
        String version = null;
        String mode = null;
        String maxAge = null;
        List<String> mx = new ArrayList<>();
        for (String line : text.split("\r?\n", -1)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "version": version = version == null ? value : version; break;
                case "mode": mode = mode == null ? value : mode; break;
                case "max_age": maxAge = maxAge == null ? value : maxAge; break;
                case "mx": mx.add(pattern(value)); break;
                default: break;
            }
        }
        if (!"STSv1".equals(version)) {
            throw new IllegalArgumentException("the policy's version must be 'STSv1', was " + shown(version));
        }
        if (mode == null || !mode.matches("enforce|testing|none")) {
            throw new IllegalArgumentException("the policy's mode must be enforce, testing or none, was "
                    + shown(mode));
        }
        if (maxAge == null || !maxAge.matches("[0-9]{1,10}") || Long.parseLong(maxAge) > MAX_AGE_LIMIT) {
            throw new IllegalArgumentException("the policy's max_age must be a number of seconds up to "
                    + MAX_AGE_LIMIT + ", was " + shown(maxAge));
        }
        Mode m = Mode.valueOf(mode.toUpperCase(Locale.ROOT));
        if (mx.isEmpty() && m != Mode.NONE) {
            throw new IllegalArgumentException("the policy has mode " + mode + " but no mx: line naming the mail "
                    + "exchangers (e.g. 'mx: mail.example.org' or 'mx: *.example.org')");
        }
        return new MtaStsPolicy(m, List.copyOf(mx), Duration.ofSeconds(Long.parseLong(maxAge)));
    }

    private static String pattern(String value) {
        String p = value.toLowerCase(Locale.ROOT);
        p = p.endsWith(".") ? p.substring(0, p.length() - 1) : p;
        String name = p.startsWith("*.") ? p.substring(2) : p;
        if (!name.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw new IllegalArgumentException("the policy's mx pattern must be a host name or '*.' and a domain, "
                    + "was " + shown(value));
        }
        return p;
    }

    /**
     * The policy id an {@code _mta-sts} TXT record announces ({@code v=STSv1; id=...}, RFC 8461 3.1), or empty if the
     * text is not an STSv1 record or its id is not 1 to 32 letters and digits.
     */
    public static Optional<String> recordId(String txt) {
        String[] fields = txt.split(";");
        if (fields.length == 0 || !fields[0].trim().equals("v=STSv1")) {
            return Optional.empty();
        }
        for (int i = 1; i < fields.length; i++) {
            String f = fields[i].trim();
            if (f.startsWith("id=")) {
                String id = f.substring(3);
                return id.matches("[A-Za-z0-9]{1,32}") ? Optional.of(id) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The mode. */
    public Mode mode() {
        return mode;
    }

    /** The mx patterns, lower case: host names, or {@code *.} and a domain (one leftmost label). */
    public List<String> mx() {
        return mx;
    }

    /** How long the policy may be cached (RFC 8461 3.2 {@code max_age}). */
    public Duration maxAge() {
        return maxAge;
    }

    /** Whether an MX host name matches one of the patterns (RFC 8461 4.1: a wildcard stands for one label). */
    public boolean matches(String host) {
        return mx.stream().anyMatch(p -> matches(p, host));
    }

    /** Whether a host name matches one pattern. */
    public static boolean matches(String pattern, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        h = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        if (pattern.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot + 1).equals(pattern.substring(2));
        }
        return pattern.equals(h);
    }

    /** The policy as text in RFC 8461's format (LF line ends), parseable again. */
    public String text() {
        StringBuilder b = new StringBuilder("version: STSv1\nmode: " + mode.name().toLowerCase(Locale.ROOT) + "\n");
        for (String p : mx) {
            b.append("mx: ").append(p).append('\n');
        }
        return b.append("max_age: ").append(maxAge.toSeconds()).append('\n').toString();
    }

    private static String shown(String v) {
        return v == null ? "missing" : "'" + v.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MtaStsPolicy p && p.mode == mode && p.mx.equals(mx) && p.maxAge.equals(maxAge);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, mx, maxAge);
    }

    @Override
    public String toString() {
        return "MtaStsPolicy{" + mode.name().toLowerCase(Locale.ROOT) + ", mx " + mx + ", max_age " + maxAge.toSeconds()
                + "}";
    }
}
