package dev.mailkit.relay.internal;

import java.util.List;

/**
 * A reply from a remote SMTP server: its code and its lines exactly as received (control characters escaped), with
 * the enhanced status code taken from the text when the server sent one (RFC 3463), otherwise derived from the code;
 * a 3xx reply (an intermediate one such as {@code 354}) has none, as RFC 3463 defines only the classes 2, 4 and 5.
 */
public final class Reply {
    public final int code;
    /** The full lines, code included, e.g. {@code 250-SIZE 1000}, {@code 550 5.1.1 no such user}. */
    public final List<String> lines;
    /** The enhanced status code ({@code 2.0.0}, {@code 5.1.1}, ...), or null for a 3xx reply (no class 3 exists). */
    public final String status;

    public Reply(int code, List<String> lines) {
        this.code = code;
        this.lines = List.copyOf(lines);
        this.status = enhancedStatus(code, lines.isEmpty() ? "" : lines.get(0));
    }

    /** A 2xx reply: the only success for a command that expects a final reply (RFC 5321 4.2.1). */
    public boolean isPositive() {
        return code >= 200 && code < 300;
    }

    /**
     * A 4xx reply, or a 3xx where a final reply was expected (greeting, EHLO, MAIL, RCPT, end of DATA): the server
     * took nothing, so it is tried again later. Callers that expect a 3xx (354, 334) compare the code.
     */
    public boolean isTransient() {
        return code >= 300 && code < 500;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    /** The text of every line (without code and separator), joined with spaces. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(l.length() > 4 ? l.substring(4) : "");
        }
        return sb.toString();
    }

    /** The reply on one line: {@code 550 5.1.1 no such user ...}. */
    public String oneLine() {
        return code + " " + text();
    }

    private static String enhancedStatus(int code, String firstLine) {
        if (code / 100 == 3) {
            return null; // RFC 3463 has classes 2, 4 and 5 only: "3.0.0" would be an invented status
        }
        String text = firstLine.length() > 4 ? firstLine.substring(4) : "";
        int sp = text.indexOf(' ');
        String candidate = sp < 0 ? text : text.substring(0, sp);
        if (isEnhancedStatus(candidate) && candidate.charAt(0) - '0' == code / 100) {
            return candidate;
        }
        return (code / 100) + ".0.0";
    }

    /** {@code [245].d{1,3}.d{1,3}} without a regular expression (this runs for every reply). */
    private static boolean isEnhancedStatus(String s) {
        int n = s.length();
        if (n < 5 || n > 9 || (s.charAt(0) != '2' && s.charAt(0) != '4' && s.charAt(0) != '5') || s.charAt(1) != '.') {
            return false;
        }
        int dot = s.indexOf('.', 2);
        if (dot < 3 || dot > 5 || n - dot - 1 < 1 || n - dot - 1 > 3) {
            return false;
        }
        for (int i = 2; i < n; i++) {
            char c = s.charAt(i);
            if (i != dot && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return String.join(" / ", lines);
    }
}
