package dev.mailkit.store.internal;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.CopyResult;
import dev.mailkit.store.Expunges;
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
import dev.mailkit.store.mime.MessageEnvelope;
import dev.mailkit.store.mime.MessageStructure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The shared state and the semantics of one mailbox, independent of where messages are kept: the
 * {@link MessageTable index}, keywords, UIDVALIDITY/UIDNEXT/HIGHESTMODSEQ, {@code \Recent} claims, the
 * {@link Change change log} that views follow, counters and quota accounting. A store subclasses it to say where
 * message content lives ({@link #storeContent}, {@link #openContent} ...).
 *
 * <h2>Locking</h2>
 * One {@link ReentrantReadWriteLock} per mailbox. Readers (lookups, view snapshots) share it; every change takes it
 * exclusively for the in-memory update only: message content is written before, and discarded after, outside the
 * lock, so deliveries of big messages proceed in parallel and only their commits are serialised. UIDs are
 * assigned and the change is appended to the log in the same critical section, so the log is in UID order. Views
 * are woken after the lock is released; no store lock is held while user callbacks run, and the engine never takes
 * a view's lock.
 */
public abstract class MailboxEngine {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxEngine.class);

    private static final long[] NO_KEYWORDS = new long[0];

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final MessageTable table = new MessageTable();
    private final KeywordTable keywords;
    private final long uidValidity;
    private final AtomicLong firstRecentUid = new AtomicLong(1);
    private final Set<ViewImpl> views = ConcurrentHashMap.newKeySet();
    private final AtomicReference<ViewImpl> exclusive = new AtomicReference<>();
    private final QuotaCounter quota;
    private final Clock clock;
    private volatile MailboxName name;
    private volatile Set<SpecialUse> specialUse;
    private volatile boolean deleted;
    private volatile Change tail;
    // guarded by lock
    private long uidNext = 1;
    private long highestModSeq = 1;
    private int unseen;
    private int deletedCount;
    private long totalSize;

    /**
     * A new, empty mailbox.
     *
     * @param maxKeywords the most keywords the mailbox may define
     * @param quota       the owning account's usage counter
     */
    protected MailboxEngine(MailboxName name, Set<SpecialUse> specialUse, long uidValidity, int maxKeywords,
                            QuotaCounter quota, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.specialUse = Set.copyOf(specialUse);
        this.uidValidity = uidValidity;
        this.keywords = new KeywordTable(maxKeywords);
        this.quota = quota;
        this.clock = clock;
        this.tail = new Change(Change.START, highestModSeq, new int[0], null);
    }

    // ---------------------------------------------------------------------------------------------- storage hooks

    /** Stores a new message's content (called without locks, before the commit) and returns its reference. */
    protected abstract Object storeContent(MessageSource message) throws IOException;

    /**
     * Stores a new message's content with the flags and internal date it will have, for stores that keep them
     * with the content (a Maildir file name carries the flags, its mtime the date). The default ignores them.
     *
     * @param date epoch seconds
     */
    protected Object storeContent(MessageSource message, int flagBits, List<String> keywords, long date)
            throws IOException {
        return storeContent(message);
    }

    /**
     * Shares or copies a message of another mailbox (of any store) into this one's storage without going through
     * its content, or returns null to have it streamed through {@link #storeContent}. Called without locks.
     */
    protected Object importContent(MailboxEngine source, Object sourceRef) throws IOException {
        return null;
    }

    /**
     * Like {@link #importContent(MailboxEngine, Object)}, with the flags and internal date the copy will have. The
     * default ignores them.
     */
    protected Object importContent(MailboxEngine source, Object sourceRef, int flagBits, List<String> keywords,
                                   long date) throws IOException {
        return importContent(source, sourceRef);
    }

    /** Opens a stored message's content. */
    protected abstract MessageSource openContent(Object ref) throws IOException;

    /** Deletes a message's content after it was expunged or its commit failed (called without locks). */
    protected abstract void discardContent(Object ref);

    /** The cached structure of a message, or null. */
    protected abstract byte[] cachedStructure(Object ref);

    /** Caches the structure of a message. */
    protected abstract void cacheStructure(Object ref, byte[] structure);

    // ---------------------------------------------------------------------------------------------- change hooks
    // A durable store records changes here. Every hook below except refresh() runs under the mailbox's write lock,
    // in the order of the changes; changesDone() ends each locked section that called one of them.

    /** Whether the change hooks want their arguments (if not, the engine skips computing them). */
    protected boolean recordsChanges() {
        return false;
    }

    /** Before UIDs up to {@code lastUid} are assigned: a durable store makes sure they can never be assigned again. */
    protected void reserveUids(long lastUid) {
    }

    /** Before MODSEQ {@code modSeq} is used: a durable store makes sure HIGHESTMODSEQ never goes back below it. */
    protected void reserveModSeq(long modSeq) {
    }

    /** New keywords were defined (in definition order). */
    protected void keywordsDefined(List<String> newKeywords) {
    }

    /** A message was added. */
    protected void appended(long uid, Object ref, int flagBits, List<String> keywords, long modSeq, long date,
                            long size) {
    }

    /** A message's flags changed. */
    protected void flagsChanged(long uid, Object ref, int flagBits, List<String> keywords, long modSeq) {
    }

    /** Messages were expunged (their content is discarded after the lock is released). */
    protected void expunged(int[] uids, Object[] refs, long modSeq) {
    }

    /** The end of a locked section that called the hooks above: a store flushes what it recorded. */
    protected void changesDone() {
    }

    /**
     * Called, without locks, before {@link #status()} and {@link #openView}: a store that other programs write to
     * picks up their changes here (see {@link #adopt}).
     */
    protected void refresh() {
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

    /** Sets the special uses. */
    public void setSpecialUse(Set<SpecialUse> uses) {
        this.specialUse = Set.copyOf(uses);
    }

    /** UIDVALIDITY. */
    public long uidValidity() {
        return uidValidity;
    }

    /** Whether the mailbox was deleted. */
    public boolean isDeleted() {
        return deleted;
    }

    /** The account's quota counter. */
    public QuotaCounter quotaCounter() {
        return quota;
    }

    private void checkNotDeleted() {
        if (deleted) {
            throw new MailStoreException(MailStoreException.Reason.NOT_FOUND,
                    "mailbox " + name + " has been deleted");
        }
    }

    /** The counters now. */
    public MailboxStatus status() {
        refresh();
        lock.readLock().lock();
        try {
            checkNotDeleted();
            int recent = table.size() - table.ceiling(firstRecentUid.get());
            return new MailboxStatus(table.size(), recent, uidNext, uidValidity, unseen, deletedCount, totalSize,
                    highestModSeq);
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
        int stride = table.stride();
        List<String> kw = stride == 0 || !table.hasKeywords(i) ? List.of()
                : keywords.namesOf(table.keywordWords(), i * stride, stride);
        return Flags.ofBits(table.flags(i), kw);
    }

    private Object refOf(long uid) {
        lock.readLock().lock();
        try {
            int i = table.indexOf(uid);
            return i < 0 ? null : table.ref(i);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A message's content. */
    public Optional<MessageSource> content(long uid) {
        Object ref = refOf(uid);
        if (ref == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(openContent(ref));
        } catch (IOException | UncheckedIOException e) {
            if (refOf(uid) == null) {
                return Optional.empty(); // expunged meanwhile
            }
            throw new MailStoreException(MailStoreException.Reason.IO_ERROR,
                    "cannot read message " + uid + " of " + name + ": " + e.getMessage(), e);
        }
    }

    /** A message's structure, parsed once and then cached. */
    public Optional<MessageStructure> structure(long uid) {
        Object ref = refOf(uid);
        if (ref == null) {
            return Optional.empty();
        }
        byte[] cached = cachedStructure(ref);
        if (cached != null && MessageStructure.isCurrentFormat(cached)) {
            try {
                return Optional.of(MessageStructure.fromBytes(cached));
            } catch (IllegalArgumentException e) {
                LOG.warn("cached structure of message {} in {} is corrupt; parsing the message again", uid, name);
            }
        }
        return parseStructure(uid, ref);
    }

    /**
     * A message's envelope: decoded alone from the cached structure (the part tree is left encoded), or parsed and
     * cached with the structure.
     */
    public Optional<MessageEnvelope> envelope(long uid) {
        Object ref = refOf(uid);
        if (ref == null) {
            return Optional.empty();
        }
        byte[] cached = cachedStructure(ref);
        if (cached != null && MessageStructure.isCurrentFormat(cached)) {
            try {
                return Optional.of(MessageStructure.envelopeFromBytes(cached));
            } catch (IllegalArgumentException e) {
                LOG.warn("cached structure of message {} in {} is corrupt; parsing the message again", uid, name);
            }
        }
        return parseStructure(uid, ref).map(MessageStructure::envelope);
    }

    private Optional<MessageStructure> parseStructure(long uid, Object ref) {
        MessageStructure s;
        try (MessageSource src = openContent(ref)) {
            s = MessageStructure.parse(src);
        } catch (IOException | UncheckedIOException e) {
            if (refOf(uid) == null) {
                return Optional.empty();
            }
            throw new MailStoreException(MailStoreException.Reason.IO_ERROR,
                    "cannot read message " + uid + " of " + name + " to parse it: " + e.getMessage(), e);
        }
        cacheStructure(ref, s.toBytes());
        return Optional.of(s);
    }

    // ---------------------------------------------------------------------------------------------- changes

    private long nextUids(int n) {
        if (uidNext + n - 1 > UidSet.MAX_UID) {
            throw new MailStoreException(MailStoreException.Reason.LIMIT, "mailbox " + name
                    + " has used up its UIDs; rename it and create a new one");
        }
        reserveUids(uidNext + n - 1);
        long first = uidNext;
        uidNext += n;
        return first;
    }

    /** The next MODSEQ (reserved with the store first); the caller assigns it to highestModSeq. */
    private long peekModSeq() {
        long m = highestModSeq + 1;
        reserveModSeq(m);
        return m;
    }

    /** Defines missing keywords (see {@link KeywordTable#bits}) and tells the store of new ones. */
    private long[] keywordBits(List<String> kw, boolean define) {
        int before = keywords.size();
        long[] bits = keywords.bits(kw, define);
        if (keywords.size() > before && recordsChanges()) {
            keywordsDefined(keywords.names().subList(before, keywords.size()));
        }
        return bits;
    }

    private void publish(int kind, long modSeq, int[] uids, Object origin) {
        Change c = new Change(kind, modSeq, uids, origin);
        tail.next = c;
        tail = c;
    }

    private void countRow(int bits, long size, int sign) {
        if ((bits & (1 << SystemFlag.SEEN.ordinal())) == 0) {
            unseen += sign;
        }
        if ((bits & (1 << SystemFlag.DELETED.ordinal())) != 0) {
            deletedCount += sign;
        }
        totalSize += sign * size;
    }

    /** Wakes every view: changes are pending. Called without locks. */
    private void notifyViews() {
        for (ViewImpl v : views) {
            v.signal();
        }
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
        long date = (internalDate != null ? internalDate : clock.instant()).getEpochSecond();
        long size = message.size();
        quota.reserve(size, 1, true);
        Object ref;
        try {
            ref = storeContent(message, flags.systemBits(), flags.keywords(), date);
        } catch (IOException | UncheckedIOException e) {
            quota.release(size, 1);
            throw new MailStoreException(MailStoreException.Reason.IO_ERROR,
                    "cannot store the message in " + name + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            quota.release(size, 1);
            throw e;
        }
        long uid;
        boolean committed = false;
        lock.writeLock().lock();
        try {
            checkNotDeleted();
            long[] kw = keywordBits(flags.keywords(), true);
            table.ensureStride(keywords.words());
            uid = nextUids(1);
            long modSeq = peekModSeq();
            highestModSeq = modSeq;
            table.add(uid, flags.systemBits(), kw, modSeq, date, size, ref);
            countRow(flags.systemBits(), size, 1);
            publish(Change.APPEND, modSeq, new int[] {(int) uid}, null);
            committed = true;
            if (recordsChanges()) {
                appended(uid, ref, flags.systemBits(), flags.keywords(), modSeq, date, size);
                changesDone();
            }
        } finally {
            lock.writeLock().unlock();
            if (!committed) {
                quota.release(size, 1);
                discardContent(ref);
            }
        }
        notifyViews();
        return uid;
    }

    /** A message on its way from one mailbox to another. */
    static final class Incoming {
        final long sourceUid;
        final Object ref;
        final int flagBits;
        final List<String> keywords;
        final long date;
        final long size;

        Incoming(long sourceUid, Object ref, int flagBits, List<String> keywords, long date, long size) {
            this.sourceUid = sourceUid;
            this.ref = ref;
            this.flagBits = flagBits;
            this.keywords = keywords;
            this.date = date;
            this.size = size;
        }
    }

    private List<Incoming> read(int[] uids) {
        lock.readLock().lock();
        try {
            checkNotDeleted();
            List<Incoming> out = new ArrayList<>(uids.length);
            for (int raw : uids) {
                int i = table.indexOf(Uids.value(raw));
                if (i >= 0) {
                    int stride = table.stride();
                    List<String> kw = stride == 0 ? List.of()
                            : keywords.namesOf(table.keywordWords(), i * stride, stride);
                    out.add(new Incoming(table.uid(i), table.ref(i), table.flags(i), kw, table.date(i),
                            table.messageSize(i)));
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Adds messages from another mailbox (copy, move, INBOX rename). Returns their new UIDs, ascending, in the order
     * of {@code items}; 0 for a message that was expunged from the source (and its content lost) meanwhile.
     */
    private long[] appendAll(List<Incoming> items, MailboxEngine source, boolean enforceQuota) {
        checkNotDeleted();
        if (items.isEmpty()) {
            return new long[0];
        }
        long bytes = 0;
        for (Incoming in : items) {
            bytes += in.size;
        }
        quota.reserve(bytes, items.size(), enforceQuota);
        Object[] refs = new Object[items.size()];
        boolean committed = false;
        long[] uids;
        try {
            for (int k = 0; k < refs.length; k++) {
                Incoming in = items.get(k);
                try {
                    Object ref = importContent(source, in.ref, in.flagBits, in.keywords, in.date);
                    if (ref == null) {
                        try (MessageSource src = source.openContent(in.ref)) {
                            ref = storeContent(src, in.flagBits, in.keywords, in.date);
                        }
                    }
                    refs[k] = ref;
                } catch (IOException | UncheckedIOException e) {
                    if (source.refOf(in.sourceUid) != null) {
                        throw e;
                    }
                    // expunged from the source meanwhile and its content is gone: not copied
                }
            }
            int copied = 0;
            for (Object r : refs) {
                if (r != null) {
                    copied++;
                }
            }
            if (copied < refs.length) {
                // some were expunged from the source meanwhile: their UIDs stay 0
                List<Incoming> kept = new ArrayList<>(copied);
                Object[] keptRefs = new Object[copied];
                int[] at = new int[copied];
                long keptBytes = 0;
                for (int k = 0, j = 0; k < refs.length; k++) {
                    if (refs[k] != null) {
                        kept.add(items.get(k));
                        at[j] = k;
                        keptRefs[j++] = refs[k];
                        keptBytes += items.get(k).size;
                    }
                }
                quota.release(bytes - keptBytes, refs.length - copied);
                long[] all = new long[refs.length];
                bytes = keptBytes;
                refs = keptRefs;
                int n = items.size();
                items = kept;
                if (!items.isEmpty()) {
                    long[] got = commitRows(items, refs);
                    for (int j = 0; j < got.length; j++) {
                        all[at[j]] = got[j];
                    }
                }
                committed = true;
                uids = all;
                if (n > 0 && items.isEmpty()) {
                    return uids;
                }
            } else {
                uids = commitRows(items, refs);
            }
            committed = true;
        } catch (IOException | UncheckedIOException e) {
            throw new MailStoreException(MailStoreException.Reason.IO_ERROR,
                    "cannot copy messages into " + name + ": " + e.getMessage(), e);
        } finally {
            if (!committed) {
                quota.release(bytes, items.size());
                for (Object r : refs) {
                    if (r != null) {
                        discardContent(r);
                    }
                }
            }
        }
        notifyViews();
        return uids;
    }

    /** Adds rows for stored content under one new MODSEQ; returns their new UIDs. Quota is the caller's. */
    private long[] commitRows(List<Incoming> items, Object[] refs) {
        long[] uids = new long[items.size()];
        lock.writeLock().lock();
        try {
            checkNotDeleted();
            List<String> allKeywords = new ArrayList<>();
            for (Incoming in : items) {
                allKeywords.addAll(in.keywords);
            }
            keywordBits(allKeywords, true);
            table.ensureStride(keywords.words());
            long first = nextUids(items.size());
            long modSeq = peekModSeq();
            highestModSeq = modSeq;
            int[] raw = new int[items.size()];
            boolean record = recordsChanges();
            for (int k = 0; k < refs.length; k++) {
                Incoming in = items.get(k);
                long uid = first + k;
                table.add(uid, in.flagBits, keywords.bits(in.keywords, false), modSeq, in.date, in.size, refs[k]);
                countRow(in.flagBits, in.size, 1);
                uids[k] = uid;
                raw[k] = (int) uid;
                if (record) {
                    appended(uid, refs[k], in.flagBits, in.keywords, modSeq, in.date, in.size);
                }
            }
            publish(Change.APPEND, modSeq, raw, null);
            if (record) {
                changesDone();
            }
        } finally {
            lock.writeLock().unlock();
        }
        return uids;
    }

    /** A message that another program put into the mailbox's storage, found by {@link #refresh()}. */
    protected static final class Adopted {
        final Object ref;
        final int flagBits;
        final List<String> keywords;
        final long date;
        final long size;

        /**
         * @param ref      the store's reference to it
         * @param flagBits its system flags
         * @param keywords its keywords
         * @param date     its internal date, epoch seconds
         * @param size     its size (as {@link #openContent} will present it)
         */
        public Adopted(Object ref, int flagBits, List<String> keywords, long date, long size) {
            this.ref = ref;
            this.flagBits = flagBits;
            this.keywords = List.copyOf(keywords);
            this.date = date;
            this.size = size;
        }
    }

    /**
     * Adds messages that another program stored (files dropped into a Maildir's {@code new/}): they get new UIDs
     * and every view is told, as for an append. Quota is counted but not enforced (they are there already).
     *
     * @return their UIDs, in the order given
     */
    protected final long[] adopt(List<Adopted> found) {
        if (found.isEmpty()) {
            return new long[0];
        }
        List<Incoming> items = new ArrayList<>(found.size());
        Object[] refs = new Object[found.size()];
        long bytes = 0;
        for (int k = 0; k < refs.length; k++) {
            Adopted a = found.get(k);
            items.add(new Incoming(0, a.ref, a.flagBits, a.keywords, a.date, a.size));
            refs[k] = a.ref;
            bytes += a.size;
        }
        quota.reserve(bytes, items.size(), false);
        long[] uids;
        try {
            uids = commitRows(items, refs);
        } catch (RuntimeException e) {
            quota.release(bytes, items.size());
            throw e;
        }
        notifyViews();
        return uids;
    }

    /**
     * Removes messages whose content another program deleted; views learn of it as of an expunge. Their content is
     * still {@link #discardContent discarded} (which must tolerate content that is gone).
     */
    protected final void expungeGone(long[] uids) {
        Uids.IntList raw = new Uids.IntList();
        for (long u : uids) {
            raw.add((int) u);
        }
        raw.sortDistinct();
        expunge(null, raw.toArray(), false);
    }

    // ---------------------------------------------------------------------------------------------- restoring

    /** Defines a keyword while a store loads a mailbox (before anyone can see it). */
    protected final void restoreKeyword(String keyword) {
        lock.writeLock().lock();
        try {
            keywords.bits(List.of(keyword), true);
            table.ensureStride(keywords.words());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Adds a message while a store loads a mailbox (before anyone can see it), with its recorded UID, which must be
     * above every UID restored before. Quota is counted, not enforced.
     */
    protected final void restoreRow(long uid, int flagBits, List<String> kw, long modSeq, long date, long size,
                                    Object ref) {
        lock.writeLock().lock();
        try {
            long[] bits;
            try {
                bits = kw.isEmpty() ? NO_KEYWORDS : keywords.bits(kw, true);
            } catch (MailStoreException e) {
                LOG.warn("{}: message {} has more keywords than the mailbox allows; keeping the defined ones", name,
                        uid);
                bits = keywords.bits(kw, false);
            }
            table.ensureStride(keywords.words());
            table.add(uid, flagBits, bits, modSeq, date, size, ref);
            countRow(flagBits, size, 1);
            uidNext = Math.max(uidNext, uid + 1);
            highestModSeq = Math.max(highestModSeq, modSeq);
        } finally {
            lock.writeLock().unlock();
        }
        quota.reserve(size, 1, false);
    }

    /** Makes room for {@code n} messages in all before a store restores a big mailbox row by row. */
    protected final void restoreCapacity(int n) {
        lock.writeLock().lock();
        try {
            table.ensureCapacity(n);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Sets the counters after a store restored the rows (they only grow): UIDNEXT, HIGHESTMODSEQ, and which
     * messages are {@code \Recent} (those from {@code firstRecentUid} on).
     */
    protected final void restoreCounters(long nextUid, long modSeq, long firstRecent) {
        lock.writeLock().lock();
        try {
            uidNext = Math.max(uidNext, nextUid);
            highestModSeq = Math.max(highestModSeq, modSeq);
            firstRecentUid.set(Math.max(1, firstRecent));
            tail = new Change(Change.START, highestModSeq, new int[0], null);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** What {@link #forEachRow} shows of one message. */
    @FunctionalInterface
    protected interface RowVisitor {
        /** One message, in ascending UID order. */
        void visit(long uid, int flagBits, List<String> keywords, long modSeq, long date, long size, Object ref);
    }

    /** Shows every message under the read lock (callable from the change hooks, which hold the write lock). */
    protected final void forEachRow(RowVisitor visitor) {
        lock.readLock().lock();
        try {
            for (int i = 0; i < table.size(); i++) {
                int stride = table.stride();
                List<String> kw = stride == 0 || !table.hasKeywords(i) ? List.of()
                        : keywords.namesOf(table.keywordWords(), i * stride, stride);
                visitor.visit(table.uid(i), table.flags(i), kw, table.modSeq(i), table.date(i),
                        table.messageSize(i), table.ref(i));
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs an action under the mailbox's write lock (for a store's own bookkeeping, such as closing its index). */
    protected final void underWriteLock(Runnable action) {
        lock.writeLock().lock();
        try {
            action.run();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * UIDNEXT, HIGHESTMODSEQ and the first UID no session has been told of yet (messages from there on are still
     * {@code \Recent}) now: {@code [uidNext, highestModSeq, firstRecentUid]}.
     */
    protected final long[] counters() {
        lock.readLock().lock();
        try {
            return new long[] {uidNext, highestModSeq, firstRecentUid.get()};
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
        try {
            checkNotDeleted();
            long next = peekModSeq();
            long[] kw = keywordBits(flags.keywords(), op != FlagOperation.REMOVE);
            table.ensureStride(keywords.words());
            int stride = table.stride();
            long[] words = table.keywordWords();
            long[] scratch = new long[stride];
            int arg = flags.systemBits();
            boolean record = recordsChanges();
            for (int raw : uids) {
                long uid = Uids.value(raw);
                int i = table.indexOf(uid);
                if (i < 0) {
                    continue;
                }
                long current = table.modSeq(i);
                if (unchangedSince >= 0 && current > unchangedSince) {
                    modified.add(uid);
                    continue;
                }
                int old = table.flags(i);
                int nb = op == FlagOperation.ADD ? old | arg : op == FlagOperation.REMOVE ? old & ~arg : arg;
                boolean diff = nb != old;
                for (int w = 0; w < stride; w++) {
                    long o = words[i * stride + w];
                    long a = w < kw.length ? kw[w] : 0;
                    long n = op == FlagOperation.ADD ? o | a : op == FlagOperation.REMOVE ? o & ~a : a;
                    scratch[w] = n;
                    diff |= n != o;
                }
                if (diff) {
                    countRow(old, 0, -1);
                    countRow(nb, 0, 1);
                    table.setFlags(i, nb, scratch, next);
                    changed.add(raw);
                }
                Flags now = flagsAt(i);
                if (diff && record) {
                    flagsChanged(uid, table.ref(i), nb, now.keywords(), next);
                }
                entries.add(new StoreResult.Entry(uid, now, table.modSeq(i), diff));
            }
            if (changed.size() > 0) {
                highestModSeq = next;
                publish(Change.FLAGS, next, changed.toArray(), origin);
            }
            if (record) {
                changesDone();
            }
        } finally {
            lock.writeLock().unlock();
        }
        if (changed.size() > 0) {
            notifyViews();
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
        try {
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
                countRow(table.flags(i), table.messageSize(i), -1);
            }
            if (removed.size() > 0) {
                long modSeq = peekModSeq();
                highestModSeq = modSeq;
                table.removeRows(rows.array(), rows.size());
                int[] gone = removed.toArray();
                publish(Change.EXPUNGE, modSeq, gone, origin);
                if (recordsChanges()) {
                    expunged(gone, refs.toArray(), modSeq);
                    changesDone();
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        if (removed.size() > 0) {
            quota.release(bytes, removed.size());
            for (Object r : refs) {
                discardContent(r);
            }
            notifyViews();
        }
        return removed.toArray();
    }

    /** Copies messages (ascending UIDs) to a mailbox of this or another store. */
    CopyResult copyTo(int[] uids, Mailbox target, boolean forMove) {
        List<Incoming> items = read(uids);
        UidSet.Builder src = UidSet.builder();
        UidSet.Builder dst = UidSet.builder();
        long targetValidity;
        if (target instanceof MailboxHandle) {
            MailboxEngine te = ((MailboxHandle) target).engine();
            boolean sameAccount = te.quota == quota;
            long[] newUids = te.appendAll(items, this, !(forMove && sameAccount));
            for (int k = 0; k < newUids.length; k++) {
                if (newUids[k] != 0) {
                    src.add(items.get(k).sourceUid);
                    dst.add(newUids[k]);
                }
            }
            targetValidity = te.uidValidity;
        } else {
            for (Incoming in : items) {
                long newUid;
                try (MessageSource s = openContent(in.ref)) {
                    newUid = target.append(s, Flags.ofBits(in.flagBits, in.keywords), Instant.ofEpochSecond(in.date));
                } catch (IOException e) {
                    throw new MailStoreException(MailStoreException.Reason.IO_ERROR,
                            "cannot read message " + in.sourceUid + " of " + name + ": " + e.getMessage(), e);
                }
                src.add(in.sourceUid);
                dst.add(newUid);
            }
            targetValidity = target.uidValidity();
        }
        return new CopyResult(targetValidity, src.build(), dst.build(), Expunges.NONE);
    }

    // ---------------------------------------------------------------------------------------------- views

    /** Opens a view. */
    public ViewImpl openView(ViewMode mode) {
        Objects.requireNonNull(mode, "mode");
        refresh();
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
                int[] recent;
                long next = uidNext;
                if (mode == ViewMode.READ_WRITE) {
                    long before = firstRecentUid.getAndAccumulate(next, Math::max);
                    recent = before < next ? tailFrom(uids, before) : new int[0];
                } else if (mode == ViewMode.READ_ONLY) {
                    recent = tailFrom(uids, firstRecentUid.get());
                } else {
                    recent = new int[0];
                }
                view.init(uids, tail, highestModSeq, next, keywords.size(), recent);
            } finally {
                lock.readLock().unlock();
            }
            views.add(view);
            return view;
        } catch (RuntimeException e) {
            exclusive.compareAndSet(view, null);
            throw e;
        }
    }

    private static int[] tailFrom(int[] uids, long firstUid) {
        int i = Uids.ceiling(uids, uids.length, firstUid);
        return java.util.Arrays.copyOfRange(uids, i, uids.length);
    }

    void closeView(ViewImpl view) {
        views.remove(view);
        exclusive.compareAndSet(view, null);
    }

    /** Claims a new message as {@code \Recent} for one session; true if no session had it yet. */
    boolean claimRecent(long uid) {
        while (true) {
            long f = firstRecentUid.get();
            if (uid < f) {
                return false;
            }
            if (firstRecentUid.compareAndSet(f, uid + 1)) {
                return true;
            }
        }
    }

    /** Whether no session has claimed the message as {@code \Recent}. */
    boolean isUnclaimed(long uid) {
        return uid >= firstRecentUid.get();
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
            bytes = totalSize;
            table.removeRows(rows, n);
            unseen = 0;
            deletedCount = 0;
            totalSize = 0;
            publish(Change.DELETE, highestModSeq, new int[0], null);
        } finally {
            lock.writeLock().unlock();
        }
        quota.release(bytes, n);
        for (Object r : refs) {
            discardContent(r);
        }
        notifyViews();
    }

    /**
     * Moves every message of this mailbox into another one (RENAME INBOX): the target gets them with new UIDs,
     * this mailbox's views see them expunged.
     */
    public void moveAllTo(MailboxEngine target) {
        int[] all;
        lock.readLock().lock();
        try {
            all = table.uidsCopy();
        } finally {
            lock.readLock().unlock();
        }
        List<Incoming> items = read(all);
        target.appendAll(items, this, false);
        int[] uids = new int[items.size()];
        for (int k = 0; k < uids.length; k++) {
            uids[k] = (int) items.get(k).sourceUid;
        }
        expunge(null, uids, false);
    }
}
