package dev.mailkit.store;

/**
 * IMAP's modified UTF-7 (RFC 3501 section 5.1.3), the form mailbox names take on the wire and, in Dovecot-compatible
 * Maildirs, on disk. Printable ASCII stands for itself except {@code &}, which is written {@code &-}; every other run
 * of characters is written as {@code &}, modified BASE64 of its UTF-16 ({@code ,} instead of {@code /}, no padding),
 * {@code -}.
 *
 * <p>{@link #decode} is strict: it refuses anything that {@link #encode} would not have produced (bare non-ASCII,
 * control characters, printable ASCII inside a BASE64 run, two adjacent runs, bad padding bits, unpaired
 * surrogates), so that every name has exactly one encoding. Stateless and thread-safe.
 */
public final class ModifiedUtf7 {
    private static final char[] B64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".toCharArray();
    private static final int[] VALUE = new int[128];

    static {
        java.util.Arrays.fill(VALUE, -1);
        for (int i = 0; i < B64.length; i++) {
            VALUE[B64[i]] = i;
        }
    }

    private ModifiedUtf7() {
    }

    /** Encodes a name. */
    public static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                out.append(c);
                if (c == '&') {
                    out.append('-');
                }
                i++;
                continue;
            }
            int j = i;
            while (j < name.length() && (name.charAt(j) < 0x20 || name.charAt(j) > 0x7e)) {
                j++;
            }
            out.append('&');
            int bits = 0;
            int nbits = 0;
            for (int k = i; k < j; k++) {
                bits = (bits << 16) | name.charAt(k);
                nbits += 16;
                while (nbits >= 6) {
                    nbits -= 6;
                    out.append(B64[(bits >> nbits) & 0x3f]);
                }
            }
            if (nbits > 0) {
                out.append(B64[(bits << (6 - nbits)) & 0x3f]);
            }
            out.append('-');
            i = j;
        }
        return out.toString();
    }

    /** The length of {@link #encode(String)} without building it. */
    public static int encodedLength(String name) {
        int n = 0;
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                n += c == '&' ? 2 : 1;
                i++;
                continue;
            }
            int j = i;
            while (j < name.length() && (name.charAt(j) < 0x20 || name.charAt(j) > 0x7e)) {
                j++;
            }
            n += 2 + ((j - i) * 16 + 5) / 6;
            i = j;
        }
        return n;
    }

    /**
     * Decodes a name.
     *
     * @throws IllegalArgumentException if the text is not in canonical modified UTF-7; the message says where
     */
    public static String decode(String encoded) {
        StringBuilder out = new StringBuilder(encoded.length());
        int i = 0;
        boolean lastWasRun = false;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw bad(encoded, i, "character U+" + String.format("%04X", (int) c)
                        + " must be encoded (modified UTF-7 allows only printable ASCII)");
            }
            if (c != '&') {
                out.append(c);
                lastWasRun = false;
                i++;
                continue;
            }
            int end = encoded.indexOf('-', i + 1);
            if (end < 0) {
                throw bad(encoded, i, "'&' starts an encoded run that does not end with '-'");
            }
            if (end == i + 1) {
                out.append('&');
                lastWasRun = false;
                i = end + 1;
                continue;
            }
            if (lastWasRun) {
                throw bad(encoded, i, "two adjacent encoded runs (they must be one)");
            }
            int bits = 0;
            int nbits = 0;
            int start = out.length();
            for (int k = i + 1; k < end; k++) {
                char d = encoded.charAt(k);
                int v = d < 128 ? VALUE[d] : -1;
                if (v < 0) {
                    throw bad(encoded, k, "'" + d + "' is not a modified BASE64 character");
                }
                bits = (bits << 6) | v;
                nbits += 6;
                if (nbits >= 16) {
                    nbits -= 16;
                    out.append((char) ((bits >> nbits) & 0xffff));
                }
            }
            if (nbits >= 6 || (bits & ((1 << nbits) - 1)) != 0) {
                throw bad(encoded, end, "encoded run has leftover bits");
            }
            for (int k = start; k < out.length(); k++) {
                char d = out.charAt(k);
                if (d >= 0x20 && d <= 0x7e) {
                    throw bad(encoded, i, "printable ASCII '" + d + "' must not be encoded");
                }
                if (Character.isHighSurrogate(d)) {
                    if (k + 1 >= out.length() || !Character.isLowSurrogate(out.charAt(k + 1))) {
                        throw bad(encoded, i, "unpaired surrogate");
                    }
                    k++;
                } else if (Character.isLowSurrogate(d)) {
                    throw bad(encoded, i, "unpaired surrogate");
                }
            }
            lastWasRun = true;
            i = end + 1;
        }
        return out.toString();
    }

    private static IllegalArgumentException bad(String s, int at, String why) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return new IllegalArgumentException("invalid modified UTF-7 mailbox name \"" + shown + "\" at position "
                + at + ": " + why);
    }
}
