package dev.mailkit.store.internal;

import dev.mailkit.store.FlagOperation;

/**
 * What one STORE does to each message's flags (RFC 3501 6.4.6: {@code FLAGS} replaces them, {@code +FLAGS} adds,
 * {@code -FLAGS} removes), as bit arithmetic on a row of the {@link MessageTable}: the system flag bits and the
 * keyword words. One per STORE command, reused for every message it names; used under the mailbox's write lock.
 */
final class FlagUpdate {
    private final FlagOperation op;
    private final int system;
    private final long[] keywords;
    private final long[] newKeywords;
    private int newSystem;

    /**
     * @param systemBits  the system flags named
     * @param keywordBits the keywords named, as bits of the mailbox's keyword table (may be shorter than a row)
     * @param stride      the keyword words per row
     */
    FlagUpdate(FlagOperation op, int systemBits, long[] keywordBits, int stride) {
        this.op = op;
        this.system = systemBits;
        this.keywords = keywordBits;
        this.newKeywords = new long[stride];
    }

    /** Computes row {@code i}'s new flags; true if they differ from its current ones. */
    boolean changes(MessageTable table, int i) {
        int old = table.flags(i);
        newSystem = op == FlagOperation.ADD ? old | system : op == FlagOperation.REMOVE ? old & ~system : system;
        boolean diff = newSystem != old;
        int stride = newKeywords.length;
        long[] words = table.keywordWords();
        for (int w = 0; w < stride; w++) {
            long o = words[i * stride + w];
            long a = w < keywords.length ? keywords[w] : 0;
            long n = op == FlagOperation.ADD ? o | a : op == FlagOperation.REMOVE ? o & ~a : a;
            newKeywords[w] = n;
            diff |= n != o;
        }
        return diff;
    }

    /** The system flag bits {@link #changes} computed. */
    int systemBits() {
        return newSystem;
    }

    /** Gives row {@code i} the flags {@link #changes} computed for it, with a new MODSEQ. */
    void apply(MessageTable table, int i, long modSeq) {
        table.setFlags(i, newSystem, newKeywords, modSeq);
    }
}
