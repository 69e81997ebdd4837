package dev.mailkit.store.maildir;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.internal.MailboxEngine;
import dev.mailkit.store.internal.MailboxStorage;
import dev.mailkit.store.internal.QuotaCounter;
import dev.mailkit.store.internal.StorageSync;
import dev.mailkit.store.internal.UidValidityGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AccessMode;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One Maildir mailbox (INBOX is the account's directory, other mailboxes Maildir++ folders {@code .Name}): the
 * {@link MailboxStorage} of its {@link MailboxEngine}, with messages as files in {@code new/} and {@code cur/},
 * flags in their names, and mailkit's UID and MODSEQ state in the {@link IndexJournal index} next to them. It wires
 * the engine's hooks to its collaborators and runs the mailbox's life cycle (load, rename, delete, clean stop):
 * <ul>
 *   <li>{@link MailboxDirectory}: where the directory is, and the lock that orders file operations against moves;</li>
 *   <li>{@link MessageFiles}: the message files (deliveries, hard-linked copies, reads, flag renames, deletes);</li>
 *   <li>{@link IndexRecorder} and {@link UidReservations}: {@code mailkit-index}, kept in step with every change;</li>
 *   <li>{@link MaildirReconciler}: the directories against the index, at load and as other programs deliver;</li>
 *   <li>{@link StructureCache} and {@link KeywordLetters}: {@code mailkit-cache} and {@code dovecot-keywords}.</li>
 * </ul>
 *
 * <h2>Delivery</h2>
 * A message is written to {@code tmp/}, fsync'd, renamed into {@code new/} (or into {@code cur/} with its flags),
 * and the directory fsync'd before the append returns. No half-written file is ever visible in {@code new/} or
 * {@code cur/}. Concurrent deliveries each issue their own fsyncs, at once: the file system's journal commits all
 * that are waiting in one go (ext4's jbd2 batches concurrent fsyncs into a single commit), which measured faster
 * than batching them in mailkit, where a delivery that arrives during a directory fsync has to wait for it and then
 * for the next one (bench/maildir-delivery.sh).
 */
final class MaildirMailbox extends MailboxStorage {
    private static final Logger LOG = LoggerFactory.getLogger(MaildirMailbox.class);

    private final MaildirContext ctx;
    private final MailboxDirectory directory;
    private final MailboxEngine engine;
    private final StorageSync sync;
    private final KeywordLetters letters;
    private final MessageFiles files;
    private final StructureCache cache;
    private final IndexRecorder index;
    private final MaildirReconciler reconciler;

    private MaildirMailbox(MaildirContext ctx, Path dir, MailboxName name, Set<SpecialUse> uses, long uidValidity,
                           QuotaCounter quota, int expected) {
        this.ctx = ctx;
        this.directory = new MailboxDirectory(dir);
        this.engine = new MailboxEngine(name, uses, uidValidity, ctx.settings.maxKeywordsPerMailbox(), quota,
                ctx.settings.clock(), this);
        this.sync = new StorageSync(engine);
        this.letters = KeywordLetters.load(directory::path, ctx.sync);
        this.files = new MessageFiles(ctx, directory, letters, engine, expected);
        this.cache = new StructureCache(() -> directory.path().resolve(StructureCache.FILE), files::message);
        this.index = new IndexRecorder(ctx, directory, sync, files);
        this.reconciler = new MaildirReconciler(directory, files, letters, sync, index);
    }

    /**
     * Loads (or, for a new directory, initialises) the mailbox in {@code dir}.
     *
     * @param validities hands out UIDVALIDITY when the mailbox has no usable index; {@code watermark} is the highest
     *                   value it ever handed out in this account (a Dovecot UIDVALIDITY is adopted only above it)
     */
    static MaildirMailbox load(MaildirContext ctx, Path dir, MailboxName name, Set<SpecialUse> uses,
                               QuotaCounter quota, UidValidityGenerator validities, long watermark)
            throws IOException {
        Fs.requireRealDirectory(dir);
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Fs.ensureDirectory(dir.resolve(sub), ctx.sync);
        }
        MessageFiles.cleanTmp(dir.resolve("tmp"));
        IndexJournal.State state = null;
        boolean corrupt = false;
        try {
            state = IndexJournal.read(dir.resolve(IndexJournal.FILE));
        } catch (IndexJournal.CorruptIndexException e) {
            LOG.warn("{}: mailkit's index is unusable ({}); rebuilding it with a new UIDVALIDITY", dir, e.getMessage());
            corrupt = true;
        }
        DovecotUidList dovecot = null;
        long validity;
        if (state != null) {
            validity = state.uidValidity;
        } else {
            dovecot = corrupt ? null : DovecotUidList.read(dir);
            if (dovecot != null && dovecot.uidValidity > watermark) {
                validity = dovecot.uidValidity;
            } else {
                dovecot = null;
                validity = validities.next();
            }
        }
        MaildirMailbox box = new MaildirMailbox(ctx, dir, name, uses, validity, quota,
                state == null ? 16 : state.count);
        box.reconciler.load(state, dovecot);
        return box;
    }

    /** The engine. */
    MailboxEngine engine() {
        return engine;
    }

    // ================================================================================================ content

    @Override
    protected Object storeContent(MessageSource message) throws IOException {
        return storeContent(message, 0, List.of(), ctx.settings.clock().instant().getEpochSecond());
    }

    @Override
    protected Object storeContent(MessageSource message, int flagBits, List<String> keywords, long date)
            throws IOException {
        return files.write(message, flagBits, keywords, date);
    }

    @Override
    protected Object importContent(MailboxStorage source, Object sourceRef, int flagBits, List<String> keywords,
                                   long date) throws IOException {
        if (!(source instanceof MaildirMailbox) || !(sourceRef instanceof MaildirMessage)) {
            return null;
        }
        return files.importFrom(((MaildirMailbox) source).files, (MaildirMessage) sourceRef, flagBits, keywords);
    }

    /** Save dates are in the file names: a new message and every copy get a new name, made at that moment. */
    @Override
    protected boolean keepsSaveDates() {
        return true;
    }

    @Override
    protected long saveDate(long uid, Object ref) {
        return MaildirFileName.savedSeconds(((MaildirMessage) ref).base);
    }

    @Override
    protected MessageSource openContent(Object r) throws IOException {
        MaildirMessage m = (MaildirMessage) r;
        MessageSource s = files.open(m);
        if (s != null) {
            return s;
        }
        if (m.uid > 0 && !m.deleted && files.message(m.base) == m && !directory.isDropped()) {
            LOG.info("{}: message file {} was deleted by another program; expunging UID {}", directory.path(),
                    m.base, m.uid);
            sync.gone(new long[] {m.uid});
        }
        throw new NoSuchFileException(directory.path().resolve(m.relativePath()).toString());
    }

    @Override
    protected void discardContent(Object r) {
        files.delete((MaildirMessage) r);
    }

    @Override
    protected byte[] cachedStructure(Object ref) {
        return cache.get((MaildirMessage) ref);
    }

    @Override
    protected void cacheStructure(Object ref, byte[] structure) {
        if (!directory.isClosed()) {
            cache.put((MaildirMessage) ref, structure);
        }
    }

    /** Picks up files that another program dropped into new/ since the last look. */
    @Override
    protected void refresh() {
        reconciler.refresh();
    }

    // ================================================================================================ changes

    @Override
    protected boolean recordsChanges() {
        return true;
    }

    /**
     * Before a change (append, flags, expunge): a mailbox whose directory takes no writes (a read-only file system,
     * no permission) refuses it now, with nothing changed, instead of answering a flag change or expunge that could
     * neither rename the file nor write the index, and so would be lost at the next start. One access check.
     */
    @Override
    protected void changesBegin() {
        Path cur = dir().resolve("cur");
        try {
            cur.getFileSystem().provider().checkAccess(cur, AccessMode.WRITE);
        } catch (NoSuchFileException e) {
            // deleted or renamed meanwhile: the change fails or finds the directory in its own way
        } catch (IOException e) {
            throw new MailStoreException(MailStoreException.Reason.IO_ERROR, "cannot change the mailbox in " + dir()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void reserveUids(long lastUid) {
        index.reservations().reserveUids(lastUid);
    }

    @Override
    protected void reserveModSeq(long modSeq) {
        index.reservations().reserveModSeq(modSeq);
    }

    @Override
    protected void keywordsDefined(List<String> newKeywords) {
        index.keywordsDefined(newKeywords);
    }

    @Override
    protected void appended(long uid, Object ref, int flagBits, List<String> keywords, long modSeq, long date,
                            long size) {
        MaildirMessage m = (MaildirMessage) ref;
        m.uid = uid;
        index.appended(uid, m, flagBits, keywords, modSeq, date, size);
    }

    @Override
    protected void flagsChanged(long uid, Object ref, int flagBits, List<String> keywords, long modSeq) {
        MaildirMessage m = (MaildirMessage) ref;
        String info = MaildirFileName.info(flagBits, letters.mask(keywords, true), m.extra);
        if (!info.equals(m.info)) {
            files.rename(m, info);
        }
        index.flagsChanged(uid, m, flagBits, keywords, modSeq);
    }

    @Override
    protected void expunged(int[] uids, Object[] refs, long modSeq) {
        index.expunged(uids, modSeq);
    }

    @Override
    protected void changesDone() {
        index.changesDone();
    }

    // ================================================================================================ life cycle

    /** The directory now. */
    Path dir() {
        return directory.path();
    }

    /** Moves the mailbox's directory (RENAME), waiting for file operations under way. */
    void moveTo(Path newDir) throws IOException {
        directory.moveTo(newDir);
    }

    /**
     * Moves the directory away to be deleted (DELETE): from then on every operation fails with NOT_FOUND and
     * nothing is deleted file by file. The caller then {@link MailboxEngine#markDeleted() marks it deleted} and
     * removes the tree.
     */
    void dropTo(Path trash) throws IOException {
        directory.dropTo(trash);
        sync.underWriteLock(index::close);
    }

    /** Another program deleted the directory. */
    void dropped() {
        directory.markDropped();
        sync.underWriteLock(index::close);
    }

    /**
     * Records a clean stop and releases files: the index is compacted if anything was recorded since the load, and
     * if a listing of new/ and cur/ matches it exactly, their mtimes are recorded so that the next start can skip
     * listing them.
     */
    void close() {
        sync.underWriteLock(this::closeLocked);
        cache.close();
    }

    private void closeLocked() {
        if (directory.isClosed()) {
            return;
        }
        if (index.isOpen() && !directory.isDropped() && !engine.isDeleted()) {
            try {
                long[] stamps = reconciler.verifiedStamps();
                index.recordCleanStop(stamps[0], stamps[1]);
            } catch (IOException e) {
                LOG.warn("{}: cannot record a clean stop: {}", directory.path(), e.toString());
            }
        }
        index.close();
        directory.markClosed();
    }
}
