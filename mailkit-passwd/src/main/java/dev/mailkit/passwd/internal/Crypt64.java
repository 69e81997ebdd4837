package dev.mailkit.passwd.internal;

/**
 * The base-64 alphabet of crypt(3) ({@code ./0-9A-Za-z}), in the two bit orders its schemes use: SHA-crypt's
 * little-endian 24-bit groups and bcrypt's big-endian one.
 */
public final class Crypt64 {
    static final String CRYPT = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static final String BCRYPT = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private Crypt64() {
    }

    /** Whether every character of {@code s} is in the crypt alphabet (both alphabets hold the same characters). */
    public static boolean isCrypt64(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (CRYPT.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** SHA-crypt's {@code b64_from_24bit}: {@code n} characters of the 24 bits {@code b2 b1 b0}, low bits first. */
    static void from24(StringBuilder out, int b2, int b1, int b0, int n) {
        int w = ((b2 & 0xff) << 16) | ((b1 & 0xff) << 8) | (b0 & 0xff);
        for (int i = 0; i < n; i++) {
            out.append(CRYPT.charAt(w & 0x3f));
            w >>>= 6;
        }
    }

    /** bcrypt's encoding of {@code len} bytes (no padding). */
    static String bcryptEncode(byte[] d, int len) {
        StringBuilder sb = new StringBuilder();
        int off = 0;
        while (off < len) {
            int c1 = d[off++] & 0xff;
            sb.append(BCRYPT.charAt((c1 >> 2) & 0x3f));
            c1 = (c1 & 0x03) << 4;
            if (off >= len) {
                sb.append(BCRYPT.charAt(c1 & 0x3f));
                break;
            }
            int c2 = d[off++] & 0xff;
            c1 |= (c2 >> 4) & 0x0f;
            sb.append(BCRYPT.charAt(c1 & 0x3f));
            c1 = (c2 & 0x0f) << 2;
            if (off >= len) {
                sb.append(BCRYPT.charAt(c1 & 0x3f));
                break;
            }
            c2 = d[off++] & 0xff;
            c1 |= (c2 >> 6) & 0x03;
            sb.append(BCRYPT.charAt(c1 & 0x3f));
            sb.append(BCRYPT.charAt(c2 & 0x3f));
        }
        return sb.toString();
    }

    /** bcrypt's decoding into {@code len} bytes; IllegalArgumentException for a character outside the alphabet. */
    static byte[] bcryptDecode(String s, int len) {
        byte[] out = new byte[len];
        int off = 0;
        int pos = 0;
        while (off < s.length() - 1 && pos < len) {
            int c1 = index(s.charAt(off++));
            int c2 = index(s.charAt(off++));
            out[pos++] = (byte) ((c1 << 2) | ((c2 & 0x30) >> 4));
            if (pos >= len || off >= s.length()) {
                break;
            }
            int c3 = index(s.charAt(off++));
            out[pos++] = (byte) (((c2 & 0x0f) << 4) | ((c3 & 0x3c) >> 2));
            if (pos >= len || off >= s.length()) {
                break;
            }
            int c4 = index(s.charAt(off++));
            out[pos++] = (byte) (((c3 & 0x03) << 6) | c4);
        }
        if (pos != len) {
            throw new IllegalArgumentException("too short");
        }
        return out;
    }

    private static int index(char c) {
        int i = BCRYPT.indexOf(c);
        if (i < 0) {
            throw new IllegalArgumentException("'" + c + "' is not a bcrypt base-64 character");
        }
        return i;
    }
}
