package dev.mailkit.store.internal;

import dev.mailkit.store.CopyResult;
import dev.mailkit.store.Expunges;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxChanges;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.StoreResult;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link MailboxView} on a {@link MailboxEngine}: the session's snapshot (an array of UIDs), its
 * {@code \Recent} set, its cursor into the mailbox's change log and the expunges it has deferred.
 *
 * <p>The view's state is guarded by its own lock, which is never held while the engine changes the mailbox or
 * wakes views, so views and mailboxes cannot deadlock. Waking is lock-free: the engine unparks the threads in
 * {@link #awaitChanges} and runs the listener.
 */
final class ViewImpl implements MailboxView {
    private static final Logger LOG = LoggerFactory.getLogger(ViewImpl.class);

    private final MailboxEngine engine;
    private final RecentClaims recentClaims;
    private final ViewMode mode;
    private final MailboxHandle handle;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Thread> waiters = ConcurrentHashMap.newKeySet();
    private volatile Change cursor;
    private volatile int deferredCount;
    private volatile boolean closed;
    private volatile Runnable listener;
    // guarded by lock
    private int[] snap;
    private int count;
    private int[] recent;
    private int recentCount;
    private int[] deferred = new int[0];
    private long deferredMinModSeq = Long.MAX_VALUE;
    private long syncedModSeq;
    private long uidNext;
    private int knownKeywords;
    private boolean deletedReported;

    ViewImpl(MailboxEngine engine, ViewMode mode) {
        this.engine = engine;
        this.recentClaims = engine.recent;
        this.mode = mode;
        this.handle = new MailboxHandle(engine);
    }

    void init(int[] uids, Change start, long highestModSeq, long nextUid, int keywordCount, int[] recentUids) {
        lock.lock();
        try {
            this.uidNext = nextUid;
            this.snap = uids.length == 0 ? new int[16] : uids;
            this.count = uids.length;
            this.cursor = start;
            this.syncedModSeq = highestModSeq;
            this.knownKeywords = keywordCount;
            this.recent = recentUids.length == 0 ? new int[4] : recentUids;
            this.recentCount = recentUids.length;
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("mailbox view on " + engine.name() + " is closed");
        }
    }

    private void checkWritable() {
        if (mode == ViewMode.READ_ONLY) {
            throw new MailStoreException(MailStoreException.Reason.READ_ONLY,
                    "mailbox " + engine.name() + " is open read-only (EXAMINE); select it to change it");
        }
    }

    @Override
    public Mailbox mailbox() {
        return handle;
    }

    @Override
    public ViewMode mode() {
        return mode;
    }

    @Override
    public int messageCount() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long uid(int seq) {
        lock.lock();
        try {
            if (seq < 1 || seq > count) {
                throw new IndexOutOfBoundsException("sequence number " + seq + " is not in 1.." + count);
            }
            return Uids.value(snap[seq - 1]);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int seq(long uid) {
        lock.lock();
        try {
            int i = Uids.search(snap, count, uid);
            return i >= 0 ? i + 1 : 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int seqCeiling(long uid) {
        lock.lock();
        try {
            return Uids.ceiling(snap, count, uid) + 1;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public UidSet uids(int fromSeq, int toSeq) {
        lock.lock();
        try {
            int a = Math.max(1, Math.min(fromSeq, toSeq));
            int b = Math.min(count, Math.max(fromSeq, toSeq));
            if (a > b) {
                return UidSet.EMPTY;
            }
            UidSet.Builder out = UidSet.builder();
            for (int i = a - 1; i < b; i++) {
                out.add(Uids.value(snap[i]));
            }
            return out.build();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isRecent(int seq) {
        lock.lock();
        try {
            if (seq < 1 || seq > count) {
                throw new IndexOutOfBoundsException("sequence number " + seq + " is not in 1.." + count);
            }
            return Uids.search(recent, recentCount, Uids.value(snap[seq - 1])) >= 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int recentCount() {
        lock.lock();
        try {
            return recentCount;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int firstUnseen() {
        lock.lock();
        try {
            return engine.firstUnseen(snap, count);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long uidNext() {
        lock.lock();
        try {
            return uidNext;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long highestModSeq() {
        lock.lock();
        try {
            return syncedModSeq;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------- notification

    @Override
    public boolean hasPendingChanges() {
        return cursor.next != null || deferredCount > 0;
    }

    @Override
    public boolean awaitChanges(Duration timeout) throws InterruptedException {
        long total;
        try {
            total = Math.max(0, timeout.toNanos());
        } catch (ArithmeticException e) {
            total = Long.MAX_VALUE; // "forever"
        }
        long start = System.nanoTime();
        Thread me = Thread.currentThread();
        waiters.add(me);
        try {
            while (true) {
                if (hasPendingChanges()) {
                    return true;
                }
                if (closed) {
                    return false;
                }
                long left = total - (System.nanoTime() - start);
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for changes to " + engine.name());
                }
            }
        } finally {
            waiters.remove(me);
        }
    }

    @Override
    public void setChangeListener(Runnable listener) {
        this.listener = listener;
    }

    /** Called by the engine, without locks, after a change. */
    void signal() {
        for (Thread t : waiters) {
            LockSupport.unpark(t);
        }
        Runnable l = listener;
        if (l != null) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("change listener of a view on {} failed", engine.name(), e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------- sync

    @Override
    public MailboxChanges sync() {
        return sync(true);
    }

    @Override
    public MailboxChanges syncWithoutExpunges() {
        return sync(false);
    }

    private MailboxChanges sync(boolean includeExpunges) {
        lock.lock();
        try {
            checkOpen();
            Change c = cursor;
            Uids.IntList added = new Uids.IntList();
            Uids.IntList expunged = new Uids.IntList();
            Uids.IntList flagged = new Uids.IntList();
            long last = Math.max(syncedModSeq, c.modSeq);
            long minExpunge = deferredMinModSeq;
            boolean deletedNow = false;
            for (Change n = c.next; n != null; n = n.next) {
                c = n;
                switch (n.kind) {
                    case Change.APPEND:
                        added.addAll(n.uids);
                        uidNext = Math.max(uidNext, Uids.value(n.uids[n.uids.length - 1]) + 1);
                        break;
                    case Change.FLAGS:
                        if (n.origin != this) {
                            flagged.addAll(n.uids);
                        }
                        break;
                    case Change.EXPUNGE:
                        expunged.addAll(n.uids);
                        minExpunge = Math.min(minExpunge, n.modSeq);
                        break;
                    case Change.DELETE:
                        deletedNow = true;
                        break;
                    default:
                        break;
                }
                last = Math.max(last, n.modSeq);
            }
            cursor = c;
            expunged.addAll(Arrays.copyOf(deferred, deferredCount));
            expunged.sortDistinct();
            int[] exp = expunged.array();
            int ne = expunged.size();

            // expunges of messages in the snapshot
            Uids.IntList inSnapshot = new Uids.IntList();
            for (int i = 0; i < ne; i++) {
                if (Uids.search(snap, count, Uids.value(exp[i])) >= 0) {
                    inSnapshot.add(exp[i]);
                }
            }
            Expunges report = Expunges.NONE;
            if (includeExpunges) {
                report = remove(inSnapshot.toArray());
                deferred = new int[0];
                deferredCount = 0;
                deferredMinModSeq = Long.MAX_VALUE;
            } else {
                deferred = inSnapshot.toArray();
                deferredCount = deferred.length;
                deferredMinModSeq = deferred.length > 0 ? minExpunge : Long.MAX_VALUE;
            }

            // flag changes of messages the session already knows
            flagged.sortDistinct();
            UidSet.Builder flags = UidSet.builder();
            for (int i = 0; i < flagged.size(); i++) {
                long uid = Uids.value(flagged.get(i));
                if (Uids.search(snap, count, uid) >= 0 && Uids.search(deferred, deferredCount, uid) < 0) {
                    flags.add(uid);
                }
            }

            // new messages, unless already expunged again
            int fresh = 0;
            for (int i = 0; i < added.size(); i++) {
                int raw = added.get(i);
                if (Uids.search(exp, ne, Uids.value(raw)) >= 0) {
                    continue;
                }
                appendToSnapshot(raw);
                fresh++;
            }

            long reportable = deferredCount > 0 ? Math.min(last, deferredMinModSeq - 1) : last;
            syncedModSeq = Math.max(syncedModSeq, reportable);
            int kw = engine.keywordCount();
            boolean kwChanged = kw != knownKeywords;
            knownKeywords = kw;
            boolean deletedReport = deletedNow && !deletedReported;
            deletedReported |= deletedNow;
            return new MailboxChanges(report, fresh, count, recentCount, flags.build(), kwChanged, deletedReport,
                    syncedModSeq);
        } finally {
            lock.unlock();
        }
    }

    private void appendToSnapshot(int raw) {
        if (count == snap.length) {
            snap = Arrays.copyOf(snap, Math.max(16, count * 2));
        }
        snap[count++] = raw;
        long uid = Uids.value(raw);
        boolean isRecent = mode == ViewMode.READ_WRITE ? recentClaims.claim(uid)
                : mode == ViewMode.READ_ONLY && recentClaims.isUnclaimed(uid);
        if (isRecent) {
            if (recentCount == recent.length) {
                recent = Arrays.copyOf(recent, Math.max(4, recentCount * 2));
            }
            recent[recentCount++] = raw;
        }
    }

    /**
     * Removes UIDs (ascending, all in the snapshot) from the snapshot and reports them with sequence numbers
     * relative to the numbering left by the previous one.
     */
    private Expunges remove(int[] uids) {
        if (uids.length == 0) {
            return Expunges.NONE;
        }
        int[] seqs = new int[uids.length];
        int w = 0;
        int r = 0;
        for (int i = 0; i < count; i++) {
            if (r < uids.length && snap[i] == uids[r]) {
                seqs[r] = i + 1 - r;
                r++;
            } else {
                snap[w++] = snap[i];
            }
        }
        count = w;
        recentCount = removeFrom(recent, recentCount, uids);
        return new Expunges(Uids.toSet(uids, uids.length), seqs);
    }

    private static int removeFrom(int[] a, int n, int[] sortedUids) {
        int w = 0;
        for (int i = 0; i < n; i++) {
            if (Uids.search(sortedUids, sortedUids.length, Uids.value(a[i])) < 0) {
                a[w++] = a[i];
            }
        }
        return w;
    }

    /** Applies the session's own expunges (ascending UIDs) to the snapshot. */
    private Expunges applyOwn(int[] removed) {
        lock.lock();
        try {
            Uids.IntList present = new Uids.IntList();
            for (int raw : removed) {
                if (Uids.search(snap, count, Uids.value(raw)) >= 0) {
                    present.add(raw);
                }
            }
            int[] p = present.toArray();
            if (deferredCount > 0) {
                deferredCount = removeFrom(deferred, deferredCount, p);
            }
            return remove(p);
        } finally {
            lock.unlock();
        }
    }

    private int[] resolve(UidSet set) {
        Objects.requireNonNull(set, "uids");
        lock.lock();
        try {
            checkOpen();
            return Uids.intersect(snap, count, set);
        } finally {
            lock.unlock();
        }
    }

    private int[] all() {
        lock.lock();
        try {
            checkOpen();
            return Arrays.copyOf(snap, count);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------- operations

    @Override
    public StoreResult store(UidSet uids, FlagOperation operation, Flags flags, long unchangedSince) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(flags, "flags");
        checkWritable();
        return engine.store(this, resolve(uids), operation, flags, unchangedSince);
    }

    @Override
    public Expunges expunge() {
        checkWritable();
        return applyOwn(engine.expunge(this, all(), true));
    }

    @Override
    public Expunges expunge(UidSet uids) {
        checkWritable();
        return applyOwn(engine.expunge(this, resolve(uids), true));
    }

    @Override
    public CopyResult copy(UidSet uids, Mailbox target) {
        Objects.requireNonNull(target, "target");
        return MessageTransfer.copy(engine, resolve(uids), target, false);
    }

    @Override
    public CopyResult move(UidSet uids, Mailbox target) {
        Objects.requireNonNull(target, "target");
        checkWritable();
        CopyResult copied = MessageTransfer.copy(engine, resolve(uids), target, true);
        int[] src = new int[copied.count()];
        int k = 0;
        for (long u : copied.sourceUids()) {
            src[k++] = (int) u;
        }
        Expunges gone = applyOwn(engine.expunge(this, src, false));
        return new CopyResult(copied.uidValidity(), copied.sourceUids(), copied.targetUids(), gone);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        engine.closeView(this);
        listener = null;
        for (Thread t : waiters) {
            LockSupport.unpark(t);
        }
        handle.close();
    }

    @Override
    public String toString() {
        return "MailboxView{" + engine.name() + ", " + mode + "}";
    }
}
