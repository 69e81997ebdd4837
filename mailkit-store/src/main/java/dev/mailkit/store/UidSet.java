package dev.mailkit.store;

import java.util.Arrays;
import java.util.PrimitiveIterator;
import java.util.stream.LongStream;

/**
 * A set of message UIDs held as sorted, disjoint, non-adjacent ranges, so that {@code 1:4294967295} costs no more
 * than {@code 7}. UIDs are between 1 and {@value #MAX_UID} (IMAP's nz-number).
 *
 * <p>{@link #toString()} writes the IMAP sequence-set form ({@code 1:3,7,9:12}), as used in {@code COPYUID} and
 * {@code VANISHED}. Immutable and thread-safe; build one with {@link #builder()}.
 */
public final class UidSet implements Iterable<Long> {
    /** The largest UID IMAP allows, 2<sup>32</sup>-1. */
    public static final long MAX_UID = 0xFFFF_FFFFL;

    /** The empty set. */
    public static final UidSet EMPTY = new UidSet(new long[0], new long[0]);

    private final long[] starts;
    private final long[] ends;

    private UidSet(long[] starts, long[] ends) {
        this.starts = starts;
        this.ends = ends;
    }

    /** The set of the given UIDs (any order, duplicates allowed). */
    public static UidSet of(long... uids) {
        Builder b = builder();
        for (long u : uids) {
            b.add(u);
        }
        return b.build();
    }

    /** The UIDs from {@code first} to {@code last} inclusive (in either order, like IMAP's {@code a:b}). */
    public static UidSet range(long first, long last) {
        return builder().addRange(first, last).build();
    }

    /** All possible UIDs, {@code 1:4294967295}. */
    public static UidSet all() {
        return range(1, MAX_UID);
    }

    /**
     * Parses the IMAP sequence-set form without {@code *}, for example {@code 1:3,7,9:12}.
     *
     * @throws IllegalArgumentException if the text is not of that form or a number is out of range
     */
    public static UidSet parse(String text) {
        Builder b = builder();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty UID set");
        }
        for (String part : text.split(",", -1)) {
            int colon = part.indexOf(':');
            if (colon < 0) {
                b.add(number(part, text));
            } else {
                b.addRange(number(part.substring(0, colon), text), number(part.substring(colon + 1), text));
            }
        }
        return b.build();
    }

    private static long number(String s, String whole) {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a UID set: \"" + whole + "\" (expected numbers such as 1:3,7)");
        }
        long v = Long.parseLong(s);
        check(v);
        return v;
    }

    private static void check(long uid) {
        if (uid < 1 || uid > MAX_UID) {
            throw new IllegalArgumentException("UID " + uid + " is out of range 1.." + MAX_UID);
        }
    }

    /** A builder that accepts UIDs and ranges in any order. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the UID is in the set. */
    public boolean contains(long uid) {
        int i = Arrays.binarySearch(starts, uid);
        if (i >= 0) {
            return true;
        }
        int r = -i - 2;
        return r >= 0 && uid <= ends[r];
    }

    /** The number of UIDs. */
    public long size() {
        long n = 0;
        for (int i = 0; i < starts.length; i++) {
            n += ends[i] - starts[i] + 1;
        }
        return n;
    }

    /** Whether the set is empty. */
    public boolean isEmpty() {
        return starts.length == 0;
    }

    /** The number of ranges. */
    public int rangeCount() {
        return starts.length;
    }

    /** The first UID of range {@code i} (ranges ascend). */
    public long rangeStart(int i) {
        return starts[i];
    }

    /** The last UID of range {@code i}, inclusive. */
    public long rangeEnd(int i) {
        return ends[i];
    }

    /**
     * The smallest UID.
     *
     * @throws java.util.NoSuchElementException if empty
     */
    public long first() {
        if (isEmpty()) {
            throw new java.util.NoSuchElementException("empty UID set");
        }
        return starts[0];
    }

    /**
     * The largest UID.
     *
     * @throws java.util.NoSuchElementException if empty
     */
    public long last() {
        if (isEmpty()) {
            throw new java.util.NoSuchElementException("empty UID set");
        }
        return ends[ends.length - 1];
    }

    /** The UIDs in ascending order. */
    public LongStream stream() {
        LongStream s = LongStream.empty();
        for (int i = 0; i < starts.length; i++) {
            s = LongStream.concat(s, LongStream.rangeClosed(starts[i], ends[i]));
        }
        return s;
    }

    /** The UIDs in ascending order. */
    @Override
    public PrimitiveIterator.OfLong iterator() {
        return new PrimitiveIterator.OfLong() {
            int range;
            long next = starts.length > 0 ? starts[0] : 0;

            @Override
            public boolean hasNext() {
                return range < starts.length;
            }

            @Override
            public long nextLong() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                long v = next;
                if (next == ends[range]) {
                    range++;
                    if (range < starts.length) {
                        next = starts[range];
                    }
                } else {
                    next++;
                }
                return v;
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UidSet && Arrays.equals(starts, ((UidSet) o).starts)
                && Arrays.equals(ends, ((UidSet) o).ends);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(starts) * 31 + Arrays.hashCode(ends);
    }

    /** The IMAP sequence-set form, for example {@code 1:3,7}; empty for the empty set. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < starts.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(starts[i]);
            if (ends[i] != starts[i]) {
                sb.append(':').append(ends[i]);
            }
        }
        return sb.toString();
    }

    /** Collects UIDs and ranges in any order. Not thread-safe. */
    public static final class Builder {
        private long[] s = new long[8];
        private long[] e = new long[8];
        private int n;
        private boolean sorted = true;

        private Builder() {
        }

        /** Adds one UID. */
        public Builder add(long uid) {
            check(uid);
            return put(uid, uid);
        }

        /** Adds the UIDs from {@code first} to {@code last} inclusive (in either order). */
        public Builder addRange(long first, long last) {
            check(first);
            check(last);
            return put(Math.min(first, last), Math.max(first, last));
        }

        /** Adds every UID of another set. */
        public Builder addAll(UidSet set) {
            for (int i = 0; i < set.starts.length; i++) {
                put(set.starts[i], set.ends[i]);
            }
            return this;
        }

        private Builder put(long a, long b) {
            if (n > 0 && sorted) {
                if (a >= s[n - 1] && a <= e[n - 1] + 1) {
                    e[n - 1] = Math.max(e[n - 1], b);
                    return this;
                }
                if (a < s[n - 1]) {
                    sorted = false;
                }
            }
            if (n == s.length) {
                s = Arrays.copyOf(s, n * 2);
                e = Arrays.copyOf(e, n * 2);
            }
            s[n] = a;
            e[n] = b;
            n++;
            return this;
        }

        /** The set. The builder may be used further. */
        public UidSet build() {
            if (n == 0) {
                return EMPTY;
            }
            Integer[] order = null;
            long[] ss = Arrays.copyOf(s, n);
            long[] ee = Arrays.copyOf(e, n);
            if (!sorted) {
                order = new Integer[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, (x, y) -> Long.compare(s[x], s[y]));
                for (int i = 0; i < n; i++) {
                    ss[i] = s[order[i]];
                    ee[i] = e[order[i]];
                }
            }
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (m > 0 && ss[i] <= ee[m - 1] + 1) {
                    ee[m - 1] = Math.max(ee[m - 1], ee[i]);
                } else {
                    ss[m] = ss[i];
                    ee[m] = ee[i];
                    m++;
                }
            }
            return new UidSet(Arrays.copyOf(ss, m), Arrays.copyOf(ee, m));
        }
    }
}
