package dev.mailkit.core;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;

/**
 * A mailbox address as RFC 5321 defines it ({@code Local-part "@" ( Domain / address-literal )}), extended by
 * RFC 6531 (SMTPUTF8) to allow UTF-8 in the local part and in the domain.
 *
 * <p>The local part is kept exactly as written, without its quotes when it was a quoted string: the address
 * {@code "john doe"@example.com} has the local part {@code john doe}. {@link #toString()} writes the address back
 * in its canonical form, quoting the local part only where RFC 5321 requires it. The domain is compared without
 * regard to case and with internationalized labels in their A-label form ({@link #canonicalDomain(String)}: a
 * domain in U-labels and in {@code xn--} form is one domain, a look-alike is not); the local part is compared
 * exactly, as RFC 5321 requires (lookups that want to ignore case use {@link #lookupKey()}).
 *
 * <p>Parsing never "repairs" an address: anything outside the grammar (CR, LF, NUL or other control characters,
 * a trailing dot in the domain, an empty label, an over-long part) is refused with a {@link MailAddressException}
 * whose message says what is wrong. Characters such as {@code %} and {@code !} are ordinary local-part characters;
 * mailkit never interprets them as routing.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MailAddress {
    /** RFC 5321 4.5.3.1.1: the maximum length of a local part, in octets. */
    public static final int MAX_LOCAL_PART_OCTETS = 64;
    /** RFC 5321 4.5.3.1.2: the maximum length of a domain, in octets. */
    public static final int MAX_DOMAIN_OCTETS = 255;

    private final String localPart;
    private final String domain;
    private final boolean quoted;
    private final boolean utf8;
    /** The domain for comparisons: lower case, internationalized labels as A-labels (see canonicalDomain). */
    private final String domainKey;

    private MailAddress(String localPart, String domain, boolean quoted, boolean utf8) {
        this.localPart = localPart;
        this.domain = domain;
        this.quoted = quoted;
        this.utf8 = utf8;
        this.domainKey = canonicalDomain(domain);
    }

    /**
     * A domain in the form mailkit compares domains in: lower case, each internationalized label in its ASCII form
     * (an IDNA A-label, {@code xn--...}), so that {@code Bücher.example} and {@code xn--bcher-kva.example} are the same
     * domain (RFC 5890). A label converts only when the conversion maps nothing but letter case: a label that IDNA2003
     * would map to another (full-width letters, {@code ß} to {@code ss}, compatibility characters) is kept as written,
     * so a look-alike never becomes the domain it imitates. Address literals are lower-cased only.
     */
    public static String canonicalDomain(String domain) {
        Objects.requireNonNull(domain, "domain");
        boolean ascii = true;
        for (int i = 0; i < domain.length() && ascii; i++) {
            ascii = domain.charAt(i) < 0x80;
        }
        if (ascii || domain.startsWith("[")) {
            return domain.toLowerCase(Locale.ROOT);
        }
        String lower = Normalizer.normalize(domain, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(lower.length() + 16);
        for (String label : lower.split("\\.", -1)) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append(asciiLabel(label));
        }
        return out.toString();
    }

    /** The A-label of a (lower-case) U-label, or the label itself when it does not convert without mapping. */
    private static String asciiLabel(String label) {
        boolean ascii = true;
        for (int i = 0; i < label.length() && ascii; i++) {
            ascii = label.charAt(i) < 0x80;
        }
        if (ascii || label.isEmpty()) {
            return label;
        }
        try {
            String a = IDN.toASCII(label, IDN.USE_STD3_ASCII_RULES);
            return IDN.toUnicode(a, IDN.USE_STD3_ASCII_RULES).equals(label) ? a.toLowerCase(Locale.ROOT) : label;
        } catch (IllegalArgumentException e) {
            return label; // not a valid IDN label: it can only ever equal itself
        }
    }

    /**
     * Parses a mailbox such as {@code user@example.com}, {@code "odd local"@example.com} or {@code user@[192.0.2.1]}
     * (without angle brackets: see the SMTP module for paths).
     *
     * @throws MailAddressException if the text is not a valid RFC 5321/6531 mailbox; the message says why
     */
    public static MailAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        return new Parser(text).parse();
    }

    /**
     * Builds an address from an already separated local part (unquoted) and domain, validating both.
     *
     * @throws MailAddressException if either part is invalid
     */
    public static MailAddress of(String localPart, String domain) {
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
        StringBuilder sb = new StringBuilder();
        if (isDotString(localPart)) {
            sb.append(localPart);
        } else {
            sb.append('"');
            for (int i = 0; i < localPart.length(); i++) {
                char c = localPart.charAt(i);
                if (c == '"' || c == '\\') {
                    sb.append('\\');
                }
                sb.append(c);
            }
            sb.append('"');
        }
        return parse(sb.append('@').append(domain).toString());
    }

    /** The local part, unquoted and unescaped, exactly as the sender wrote it. */
    public String localPart() {
        return localPart;
    }

    /** The domain or address literal (with its brackets), as written. */
    public String domain() {
        return domain;
    }

    /**
     * The domain in ASCII form (IDNA A-labels, lower case) for DNS lookups and account names; an ASCII domain and an
     * address literal are returned as written. A label that does not convert without mapping (see
     * {@link #canonicalDomain(String)}) stays as written.
     */
    public String domainAscii() {
        if (!utf8 || isAddressLiteral()) {
            return domain;
        }
        return domainKey;
    }

    /** Whether the domain is an address literal such as {@code [192.0.2.1]} or {@code [IPv6:::1]}. */
    public boolean isAddressLiteral() {
        return domain.startsWith("[");
    }

    /** Whether the address contains non-ASCII characters and so needs SMTPUTF8 (RFC 6531) to be transported. */
    public boolean isSmtpUtf8() {
        return utf8;
    }

    /**
     * A key for case-insensitive lookups (user directories, aliases): the local part in lower case and in Unicode
     * normal form C (RFC 6532 3.1: {@code jo\u0308rg} and {@code jörg} are one user), then the domain in its
     * {@link #canonicalDomain canonical form}. RFC 5321 lets the receiving domain decide local-part case
     * sensitivity; mailkit's own directories ignore case.
     */
    public String lookupKey() {
        String local = utf8 ? Normalizer.normalize(localPart, Normalizer.Form.NFC) : localPart;
        return ((quoted ? quote(local) : local) + "@").toLowerCase(Locale.ROOT) + domainKey;
    }

    /**
     * The domain for comparisons with configured domains: lower case, internationalized labels as A-labels
     * ({@link #canonicalDomain(String)}); compare it with {@code MailAddress.canonicalDomain(configured)}.
     */
    public String domainLowerCase() {
        return domainKey;
    }

    /** Returns a copy with another local part (for example without a {@code +tag}). */
    public MailAddress withLocalPart(String newLocalPart) {
        return of(newLocalPart, domain);
    }

    /** The canonical RFC 5321 form: the local part quoted only when it is not a dot-string. */
    @Override
    public String toString() {
        return (quoted ? quote(localPart) : localPart) + "@" + domain;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MailAddress)) {
            return false;
        }
        MailAddress other = (MailAddress) o;
        return localPart.equals(other.localPart) && domainKey.equals(other.domainKey);
    }

    @Override
    public int hashCode() {
        return 31 * localPart.hashCode() + domainKey.hashCode();
    }

    private static String quote(String local) {
        StringBuilder sb = new StringBuilder(local.length() + 2).append('"');
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    static boolean isDotString(String s) {
        if (s.isEmpty() || s.charAt(0) == '.' || s.charAt(s.length() - 1) == '.' || s.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && !isAtext(c)) {
                return false;
            }
        }
        return true;
    }

    /** RFC 5322 atext, extended with UTF-8 non-ASCII by RFC 6531. */
    static boolean isAtext(char c) {
        if (c >= 0x80) {
            return !Character.isISOControl(c) && !Character.isWhitespace(c) && c != '\u2028' && c != '\u2029';
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return true;
        }
        return "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    /** Recursive-descent parser over the RFC 5321 Mailbox grammar. */
    private static final class Parser {
        private final String s;
        private int pos;
        private boolean utf8;

        Parser(String s) {
            this.s = s;
        }

        MailAddress parse() {
            if (s.isEmpty()) {
                throw error("the address is empty");
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\r' || c == '\n') {
                    throw error("CR or LF at position " + i + " is not allowed in an address");
                }
                if (c == 0) {
                    throw error("NUL at position " + i + " is not allowed in an address");
                }
            }
            boolean quoted;
            String local;
            if (s.charAt(0) == '"') {
                local = quotedString();
                quoted = true;
            } else {
                local = dotString();
                quoted = false;
            }
            if (pos >= s.length() || s.charAt(pos) != '@') {
                throw error(pos >= s.length()
                        ? "the address has no '@' and domain (expected local-part@domain)"
                        : "unexpected character '" + printable(s.charAt(pos)) + "' at position " + pos
                                + " in the local part");
            }
            pos++;
            if (local.isEmpty()) {
                throw error("the local part is empty");
            }
            if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL_PART_OCTETS) {
                throw error("the local part is longer than " + MAX_LOCAL_PART_OCTETS + " octets");
            }
            String domain = s.substring(pos);
            if (domain.isEmpty()) {
                throw error("the domain is empty");
            }
            if (domain.charAt(0) == '[') {
                addressLiteral(domain);
            } else {
                domain(domain);
            }
            // A quoted local part that happens to be a valid dot-string needs no quotes: canonicalise.
            boolean needsQuotes = quoted && !isDotString(local);
            return new MailAddress(local, domain, needsQuotes, utf8);
        }

        private String dotString() {
            int start = pos;
            boolean lastDot = true;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '@') {
                    break;
                }
                if (c == '.') {
                    if (lastDot) {
                        throw error(pos == start
                                ? "the local part must not start with '.'"
                                : "the local part must not contain '..' (position " + pos + ")");
                    }
                    lastDot = true;
                } else if (isAtext(c)) {
                    if (c >= 0x80) {
                        utf8 = true;
                    }
                    lastDot = false;
                } else {
                    throw error("character '" + printable(c) + "' at position " + pos
                            + " is not allowed in an unquoted local part (quote the local part to use it)");
                }
                pos++;
            }
            if (pos > start && lastDot) {
                throw error("the local part must not end with '.'");
            }
            return s.substring(start, pos);
        }

        private String quotedString() {
            StringBuilder sb = new StringBuilder();
            pos++; // opening quote
            while (true) {
                if (pos >= s.length()) {
                    throw error("the quoted local part has no closing '\"'");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    if (pos >= s.length()) {
                        throw error("the quoted local part ends with a lone backslash");
                    }
                    char q = s.charAt(pos++);
                    if (q < 32 || q == 127) {
                        throw error("control character after backslash at position " + (pos - 1));
                    }
                    if (q >= 0x80) {
                        utf8 = true;
                    }
                    sb.append(q);
                } else if (c >= 32 && c <= 126) {
                    sb.append(c);
                } else if (c >= 0x80 && !Character.isISOControl(c)) {
                    utf8 = true;
                    sb.append(c);
                } else {
                    throw error("control character " + printable(c) + " at position " + (pos - 1)
                            + " in the quoted local part");
                }
            }
        }

        private void domain(String d) {
            if (d.getBytes(StandardCharsets.UTF_8).length > MAX_DOMAIN_OCTETS) {
                throw error("the domain is longer than " + MAX_DOMAIN_OCTETS + " octets");
            }
            if (d.endsWith(".")) {
                throw error("the domain must not end with '.' (write '"
                        + printableString(d.substring(0, d.length() - 1)) + "')");
            }
            int labelStart = 0;
            for (int i = 0; i <= d.length(); i++) {
                if (i == d.length() || d.charAt(i) == '.') {
                    label(d, labelStart, i);
                    labelStart = i + 1;
                }
            }
        }

        private void label(String d, int from, int to) {
            if (from == to) {
                throw error("the domain '" + printableString(d) + "' has an empty label");
            }
            if (to - from > 63) {
                throw error("a label of the domain '" + printableString(d) + "' is longer than 63 characters");
            }
            for (int i = from; i < to; i++) {
                char c = d.charAt(i);
                boolean letDig = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                if (c >= 0x80) {
                    if (Character.isISOControl(c) || Character.isWhitespace(c) || !Character.isLetterOrDigit(c)
                            && Character.getType(c) != Character.NON_SPACING_MARK
                            && Character.getType(c) != Character.COMBINING_SPACING_MARK) {
                        throw error("character '" + printable(c) + "' is not allowed in the domain");
                    }
                    utf8 = true;
                } else if (c == '-') {
                    if (i == from || i == to - 1) {
                        throw error("a label of the domain '" + printableString(d) + "' starts or ends with '-'");
                    }
                } else if (!letDig) {
                    throw error("character '" + printable(c) + "' is not allowed in the domain '"
                            + printableString(d) + "'");
                }
            }
        }

        private void addressLiteral(String d) {
            if (!d.endsWith("]") || d.length() < 3) {
                throw error("the address literal '" + printableString(d) + "' must be enclosed in [ ]");
            }
            String inner = d.substring(1, d.length() - 1);
            if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
                String v6 = inner.substring(5);
                if (!v6.matches("[0-9A-Fa-f:.]+") || !v6.contains(":") || !InetLiterals.isIpv6(v6)) {
                    throw error("'" + printableString(inner) + "' is not a valid IPv6 address literal");
                }
            } else if (!InetLiterals.isIpv4(inner)) {
                throw error("'" + printableString(inner) + "' is not a valid IPv4 address literal");
            }
        }

        private MailAddressException error(String why) {
            return new MailAddressException("Invalid mailbox '" + printableString(s) + "': " + why);
        }
    }

    static String printable(char c) {
        if (c < 32 || c == 127) {
            return String.format("\\x%02X", (int) c);
        }
        return String.valueOf(c);
    }

    static String printableString(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        int limit = Math.min(s.length(), 300);
        for (int i = 0; i < limit; i++) {
            sb.append(printable(s.charAt(i)));
        }
        if (s.length() > limit) {
            sb.append("...");
        }
        return sb.toString();
    }
}
