package dev.mailkit.imap.internal.search;

/**
 * Finds a string in a stream of characters, ignoring case (simple Unicode case folding), in one pass and without
 * buffering the text (Knuth-Morris-Pratt). Feed characters with {@link #feed(char)}; {@link #reset()} between
 * independent texts. Not thread-safe.
 */
public final class TextMatcher {
    private final char[] needle;
    private final int[] failure;
    private int matched;

    /** A matcher for the text (an empty text matches at once). */
    public TextMatcher(String text) {
        needle = new char[text.length()];
        for (int i = 0; i < needle.length; i++) {
            needle[i] = fold(text.charAt(i));
        }
        failure = new int[needle.length + 1];
        failure[0] = -1;
        int k = -1;
        for (int i = 0; i < needle.length; i++) {
            while (k >= 0 && needle[k] != needle[i]) {
                k = failure[k];
            }
            k++;
            failure[i + 1] = k;
        }
    }

    /** Case folding: upper then lower case, so that e.g. the German sharp s and dotted I compare sensibly. */
    static char fold(char c) {
        if (c < 128) {
            return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    /** Whether the needle is empty (matches everything). */
    public boolean isEmpty() {
        return needle.length == 0;
    }

    /** Feeds one character; true once the text has been seen. */
    public boolean feed(char c) {
        if (needle.length == 0) {
            return true;
        }
        char f = fold(c);
        int k = matched;
        while (k >= 0 && needle[k] != f) {
            k = failure[k];
        }
        k++;
        if (k == needle.length) {
            matched = failure[k];
            return true;
        }
        matched = k;
        return false;
    }

    /** Feeds characters; true once the text has been seen. */
    public boolean feed(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (feed(s.charAt(i))) {
                return true;
            }
        }
        return needle.length == 0;
    }

    /** Forgets partial matches (before feeding an unrelated text). */
    public void reset() {
        matched = 0;
    }

    /** Whether the text occurs in the string. */
    public boolean find(CharSequence s) {
        reset();
        return feed(s);
    }
}
