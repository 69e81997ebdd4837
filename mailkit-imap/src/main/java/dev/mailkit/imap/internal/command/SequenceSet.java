package dev.mailkit.imap.internal.command;

import java.util.Arrays;

/**
 * A sequence set or UID set as the client sent it (RFC 3501 {@code sequence-set}): ranges of numbers where
 * {@code *} stands for the largest number in use. Resolve it against the mailbox with {@link #resolve(long)}.
 * Immutable.
 */
public final class SequenceSet {
    /** The value of {@code *} before resolution. */
    public static final long STAR = Long.MAX_VALUE;

    private final long[] ranges; // pairs: first, last (as given; either may be STAR; may be reversed)

    /**
     * RFC 5182's {@code $}: the messages the last {@code SEARCH RETURN (SAVE)} saved. It has no ranges of its own:
     * the selected mailbox resolves it ({@code SelectedMailbox.resolve}); resolved alone it is empty.
     */
    public static final SequenceSet SAVED = new SequenceSet(new long[0]);

    private SequenceSet(long[] ranges) {
        this.ranges = ranges;
    }

    /** A set from pairs of (first, last); single numbers have first == last. */
    public static SequenceSet of(long... pairs) {
        if (pairs.length == 0 || pairs.length % 2 != 0) {
            throw new IllegalArgumentException("a sequence set needs pairs of numbers");
        }
        return new SequenceSet(pairs.clone());
    }

    /** Whether this is {@code $} (RFC 5182), the saved search result. */
    public boolean isSaved() {
        return this == SAVED;
    }

    /** The number of ranges. */
    public int rangeCount() {
        return ranges.length / 2;
    }

    /** Whether the set mentions {@code *}. */
    public boolean usesStar() {
        for (long r : ranges) {
            if (r == STAR) {
                return true;
            }
        }
        return false;
    }

    /**
     * The set resolved against the largest number in use ({@code *} becomes {@code max}; each range is ordered),
     * sorted and merged: pairs of (first, last) with first &lt;= last, ascending and disjoint. With max 0 (an empty
     * mailbox), {@code *} resolves to 0 and ranges may then start at 0.
     */
    public long[] resolve(long max) {
        int n = ranges.length / 2;
        long[] r = new long[ranges.length];
        for (int i = 0; i < n; i++) {
            long a = ranges[2 * i] == STAR ? max : ranges[2 * i];
            long b = ranges[2 * i + 1] == STAR ? max : ranges[2 * i + 1];
            r[2 * i] = Math.min(a, b);
            r[2 * i + 1] = Math.max(a, b);
        }
        if (n == 1) {
            return r;
        }
        // sort ranges by start (insertion sort on pairs; sets are usually short or already sorted)
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = r[2 * i] >= r[2 * i - 2];
        }
        if (!sorted) {
            Long[] idx = new Long[n];
            for (int i = 0; i < n; i++) {
                idx[i] = (long) i;
            }
            long[] copy = r.clone();
            Arrays.sort(idx, (x, y) -> Long.compare(copy[(int) (2 * x)], copy[(int) (2 * y)]));
            for (int i = 0; i < n; i++) {
                r[2 * i] = copy[(int) (2 * idx[i])];
                r[2 * i + 1] = copy[(int) (2 * idx[i] + 1)];
            }
        }
        int out = 0;
        for (int i = 0; i < n; i++) {
            long a = r[2 * i];
            long b = r[2 * i + 1];
            if (out > 0 && a <= r[out - 1] + 1) {
                r[out - 1] = Math.max(r[out - 1], b);
            } else {
                r[out++] = a;
                r[out++] = b;
            }
        }
        return out == r.length ? r : Arrays.copyOf(r, out);
    }

    /** Whether {@code n} is in the set when {@code *} means {@code max}. */
    public boolean contains(long n, long max) {
        for (int i = 0; i < ranges.length; i += 2) {
            long a = ranges[i] == STAR ? max : ranges[i];
            long b = ranges[i + 1] == STAR ? max : ranges[i + 1];
            if (n >= Math.min(a, b) && n <= Math.max(a, b)) {
                return true;
            }
        }
        return false;
    }

    /** The largest number mentioned, {@link #STAR} if {@code *} is used. */
    public long largest() {
        long m = 0;
        for (long r : ranges) {
            m = Math.max(m, r);
        }
        return m;
    }

    /**
     * Writes sorted, merged ranges in the compact IMAP form ({@code 1:3,7,9:12}).
     *
     * @param resolved pairs as returned by {@link #resolve(long)}
     */
    public static String format(long[] resolved) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < resolved.length; i += 2) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(resolved[i]);
            if (resolved[i + 1] != resolved[i]) {
                sb.append(':').append(resolved[i + 1]);
            }
        }
        return sb.toString();
    }

    /** Compact form of a list of numbers in any order, e.g. UIDs for COPYUID (order kept, runs merged). */
    public static String formatList(long[] numbers) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < numbers.length) {
            int j = i;
            while (j + 1 < numbers.length && numbers[j + 1] == numbers[j] + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(numbers[i]);
            if (j > i) {
                sb.append(':').append(numbers[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceSet s && isSaved() == s.isSaved() && Arrays.equals(ranges, s.ranges);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ranges);
    }

    @Override
    public String toString() {
        if (isSaved()) {
            return "$";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ranges.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(ranges[i] == STAR ? "*" : Long.toString(ranges[i]));
            if (ranges[i + 1] != ranges[i]) {
                sb.append(':').append(ranges[i + 1] == STAR ? "*" : Long.toString(ranges[i + 1]));
            }
        }
        return sb.toString();
    }
}
