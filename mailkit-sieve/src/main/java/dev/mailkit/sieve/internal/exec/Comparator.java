package dev.mailkit.sieve.internal.exec;

import java.math.BigInteger;

/**
 * The comparators of RFC 4790 that Sieve names: {@code i;octet} (exact), {@code i;ascii-casemap} (ASCII letters
 * without case, the default) and {@code i;ascii-numeric} (the number of leading digits; a string without one is
 * greater than every number). Works on code points. Stateless.
 */
enum Comparator {
    OCTET, ASCII_CASEMAP, ASCII_NUMERIC;

    static Comparator named(String name, Comparator dflt) {
        if (name == null) {
            return dflt;
        }
        return switch (name) {
            case "i;octet" -> OCTET;
            case "i;ascii-numeric" -> ASCII_NUMERIC;
            default -> ASCII_CASEMAP;
        };
    }

    /** Whether two characters are equal under this comparator. */
    boolean same(int a, int b) {
        if (a == b) {
            return true;
        }
        if (this == ASCII_CASEMAP) {
            return fold(a) == fold(b);
        }
        return false;
    }

    static int fold(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    boolean equal(String a, String b) {
        if (this == ASCII_NUMERIC) {
            return compare(a, b) == 0;
        }
        return asciiEqual(a, b);
    }

    private boolean asciiEqual(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        if (x.length != y.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            if (!same(x[i], y[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code key} occurs in {@code value}. */
    boolean contains(String value, String key) {
        int[] v = value.codePoints().toArray();
        int[] k = key.codePoints().toArray();
        outer:
        for (int i = 0; i + k.length <= v.length; i++) {
            for (int j = 0; j < k.length; j++) {
                if (!same(v[i + j], k[j])) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The order of two values: negative, zero, positive. */
    int compare(String a, String b) {
        if (this == ASCII_NUMERIC) {
            BigInteger x = number(a);
            BigInteger y = number(b);
            if (x == null || y == null) {
                return x == null && y == null ? 0 : x == null ? 1 : -1;
            }
            return x.compareTo(y);
        }
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int p = this == ASCII_CASEMAP ? fold(x[i]) : x[i];
            int q = this == ASCII_CASEMAP ? fold(y[i]) : y[i];
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /** The leading digits as a number, or null (positive infinity) if there are none. */
    static BigInteger number(String s) {
        int n = 0;
        while (n < s.length() && n < 1000 && s.charAt(n) >= '0' && s.charAt(n) <= '9') {
            n++;
        }
        return n == 0 ? null : new BigInteger(s.substring(0, n));
    }
}
