package dev.mailkit.store.internal;

import dev.mailkit.store.StoreSettings;

import dev.mailkit.store.AccountChange;
import dev.mailkit.store.AccountChanges;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.AccountMetadata;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxInfo;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.Quota;
import dev.mailkit.store.SpecialUse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One account's mailboxes and their rules, the same for every store, as {@link MailboxEngine} is for one mailbox:
 * the hierarchy as LIST shows it (placeholders for missing parents), CREATE, DELETE and RENAME with their checks
 * (RFC 3501 6.3.3-6.3.5: INBOX cannot be deleted, renaming INBOX moves its messages, a rename takes the mailboxes
 * below along and may not go inside itself), the mailbox limit, subscriptions (moved along by a rename) and the
 * account's {@link QuotaCounter}. A store subclasses it and says, through the hooks, which mailboxes exist and how
 * one is made, loaded, deleted or moved.
 *
 * <p>Thread-safe: every hierarchy change and the subscriptions are guarded by the account's lock, and the hooks run
 * under it, except {@link #hasMailbox}.
 */
public abstract class AccountEngine implements MailAccount {
    private final AccountId id;
    private final StoreSettings settings;
    private final QuotaCounter quota;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeSet<MailboxName> subscriptions; // guarded by lock
    private final MetadataTable metadataTable = new MetadataTable(); // guarded by lock
    private final AccountMetadata metadata = new Metadata();
    private final AccountChangeLog changeLog = new AccountChangeLog();

    /**
     * An account with the given subscriptions.
     *
     * @param subscriptions the subscribed names (kept and changed by the engine)
     */
    protected AccountEngine(AccountId id, StoreSettings settings, TreeSet<MailboxName> subscriptions) {
        this.id = id;
        this.settings = settings;
        this.subscriptions = subscriptions;
        this.quota = new QuotaCounter(id, settings.quota(), this::countAll);
    }

    // ---------------------------------------------------------------------------------------------- hooks

    /** Every mailbox that exists now, INBOX included. Under the lock. */
    protected abstract Set<MailboxName> mailboxNames();

    /** Whether a mailbox exists (placeholders do not). Called with or without the lock: must be thread-safe. */
    protected abstract boolean hasMailbox(MailboxName name);

    /** The engine of an existing mailbox, loaded if needed. Under the lock. @throws MailStoreException if none */
    protected abstract MailboxEngine mailbox(MailboxName name);

    /** The special uses LIST shows for an existing mailbox. Under the lock. */
    protected abstract Set<SpecialUse> listedSpecialUse(MailboxName name);

    /**
     * Creates a mailbox that does not exist yet and returns its engine. Under the lock.
     *
     * @param specialUse the uses asked for; empty for those the store is configured to give the name
     */
    protected abstract MailboxEngine createMailbox(MailboxName name, Set<SpecialUse> specialUse);

    /** Deletes an existing mailbox other than INBOX, with its messages. Under the lock. */
    protected abstract void deleteMailbox(MailboxName name);

    /**
     * Renames mailboxes, all or none: every source exists, no target does, none is INBOX. Open engines keep their
     * state and views, under their new names. Under the lock.
     *
     * @param from  the name the client renames (it need not exist itself)
     * @param to    its new name
     * @param moves every mailbox that moves: old name to new name, in name order
     */
    protected abstract void renameMailboxes(MailboxName from, MailboxName to,
                                            SortedMap<MailboxName, MailboxName> moves);

    /** The subscriptions changed: a store that keeps them writes them. Under the lock. */
    protected void subscriptionsChanged(Set<MailboxName> now) {
    }

    /**
     * The entries of the account (null) or of an existing mailbox. Under the lock. The default reads the in-memory
     * {@link #metadataTable()}; a store that keeps metadata elsewhere overrides this and {@link #writeMetadata}.
     */
    protected SortedMap<String, byte[]> readMetadata(MailboxName mailbox) {
        return metadataTable.entries(mailbox);
    }

    /**
     * Checks a metadata change against the limits and makes it, all or nothing. Under the lock. The default changes
     * the in-memory {@link #metadataTable()}, then calls {@link #metadataChanged()}, undoing the change if that
     * fails.
     *
     * @throws dev.mailkit.store.MetadataException if it would go over a limit
     */
    protected void writeMetadata(MailboxName mailbox, Map<String, byte[]> changes) {
        SortedMap<String, byte[]> before = metadataTable.entries(mailbox);
        metadataTable.set(mailbox, changes, settings.metadataLimits());
        try {
            metadataChanged();
        } catch (RuntimeException e) {
            String owner = mailbox == null ? MetadataTable.SERVER : mailbox.toString();
            for (String entry : changes.keySet()) {
                metadataTable.put(owner, entry, before.get(entry));
            }
            throw e;
        }
    }

    /** The in-memory metadata changed: a store that keeps it in a file writes it. Under the lock. */
    protected void metadataChanged() {
    }

    /**
     * Records a change for {@link #changes()}. Under the lock. The default appends it to the in-memory
     * {@link AccountChangeLog}; a store that keeps changes elsewhere (with the change itself) overrides this and
     * {@link #changes()}.
     */
    protected void recordChange(AccountChange.Kind kind, MailboxName mailbox, MailboxName oldName, String entry) {
        changeLog.record(kind, mailbox, oldName, entry);
    }

    /** Fails if the store was closed. */
    protected void checkOpen() {
    }

    /**
     * Makes sure every mailbox has been counted against the quota, for a store that loads (and counts) mailboxes
     * only when they are first opened. Called without the lock, before quota is reported or enforced.
     */
    protected void countAll() {
    }

    // ---------------------------------------------------------------------------------------------- for stores

    /** The store's settings. */
    protected final StoreSettings settings() {
        return settings;
    }

    /** The account's usage counter, which its mailboxes share. */
    protected final QuotaCounter quotaCounter() {
        return quota;
    }

    /** The in-memory metadata (see {@link #readMetadata}), for a store to load at start. */
    protected final MetadataTable metadataTable() {
        return metadataTable;
    }

    /** The account's lock. */
    protected final ReentrantLock lock() {
        return lock;
    }

    /** Creates the mailboxes every new account gets (see {@link StoreSettings#autoCreate()}). */
    protected final void createAutoMailboxes() {
        lock.lock();
        try {
            for (MailboxName n : settings.autoCreate()) {
                if (!hasMailbox(n)) {
                    createMailbox(n, Set.of());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The error for a name that is not a mailbox, with a hint if it is a placeholder. Under the lock. */
    protected final MailStoreException notFound(MailboxName name) {
        boolean placeholder = false;
        for (MailboxName n : mailboxNames()) {
            placeholder |= n.isInferiorOf(name);
        }
        return new MailStoreException(MailStoreException.Reason.NOT_FOUND, "mailbox " + name + " does not exist"
                + (placeholder ? " (it is only the parent of other mailboxes; create it to select it)" : ""));
    }

    // ---------------------------------------------------------------------------------------------- MailAccount

    @Override
    public AccountId id() {
        return id;
    }

    @Override
    public List<MailboxInfo> list() {
        checkOpen();
        lock.lock();
        try {
            Set<MailboxName> boxes = mailboxNames();
            Set<MailboxName> parents = new HashSet<>();
            TreeSet<MailboxName> all = new TreeSet<>(boxes);
            for (MailboxName n : boxes) {
                for (MailboxName p : n.ancestors()) {
                    parents.add(p);
                    all.add(p);
                }
            }
            List<MailboxInfo> out = new ArrayList<>(all.size());
            for (MailboxName n : all) {
                boolean real = boxes.contains(n);
                out.add(new MailboxInfo(n, real, parents.contains(n), real ? listedSpecialUse(n) : Set.of()));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean exists(MailboxName name) {
        Objects.requireNonNull(name, "name");
        checkOpen();
        return hasMailbox(name);
    }

    @Override
    public Mailbox open(MailboxName name) {
        Objects.requireNonNull(name, "name");
        checkOpen();
        lock.lock();
        try {
            return new MailboxHandle(mailbox(name));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void create(MailboxName name, Set<SpecialUse> specialUse) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(specialUse, "specialUse");
        checkOpen();
        lock.lock();
        try {
            if (hasMailbox(name)) {
                throw new MailStoreException(MailStoreException.Reason.ALREADY_EXISTS,
                        "mailbox " + name + " already exists");
            }
            checkRoomForMailbox();
            createMailbox(name, specialUse);
            dropMetadata(name);
            recordChange(AccountChange.Kind.CREATED, name, null, null);
        } finally {
            lock.unlock();
            changeLog.fireIfRecorded();
        }
    }

    private void checkRoomForMailbox() {
        int count = mailboxNames().size();
        if (count >= settings.maxMailboxesPerAccount()) {
            throw new MailStoreException(MailStoreException.Reason.LIMIT, "account " + id + " already has "
                    + count + " mailboxes, the most allowed; delete some first");
        }
    }

    @Override
    public void delete(MailboxName name) {
        Objects.requireNonNull(name, "name");
        checkOpen();
        lock.lock();
        try {
            if (name.isInbox()) {
                throw new MailStoreException(MailStoreException.Reason.NOT_ALLOWED, "INBOX cannot be deleted");
            }
            if (!hasMailbox(name)) {
                throw notFound(name);
            }
            deleteMailbox(name);
            dropMetadata(name);
            recordChange(AccountChange.Kind.DELETED, name, null, null);
        } finally {
            lock.unlock();
            changeLog.fireIfRecorded();
        }
    }

    @Override
    public void rename(MailboxName from, MailboxName to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        checkOpen();
        lock.lock();
        try {
            if (from.equals(to) || hasMailbox(to)) {
                throw new MailStoreException(MailStoreException.Reason.ALREADY_EXISTS,
                        "cannot rename " + from + " to " + to + ": " + to + " already exists");
            }
            if (from.isInbox()) {
                checkRoomForMailbox();
                MailboxEngine target = createMailbox(to, Set.of());
                MessageTransfer.moveAll(mailbox(MailboxName.INBOX), target);
                recordChange(AccountChange.Kind.CREATED, to, null, null);
                return;
            }
            if (to.isInferiorOf(from)) {
                throw new MailStoreException(MailStoreException.Reason.NOT_ALLOWED,
                        "cannot rename " + from + " to " + to + ", which is inside it");
            }
            Set<MailboxName> existing = mailboxNames();
            List<MailboxName> moving = new ArrayList<>();
            for (MailboxName n : existing) {
                if (n.equals(from) || n.isInferiorOf(from)) {
                    moving.add(n);
                }
            }
            if (moving.isEmpty()) {
                throw notFound(from);
            }
            SortedMap<MailboxName, MailboxName> moves = new TreeMap<>();
            for (MailboxName n : moving) {
                MailboxName m = n.moved(from, to);
                if (existing.contains(m) || m.isInbox()) {
                    throw new MailStoreException(MailStoreException.Reason.ALREADY_EXISTS,
                            "cannot rename " + from + " to " + to + ": " + m + " already exists");
                }
                moves.put(n, m);
            }
            renameMailboxes(from, to, moves);
            for (Map.Entry<MailboxName, MailboxName> m : moves.entrySet()) {
                recordChange(AccountChange.Kind.RENAMED, m.getValue(), m.getKey(), null);
            }
            if (metadataTable.rename(moves)) {
                metadataChanged();
            }
            moveSubscriptions(from, to);
        } finally {
            lock.unlock();
            changeLog.fireIfRecorded();
        }
    }

    /** A deleted (or newly created) mailbox has no metadata. Under the lock. */
    private void dropMetadata(MailboxName name) {
        if (metadataTable.removeMailbox(name)) {
            metadataChanged();
        }
    }

    /** Subscriptions to a renamed mailbox and those below it follow it. Under the lock. */
    private void moveSubscriptions(MailboxName from, MailboxName to) {
        List<MailboxName> subs = new ArrayList<>();
        for (MailboxName s : subscriptions) {
            if (s.equals(from) || s.isInferiorOf(from)) {
                subs.add(s);
            }
        }
        if (!subs.isEmpty()) {
            for (MailboxName s : subs) {
                subscriptions.remove(s);
                subscriptions.add(s.moved(from, to));
            }
            subscriptionsChanged(subscriptions);
            for (MailboxName s : subs) {
                recordChange(AccountChange.Kind.UNSUBSCRIBED, s, null, null);
            }
            for (MailboxName s : subs) {
                recordChange(AccountChange.Kind.SUBSCRIBED, s.moved(from, to), null, null);
            }
        }
    }

    @Override
    public void subscribe(MailboxName name) {
        Objects.requireNonNull(name, "name");
        checkOpen();
        lock.lock();
        try {
            if (subscriptions.contains(name)) {
                return;
            }
            if (subscriptions.size() >= settings.maxMailboxesPerAccount()) {
                throw new MailStoreException(MailStoreException.Reason.LIMIT, "account " + id + " already has "
                        + subscriptions.size() + " subscriptions, the most allowed; unsubscribe some first");
            }
            subscriptions.add(name);
            subscriptionsChanged(subscriptions);
            recordChange(AccountChange.Kind.SUBSCRIBED, name, null, null);
        } finally {
            lock.unlock();
            changeLog.fireIfRecorded();
        }
    }

    @Override
    public void unsubscribe(MailboxName name) {
        Objects.requireNonNull(name, "name");
        checkOpen();
        lock.lock();
        try {
            if (subscriptions.remove(name)) {
                subscriptionsChanged(subscriptions);
                recordChange(AccountChange.Kind.UNSUBSCRIBED, name, null, null);
            }
        } finally {
            lock.unlock();
            changeLog.fireIfRecorded();
        }
    }

    @Override
    public List<MailboxName> subscriptions() {
        checkOpen();
        lock.lock();
        try {
            return List.copyOf(subscriptions);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Quota quota() {
        checkOpen();
        return quota.quota();
    }

    @Override
    public Optional<AccountMetadata> metadata() {
        return Optional.of(metadata);
    }

    /**
     * The in-memory {@link AccountChangeLog} of the changes made through this object (see {@link #recordChange}).
     */
    @Override
    public Optional<AccountChanges> changes() {
        return Optional.of(changeLog);
    }

    /** {@link AccountMetadata} over the hooks, under the account's lock, for existing mailboxes only. */
    private final class Metadata implements AccountMetadata {
        @Override
        public SortedMap<String, byte[]> entries(MailboxName mailbox) {
            checkOpen();
            lock.lock();
            try {
                checkMailbox(mailbox);
                return readMetadata(mailbox);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void set(MailboxName mailbox, Map<String, byte[]> changes) {
            Map<String, byte[]> copy = new HashMap<>(changes);
            checkOpen();
            lock.lock();
            try {
                checkMailbox(mailbox);
                writeMetadata(mailbox, copy);
                for (String entry : new TreeSet<>(copy.keySet())) {
                    recordChange(AccountChange.Kind.METADATA, mailbox, null, entry);
                }
            } finally {
                lock.unlock();
                changeLog.fireIfRecorded();
            }
        }

        private void checkMailbox(MailboxName mailbox) {
            if (mailbox != null && !hasMailbox(mailbox)) {
                throw notFound(mailbox);
            }
        }
    }
}
