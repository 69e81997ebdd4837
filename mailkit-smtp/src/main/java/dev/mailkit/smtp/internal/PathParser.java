package dev.mailkit.smtp.internal;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MailAddressException;
import dev.mailkit.core.SmtpReply;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the arguments of MAIL and RCPT (RFC 5321 4.1.2): {@code FROM:<reverse-path> [parameters]} and
 * {@code TO:<forward-path> [parameters]}. Source routes ({@code <@a,@b:user@c>}) are accepted and ignored, as RFC 5321
 * 4.1.1.3 asks; nothing else about an address is interpreted. Errors come back as the reply to send.
 */
public final class PathParser {
    private PathParser() {
    }

    /** A parsed MAIL/RCPT argument. */
    public static final class Parsed {
        /** The address, or null for the null path {@code <>} or for {@code <postmaster>}. */
        public final MailAddress address;
        /** True for {@code <>}. */
        public final boolean nullPath;
        /** True for {@code <Postmaster>} without a domain (RCPT only). */
        public final boolean postmaster;
        /** ESMTP parameters, keys upper case, in order. */
        public final Map<String, String> parameters;
        /** The failure, or null when parsed. */
        public final SmtpReply error;

        Parsed(MailAddress address, boolean nullPath, boolean postmaster, Map<String, String> parameters,
               SmtpReply error) {
            this.address = address;
            this.nullPath = nullPath;
            this.postmaster = postmaster;
            this.parameters = parameters;
            this.error = error;
        }

        static Parsed error(int code, String status, String text) {
            return new Parsed(null, false, false, Map.of(), SmtpReply.of(code, status, text));
        }
    }

    /**
     * Parses {@code FROM:<...> params} (keyword "FROM") or {@code TO:<...> params} (keyword "TO").
     *
     * @param args       the command line after the verb (e.g. {@code " FROM:<a@b> SIZE=10"})
     * @param keyword    {@code FROM} or {@code TO}
     * @param badStatus  the enhanced status for a malformed address (5.1.7 sender, 5.1.3 recipient)
     */
    public static Parsed parse(String args, String keyword, String badStatus) {
        String s = args.stripLeading();
        String usage = "Syntax: " + (keyword.equals("FROM") ? "MAIL FROM:<address> [parameters]"
                : "RCPT TO:<address> [parameters]");
        if (s.length() < keyword.length() + 1 || !s.regionMatches(true, 0, keyword + ":", 0, keyword.length() + 1)) {
            return Parsed.error(501, "5.5.4", usage);
        }
        int i = keyword.length() + 1;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++; // tolerate "MAIL FROM: <x>" as most servers do
        }
        if (i >= s.length() || s.charAt(i) != '<') {
            return Parsed.error(501, "5.5.4", usage + " (the address must be in angle brackets)");
        }
        int close = closingBracket(s, i + 1);
        if (close < 0) {
            return Parsed.error(501, "5.5.4", usage + " (no closing '>')");
        }
        String inside = s.substring(i + 1, close);
        String rest = s.substring(close + 1);
        if (!rest.isEmpty() && rest.charAt(0) != ' ') {
            return Parsed.error(501, "5.5.4", usage + " (expected a space before parameters)");
        }
        Map<String, String> params = new LinkedHashMap<>();
        SmtpReply paramError = parameters(rest, params);
        if (paramError != null) {
            return new Parsed(null, false, false, Map.of(), paramError);
        }
        if (inside.isEmpty()) {
            return new Parsed(null, true, false, params, null);
        }
        if (inside.charAt(0) == '@') {
            int colon = routeEnd(inside);
            if (colon < 0) {
                return Parsed.error(501, badStatus, "Bad address syntax: malformed source route");
            }
            inside = inside.substring(colon + 1);
        }
        if (keyword.equals("TO") && inside.equalsIgnoreCase("postmaster")) {
            return new Parsed(null, false, true, params, null);
        }
        try {
            return new Parsed(MailAddress.parse(inside), false, false, params, null);
        } catch (MailAddressException e) {
            String why = e.getMessage();
            int colon = why.indexOf("': ");
            return Parsed.error(501, badStatus, "Bad address syntax: " + (colon > 0 ? why.substring(colon + 3) : why));
        }
    }

    private static int closingBracket(String s, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '>') {
                return i;
            } else if (c == '<') {
                return -1;
            }
        }
        return -1;
    }

    /** The index of the ':' ending a source route {@code @a,@b:}, or -1 if it is malformed. */
    private static int routeEnd(String s) {
        int i = 0;
        while (true) {
            if (i >= s.length() || s.charAt(i) != '@') {
                return -1;
            }
            int j = i + 1;
            while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '.'
                    || s.charAt(j) == '-' || s.charAt(j) == '[' || s.charAt(j) == ']')) {
                j++;
            }
            if (j == i + 1 || j >= s.length()) {
                return -1;
            }
            if (s.charAt(j) == ':') {
                return j;
            }
            if (s.charAt(j) != ',') {
                return -1;
            }
            i = j + 1;
        }
    }

    private static SmtpReply parameters(String rest, Map<String, String> out) {
        for (String p : rest.split(" ")) {
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String key = eq < 0 ? p : p.substring(0, eq);
            String value = eq < 0 ? "" : p.substring(eq + 1);
            if (key.isEmpty() || !key.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-'))
                    || !Character.isLetterOrDigit(key.charAt(0))) {
                return SmtpReply.of(501, "5.5.4", "Malformed parameter '" + printable(p) + "'");
            }
            if (eq >= 0 && (value.isEmpty() || value.chars().anyMatch(c -> c < 33 || c == '=' || c == 127))) {
                return SmtpReply.of(501, "5.5.4", "Malformed value for parameter " + printable(key));
            }
            String k = key.toUpperCase(Locale.ROOT);
            if (out.containsKey(k)) {
                return SmtpReply.of(501, "5.5.4", "Parameter " + k + " given twice");
            }
            out.put(k, value);
        }
        return null;
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 100; i++) {
            char c = s.charAt(i);
            sb.append(c < 32 || c == 127 ? '?' : c);
        }
        return sb.toString();
    }
}
