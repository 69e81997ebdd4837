package dev.mailkit.store.maildir;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.internal.AccountEngine;
import dev.mailkit.store.internal.MailboxEngine;
import dev.mailkit.store.internal.UidValidityGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One user's Maildir: INBOX in the account directory, every other mailbox a Maildir++ folder {@code .Name} beside
 * it (see {@link AccountFiles}), under the {@link AccountEngine}'s rules. The list of mailboxes is the directory
 * itself, read on every {@link #list()}, so folders that another program (Dovecot) creates or deletes show at once.
 * Mailboxes are loaded on first open and kept. Creating, deleting and renaming folders are atomic renames; special
 * uses, the UIDVALIDITY watermark and subscriptions are kept in the account's files. Thread-safe: the loaded
 * mailboxes and the account state are guarded by the account's lock.
 */
final class MaildirAccount extends AccountEngine {
    private static final Logger LOG = LoggerFactory.getLogger(MaildirAccount.class);

    private final MaildirContext ctx;
    private final Path root;
    private final Map<MailboxName, MaildirMailbox> loaded = new HashMap<>(); // guarded by lock()
    private final UidValidityGenerator validities;
    private final AccountFiles.AccountState state; // guarded by lock()
    private volatile boolean allCounted;
    private volatile boolean closed;

    private MaildirAccount(AccountId id, MaildirContext ctx, Path root) {
        super(id, ctx.settings, AccountFiles.readSubscriptions(root));
        this.ctx = ctx;
        this.root = root;
        this.state = AccountFiles.readAccount(root);
        AccountFiles.readMetadata(root, metadataTable());
        this.validities = new UidValidityGenerator(ctx.settings.clock(), state.watermark);
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
            a.createAutoMailboxes();
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
            throw ioError("cannot list the mailboxes of " + id(), e);
        }
        return out;
    }

    private Set<SpecialUse> specialUseOf(MailboxName n) {
        Set<SpecialUse> recorded = state.specialUse.get(n);
        return recorded != null ? recorded : ctx.settings.specialUseFor(n);
    }

    private static MailStoreException ioError(String what, IOException e) {
        return new MailStoreException(MailStoreException.Reason.IO_ERROR, what + ": " + e.getMessage(), e);
    }

    // ================================================================================================ the hooks

    @Override
    protected Set<MailboxName> mailboxNames() {
        TreeSet<MailboxName> boxes = folders();
        boxes.add(MailboxName.INBOX);
        return boxes;
    }

    @Override
    protected boolean hasMailbox(MailboxName name) {
        return name.isInbox() || Fs.isRealDirectory(dirOf(name));
    }

    @Override
    protected Set<SpecialUse> listedSpecialUse(MailboxName name) {
        return name.isInbox() ? Set.of() : specialUseOf(name);
    }

    @Override
    protected MailboxEngine mailbox(MailboxName name) {
        return load(name).engine();
    }

    /** The loaded mailbox of a name, loading it if needed. Under the lock. */
    private MaildirMailbox load(MailboxName name) {
        MaildirMailbox box = loaded.get(name);
        if (box != null) {
            if (name.isInbox() || Fs.isRealDirectory(box.dir())) {
                return box;
            }
            // deleted by another program
            loaded.remove(name);
            box.dropped();
            box.engine().markDeleted();
        }
        if (!exists(name)) {
            throw notFound(name);
        }
        try {
            box = MaildirMailbox.load(ctx, dirOf(name), name, name.isInbox() ? Set.of() : specialUseOf(name),
                    quotaCounter(), validities, state.watermark);
        } catch (IOException e) {
            throw ioError("cannot open mailbox " + name + " of " + id(), e);
        }
        noteValidity(box.engine().uidValidity());
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
    @Override
    protected void countAll() {
        if (allCounted) {
            return;
        }
        ReentrantLock lock = lock();
        lock.lock();
        try {
            if (allCounted || closed) {
                return;
            }
            load(MailboxName.INBOX);
            for (MailboxName n : folders()) {
                try {
                    load(n);
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

    /**
     * Creates the folder: built complete in tmp/ (cur, new, tmp, maildirfolder, mailkit's index with its
     * UIDVALIDITY) and renamed into place, so that no half-made folder is ever visible.
     */
    @Override
    protected MailboxEngine createMailbox(MailboxName name, Set<SpecialUse> specialUse) {
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
            IndexJournal.create(() -> work.resolve(IndexJournal.FILE), validity, "", 0, ctx.sync).close();
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
            throw ioError("cannot create mailbox " + name + " of " + id(), e);
        }
        state.watermark = Math.max(state.watermark, validity);
        if (!uses.isEmpty() || state.specialUse.containsKey(name)) {
            state.specialUse.put(name, uses);
        }
        saveState();
        loaded.remove(name);
        return mailbox(name);
    }

    /** Moves the folder into tmp/ (atomic), marks it deleted, then removes its files. */
    @Override
    protected void deleteMailbox(MailboxName name) {
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
            throw ioError("cannot delete mailbox " + name + " of " + id(), e);
        }
        if (box != null) {
            box.engine().markDeleted();
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
    }

    /** Moves the folders' directories (all back if one fails), then the loaded mailboxes and special uses. */
    @Override
    protected void renameMailboxes(MailboxName from, MailboxName to, SortedMap<MailboxName, MailboxName> moves) {
        List<Map.Entry<MailboxName, MailboxName>> done = new ArrayList<>();
        try {
            for (Map.Entry<MailboxName, MailboxName> e : moves.entrySet()) {
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
            throw ioError("cannot rename " + from + " to " + to + " in " + id(), e);
        }
        Map<MailboxName, MaildirMailbox> moved = new HashMap<>();
        boolean stateChanged = false;
        for (Map.Entry<MailboxName, MailboxName> e : moves.entrySet()) {
            MaildirMailbox box = loaded.remove(e.getKey());
            if (box != null) {
                box.engine().setName(e.getValue());
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

    @Override
    protected void subscriptionsChanged(Set<MailboxName> now) {
        try {
            AccountFiles.writeSubscriptions(root, now, ctx.sync);
        } catch (IOException e) {
            throw ioError("cannot save the subscriptions of " + id(), e);
        }
    }

    @Override
    protected void metadataChanged() {
        try {
            AccountFiles.writeMetadata(root, metadataTable(), ctx.sync);
        } catch (IOException e) {
            throw ioError("cannot save the metadata of " + id(), e);
        }
    }

    @Override
    protected void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the Maildir store is closed");
        }
    }

    /** Records a clean stop of every loaded mailbox. */
    void close() {
        ReentrantLock lock = lock();
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
        return "MailAccount{" + id() + ", " + root + "}";
    }
}
