package dev.mailkit.store.internal;

import dev.mailkit.store.UidSet;

import java.util.Arrays;

/**
 * Helpers for sorted arrays of UIDs kept as unsigned ints (UIDs go up to 2<sup>32</sup>-1). Stateless.
 */
public final class Uids {
    private Uids() {
    }

    /** The UID as an unsigned value. */
    public static long value(int stored) {
        return Integer.toUnsignedLong(stored);
    }

    /** Binary search in {@code a[0, n)} (ascending, unsigned); like {@link Arrays#binarySearch}. */
    public static int search(int[] a, int n, long uid) {
        if (uid < 0 || uid > UidSet.MAX_UID) {
            return uid < 0 ? -1 : -(n + 1);
        }
        int key = (int) uid;
        int lo = 0;
        int hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(a[mid], key);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** The index of the first element {@code >= uid}, or {@code n}. */
    public static int ceiling(int[] a, int n, long uid) {
        int i = search(a, n, uid);
        return i >= 0 ? i : -i - 1;
    }

    /** The elements of {@code a[0, n)} that are in the set, ascending. */
    public static int[] intersect(int[] a, int n, UidSet set) {
        IntList out = new IntList();
        for (int r = 0; r < set.rangeCount(); r++) {
            long end = set.rangeEnd(r);
            for (int i = ceiling(a, n, set.rangeStart(r)); i < n && value(a[i]) <= end; i++) {
                out.add(a[i]);
            }
        }
        return out.toArray();
    }

    /** A set of sorted UIDs. */
    public static UidSet toSet(int[] sorted, int n) {
        UidSet.Builder b = UidSet.builder();
        for (int i = 0; i < n; i++) {
            b.add(value(sorted[i]));
        }
        return b.build();
    }

    /** Sorts unsigned and removes duplicates; returns the new length. */
    public static int sortDistinct(int[] a, int n) {
        if (n < 2) {
            return n;
        }
        // flip the sign bit so that signed order is unsigned order
        for (int i = 0; i < n; i++) {
            a[i] ^= Integer.MIN_VALUE;
        }
        Arrays.sort(a, 0, n);
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m == 0 || a[i] != a[m - 1]) {
                a[m++] = a[i];
            }
        }
        for (int i = 0; i < m; i++) {
            a[i] ^= Integer.MIN_VALUE;
        }
        return m;
    }

    /** A growable int array. Not thread-safe. */
    public static final class IntList {
        private int[] a = new int[8];
        private int n;

        /** Appends. */
        public void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        /** Appends all. */
        public void addAll(int[] vs) {
            if (n + vs.length > a.length) {
                a = Arrays.copyOf(a, Math.max(n + vs.length, n * 2));
            }
            System.arraycopy(vs, 0, a, n, vs.length);
            n += vs.length;
        }

        /** The number of elements. */
        public int size() {
            return n;
        }

        /** Element i. */
        public int get(int i) {
            return a[i];
        }

        /** The backing array (valid up to size()). */
        public int[] array() {
            return a;
        }

        /** Sorts unsigned and removes duplicates. */
        public void sortDistinct() {
            n = Uids.sortDistinct(a, n);
        }

        /** A copy of the elements. */
        public int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
