package dev.mailkit.store.maildir;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxInfo;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.Quota;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.internal.MailboxHandle;
import dev.mailkit.store.internal.QuotaCounter;
import dev.mailkit.store.internal.UidValidityGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One user's Maildir: INBOX in the account directory, every other mailbox a Maildir++ folder {@code .Name} beside
 * it (see {@link AccountFiles}). The list of mailboxes is the directory itself, read on every {@link #list()}, so
 * folders that another program (Dovecot) creates or deletes show at once. Mailboxes are loaded on first open and
 * kept. Thread-safe: hierarchy changes take the account's lock.
 */
final class MaildirAccount implements MailAccount {
    private static final Logger LOG = LoggerFactory.getLogger(MaildirAccount.class);

    private final AccountId id;
    private final MaildirContext ctx;
    private final Path root;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<MailboxName, MaildirMailbox> loaded = new HashMap<>(); // guarded by lock
    private final QuotaCounter quota;
    private final UidValidityGenerator validities;
    private final AccountFiles.AccountState state; // guarded by lock
    private final TreeSet<MailboxName> subscriptions; // guarded by lock
    private volatile boolean allCounted;
    private volatile boolean closed;

    private MaildirAccount(AccountId id, MaildirContext ctx, Path root) {
        this.id = id;
        this.ctx = ctx;
        this.root = root;
        this.quota = new QuotaCounter(id, ctx.settings.quota(), this::countAll);
        this.state = AccountFiles.readAccount(root);
        this.validities = new UidValidityGenerator(ctx.settings.clock(), state.watermark);
        this.subscriptions = AccountFiles.readSubscriptions(root);
    }

    /** Opens (creating if needed, with the configured mailboxes) the account in {@code root}. */
    static MaildirAccount open(AccountId id, MaildirContext ctx, Path root) throws IOException {
        boolean created = Fs.ensureDirectory(root, ctx.sync);
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Fs.ensureDirectory(root.resolve(sub), ctx.sync);
        }
        MaildirAccount a = new MaildirAccount(id, ctx, root);
        a.cleanDeletedLeftovers();
        if (created) {
            a.lock.lock();
            try {
                for (MailboxName n : ctx.settings.autoCreate()) {
                    if (!a.exists(n)) {
                        a.createLocked(n, Set.of());
                    }
                }
            } finally {
                a.lock.unlock();
            }
        }
        return a;
    }

    /** Finishes deletions that a crash interrupted (folders moved to tmp/ to be deleted). */
    private void cleanDeletedLeftovers() {
        try {
            for (String n : Fs.list(root.resolve("tmp"))) {
                if (n.startsWith("mailkit-deleted-") || n.startsWith("mailkit-new-")) {
                    Fs.deleteTree(root.resolve("tmp").resolve(n));
                }
            }
        } catch (IOException e) {
            LOG.debug("{}: cannot clean tmp/: {}", root, e.toString());
        }
    }

    @Override
    public AccountId id() {
        return id;
    }

    Path root() {
        return root;
    }

    private Path dirOf(MailboxName name) {
        return name.isInbox() ? root : root.resolve(AccountFiles.dirName(name));
    }

    /** The folders on disk now (without INBOX). */
    private TreeSet<MailboxName> folders() {
        TreeSet<MailboxName> out = new TreeSet<>();
        try {
            for (String entry : Fs.list(root)) {
                MailboxName n = AccountFiles.folderOf(entry);
                if (n != null && Fs.isRealDirectory(root.resolve(entry))) {
                    out.add(n);
                } else if (n == null && entry.startsWith(".") && !entry.equals(".") && !entry.equals("..")
                        && Fs.isRealDirectory(root.resolve(entry))) {
                    LOG.debug("{}: ignoring the folder {}: not a valid mailbox name", root, entry);
                }
            }
        } catch (IOException e) {
            throw ioError("cannot list the mailboxes of " + id, e);
        }
        return out;
    }

    private Set<SpecialUse> specialUseOf(MailboxName n) {
        Set<SpecialUse> recorded = state.specialUse.get(n);
        return recorded != null ? recorded : ctx.settings.specialUseFor(n);
    }

    @Override
    public List<MailboxInfo> list() {
        checkOpen();
        lock.lock();
        try {
            TreeSet<MailboxName> boxes = folders();
            boxes.add(MailboxName.INBOX);
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
                out.add(new MailboxInfo(n, real, parents.contains(n),
                        real && !n.isInbox() ? specialUseOf(n) : Set.of()));
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
        return name.isInbox() || Fs.isRealDirectory(dirOf(name));
    }

    @Override
    public Mailbox open(MailboxName name) {
        Objects.requireNonNull(name, "name");
        checkOpen();
        lock.lock();
        try {
            return new MailboxHandle(engine(name));
        } finally {
            lock.unlock();
        }
    }

    /** The loaded mailbox of a name, loading it if needed. Under the lock. */
    private MaildirMailbox engine(MailboxName name) {
        MaildirMailbox box = loaded.get(name);
        if (box != null) {
            if (name.isInbox() || Fs.isRealDirectory(box.dir())) {
                return box;
            }
            // deleted by another program
            loaded.remove(name);
            box.dropped();
            box.markDeleted();
        }
        if (!exists(name)) {
            throw notFound(name);
        }
        try {
            box = MaildirMailbox.load(ctx, dirOf(name), name, name.isInbox() ? Set.of() : specialUseOf(name), quota,
                    validities, state.watermark);
        } catch (IOException e) {
            throw ioError("cannot open mailbox " + name + " of " + id, e);
        }
        noteValidity(box.uidValidity());
        loaded.put(name, box);
        return box;
    }

    /** Keeps the account's UIDVALIDITY watermark above every value in use. Under the lock. */
    private void noteValidity(long v) {
        if (v > state.watermark) {
            state.watermark = v;
            saveState();
        }
    }

    private void saveState() {
        try {
            AccountFiles.writeAccount(root, state, ctx.sync);
        } catch (IOException e) {
            LOG.warn("{}: cannot write {}: {}", root, AccountFiles.ACCOUNT, e.toString());
        }
    }

    /** Loads every mailbox, so that the quota counter has counted them all. */
    private void countAll() {
        if (allCounted) {
            return;
        }
        lock.lock();
        try {
            if (allCounted || closed) {
                return;
            }
            engine(MailboxName.INBOX);
            for (MailboxName n : folders()) {
                try {
                    engine(n);
                } catch (MailStoreException e) {
                    if (e.reason() != MailStoreException.Reason.NOT_FOUND) {
                        throw e;
                    }
                }
            }
            allCounted = true;
        } finally {
            lock.unlock();
        }
    }

    private MailStoreException notFound(MailboxName name) {
        boolean placeholder = folders().stream().anyMatch(n -> n.isInferiorOf(name));
        return new MailStoreException(MailStoreException.Reason.NOT_FOUND, "mailbox " + name + " does not exist"
                + (placeholder ? " (it is only the parent of other mailboxes; create it to select it)" : ""));
    }

    private static MailStoreException ioError(String what, IOException e) {
        return new MailStoreException(MailStoreException.Reason.IO_ERROR, what + ": " + e.getMessage(), e);
    }

    @Override
    public void create(MailboxName name, Set<SpecialUse> specialUse) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(specialUse, "specialUse");
        checkOpen();
        lock.lock();
        try {
            if (exists(name)) {
                throw new MailStoreException(MailStoreException.Reason.ALREADY_EXISTS,
                        "mailbox " + name + " already exists");
            }
            int count = folders().size() + 1;
            if (count >= ctx.settings.maxMailboxesPerAccount()) {
                throw new MailStoreException(MailStoreException.Reason.LIMIT, "account " + id + " already has "
                        + count + " mailboxes, the most allowed; delete some first");
            }
            createLocked(name, specialUse);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Creates the folder: built complete in tmp/ (cur, new, tmp, maildirfolder, mailkit's index with its
     * UIDVALIDITY) and renamed into place, so that no half-made folder is ever visible.
     */
    private MaildirMailbox createLocked(MailboxName name, Set<SpecialUse> specialUse) {
        Path target = dirOf(name);
        Path work = root.resolve("tmp").resolve("mailkit-new-" + ctx.token());
        Set<SpecialUse> uses = specialUse.isEmpty() ? ctx.settings.specialUseFor(name) : specialUse;
        long validity = validities.next();
        try {
            Files.createDirectory(work);
            for (String sub : new String[] {"cur", "new", "tmp"}) {
                Files.createDirectory(work.resolve(sub));
            }
            Files.createFile(work.resolve("maildirfolder"));
            IndexJournal.create(work.resolve(IndexJournal.FILE), validity, "", 0, ctx.sync).close();
            Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
            if (ctx.sync) {
                Fs.fsyncDirectory(root);
            }
        } catch (IOException e) {
            try {
                Fs.deleteTree(work);
            } catch (IOException ignored) {
                // left for the next start's cleanup
            }
            if (Fs.isRealDirectory(target)) {
                throw new MailStoreException(MailStoreException.Reason.ALREADY_EXISTS,
                        "mailbox " + name + " already exists");
            }
            throw ioError("cannot create mailbox " + name + " of " + id, e);
        }
        state.watermark = Math.max(state.watermark, validity);
        if (!uses.isEmpty() || state.specialUse.containsKey(name)) {
            state.specialUse.put(name, uses);
        }
        saveState();
        loaded.remove(name);
        return engine(name);
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
            if (!exists(name)) {
                throw notFound(name);
            }
            MaildirMailbox box = loaded.remove(name);
            Path trash = root.resolve("tmp").resolve("mailkit-deleted-" + ctx.token());
            try {
                if (box != null) {
                    box.dropTo(trash);
                } else {
                    Files.move(dirOf(name), trash, StandardCopyOption.ATOMIC_MOVE);
                }
                if (ctx.sync) {
                    Fs.fsyncDirectory(root);
                }
            } catch (IOException e) {
                if (box != null) {
                    loaded.put(name, box);
                }
                throw ioError("cannot delete mailbox " + name + " of " + id, e);
            }
            if (box != null) {
                box.markDeleted();
            }
            if (state.specialUse.remove(name) != null) {
                saveState();
            }
            try {
                Fs.deleteTree(trash);
            } catch (IOException e) {
                LOG.warn("{}: cannot remove the deleted mailbox's files {}: {} (removed at the next start)", root,
                        trash, e.toString());
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void rename(MailboxName from, MailboxName to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        checkOpen();
        lock.lock();
        try {
            if (from.equals(to) || exists(to)) {
                throw new MailStoreException(MailStoreException.Reason.ALREADY_EXISTS,
                        "cannot rename " + from + " to " + to + ": " + to + " already exists");
            }
            if (from.isInbox()) {
                renameInbox(to);
                return;
            }
            if (to.isInferiorOf(from)) {
                throw new MailStoreException(MailStoreException.Reason.NOT_ALLOWED,
                        "cannot rename " + from + " to " + to + ", which is inside it");
            }
            TreeSet<MailboxName> existing = folders();
            List<MailboxName> moving = new ArrayList<>();
            for (MailboxName n : existing) {
                if (n.equals(from) || n.isInferiorOf(from)) {
                    moving.add(n);
                }
            }
            if (moving.isEmpty()) {
                throw notFound(from);
            }
            Map<MailboxName, MailboxName> target = new TreeMap<>();
            for (MailboxName n : moving) {
                MailboxName m = n.moved(from, to);
                if (existing.contains(m) || m.isInbox()) {
                    throw new MailStoreException(MailStoreException.Reason.ALREADY_EXISTS,
                            "cannot rename " + from + " to " + to + ": " + m + " already exists");
                }
                target.put(n, m);
            }
            List<Map.Entry<MailboxName, MailboxName>> done = new ArrayList<>();
            try {
                for (Map.Entry<MailboxName, MailboxName> e : target.entrySet()) {
                    move(e.getKey(), e.getValue());
                    done.add(e);
                }
                if (ctx.sync) {
                    Fs.fsyncDirectory(root);
                }
            } catch (IOException e) {
                for (Map.Entry<MailboxName, MailboxName> d : done) {
                    try {
                        move(d.getValue(), d.getKey());
                    } catch (IOException ignored) {
                        // reported below
                    }
                }
                throw ioError("cannot rename " + from + " to " + to + " in " + id, e);
            }
            Map<MailboxName, MaildirMailbox> moved = new HashMap<>();
            boolean stateChanged = false;
            for (Map.Entry<MailboxName, MailboxName> e : target.entrySet()) {
                MaildirMailbox box = loaded.remove(e.getKey());
                if (box != null) {
                    box.setName(e.getValue());
                    moved.put(e.getValue(), box);
                }
                Set<SpecialUse> uses = state.specialUse.remove(e.getKey());
                if (uses != null) {
                    state.specialUse.put(e.getValue(), uses);
                    stateChanged = true;
                }
            }
            loaded.putAll(moved);
            if (stateChanged) {
                saveState();
            }
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
                saveSubscriptions();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Moves one folder's directory (a loaded mailbox waits for its file operations under way). Under the lock. */
    private void move(MailboxName from, MailboxName to) throws IOException {
        MaildirMailbox box = loaded.get(from);
        if (box != null) {
            box.moveTo(dirOf(to));
        } else {
            Files.move(dirOf(from), dirOf(to), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private void renameInbox(MailboxName to) {
        int count = folders().size() + 1;
        if (count >= ctx.settings.maxMailboxesPerAccount()) {
            throw new MailStoreException(MailStoreException.Reason.LIMIT, "account " + id + " already has "
                    + count + " mailboxes, the most allowed; delete some first");
        }
        MaildirMailbox target = createLocked(to, Set.of());
        engine(MailboxName.INBOX).moveAllTo(target);
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
            if (subscriptions.size() >= ctx.settings.maxMailboxesPerAccount()) {
                throw new MailStoreException(MailStoreException.Reason.LIMIT, "account " + id + " already has "
                        + subscriptions.size() + " subscriptions, the most allowed; unsubscribe some first");
            }
            subscriptions.add(name);
            saveSubscriptions();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void unsubscribe(MailboxName name) {
        Objects.requireNonNull(name, "name");
        checkOpen();
        lock.lock();
        try {
            if (subscriptions.remove(name)) {
                saveSubscriptions();
            }
        } finally {
            lock.unlock();
        }
    }

    private void saveSubscriptions() {
        try {
            AccountFiles.writeSubscriptions(root, subscriptions, ctx.sync);
        } catch (IOException e) {
            throw ioError("cannot save the subscriptions of " + id, e);
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

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the Maildir store is closed");
        }
    }

    /** Records a clean stop of every loaded mailbox. */
    void close() {
        lock.lock();
        try {
            closed = true;
            for (MaildirMailbox box : loaded.values()) {
                box.close();
            }
            loaded.clear();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "MailAccount{" + id + ", " + root + "}";
    }
}
