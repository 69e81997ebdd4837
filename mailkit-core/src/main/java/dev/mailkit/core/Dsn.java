package dev.mailkit.core;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The syntax of the DSN extension's parameters (RFC 3461): {@code RET} and {@code ENVID} on MAIL FROM,
 * {@code NOTIFY} and {@code ORCPT} on RCPT TO, and xtext (RFC 3461 4), in which ENVID and ORCPT are written. Used
 * by the receiver to check what clients send and by the relay queue to check what it keeps.
 */
public final class Dsn {
    /** The longest ENVID (RFC 3461 4.4). */
    public static final int MAX_ENVID = 100;
    /** The longest ORCPT value (RFC 3461 4.2). */
    public static final int MAX_ORCPT = 500;

    private Dsn() {
    }

    /** Whether {@code v} is FULL or HDRS (upper case). */
    public static boolean validRet(String v) {
        return "FULL".equals(v) || "HDRS".equals(v);
    }

    /** Whether {@code v} is an ENVID: 1 to 100 characters of xtext. */
    public static boolean validEnvid(String v) {
        return v != null && !v.isEmpty() && v.length() <= MAX_ENVID && isXtext(v);
    }

    /**
     * NOTIFY in its normal form: {@code NEVER}, or SUCCESS, FAILURE and DELAY (any of them, each once, in that order),
     * comma-separated; null if {@code v} is not a valid NOTIFY value (case does not matter; NEVER stands alone).
     */
    public static String normalizeNotify(String v) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        String[] parts = v.toUpperCase(Locale.ROOT).split(",", -1);
        if (parts.length == 1 && parts[0].equals("NEVER")) {
            return "NEVER";
        }
        Set<String> seen = new TreeSet<>((a, b) -> order(a) - order(b));
        for (String p : parts) {
            if (order(p) < 0 || !seen.add(p)) {
                return null;
            }
        }
        return String.join(",", seen);
    }

    private static int order(String p) {
        switch (p) {
            case "SUCCESS":
                return 0;
            case "FAILURE":
                return 1;
            case "DELAY":
                return 2;
            default:
                return -1;
        }
    }

    /** Whether {@code v} is an ORCPT value: {@code addr-type;xtext}, at most 500 characters. */
    public static boolean validOrcpt(String v) {
        if (v == null || v.length() > MAX_ORCPT) {
            return false;
        }
        int semi = v.indexOf(';');
        if (semi <= 0 || semi == v.length() - 1) {
            return false;
        }
        for (int i = 0; i < semi; i++) {
            char c = v.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return isXtext(v.substring(semi + 1));
    }

    /**
     * Whether {@code s} is xtext: printable ASCII except "+" and "=", and "+" followed by two upper-case hex digits.
     */
    public static boolean isXtext(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                if (i + 2 >= s.length() || !hex(s.charAt(i + 1)) || !hex(s.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes xtext for a notification's fields, keeping printable ASCII only (a "+0D+0A" never becomes a line
     * break in a header).
     */
    public static String decodeXtext(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+' && i + 2 < s.length() && hex(s.charAt(i + 1)) && hex(s.charAt(i + 2))) {
                c = (char) Integer.parseInt(s.substring(i + 1, i + 3), 16);
                i += 2;
            }
            sb.append(c >= 32 && c < 127 ? c : '?');
        }
        return sb.toString();
    }

    private static boolean hex(char c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'F';
    }
}
