package dev.mailkit.search.internal;

import org.apache.lucene.util.BytesRef;

/**
 * The terms of the index: every position of a text gives the three characters starting there (folded as IMAP
 * SEARCH folds them, UTF-16 units as two bytes each, so nothing is lost or merged), padded with {@link #PAD} at the
 * end of the text. A string of three or more characters occurs in a text exactly when its own trigrams occur at
 * consecutive positions (a phrase); one or two characters occur exactly when some term starts with them. Stateless.
 */
public final class Trigrams {
    /** Pads the last two positions of a text; a string that contains it is not looked up. */
    public static final char PAD = '\uFFFF';

    private Trigrams() {
    }

    /** IMAP SEARCH's case folding of one character (the scan's: upper case, then lower case). */
    public static char fold(char c) {
        if (c < 128) {
            return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    /** The folded string. */
    public static char[] fold(CharSequence s) {
        char[] out = new char[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = fold(s.charAt(i));
        }
        return out;
    }

    /** The term for the trigram at {@code i} of folded text {@code t} (padded past its end). */
    public static void term(char[] t, int len, int i, byte[] out) {
        for (int k = 0; k < 3; k++) {
            char c = i + k < len ? t[i + k] : PAD;
            out[2 * k] = (byte) (c >> 8);
            out[2 * k + 1] = (byte) c;
        }
    }

    /** The first {@code n} characters of a folded needle as a term prefix. */
    public static BytesRef prefix(char[] needle, int n) {
        byte[] b = new byte[2 * n];
        for (int k = 0; k < n; k++) {
            b[2 * k] = (byte) (needle[k] >> 8);
            b[2 * k + 1] = (byte) needle[k];
        }
        return new BytesRef(b);
    }

    /** The term of the trigram at {@code i} of a folded needle (which must have three characters from there). */
    public static BytesRef trigram(char[] needle, int i) {
        byte[] b = new byte[6];
        term(needle, needle.length, i, b);
        return new BytesRef(b);
    }
}
