package dev.mailkit.sieve.internal.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code :matches} (RFC 5228 2.7.1): {@code *} matches any sequence, {@code ?} one character, {@code \} takes the
 * next character literally. Wildcards match as little as possible (RFC 5229 3.2), and the text each one matched is
 * returned for the match variables ({@code ${1}}, ...). Linear in practice: only the last {@code *} is ever
 * backtracked, and a step budget bounds a hostile pattern. Stateless.
 */
final class Wildcard {
    /** Steps one match may take (a pattern like "*a*a*a*a*b" against a long value). */
    static final int MAX_STEPS = 4_000_000;

    private Wildcard() {
    }

    /** The pattern as code points with escapes resolved; -1 is '*', -2 is '?'. */
    static int[] compile(String pattern) {
        int[] p = pattern.codePoints().toArray();
        int[] out = new int[p.length];
        int n = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == '\\' && i + 1 < p.length) {
                out[n++] = p[++i];
            } else if (p[i] == '*') {
                out[n++] = -1;
            } else if (p[i] == '?') {
                out[n++] = -2;
            } else {
                out[n++] = p[i];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * Matches; returns the texts the wildcards matched (index 0 the whole value), or null if it does not match.
     */
    static List<String> match(String value, String pattern, Comparator cmp) {
        int[] v = value.codePoints().toArray();
        int[] p = compile(pattern);
        int[] starts = new int[p.length];   // for each pattern position, where in v it matched
        int vi = 0;
        int pi = 0;
        int starP = -1;
        int starV = -1;
        long steps = 0;
        while (vi < v.length) {
            if (++steps > MAX_STEPS) {
                return null;
            }
            if (pi < p.length && p[pi] == -1) {
                starts[pi] = vi;
                starP = pi++;
                starV = vi;
            } else if (pi < p.length && (p[pi] == -2 || (p[pi] >= 0 && cmp.same(p[pi], v[vi])))) {
                starts[pi] = vi;
                pi++;
                vi++;
            } else if (starP >= 0) {
                pi = starP + 1;
                vi = ++starV;
            } else {
                return null;
            }
        }
        while (pi < p.length && p[pi] == -1) {
            starts[pi] = vi;
            pi++;
        }
        if (pi != p.length) {
            return null;
        }
        List<String> groups = new ArrayList<>();
        groups.add(value);
        for (int i = 0; i < p.length; i++) {
            if (p[i] == -1) {
                int end = i + 1 < p.length ? starts[i + 1] : v.length;
                groups.add(new String(v, starts[i], end - starts[i]));
            } else if (p[i] == -2) {
                groups.add(new String(v, starts[i], 1));
            }
        }
        return groups;
    }
}
