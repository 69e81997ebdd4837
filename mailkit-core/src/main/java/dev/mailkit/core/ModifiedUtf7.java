package dev.mailkit.core;

/**
 * IMAP's modified UTF-7 (RFC 3501 5.1.3), the form mailbox names take on the IMAP wire and, in Dovecot-compatible
 * Maildirs, on disk (Maildir++ folder names, {@code subscriptions}): printable US-ASCII stands for itself except
 * {@code &}, written {@code &-}; every other run of characters is UTF-16 in a modified BASE64 ({@code ,} for
 * {@code /}, no padding) between {@code &} and {@code -}.
 *
 * <p>{@link #decode} is strict: it refuses anything that {@link #encode} would not have produced (bare non-ASCII,
 * control characters, printable ASCII inside a BASE64 run, two adjacent runs, leftover bits, unpaired surrogates),
 * so that two different byte strings never name the same mailbox. Its error messages go to IMAP clients as they
 * are (in {@code BAD invalid mailbox name: ...}). Used by mailkit-imap and
 * mailkit-store. Stateless and thread-safe.
 */
public final class ModifiedUtf7 {
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".toCharArray();
    private static final int[] VALUE = new int[128];

    static {
        java.util.Arrays.fill(VALUE, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUE[ALPHABET[i]] = i;
        }
    }

    private ModifiedUtf7() {
    }

    /** Whether the name needs no encoding (printable ASCII without {@code &}). */
    public static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '&') {
                return false;
            }
        }
        return true;
    }

    /** Encodes a mailbox name; a name that needs no encoding ({@link #isPlain}) is returned as it is. */
    public static String encode(String s) {
        if (isPlain(s)) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '&') {
                sb.append("&-");
                i++;
            } else if (c >= 0x20 && c <= 0x7E) {
                sb.append(c);
                i++;
            } else {
                sb.append('&');
                int bits = 0;
                int nbits = 0;
                while (i < s.length() && (s.charAt(i) < 0x20 || s.charAt(i) > 0x7E)) {
                    bits = (bits << 16) | s.charAt(i++);
                    nbits += 16;
                    while (nbits >= 6) {
                        nbits -= 6;
                        sb.append(ALPHABET[(bits >> nbits) & 0x3F]);
                    }
                }
                if (nbits > 0) {
                    sb.append(ALPHABET[(bits << (6 - nbits)) & 0x3F]);
                }
                sb.append('-');
            }
        }
        return sb.toString();
    }

    /** The length of {@link #encode(String)} without building it. */
    public static int encodedLength(String s) {
        int n = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c >= 0x20 && c <= 0x7E) {
                n += c == '&' ? 2 : 1;
                i++;
                continue;
            }
            int j = i;
            while (j < s.length() && (s.charAt(j) < 0x20 || s.charAt(j) > 0x7E)) {
                j++;
            }
            n += 2 + ((j - i) * 16 + 5) / 6;
            i = j;
        }
        return n;
    }

    /**
     * Decodes a mailbox name.
     *
     * @throws IllegalArgumentException if it is not valid, canonical modified UTF-7
     */
    public static String decode(String s) {
        if (s.indexOf('&') < 0) {
            checkPrintable(s);
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException("mailbox name contains a character that must be encoded in "
                        + "modified UTF-7: U+" + Integer.toHexString(c));
            }
            if (c != '&') {
                sb.append(c);
                i++;
                continue;
            }
            i++;
            if (i < s.length() && s.charAt(i) == '-') {
                sb.append('&');
                i++;
                continue;
            }
            int bits = 0;
            int nbits = 0;
            int start = sb.length();
            while (true) {
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated modified UTF-7 sequence (missing '-')");
                }
                char d = s.charAt(i++);
                if (d == '-') {
                    break;
                }
                int v = d < 128 ? VALUE[d] : -1;
                if (v < 0) {
                    throw new IllegalArgumentException("invalid character '" + d + "' in modified UTF-7 sequence");
                }
                bits = (bits << 6) | v;
                nbits += 6;
                if (nbits >= 16) {
                    nbits -= 16;
                    sb.append((char) ((bits >> nbits) & 0xFFFF));
                }
            }
            if (nbits >= 6 || (bits & ((1 << nbits) - 1)) != 0) {
                throw new IllegalArgumentException("modified UTF-7 sequence has leftover bits");
            }
            if (sb.length() == start) {
                throw new IllegalArgumentException("empty modified UTF-7 sequence");
            }
            for (int k = start; k < sb.length(); k++) {
                char u = sb.charAt(k);
                if (u >= 0x20 && u <= 0x7E) {
                    throw new IllegalArgumentException("modified UTF-7 sequence encodes printable ASCII");
                }
                if (Character.isHighSurrogate(u)) {
                    if (k + 1 >= sb.length() || !Character.isLowSurrogate(sb.charAt(k + 1))) {
                        throw new IllegalArgumentException("modified UTF-7 sequence has an unpaired surrogate");
                    }
                    k++;
                } else if (Character.isLowSurrogate(u)) {
                    throw new IllegalArgumentException("modified UTF-7 sequence has an unpaired surrogate");
                }
            }
            if (i < s.length() && s.charAt(i) == '&' && i + 1 < s.length() && s.charAt(i + 1) != '-') {
                throw new IllegalArgumentException("adjacent modified UTF-7 sequences must be one sequence");
            }
        }
        return sb.toString();
    }

    private static void checkPrintable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException("mailbox name contains a character that must be encoded in "
                        + "modified UTF-7: U+" + Integer.toHexString(c));
            }
        }
    }
}
