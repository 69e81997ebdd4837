package dev.mailkit.scan.internal;

import java.nio.charset.StandardCharsets;

/**
 * What may pass from a scanner's answer into a reply, a header field or a log line: printable ASCII only, bounded.
 * Nothing a scanner says ever carries CR, LF or NUL further.
 */
public final class Texts {
    private Texts() {
    }

    /** Printable ASCII (other characters become '?'), whitespace runs as one space, at most {@code max} chars. */
    public static String printable(String s, int max) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
        boolean space = false;
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                space = sb.length() > 0;
                continue;
            }
            if (space) {
                sb.append(' ');
                space = false;
                if (sb.length() >= max) {
                    break;
                }
            }
            sb.append(c > 32 && c < 127 ? c : '?');
        }
        if (sb.length() >= max && s.length() > max) {
            sb.setLength(Math.max(0, max - 3));
            sb.append("...");
        }
        return sb.toString();
    }

    /** A short printable excerpt of bytes a scanner sent, for an error message. */
    public static String excerpt(byte[] b, int max) {
        return printable(new String(b, 0, Math.min(b.length, max * 2), StandardCharsets.ISO_8859_1), max);
    }

    /**
     * A scanner's symbol or rule name as it may appear in a header field: letters, digits and {@code _ . - + :}
     * only, at most 64 characters; anything else makes the name unusable (null), so that a name with CR, LF,
     * spaces or commas in it never reaches a header.
     */
    public static String symbol(String s) {
        if (s == null || s.isEmpty() || s.length() > 64) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '.' || c == '-' || c == '+' || c == ':';
            if (!ok) {
                return null;
            }
        }
        return s;
    }

    /** Whether a header field name is RFC 5322 field-name characters, at most 76 long. */
    public static boolean isFieldName(String name) {
        if (name == null || name.isEmpty() || name.length() > 76) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 32 || c >= 127 || c == ':') {
                return false;
            }
        }
        return true;
    }
}
