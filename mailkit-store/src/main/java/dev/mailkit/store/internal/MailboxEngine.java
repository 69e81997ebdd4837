package dev.mailkit.store.internal;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxStatus;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.StoreResult;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The shared state and the semantics of one mailbox, the same for every store: the {@link MessageTable index}
 * with its {@link KeywordTable keywords}, UIDVALIDITY/UIDNEXT/HIGHESTMODSEQ, and the operations that change them
 * (append, STORE, EXPUNGE, delete) or snapshot them (status, opening a view). Where message content lives, and how a
 * durable store records changes, is the store's {@link MailboxStorage}. The engine is the coordinator; its
 * collaborators are the {@link ChangeLog} that views follow, the {@link RecentClaims} of {@code \Recent},
 * {@link FlagUpdate} (one STORE's bit arithmetic), the {@link MessageReader} (content and cached structure),
 * {@link MessageTransfer} (copies and moves between mailboxes), {@link StorageSync} (for a store that keeps its own
 * record of the mailbox) and the account's {@link QuotaCounter}.
 *
 * <h2>Locking</h2>
 * One {@link ReentrantReadWriteLock} per mailbox, owned by the engine. Readers (lookups, view snapshots) share it;
 * every change takes it exclusively for the in-memory update only: message content is written before, and
 * discarded after, outside the lock, so deliveries of big messages proceed in parallel and only their commits are
 * serialised. UIDs are assigned and the change is appended to the log in the same critical section, so the log is
 * in UID order. Views are woken after the lock is released; no store lock is held while user callbacks run, and the
 * engine never takes a view's lock. The collaborators in this package work on the state below under this lock.
 */
public final class MailboxEngine {
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final MessageTable table = new MessageTable();
    final KeywordTable keywords;
    final RecentClaims recent;
    final ChangeLog log;
    final QuotaCounter quota;
    final MailboxStorage storage;
    final MessageReader reader;
    private final long uidValidity;
    private final AtomicReference<ViewImpl> exclusive = new AtomicReference<>();
    private final Clock clock;
    private final Set<SpecialUse> specialUse;
    private volatile MailboxName name;
    private volatile boolean deleted;
    private final Queue<PendingAppend> appendQueue = new ConcurrentLinkedQueue<>();
    // guarded by lock
    long uidNext = 1;
    long highestModSeq = 1;

    /**
     * A new, empty mailbox.
     *
     * @param maxKeywords the most keywords the mailbox may define
     * @param quota       the owning account's usage counter
     * @param storage     where the store keeps the messages (it must not call the engine before this returns)
     */
    public MailboxEngine(MailboxName name, Set<SpecialUse> specialUse, long uidValidity, int maxKeywords,
                         QuotaCounter quota, Clock clock, MailboxStorage storage) {
        this.name = Objects.requireNonNull(name, "name");
        this.specialUse = Set.copyOf(specialUse);
        this.uidValidity = uidValidity;
        this.keywords = new KeywordTable(maxKeywords);
        this.quota = quota;
        this.clock = clock;
        this.storage = Objects.requireNonNull(storage, "storage");
        this.recent = new RecentClaims(storage::claimRecent);
        this.reader = new MessageReader(this, this.storage);
        this.log = new ChangeLog(highestModSeq);
    }

    // ---------------------------------------------------------------------------------------------- accessors

    /** The current name. */
    public MailboxName name() {
        return name;
    }

    /** Renames (the account does this under its own lock). */
    public void setName(MailboxName newName) {
        this.name = newName;
    }

    /** The special uses. */
    public Set<SpecialUse> specialUse() {
        return specialUse;
    }

    /** UIDVALIDITY. */
    public long uidValidity() {
        return uidValidity;
    }

    /** Whether the mailbox was deleted. */
    public boolean isDeleted() {
        return deleted;
    }

    void checkNotDeleted() {
        if (deleted) {
            throw new MailStoreException(MailStoreException.Reason.NOT_FOUND,
                    "mailbox " + name + " has been deleted");
        }
    }

    /** The counters now. */
    public MailboxStatus status() {
        storage.refresh();
        lock.readLock().lock();
        try {
            checkNotDeleted();
            int recentCount = table.size() - table.ceiling(recent.firstUnclaimed());
            return new MailboxStatus(table.size(), recentCount, uidNext, uidValidity, table.unseen(),
                    table.deletedCount(), table.totalSize(), highestModSeq);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The defined keywords. */
    public List<String> keywords() {
        lock.readLock().lock();
        try {
            return keywords.names();
        } finally {
            lock.readLock().unlock();
        }
    }

    int keywordCount() {
        lock.readLock().lock();
        try {
            return keywords.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Whether another keyword can be defined. */
    public boolean canCreateKeywords() {
        lock.readLock().lock();
        try {
            return keywords.canDefine();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A message's metadata. */
    public Optional<MessageInfo> message(long uid) {
        lock.readLock().lock();
        try {
            int i = table.indexOf(uid);
            if (i < 0) {
                return Optional.empty();
            }
            return Optional.of(new MessageInfo(uid, flagsAt(i), Instant.ofEpochSecond(table.date(i)),
                    table.messageSize(i), table.modSeq(i)));
        } finally {
            lock.readLock().unlock();
        }
    }

    private Flags flagsAt(int i) {
        return Flags.ofBits(table.flags(i), keywords.namesOf(table, i));
    }

    /** The store's reference to a message, or null if there is no such message. */
    Object refOf(long uid) {
        lock.readLock().lock();
        try {
            int i = table.indexOf(uid);
            return i < 0 ? null : table.ref(i);
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------- changes

    /** Assigns {@code n} UIDs (reserved with the store first); returns the first. Under the write lock. */
    private long nextUids(int n) {
        if (uidNext + n - 1 > UidSet.MAX_UID) {
            throw new MailStoreException(MailStoreException.Reason.LIMIT, "mailbox " + name
                    + " has used up its UIDs; rename it and create a new one");
        }
        storage.reserveUids(uidNext + n - 1);
        long first = uidNext;
        uidNext += n;
        return first;
    }

    /** The next MODSEQ (reserved with the store first); the caller assigns it to highestModSeq. */
    private long peekModSeq() {
        long m = highestModSeq + 1;
        storage.reserveModSeq(m);
        return m;
    }

    /** Starts a locked section that may change the mailbox (see {@link MailboxStorage#changesBegin()}). */
    private boolean begin() {
        if (!storage.recordsChanges() || deleted) {
            return false;
        }
        storage.changesBegin();
        return true;
    }

    /** Ends a section {@link #begin()} started. */
    private void end(boolean began) {
        if (began) {
            storage.changesEnd();
        }
    }

    /** Defines missing keywords (see {@link KeywordTable#bits}) and tells the store of new ones. */
    private long[] keywordBits(List<String> kw, boolean define) {
        int before = keywords.size();
        long[] bits = keywords.bits(kw, define);
        if (keywords.size() > before && storage.recordsChanges()) {
            storage.keywordsDefined(keywords.names().subList(before, keywords.size()));
        }
        return bits;
    }

    /**
     * Appends a message.
     *
     * @see Mailbox#append(MessageSource, Flags, Instant)
     */
    public long append(MessageSource message, Flags flags, Instant internalDate) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(flags, "flags");
        checkNotDeleted();
        long date = (internalDate != null ? internalDate : clock.instant()).getEpochSecond(), size = message.size();
        quota.reserve(size, 1, true);
        Object ref;
        try {
            ref = storage.storeContent(message, flags.systemBits(), flags.keywords(), date);
        } catch (IOException | UncheckedIOException e) {
            quota.release(size, 1);
            throw new MailStoreException(MailStoreException.Reason.IO_ERROR,
                    "cannot store the message in " + name + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            quota.release(size, 1);
            throw e;
        }
        PendingAppend mine = new PendingAppend(ref, flags, date, size);
        boolean grouped = storage.groupsAppends() && appendQueue.add(mine);
        lock.writeLock().lock();
        try {
            if (!mine.isDone()) { // else another append recorded it with its own while this one waited
                appendLocked(grouped ? PendingAppend.drain(appendQueue) : List.of(mine));
            }
        } finally {
            lock.writeLock().unlock();
            if (!mine.isCommitted()) {
                quota.release(size, 1);
                storage.discardContent(ref);
            }
        }
        log.wake();
        return mine.uid();
    }

    /** Adds stored appends (each its UID and MODSEQ) as one recorded change; marks them done. Under the write lock. */
    private void appendLocked(List<PendingAppend> batch) {
        boolean began = false;
        try {
            began = begin();
            checkNotDeleted();
            for (PendingAppend a : batch) {
                long uid, modSeq;
                try {
                    long[] kw = keywordBits(a.flags().keywords(), true);
                    table.ensureStride(keywords.words());
                    uid = nextUids(1);
                    modSeq = peekModSeq();
                    highestModSeq = modSeq;
                    table.add(uid, a.flags().systemBits(), kw, modSeq, a.date(), a.size(), a.ref());
                } catch (RuntimeException | Error e) {
                    a.fail(e);
                    continue;
                }
                log.append(Change.APPEND, modSeq, new int[] {(int) uid}, null);
                a.added(uid); // in the index: kept even if recording fails (the store then reloads)
                if (storage.recordsChanges()) {
                    storage.appended(uid, a.ref(), a.flags().systemBits(), a.flags().keywords(), modSeq, a.date(),
                            a.size());
                }
            }
            if (storage.recordsChanges() && batch.stream().anyMatch(PendingAppend::isCommitted)) {
                storage.changesDone();
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(a -> a.fail(e));
            throw e;
        } finally {
            end(began);
            batch.forEach(PendingAppend::done);
        }
    }

    /**
     * Adds rows for stored content under one new MODSEQ; returns their new UIDs. Quota and waking the views are the
     * caller's.
     *
     * @param refs this mailbox's references to the content of {@code items}, in the same order
     */
    long[] commitRows(List<Incoming> items, Object[] refs) {
        long[] uids = new long[items.size()];
        lock.writeLock().lock();
        boolean began = false;
        try {
            began = begin();
            checkNotDeleted();
            List<String> allKeywords = new ArrayList<>();
            for (Incoming in : items) {
                allKeywords.addAll(in.keywords());
            }
            keywordBits(allKeywords, true);
            table.ensureStride(keywords.words());
            long first = nextUids(items.size());
            long modSeq = peekModSeq();
            highestModSeq = modSeq;
            int[] raw = new int[items.size()];
            boolean record = storage.recordsChanges();
            for (int k = 0; k < refs.length; k++) {
                Incoming in = items.get(k);
                long uid = first + k;
                table.add(uid, in.flagBits(), keywords.bits(in.keywords(), false), modSeq, in.date(), in.size(),
                        refs[k]);
                uids[k] = uid;
                raw[k] = (int) uid;
                if (record) {
                    storage.appended(uid, refs[k], in.flagBits(), in.keywords(), modSeq, in.date(), in.size());
                }
            }
            log.append(Change.APPEND, modSeq, raw, null);
            if (record) {
                storage.changesDone();
            }
        } finally {
            end(began);
            lock.writeLock().unlock();
        }
        return uids;
    }

    /** The messages of the given UIDs (ascending) that still exist, as they would enter another mailbox. */
    List<Incoming> incoming(int[] uids) {
        lock.readLock().lock();
        try {
            checkNotDeleted();
            List<Incoming> out = new ArrayList<>(uids.length);
            for (int raw : uids) {
                int i = table.indexOf(Uids.value(raw));
                if (i >= 0) {
                    out.add(new Incoming(table.uid(i), table.ref(i), table.flags(i), keywords.namesOf(table, i),
                            table.date(i), table.messageSize(i)));
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every UID now, ascending. */
    int[] uids() {
        lock.readLock().lock();
        try {
            return table.uidsCopy();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Changes flags; see {@link dev.mailkit.store.MailboxView#store}. */
    StoreResult store(Object origin, int[] uids, FlagOperation op, Flags flags, long unchangedSince) {
        List<StoreResult.Entry> entries = new ArrayList<>(uids.length);
        UidSet.Builder modified = UidSet.builder();
        Uids.IntList changed = new Uids.IntList();
        lock.writeLock().lock();
        boolean began = false;
        try {
            began = begin();
            checkNotDeleted();
            long next = peekModSeq();
            long[] kw = keywordBits(flags.keywords(), op != FlagOperation.REMOVE);
            table.ensureStride(keywords.words());
            FlagUpdate update = new FlagUpdate(op, flags.systemBits(), kw, table.stride());
            boolean record = storage.recordsChanges();
            for (int raw : uids) {
                long uid = Uids.value(raw);
                int i = table.indexOf(uid);
                if (i < 0) {
                    continue;
                }
                if (unchangedSince >= 0 && table.modSeq(i) > unchangedSince) {
                    modified.add(uid);
                    continue;
                }
                boolean diff = update.changes(table, i);
                if (diff) {
                    update.apply(table, i, next);
                    changed.add(raw);
                }
                Flags now = flagsAt(i);
                if (diff && record) {
                    storage.flagsChanged(uid, table.ref(i), update.systemBits(), now.keywords(), next);
                }
                entries.add(new StoreResult.Entry(uid, now, table.modSeq(i), diff));
            }
            if (changed.size() > 0) {
                highestModSeq = next;
                log.append(Change.FLAGS, next, changed.toArray(), origin);
            }
            if (record) {
                storage.changesDone();
            }
        } finally {
            end(began);
            lock.writeLock().unlock();
        }
        if (changed.size() > 0) {
            log.wake();
        }
        return new StoreResult(entries, modified.build());
    }

    /**
     * Expunges messages (ascending UIDs), only those with {@code \Deleted} if {@code requireDeleted}. Returns the
     * UIDs expunged, ascending.
     */
    int[] expunge(Object origin, int[] uids, boolean requireDeleted) {
        Uids.IntList rows = new Uids.IntList();
        Uids.IntList removed = new Uids.IntList();
        List<Object> refs = new ArrayList<>();
        long bytes = 0;
        lock.writeLock().lock();
        boolean began = false;
        try {
            began = begin();
            checkNotDeleted();
            int deletedBit = 1 << SystemFlag.DELETED.ordinal();
            for (int raw : uids) {
                int i = table.indexOf(Uids.value(raw));
                if (i < 0 || (requireDeleted && (table.flags(i) & deletedBit) == 0)) {
                    continue;
                }
                rows.add(i);
                removed.add(raw);
                refs.add(table.ref(i));
                bytes += table.messageSize(i);
            }
            if (removed.size() > 0) {
                long modSeq = peekModSeq();
                highestModSeq = modSeq;
                table.removeRows(rows.array(), rows.size());
                int[] gone = removed.toArray();
                log.append(Change.EXPUNGE, modSeq, gone, origin);
                if (storage.recordsChanges()) {
                    storage.expunged(gone, refs.toArray(), modSeq);
                    storage.changesDone();
                }
            }
        } finally {
            end(began);
            lock.writeLock().unlock();
        }
        if (removed.size() > 0) {
            quota.release(bytes, removed.size());
            for (Object r : refs) {
                storage.discardContent(r);
            }
            log.wake();
        }
        return removed.toArray();
    }

    // ---------------------------------------------------------------------------------------------- views

    /** Opens a view. */
    public ViewImpl openView(ViewMode mode) {
        Objects.requireNonNull(mode, "mode");
        storage.refresh();
        ViewImpl view = new ViewImpl(this, mode);
        if (mode == ViewMode.EXCLUSIVE && !exclusive.compareAndSet(null, view)) {
            throw new MailStoreException(MailStoreException.Reason.IN_USE,
                    "mailbox " + name + " is already open exclusively by another session");
        }
        try {
            lock.readLock().lock();
            try {
                checkNotDeleted();
                int[] uids = table.uidsCopy();
                int[] recentUids;
                long next = uidNext;
                if (mode == ViewMode.READ_WRITE) {
                    recentUids = recent.claimAll(uids, next);
                } else if (mode == ViewMode.READ_ONLY) {
                    recentUids = recent.unclaimed(uids);
                } else {
                    recentUids = new int[0];
                }
                view.init(uids, log.tail(), highestModSeq, next, keywords.size(), recentUids);
            } finally {
                lock.readLock().unlock();
            }
            log.follow(view);
            return view;
        } catch (RuntimeException e) {
            exclusive.compareAndSet(view, null);
            throw e;
        }
    }

    void closeView(ViewImpl view) {
        log.unfollow(view);
        exclusive.compareAndSet(view, null);
    }

    /** The first message of a snapshot (ascending UIDs) without {@code \Seen}: its 1-based position, or 0. */
    int firstUnseen(int[] snapshot, int n) {
        lock.readLock().lock();
        try {
            int seenBit = 1 << SystemFlag.SEEN.ordinal();
            int j = 0;
            for (int i = 0; i < n; i++) {
                long uid = Uids.value(snapshot[i]);
                while (j < table.size() && table.uid(j) < uid) {
                    j++;
                }
                if (j < table.size() && table.uid(j) == uid && (table.flags(j) & seenBit) == 0) {
                    return i + 1;
                }
            }
            return 0;
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------- lifecycle

    /**
     * Deletes the mailbox: every message goes, open views learn of it at their next sync, every later operation
     * fails with {@code NOT_FOUND}.
     */
    public void markDeleted() {
        List<Object> refs = new ArrayList<>();
        long bytes;
        int n;
        lock.writeLock().lock();
        try {
            if (deleted) {
                return;
            }
            deleted = true;
            n = table.size();
            highestModSeq++; // nothing to reserve: the mailbox is gone
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) {
                rows[i] = i;
                refs.add(table.ref(i));
            }
            bytes = table.totalSize();
            table.removeRows(rows, n);
            log.append(Change.DELETE, highestModSeq, new int[0], null);
        } finally {
            lock.writeLock().unlock();
        }
        quota.release(bytes, n);
        for (Object r : refs) {
            storage.discardContent(r);
        }
        log.wake();
    }
}
