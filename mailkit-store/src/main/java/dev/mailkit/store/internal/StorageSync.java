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
    /**
     * Sessions of other processes have claimed {@code \Recent} for the messages below {@code firstRecent} (a store
     * several processes share read it from its record); it only grows.
     */
    public void claimedElsewhere(long firstRecent) {
        engine.recent.claimedElsewhere(firstRecent);
    }

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

    // ---------------------------------------------------------------------------------------------- other processes

    /** A message as another process recorded it, with the UID and MODSEQ it gave it. */
    public record Row(long uid, int flagBits, List<String> keywords, long modSeq, long date, long size, Object ref) {
    }

    /**
     * Applies what other processes sharing the store's record changed (other mailkit nodes on one database), with
     * the UIDs and MODSEQs they gave, and tells the views as of any change: messages expunged; then each row of
     * {@code rows}: a message the engine has gets the flags given (if its MODSEQ is newer), one it does not have is
     * added if its UID is above every UID the engine has (else it is returned, not added); keywords defined; the
     * record's UIDNEXT and HIGHESTMODSEQ (the engine's only grow). Quota is counted, not enforced. Callable with or
     * without the write lock (from {@link MailboxStorage#changesBegin()}); views are woken here only without it (see
     * {@link #wakeViews()}).
     *
     * @param expunged       UIDs gone
     * @param expungedModSeq the MODSEQ of their expunge (the highest)
     * @param rows           messages added or changed, ascending UIDs
     * @param keywords       every keyword the record defines, in definition order
     * @return the rows that could not be added because their UID is not above the engine's last
     */
    public List<Row> apply(long[] expunged, long expungedModSeq, List<Row> rows, List<String> keywords, long uidNext,
                           long highestModSeq) {
        MailboxEngine e = engine;
        List<Row> refused = new java.util.ArrayList<>();
        List<Object> goneRefs = new java.util.ArrayList<>();
        long goneBytes = 0;
        long addedBytes = 0;
        int added = 0;
        int goneCount = 0;
        boolean changed = false;
        e.lock.writeLock().lock();
        try {
            if (e.isDeleted()) {
                return refused;
            }
            for (String k : keywords) {
                if (e.keywords.bit(k) < 0 && e.keywords.canDefine()) {
                    e.keywords.bits(List.of(k), true);
                }
            }
            e.table.ensureStride(e.keywords.words());
            // expunges first: a message added and expunged since is in neither list
            Uids.IntList goneRows = new Uids.IntList();
            Uids.IntList raw = new Uids.IntList();
            long[] sorted = expunged.clone();
            java.util.Arrays.sort(sorted);
            for (long u : sorted) {
                int i = e.table.indexOf(u);
                if (i >= 0) {
                    goneRows.add(i);
                    raw.add((int) u);
                    goneRefs.add(e.table.ref(i));
                    goneBytes += e.table.messageSize(i);
                }
            }
            if (goneRows.size() > 0) {
                goneCount = goneRows.size();
                e.table.removeRows(goneRows.array(), goneRows.size());
                e.log.append(Change.EXPUNGE, expungedModSeq, raw.toArray(), null);
                changed = true;
            }
            Uids.IntList appended = new Uids.IntList();
            long appendModSeq = 0;
            Uids.IntList flags = new Uids.IntList();
            long flagModSeq = 0;
            int addedCount = 0;
            for (Row r : rows) {
                int i = e.table.indexOf(r.uid());
                if (i >= 0) {
                    if (e.table.modSeq(i) < r.modSeq()) {
                        e.table.setFlags(i, r.flagBits(), e.keywords.bits(r.keywords(), false), r.modSeq());
                        flags.add((int) r.uid());
                        flagModSeq = Math.max(flagModSeq, r.modSeq());
                    }
                    continue;
                }
                if (e.table.size() > 0 && e.table.uid(e.table.size() - 1) >= r.uid()) {
                    refused.add(r);
                    continue;
                }
                long[] bits = e.keywords.bits(r.keywords(), false);
                e.table.add(r.uid(), r.flagBits(), bits, r.modSeq(), r.date(), r.size(), r.ref());
                e.uidNext = Math.max(e.uidNext, r.uid() + 1);
                appended.add((int) r.uid());
                appendModSeq = Math.max(appendModSeq, r.modSeq());
                addedBytes += r.size();
                addedCount++;
            }
            if (appended.size() > 0) {
                e.log.append(Change.APPEND, appendModSeq, appended.toArray(), null);
                changed = true;
            }
            if (flags.size() > 0) {
                flags.sortDistinct();
                e.log.append(Change.FLAGS, flagModSeq, flags.toArray(), null);
                changed = true;
            }
            added = addedCount;
            e.uidNext = Math.max(e.uidNext, uidNext);
            e.highestModSeq = Math.max(e.highestModSeq, highestModSeq);
        } finally {
            e.lock.writeLock().unlock();
        }
        if (goneCount > 0) {
            e.quota.release(goneBytes, goneCount);
        }
        if (added > 0) {
            e.quota.reserve(addedBytes, added, false);
        }
        if (changed) {
            for (Object r : goneRefs) {
                e.storage.discardContent(r);
            }
            if (!e.lock.isWriteLockedByCurrentThread()) {
                e.log.wake();
            }
        }
        return refused;
    }

    /** The engine's HIGHESTMODSEQ now: how far it has applied its record. */
    public long highestModSeq() {
        engine.lock.readLock().lock();
        try {
            return engine.highestModSeq;
        } finally {
            engine.lock.readLock().unlock();
        }
    }

    /** Wakes every view of the mailbox (after {@link #apply} under a lock that the caller has now released). */
    public void wakeViews() {
        engine.log.wake();
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
