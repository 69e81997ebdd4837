package dev.mailkit.web.internal.mail;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxChanges;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.mime.MessageStructure;
import dev.mailkit.web.internal.mail.MessageId.MailboxKey;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The message list of one mailbox as the inbox needs it: a {@link Digest} per message in UID order, kept current by
 * a read-only {@link MailboxView} of the store (which never claims {@code \Recent} from IMAP sessions). The store
 * calls the view's listener after every change; the listener only schedules a sync on the executor, and the sync
 * applies the view's changes (new messages digested, expunged ones dropped), publishes an immutable snapshot and
 * tells the {@link Listener}. Readers take the snapshot without locks; {@link #current()} first applies pending
 * changes, so a reader never sees a mailbox older than the last change that finished before it asked. The flags are
 * in the snapshot too, updated from the view's flag changes (a search over is:unread or tags reads no store).
 * Thread-safe.
 */
public final class MailboxIndex implements AutoCloseable {
    /** Told what a sync applied, on the syncing thread (must not block). */
    public interface Listener {
        void changed(MailboxIndex index, List<Digest> added, UidSet removed, UidSet flagsChanged);
    }

    /** The messages at one moment, oldest first. Immutable to readers. */
    public static final class Snapshot {
        final long[] uids;
        final Digest[] digests;
        final Flags[] flags;
        final int count;

        Snapshot(long[] uids, Digest[] digests, Flags[] flags, int count) {
            this.uids = uids;
            this.digests = digests;
            this.flags = flags;
            this.count = count;
        }

        /** The number of messages. */
        public int size() {
            return count;
        }

        /** The i-th message, oldest first. */
        public Digest get(int i) {
            if (i < 0 || i >= count) {
                throw new IndexOutOfBoundsException(i);
            }
            return digests[i];
        }

        /** The flags of the i-th message as of this snapshot. */
        public Flags flagsAt(int i) {
            if (i < 0 || i >= count) {
                throw new IndexOutOfBoundsException(i);
            }
            return flags[i];
        }

        /** The digest of a UID, or null. */
        public Digest find(long uid) {
            int i = Arrays.binarySearch(uids, 0, count, uid);
            return i < 0 ? null : digests[i];
        }

        /** The flags of a UID as of this snapshot, or null. */
        public Flags flags(long uid) {
            int i = Arrays.binarySearch(uids, 0, count, uid);
            return i < 0 ? null : flags[i];
        }

        /** Appends; the arrays' spare room is written, which readers of older snapshots never look at. */
        Snapshot with(List<Digest> added, List<Flags> addedFlags) {
            if (added.isEmpty()) {
                return this;
            }
            long[] u = uids;
            Digest[] d = digests;
            Flags[] f = flags;
            int n = count + added.size();
            if (n > u.length) {
                int cap = Math.max(n, u.length * 2 + 16);
                u = Arrays.copyOf(u, cap);
                d = Arrays.copyOf(d, cap);
                f = Arrays.copyOf(f, cap);
            }
            int i = count;
            for (int k = 0; k < added.size(); k++) {
                u[i] = added.get(k).uid;
                d[i] = added.get(k);
                f[i] = addedFlags.get(k);
                i++;
            }
            return new Snapshot(u, d, f, n);
        }

        Snapshot without(UidSet removed) {
            long[] u = new long[Math.max(16, uids.length)];
            Digest[] d = new Digest[u.length];
            Flags[] f = new Flags[u.length];
            int n = 0;
            for (int i = 0; i < count; i++) {
                if (!removed.contains(uids[i])) {
                    u[n] = uids[i];
                    d[n] = digests[i];
                    f[n] = flags[i];
                    n++;
                }
            }
            return new Snapshot(u, d, f, n);
        }

        /** A copy with new flags for some messages (a new flags array: older snapshots keep theirs). */
        Snapshot withFlags(UidSet changed, java.util.function.LongFunction<Flags> now) {
            Flags[] f = flags.clone();
            for (long uid : changed) {
                int i = Arrays.binarySearch(uids, 0, count, uid);
                if (i >= 0) {
                    Flags x = now.apply(uid);
                    if (x != null) {
                        f[i] = x;
                    }
                }
            }
            return new Snapshot(uids, digests, f, count);
        }
    }

    private final MailboxKey key;
    private final Mailbox mailbox;
    private final MailboxView view;
    private final Executor executor;
    private final Listener listener;
    private final ReentrantLock syncLock = new ReentrantLock();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile Snapshot snapshot = new Snapshot(new long[0], new Digest[0], new Flags[0], 0);
    private volatile boolean closed;

    private MailboxIndex(MailboxKey key, Mailbox mailbox, MailboxView view, Executor executor, Listener listener) {
        this.key = key;
        this.mailbox = mailbox;
        this.view = view;
        this.executor = executor;
        this.listener = listener;
    }

    /**
     * Opens the mailbox and digests every message in it.
     *
     * @throws dev.mailkit.store.MailStoreException if there is no such mailbox
     */
    public static MailboxIndex open(MailStore store, MailboxKey key, Executor executor, Listener listener) {
        Mailbox m = store.account(key.account()).open(key.name());
        MailboxView v;
        try {
            v = m.openView(ViewMode.READ_ONLY);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        MailboxIndex idx = new MailboxIndex(key, m, v, executor, listener);
        int n = v.messageCount();
        List<Digest> all = new ArrayList<>(n);
        List<Flags> flags = new ArrayList<>(n);
        // digested in parallel, one slice per processor: parsing is most of the cost of a first look
        int slices = n < 256 ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors());
        List<java.util.concurrent.CompletableFuture<Object[]>> parts = new ArrayList<>();
        for (int p = 0; p < slices; p++) {
            int from = 1 + (int) ((long) n * p / slices);
            int to = (int) ((long) n * (p + 1) / slices);
            java.util.function.Supplier<Object[]> work = () -> {
                List<Digest> d = new ArrayList<>(to - from + 1);
                List<Flags> f = new ArrayList<>(to - from + 1);
                for (int seq = from; seq <= to; seq++) {
                    idx.digest(v.uid(seq), d, f);
                }
                return new Object[]{d, f};
            };
            parts.add(slices == 1 ? java.util.concurrent.CompletableFuture.completedFuture(work.get())
                    : java.util.concurrent.CompletableFuture.supplyAsync(work, executor));
        }
        for (java.util.concurrent.CompletableFuture<Object[]> part : parts) {
            Object[] r = part.join();
            all.addAll(cast(r[0]));
            flags.addAll(cast(r[1]));
        }
        idx.snapshot = idx.snapshot.with(all, flags);
        v.setChangeListener(idx::changedInStore);
        if (v.hasPendingChanges()) {
            idx.changedInStore(); // what arrived while the index was being built
        }
        return idx;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(Object o) {
        return (List<T>) o;
    }

    private void changedInStore() {
        if (!closed && scheduled.compareAndSet(false, true)) {
            executor.execute(() -> {
                scheduled.set(false);
                sync();
            });
        }
    }

    /** Applies the store's pending changes now (idempotent). */
    public void sync() {
        syncLock.lock();
        try {
            if (closed) {
                return;
            }
            MailboxChanges ch = view.sync();
            if (ch.mailboxDeleted()) {
                closed = true;
                snapshot = new Snapshot(new long[0], new Digest[0], new Flags[0], 0);
                listener.changed(this, List.of(), UidSet.all(), UidSet.EMPTY);
                return;
            }
            UidSet removed = ch.expunged().uids();
            Snapshot s = snapshot;
            if (!removed.isEmpty()) {
                s = s.without(removed);
            }
            List<Digest> added = new ArrayList<>(ch.newMessages());
            List<Flags> addedFlags = new ArrayList<>(ch.newMessages());
            for (int seq = ch.messageCount() - ch.newMessages() + 1; seq <= ch.messageCount(); seq++) {
                digest(view.uid(seq), added, addedFlags);
            }
            if (!ch.flagsChanged().isEmpty()) {
                s = s.withFlags(ch.flagsChanged(), uid -> mailbox.message(uid).map(MessageInfo::flags).orElse(null));
            }
            snapshot = s.with(added, addedFlags);
            if (!removed.isEmpty() || !added.isEmpty() || !ch.flagsChanged().isEmpty()) {
                listener.changed(this, added, removed, ch.flagsChanged());
            }
        } finally {
            syncLock.unlock();
        }
    }

    /** Digests a message into the lists (nothing if it is gone). */
    private void digest(long uid, List<Digest> digests, List<Flags> flags) {
        Optional<MessageInfo> info = mailbox.message(uid);
        if (info.isEmpty()) {
            return;
        }
        Digest d;
        try {
            Optional<MessageStructure> st = mailbox.structure(uid);
            Optional<MessageSource> src = mailbox.content(uid);
            if (st.isEmpty() || src.isEmpty()) {
                return;
            }
            try (MessageSource s = src.get()) {
                d = Digest.of(info.get(), st.get(), s);
            }
        } catch (IOException | RuntimeException e) {
            d = Digest.unreadable(info.get());
        }
        digests.add(d);
        flags.add(info.get().flags());
    }

    /** The messages now, after applying any change the store has made. */
    public Snapshot current() {
        // a sync under way has taken the view's changes but not yet published them: wait for it
        if (view.hasPendingChanges() || syncLock.isLocked()) {
            sync();
        }
        return snapshot;
    }

    /** The messages as of the last sync, without syncing (for listeners, which run inside a sync). */
    public Snapshot lastSynced() {
        return snapshot;
    }

    /** The mailbox's key. */
    public MailboxKey key() {
        return key;
    }

    /** The store's handle (for reads, flag lookups and opening write views). */
    public Mailbox mailbox() {
        return mailbox;
    }

    /** The flags of a message as of the last sync (which a store change triggers at once), or null. */
    public Flags flags(long uid) {
        return current().flags(uid);
    }

    /** Whether the mailbox was deleted or the index closed. */
    public boolean isClosed() {
        return closed;
    }

    /** Releases the view and the handle. Idempotent. */
    @Override
    public void close() {
        syncLock.lock();
        try {
            closed = true;
            view.setChangeListener(null);
            view.close();
            mailbox.close();
        } catch (RuntimeException e) {
            // the mailbox may already be gone
        } finally {
            syncLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "MailboxIndex{" + key + ", " + snapshot.count + " messages}";
    }
}
