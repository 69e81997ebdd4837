package dev.mailkit.store.internal;

import dev.mailkit.store.MailStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * How a store that keeps its own record of a mailbox (the Maildir store's {@code mailkit-index} and directories)
 * keeps the {@link MailboxEngine} in line with it: the rows and counters it restores when it loads the mailbox,
 * messages other programs added ({@link #adopt}) or deleted ({@link #gone}) since, and the rows read back to rewrite
 * its record. Works on the engine's state under the engine's lock. Thread-safe.
 */
public final class StorageSync {
    private static final Logger LOG = LoggerFactory.getLogger(StorageSync.class);
    private static final long[] NO_KEYWORDS = new long[0];

    private final MailboxEngine engine;

    /** The synchronisation of the engine with its store's record. */
    public StorageSync(MailboxEngine engine) {
        this.engine = engine;
    }

    // ---------------------------------------------------------------------------------------------- restoring

    /** Defines a keyword while a store loads a mailbox (before anyone can see it). */
    public void restoreKeyword(String keyword) {
        engine.lock.writeLock().lock();
        try {
            engine.keywords.bits(List.of(keyword), true);
            engine.table.ensureStride(engine.keywords.words());
        } finally {
            engine.lock.writeLock().unlock();
        }
    }

    /** Makes room for {@code n} messages in all before a store restores a big mailbox row by row. */
    public void restoreCapacity(int n) {
        engine.lock.writeLock().lock();
        try {
            engine.table.ensureCapacity(n);
        } finally {
            engine.lock.writeLock().unlock();
        }
    }

    /**
     * Adds a message while a store loads a mailbox (before anyone can see it), with its recorded UID, which must be
     * above every UID restored before. Quota is counted, not enforced.
     */
    public void restoreRow(long uid, int flagBits, List<String> kw, long modSeq, long date, long size, Object ref) {
        MailboxEngine e = engine;
        e.lock.writeLock().lock();
        try {
            long[] bits;
            try {
                bits = kw.isEmpty() ? NO_KEYWORDS : e.keywords.bits(kw, true);
            } catch (MailStoreException ex) {
                LOG.warn("{}: message {} has more keywords than the mailbox allows; keeping the defined ones",
                        e.name(), uid);
                bits = e.keywords.bits(kw, false);
            }
            e.table.ensureStride(e.keywords.words());
            e.table.add(uid, flagBits, bits, modSeq, date, size, ref);
            e.uidNext = Math.max(e.uidNext, uid + 1);
            e.highestModSeq = Math.max(e.highestModSeq, modSeq);
        } finally {
            e.lock.writeLock().unlock();
        }
        e.quota.reserve(size, 1, false);
    }

    /**
     * Sets the counters after a store restored the rows (they only grow): UIDNEXT, HIGHESTMODSEQ, and which
     * messages are {@code \Recent} (those from {@code firstRecent} on).
     */
    public void restoreCounters(long nextUid, long modSeq, long firstRecent) {
        MailboxEngine e = engine;
        e.lock.writeLock().lock();
        try {
            e.uidNext = Math.max(e.uidNext, nextUid);
            e.highestModSeq = Math.max(e.highestModSeq, modSeq);
            e.recent.restore(firstRecent);
            e.log.restart(e.highestModSeq);
        } finally {
            e.lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------- other programs

    /**
     * Adds messages that another program stored (files dropped into a Maildir's {@code new/}): they get new UIDs
     * and every view is told, as for an append. Quota is counted but not enforced (they are there already).
     *
     * @param found messages made with {@link Incoming#found}; their {@code ref} is the store's
     * @return their UIDs, in the order given
     */
    public long[] adopt(List<Incoming> found) {
        if (found.isEmpty()) {
            return new long[0];
        }
        Object[] refs = new Object[found.size()];
        long bytes = 0;
        for (int k = 0; k < refs.length; k++) {
            Incoming a = found.get(k);
            refs[k] = a.ref();
            bytes += a.size();
        }
        engine.quota.reserve(bytes, found.size(), false);
        long[] uids;
        try {
            uids = engine.commitRows(found, refs);
        } catch (RuntimeException e) {
            engine.quota.release(bytes, found.size());
            throw e;
        }
        engine.log.wake();
        return uids;
    }

    /**
     * Removes messages whose content another program deleted; views learn of it as of an expunge. Their content is
     * still discarded through the storage (which must tolerate content that is gone).
     */
    public void gone(long[] uids) {
        Uids.IntList raw = new Uids.IntList();
        for (long u : uids) {
            raw.add((int) u);
        }
        raw.sortDistinct();
        engine.expunge(null, raw.toArray(), false);
    }

    // ---------------------------------------------------------------------------------------------- reading back

    /** What {@link #forEachRow} shows of one message. */
    @FunctionalInterface
    public interface RowVisitor {
        /** One message, in ascending UID order. */
        void visit(long uid, int flagBits, List<String> keywords, long modSeq, long date, long size, Object ref);
    }

    /** Shows every message under the read lock (callable from the change hooks, which hold the write lock). */
    public void forEachRow(RowVisitor visitor) {
        MessageTable table = engine.table;
        KeywordTable keywords = engine.keywords;
        engine.lock.readLock().lock();
        try {
            for (int i = 0; i < table.size(); i++) {
                visitor.visit(table.uid(i), table.flags(i), keywords.namesOf(table, i), table.modSeq(i),
                        table.date(i), table.messageSize(i), table.ref(i));
            }
        } finally {
            engine.lock.readLock().unlock();
        }
    }

    /**
     * UIDNEXT, HIGHESTMODSEQ and the first UID no session has been told of yet (messages from there on are still
     * {@code \Recent}) now: {@code [uidNext, highestModSeq, firstRecentUid]}.
     */
    public long[] counters() {
        engine.lock.readLock().lock();
        try {
            return new long[] {engine.uidNext, engine.highestModSeq, engine.recent.firstUnclaimed()};
        } finally {
            engine.lock.readLock().unlock();
        }
    }

    /** UIDVALIDITY. */
    public long uidValidity() {
        return engine.uidValidity();
    }

    /** The defined keywords, in definition order. */
    public List<String> keywords() {
        return engine.keywords();
    }

    /** Runs an action under the mailbox's write lock (for a store's own bookkeeping, such as closing its index). */
    public void underWriteLock(Runnable action) {
        engine.lock.writeLock().lock();
        try {
            action.run();
        } finally {
            engine.lock.writeLock().unlock();
        }
    }
}
