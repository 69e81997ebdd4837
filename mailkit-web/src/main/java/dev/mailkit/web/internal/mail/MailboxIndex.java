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
 * changes, so a reader never sees a mailbox older than the last change that finished before it asked. Flags are not
 * copied: they are read from the store when needed. Thread-safe.
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
        final int count;

        Snapshot(long[] uids, Digest[] digests, int count) {
            this.uids = uids;
            this.digests = digests;
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

        /** The digest of a UID, or null. */
        public Digest find(long uid) {
            int i = Arrays.binarySearch(uids, 0, count, uid);
            return i < 0 ? null : digests[i];
        }

        Snapshot with(List<Digest> added) {
            if (added.isEmpty()) {
                return this;
            }
            long[] u = uids;
            Digest[] d = digests;
            int n = count + added.size();
            if (n > u.length) {
                int cap = Math.max(n, u.length * 2 + 16);
                u = Arrays.copyOf(u, cap);
                d = Arrays.copyOf(d, cap);
            }
            int i = count;
            for (Digest g : added) {
                u[i] = g.uid;
                d[i] = g;
                i++;
            }
            return new Snapshot(u, d, n);
        }

        Snapshot without(UidSet removed) {
            long[] u = new long[Math.max(16, uids.length)];
            Digest[] d = new Digest[u.length];
            int n = 0;
            for (int i = 0; i < count; i++) {
                if (!removed.contains(uids[i])) {
                    u[n] = uids[i];
                    d[n] = digests[i];
                    n++;
                }
            }
            return new Snapshot(u, d, n);
        }
    }

    private final MailboxKey key;
    private final Mailbox mailbox;
    private final MailboxView view;
    private final Executor executor;
    private final Listener listener;
    private final ReentrantLock syncLock = new ReentrantLock();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile Snapshot snapshot = new Snapshot(new long[0], new Digest[0], 0);
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
        List<Digest> all = new ArrayList<>(v.messageCount());
        for (int seq = 1; seq <= v.messageCount(); seq++) {
            Digest d = idx.digest(v.uid(seq));
            if (d != null) {
                all.add(d);
            }
        }
        idx.snapshot = idx.snapshot.with(all);
        v.setChangeListener(idx::changedInStore);
        if (v.hasPendingChanges()) {
            idx.changedInStore(); // what arrived while the index was being built
        }
        return idx;
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
                snapshot = new Snapshot(new long[0], new Digest[0], 0);
                listener.changed(this, List.of(), UidSet.all(), UidSet.EMPTY);
                return;
            }
            UidSet removed = ch.expunged().uids();
            Snapshot s = snapshot;
            if (!removed.isEmpty()) {
                s = s.without(removed);
            }
            List<Digest> added = new ArrayList<>(ch.newMessages());
            for (int seq = ch.messageCount() - ch.newMessages() + 1; seq <= ch.messageCount(); seq++) {
                Digest d = digest(view.uid(seq));
                if (d != null) {
                    added.add(d);
                }
            }
            snapshot = s.with(added);
            if (!removed.isEmpty() || !added.isEmpty() || !ch.flagsChanged().isEmpty()) {
                listener.changed(this, added, removed, ch.flagsChanged());
            }
        } finally {
            syncLock.unlock();
        }
    }

    private Digest digest(long uid) {
        Optional<MessageInfo> info = mailbox.message(uid);
        if (info.isEmpty()) {
            return null;
        }
        try {
            Optional<MessageStructure> st = mailbox.structure(uid);
            Optional<MessageSource> src = mailbox.content(uid);
            if (st.isEmpty() || src.isEmpty()) {
                return null;
            }
            try (MessageSource s = src.get()) {
                return Digest.of(info.get(), st.get(), s);
            }
        } catch (IOException | RuntimeException e) {
            return Digest.unreadable(info.get());
        }
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

    /** The flags of a message, or null if it is gone. */
    public Flags flags(long uid) {
        return mailbox.message(uid).map(MessageInfo::flags).orElse(null);
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
