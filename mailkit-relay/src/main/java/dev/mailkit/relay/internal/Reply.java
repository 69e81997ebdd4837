package dev.mailkit.relay.internal;

import java.util.List;

/**
 * A reply from a remote SMTP server: its code and its lines exactly as received (control characters escaped), with
 * the enhanced status code taken from the text when the server sent one (RFC 3463), otherwise derived from the code.
 */
public final class Reply {
    public final int code;
    /** The full lines, code included, e.g. {@code 250-SIZE 1000}, {@code 550 5.1.1 no such user}. */
    public final List<String> lines;
    public final String status;

    public Reply(int code, List<String> lines) {
        this.code = code;
        this.lines = List.copyOf(lines);
        this.status = enhancedStatus(code, lines.isEmpty() ? "" : lines.get(0));
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransient() {
        return code >= 400 && code < 500;
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
