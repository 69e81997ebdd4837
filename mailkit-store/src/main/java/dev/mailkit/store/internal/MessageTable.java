package dev.mailkit.store.internal;

import dev.mailkit.store.SystemFlag;

import java.util.Arrays;

/**
 * The in-memory index of one mailbox: one row per message, sorted by UID, in parallel primitive arrays (UID, system
 * flags, keyword bits, MODSEQ, internal date, size) plus one store-specific reference per message (the content of
 * an in-memory message, the file name of a Maildir message). About 40 bytes per message plus the reference, and
 * 8 bytes per 64 keywords once keywords are used: a 100 000-message mailbox costs a few MiB. Lookups by UID are
 * binary searches. The counts STATUS reports (messages without {@code \Seen}, with {@code \Deleted}, total size) are
 * kept up to date as rows are added, changed and removed, as Dovecot keeps them in its index header. Not
 * thread-safe: guarded by the mailbox's lock.
 */
public final class MessageTable {
    private static final int SEEN = 1 << SystemFlag.SEEN.ordinal();
    private static final int DELETED = 1 << SystemFlag.DELETED.ordinal();

    private int size;
    private int[] uids = new int[16];
    private byte[] flags = new byte[16];
    private long[] modSeqs = new long[16];
    private long[] dates = new long[16];
    private long[] sizes = new long[16];
    private Object[] refs = new Object[16];
    private long[] keywords = new long[0];
    private int stride;
    private int unseen;
    private int deletedCount;
    private long totalSize;

    /** The number of messages. */
    public int size() {
        return size;
    }

    /** The number of messages without {@code \Seen}. */
    public int unseen() {
        return unseen;
    }

    /** The number of messages with {@code \Deleted}. */
    public int deletedCount() {
        return deletedCount;
    }

    /** The sum of the messages' sizes. */
    public long totalSize() {
        return totalSize;
    }

    private void count(int flagBits, long messageSize, int sign) {
        if ((flagBits & SEEN) == 0) {
            unseen += sign;
        }
        if ((flagBits & DELETED) != 0) {
            deletedCount += sign;
        }
        totalSize += sign * messageSize;
    }

    /** The UID of row i. */
    public long uid(int i) {
        return Uids.value(uids[i]);
    }

    /** The UID of row i as stored (unsigned int). */
    public int rawUid(int i) {
        return uids[i];
    }

    /** The system flag bits of row i. */
    public int flags(int i) {
        return flags[i];
    }

    /** The MODSEQ of row i. */
    public long modSeq(int i) {
        return modSeqs[i];
    }

    /** The internal date of row i, epoch seconds. */
    public long date(int i) {
        return dates[i];
    }

    /** The size of row i. */
    public long messageSize(int i) {
        return sizes[i];
    }

    /** The store reference of row i. */
    public Object ref(int i) {
        return refs[i];
    }

    /** The keyword words per row. */
    public int stride() {
        return stride;
    }

    /** The keyword array (row i's words start at {@code i * stride()}). */
    public long[] keywordWords() {
        return keywords;
    }

    /** The row of a UID, or a negative value (see {@link Uids#search}). */
    public int indexOf(long uid) {
        return Uids.search(uids, size, uid);
    }

    /** The first row whose UID is at least {@code uid}, or {@link #size()}. */
    public int ceiling(long uid) {
        return Uids.ceiling(uids, size, uid);
    }

    /** A copy of the UIDs. */
    public int[] uidsCopy() {
        return Arrays.copyOf(uids, size);
    }

    /** Widens the keyword bits to {@code newStride} words per row. */
    public void ensureStride(int newStride) {
        if (newStride <= stride) {
            return;
        }
        long[] k = new long[Math.max(uids.length, 16) * newStride];
        for (int i = 0; i < size; i++) {
            System.arraycopy(keywords, i * stride, k, i * newStride, stride);
        }
        keywords = k;
        stride = newStride;
    }

    /** Makes room for {@code n} rows in all, so that a store loading a big mailbox does not grow step by step. */
    public void ensureCapacity(int n) {
        if (n <= uids.length) {
            return;
        }
        uids = Arrays.copyOf(uids, n);
        flags = Arrays.copyOf(flags, n);
        modSeqs = Arrays.copyOf(modSeqs, n);
        dates = Arrays.copyOf(dates, n);
        sizes = Arrays.copyOf(sizes, n);
        refs = Arrays.copyOf(refs, n);
        if (stride > 0) {
            keywords = Arrays.copyOf(keywords, n * stride);
        }
    }

    /** Adds a row; the UID must be greater than every UID in the table. */
    public void add(long uid, int flagBits, long[] kw, long modSeq, long date, long messageSize, Object ref) {
        if (size > 0 && Integer.compareUnsigned(uids[size - 1], (int) uid) >= 0) {
            throw new IllegalStateException("UID " + uid + " is not above the last UID " + uid(size - 1));
        }
        if (size == uids.length) {
            int n = size * 2;
            uids = Arrays.copyOf(uids, n);
            flags = Arrays.copyOf(flags, n);
            modSeqs = Arrays.copyOf(modSeqs, n);
            dates = Arrays.copyOf(dates, n);
            sizes = Arrays.copyOf(sizes, n);
            refs = Arrays.copyOf(refs, n);
        }
        if (stride > 0 && keywords.length < (size + 1) * stride) {
            keywords = Arrays.copyOf(keywords, uids.length * stride);
        }
        uids[size] = (int) uid;
        flags[size] = (byte) flagBits;
        modSeqs[size] = modSeq;
        dates[size] = date;
        sizes[size] = messageSize;
        refs[size] = ref;
        for (int w = 0; w < stride; w++) {
            keywords[size * stride + w] = w < kw.length ? kw[w] : 0;
        }
        size++;
        count(flagBits, messageSize, 1);
    }

    /** Sets the flags of row i ({@code kw} shorter than the stride means zeros). */
    public void setFlags(int i, int flagBits, long[] kw, long modSeq) {
        count(flags[i], 0, -1);
        count(flagBits, 0, 1);
        flags[i] = (byte) flagBits;
        for (int w = 0; w < stride; w++) {
            keywords[i * stride + w] = w < kw.length ? kw[w] : 0;
        }
        modSeqs[i] = modSeq;
    }

    /** Row i's keyword words (a copy, {@link #stride()} long). */
    public long[] keywordsOf(int i) {
        return Arrays.copyOfRange(keywords, i * stride, i * stride + stride);
    }

    /** Removes the rows with the given ascending indexes, in one pass. */
    public void removeRows(int[] rows, int n) {
        if (n == 0) {
            return;
        }
        int w = rows[0];
        int r = 0;
        for (int i = rows[0]; i < size; i++) {
            if (r < n && rows[r] == i) {
                count(flags[i], sizes[i], -1);
                r++;
                continue;
            }
            uids[w] = uids[i];
            flags[w] = flags[i];
            modSeqs[w] = modSeqs[i];
            dates[w] = dates[i];
            sizes[w] = sizes[i];
            refs[w] = refs[i];
            if (stride > 0) {
                System.arraycopy(keywords, i * stride, keywords, w * stride, stride);
            }
            w++;
        }
        for (int i = w; i < size; i++) {
            refs[i] = null;
        }
        size = w;
    }
}
