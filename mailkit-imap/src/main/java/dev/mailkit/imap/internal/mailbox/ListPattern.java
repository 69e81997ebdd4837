package dev.mailkit.imap.internal.mailbox;

import java.util.HashMap;
import java.util.Map;

/**
 * A LIST pattern (RFC 3501 6.3.8): {@code *} matches any characters, {@code %} any characters except the hierarchy
 * delimiter. Matching simulates the pattern as a set of states in bit sets, one step per character of the name, so
 * it takes time proportional to the name's length times the pattern's (divided by 64) and never backtracks: a
 * pattern such as {@code *%*%*%*%...x} cannot make it slow. Runs of wildcards are collapsed first, and a pattern
 * with more literal characters than the name is rejected at once. INBOX matches case-insensitively. Immutable and
 * thread-safe.
 */
public final class ListPattern {
    private static final int LITERAL = 0;
    private static final int STAR = 1;
    private static final int PERCENT = 2;

    private final char delimiter;
    private final int[] kinds;
    private final char[] chars;
    private final int literalCount;
    private final int words;
    private final Map<Character, long[]> literalMasks = new HashMap<>();
    private final long[] starMask;
    private final long[] percentMask;
    private final long[] wildMask;

    private ListPattern(String pattern, char delimiter) {
        this.delimiter = delimiter;
        int n = pattern.length();
        int[] k = new int[n];
        char[] c = new char[n];
        int m = 0;
        int literals = 0;
        for (int i = 0; i < n; i++) {
            char ch = pattern.charAt(i);
            int kind = ch == '*' ? STAR : ch == '%' ? PERCENT : LITERAL;
            if (kind != LITERAL && m > 0 && k[m - 1] != LITERAL) {
                if (kind == STAR) {
                    k[m - 1] = STAR; // "%*", "*%", "**" all mean "*"
                }
                continue;
            }
            k[m] = kind;
            c[m] = ch;
            if (kind == LITERAL) {
                literals++;
            }
            m++;
        }
        this.kinds = java.util.Arrays.copyOf(k, m);
        this.chars = java.util.Arrays.copyOf(c, m);
        this.literalCount = literals;
        this.words = (m + 1 + 63) / 64; // states 0..m
        this.starMask = new long[words];
        this.percentMask = new long[words];
        this.wildMask = new long[words];
        for (int i = 0; i < m; i++) {
            if (kinds[i] == LITERAL) {
                literalMasks.computeIfAbsent(chars[i], x -> new long[words])[i >>> 6] |= 1L << i;
            } else {
                (kinds[i] == STAR ? starMask : percentMask)[i >>> 6] |= 1L << i;
                wildMask[i >>> 6] |= 1L << i;
            }
        }
    }

    /**
     * Compiles reference and pattern: the pattern is appended to the reference (RFC 3501 leaves the interpretation
     * to the server; this is what Dovecot does). A leading INBOX in any case is upper-cased.
     */
    public static ListPattern compile(String reference, String pattern, char delimiter) {
        String full = reference.isEmpty() ? pattern : reference + pattern;
        if (full.length() >= 5 && full.regionMatches(true, 0, "INBOX", 0, 5)
                && (full.length() == 5 || full.charAt(5) == delimiter)) {
            full = "INBOX" + full.substring(5);
        }
        return new ListPattern(full, delimiter);
    }

    /** Whether the mailbox name matches. */
    public boolean matches(String name) {
        if (literalCount > name.length()) {
            return false;
        }
        long[] states = run(normalizeInbox(name));
        int m = kinds.length;
        return states != null && (states[m >>> 6] & (1L << m)) != 0;
    }

    private String normalizeInbox(String name) {
        if (name.length() >= 5 && name.regionMatches(true, 0, "INBOX", 0, 5)
                && (name.length() == 5 || name.charAt(5) == delimiter)) {
            return "INBOX" + name.substring(5);
        }
        return name;
    }

    /** The live states after reading the text, or null when none is left. */
    private long[] run(String text) {
        long[] cur = new long[words];
        long[] next = new long[words];
        cur[0] = 1L;
        closure(cur);
        for (int p = 0; p < text.length(); p++) {
            char ch = text.charAt(p);
            long[] lit = literalMasks.get(ch);
            boolean any = false;
            long carry = 0;
            for (int w = 0; w < words; w++) {
                long moved = lit == null ? 0 : cur[w] & lit[w];
                long shifted = (moved << 1) | carry;
                carry = moved >>> 63;
                long stay = cur[w] & starMask[w];
                if (ch != delimiter) {
                    stay |= cur[w] & percentMask[w];
                }
                next[w] = shifted | stay;
                any |= next[w] != 0;
            }
            if (!any) {
                return null;
            }
            closure(next);
            long[] t = cur;
            cur = next;
            next = t;
        }
        return cur;
    }

    /** Wildcards match the empty string: a state at a wildcard also reaches the state after it. */
    private void closure(long[] set) {
        long carry = 0;
        for (int w = 0; w < words; w++) {
            long moved = set[w] & wildMask[w];
            long add = (moved << 1) | carry;
            carry = moved >>> 63;
            set[w] |= add;
        }
    }

    /**
     * Whether some name below {@code name} (name, delimiter, more) could match: every live state can still reach the
     * end of the pattern, so a live state after the prefix means some longer name matches. Used for \Noselect-style
     * parents and CHILDINFO.
     */
    public boolean matchesSomeChildOf(String name) {
        return run(normalizeInbox(name) + delimiter) != null;
    }
}
