package dev.mailkit.store.internal;

import dev.mailkit.store.MailStoreException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keywords defined in one mailbox, each with a bit number; a message's keywords are a bit set of
 * {@link #words()} longs. Keywords are never undefined (as in Dovecot); the first spelling seen is kept. Guarded by
 * the owning mailbox's lock.
 */
public final class KeywordTable {
    private final int max;
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();

    /** A table that accepts at most {@code max} keywords. */
    public KeywordTable(int max) {
        this.max = max;
    }

    /** The keywords in definition order. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** The number of keywords defined. */
    public int size() {
        return names.size();
    }

    /** Whether another keyword can be defined. */
    public boolean canDefine() {
        return names.size() < max;
    }

    /** The number of longs a message's keyword bits need now. */
    public int words() {
        return (names.size() + 63) >>> 6;
    }

    /** The name of keyword bit {@code i}. */
    public String name(int i) {
        return names.get(i);
    }

    /** The bit of a keyword, or -1 if not defined. */
    public int bit(String keyword) {
        Integer i = index.get(keyword.toLowerCase(Locale.ROOT));
        return i == null ? -1 : i;
    }

    /**
     * The bit set of the keywords (length {@link #words()} after the call), defining missing ones if
     * {@code define}; undefined ones are skipped otherwise.
     *
     * @throws MailStoreException ({@code LIMIT}) if defining would exceed the limit; nothing is defined then
     */
    public long[] bits(List<String> keywords, boolean define) {
        if (define) {
            java.util.Set<String> missingNames = new java.util.HashSet<>();
            for (String k : keywords) {
                if (bit(k) < 0) {
                    missingNames.add(k.toLowerCase(Locale.ROOT)); // distinct: many messages may share one keyword
                }
            }
            int missing = missingNames.size();
            if (missing > 0 && names.size() + missing > max) {
                throw new MailStoreException(MailStoreException.Reason.LIMIT, "the mailbox already has "
                        + names.size() + " keywords and allows at most " + max + "; reuse an existing keyword");
            }
            for (String k : keywords) {
                if (bit(k) < 0) {
                    index.put(k.toLowerCase(Locale.ROOT), names.size());
                    names.add(k);
                }
            }
        }
        long[] w = new long[words()];
        for (String k : keywords) {
            int b = bit(k);
            if (b >= 0) {
                w[b >>> 6] |= 1L << (b & 63);
            }
        }
        return w;
    }

    /** The keywords of row {@code i} of a table whose keyword bits this table defines. */
    public List<String> namesOf(MessageTable table, int i) {
        int stride = table.stride();
        return stride == 0 ? List.of() : namesOf(table.keywordWords(), i * stride, stride);
    }

    /** The keywords of a bit set, sorted as {@link dev.mailkit.store.Flags} sorts them. */
    public List<String> namesOf(long[] words, int offset, int count) {
        List<String> out = null;
        for (int w = 0; w < count; w++) {
            long bits = words[offset + w];
            while (bits != 0) {
                int b = Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (out == null) {
                    out = new ArrayList<>(4);
                }
                out.add(names.get((w << 6) + b));
            }
        }
        return out == null ? List.of() : out;
    }
}
