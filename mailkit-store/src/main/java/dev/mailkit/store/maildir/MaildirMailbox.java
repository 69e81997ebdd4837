package dev.mailkit.store.maildir;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.internal.MailboxEngine;
import dev.mailkit.store.internal.QuotaCounter;
import dev.mailkit.store.internal.UidValidityGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One Maildir mailbox (INBOX is the account's directory, other mailboxes Maildir++ folders {@code .Name}): the
 * shared {@link MailboxEngine} semantics, with messages as files in {@code new/} and {@code cur/}, flags in their
 * names, and mailkit's UID and MODSEQ state in the {@link IndexJournal index} next to them.
 *
 * <h2>Delivery</h2>
 * A message is written to {@code tmp/}, fsync'd, renamed into {@code new/} (or into {@code cur/} with its flags),
 * and the directory fsync'd before the append returns. No half-written file is ever visible in {@code new/} or
 * {@code cur/}. Concurrent deliveries each issue their own fsyncs, at once: the file system's journal commits all
 * that are waiting in one go (ext4's jbd2 batches concurrent fsyncs into a single commit), which measured faster
 * than batching them in mailkit, where a delivery that arrives during a directory fsync has to wait for it and then
 * for the next one (bench/maildir-delivery.sh).
 *
 * <h2>Loading</h2>
 * The first open after a start reads the index. If the last stop was clean and verified the directories (see
 * {@link #close()}) and neither has changed since, that is all; otherwise it lists {@code new/} and {@code cur/}
 * (names only): files another program added are adopted with new UIDs, flags changed in file names are taken over
 * (with a new MODSEQ), files that vanished are dropped. After an unclean stop, UIDs and MODSEQs continue above what
 * the index had reserved, so none handed out before the crash is ever reused. Later, {@code new/} is checked again
 * (cheaply, by its mtime) before every SELECT and STATUS, so files that other programs drop there are picked up.
 */
final class MaildirMailbox extends MailboxEngine {
    private static final Logger LOG = LoggerFactory.getLogger(MaildirMailbox.class);
    /** UIDs and MODSEQs reserved per durable index write. */
    static final long UID_BLOCK = 1000;
    static final long MODSEQ_BLOCK = 10_000;
    /** Files in tmp/ older than this are leftovers of crashed deliveries (Dovecot's rule). */
    private static final Duration TMP_MAX_AGE = Duration.ofHours(36);

    private final MaildirContext ctx;
    private volatile Path dir;
    private final ConcurrentHashMap<String, MaildirMessage> byBase;
    private final KeywordLetters letters;
    private final StructureCache cache;
    private final ReentrantLock refreshLock = new ReentrantLock();
    /** Held to read while files are addressed by path, to write while the directory moves (rename, delete). */
    private final java.util.concurrent.locks.ReentrantReadWriteLock dirLock =
            new java.util.concurrent.locks.ReentrantReadWriteLock();
    // guarded by the engine's write lock
    private IndexJournal journal;
    private long reservedUid;
    private long reservedModSeq;
    private boolean journalBroken;
    private volatile long newDirStamp = -1;
    /** Index lines when loaded (a close with nothing recorded since need not compact). Under the write lock. */
    private int loadedLines;
    /** Set when a file was found moved by another program (its new place is not in the index yet). */
    private volatile boolean moved;
    private volatile boolean dropped;
    private volatile boolean closed;

    private MaildirMailbox(MaildirContext ctx, Path dir, MailboxName name, Set<SpecialUse> uses, long uidValidity,
                           QuotaCounter quota, int expected) {
        super(name, uses, uidValidity, ctx.settings.maxKeywordsPerMailbox(), quota, ctx.settings.clock());
        this.byBase = new ConcurrentHashMap<>(Math.max(16, expected * 4 / 3));
        this.ctx = ctx;
        this.dir = dir;
        this.letters = KeywordLetters.load(() -> this.dir, ctx.sync);
        this.cache = new StructureCache(() -> this.dir.resolve(StructureCache.FILE), byBase::get);
    }

    // ================================================================================================ loading

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
        cleanTmp(dir.resolve("tmp"));
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
        box.restore(state, dovecot);
        return box;
    }

    /** Deletes leftovers of deliveries that died before their rename. */
    private static void cleanTmp(Path tmp) {
        long cutoff = System.currentTimeMillis() - TMP_MAX_AGE.toMillis();
        try {
            for (String n : Fs.list(tmp)) {
                Path f = tmp.resolve(n);
                try {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (!a.isDirectory() && a.lastModifiedTime().toMillis() < cutoff) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException ignored) {
                    // someone else cleaned it
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot clean {}: {}", tmp, e.toString());
        }
    }

    /** Marks a file found in new/ in {@link #listMessages()}'s map (cur/ files map to their info). */
    private static final String IN_NEW = new String("new/");

    private void restore(IndexJournal.State st, DovecotUidList dovecot) throws IOException {
        long newStamp = stamp(dir.resolve("new"));
        long curStamp = stamp(dir.resolve("cur"));
        if (st != null && st.clean && st.cleanNewStamp >= 0 && st.cleanNewStamp == newStamp
                && st.cleanCurStamp == curStamp && st.fileStamp > Math.max(newStamp, curStamp)) {
            restoreFromIndex(st, newStamp);
            return;
        }
        long listedAt = System.currentTimeMillis();
        Map<String, String> found = listMessages();
        long uidNext;
        long highest;
        if (st == null) {
            uidNext = dovecot != null ? dovecot.nextUid : 1;
            highest = 1;
        } else if (st.clean) {
            uidNext = Math.max(st.cleanUidNext, st.maxUid + 1);
            highest = Math.max(st.cleanModSeq, st.maxModSeq);
        } else {
            // unclean stop: what was reserved may have been handed out
            uidNext = Math.max(st.maxUid, st.reservedUid) + 1;
            highest = Math.max(st.maxModSeq, st.reservedModSeq) + 1;
        }
        // messages no session was told of before a clean stop are still \Recent (as Dovecot keeps them)
        long firstRecent = st != null && st.clean && st.cleanFirstRecent > 0
                ? Math.min(st.cleanFirstRecent, uidNext) : uidNext;
        boolean changed = st == null || !st.clean;
        // keywords: as the index defined them, then the lettered ones (messages may add more)
        Set<String> defined = new LinkedHashSet<>();
        if (st != null) {
            defined.addAll(st.keywords);
        }
        defined.addAll(letters.lettered());
        for (String k : defined) {
            try {
                restoreKeyword(k);
            } catch (MailStoreException ex) {
                LOG.warn("{}: more keywords than the mailbox allows; {} is not defined", dir, k);
            }
        }
        int restored = 0;
        restoreCapacity(found.size() + 16);
        if (st != null) {
            for (int i = 0; i < st.count; i++) {
                if (st.dead[i]) {
                    continue;
                }
                String where = found.remove(st.base[i]);
                if (where == null) {
                    changed = true; // deleted by another program
                    continue;
                }
                String info = where == IN_NEW ? null : where;
                int flags = info == null ? 0 : MaildirFileName.systemBits(info);
                List<String> recorded = st.keywordsOf(i);
                List<String> kw = (info == null || MaildirFileName.keywordMask(info) == 0) && recorded.isEmpty()
                        ? List.of() : keywordsOf(info, recorded);
                long modSeq = st.modSeq[i];
                if (flags != st.flags[i] || !sameKeywords(kw, recorded)) {
                    modSeq = ++highest; // changed by another program
                    changed = true;
                }
                MaildirMessage ref = new MaildirMessage(st.base[i], info, st.fileSize[i], st.size[i]);
                if (info != null && !info.isEmpty()) {
                    ref.extra = MaildirFileName.extraLetters(info);
                }
                ref.uid = st.uid[i];
                byBase.put(ref.base, ref);
                restoreRow(st.uid[i], flags, kw, modSeq, st.date[i], st.size[i], ref);
                restored++;
            }
        }
        // files mailkit has not indexed: from another program, or delivered just before a crash
        if (!found.isEmpty()) {
            changed = true;
            List<String> foreign = new ArrayList<>(found.keySet());
            foreign.sort(null);
            List<MaildirMessage> refs = new ArrayList<>(foreign.size());
            for (String b : foreign) {
                String where = found.get(b);
                MaildirMessage ref = inspectForeign(b, where == IN_NEW ? null : where);
                if (ref != null) {
                    ref.uid = dovecot != null ? dovecot.uids.getOrDefault(b, 0L) : 0;
                    refs.add(ref);
                }
            }
            // UIDs: those Dovecot gave (only when there was no index), then new ones in name order
            refs.sort(Comparator.comparingLong(r -> r.uid == 0 ? Long.MAX_VALUE : r.uid));
            for (MaildirMessage ref : refs) {
                if (ref.uid == 0) {
                    ref.uid = uidNext++;
                } else {
                    uidNext = Math.max(uidNext, ref.uid + 1);
                }
                String info = ref.info;
                int flags = info == null ? 0 : MaildirFileName.systemBits(info);
                List<String> kw = keywordsOf(info, List.of());
                byBase.put(ref.base, ref);
                restoreRow(ref.uid, flags, kw, ++highest, dateOf(ref), ref.crlfSize, ref);
                restored++;
            }
            if (dovecot != null) {
                firstRecent = dovecot.nextUid;
            }
        }
        restoreCounters(uidNext, highest, firstRecent);
        long ageMillis = listedAt - TimeUnit.NANOSECONDS.toMillis(newStamp);
        // (the new/ mtime was read before listing it: a file added since makes it differ and is looked for)
        newDirStamp = ageMillis > 2000 ? newStamp : -1;
        if (changed || st.lines > 2 * restored + 1000) {
            rewriteIndex();
        } else {
            reservedUid = st.reservedUid;
            reservedModSeq = st.reservedModSeq;
            journal = IndexJournal.append(dir.resolve(IndexJournal.FILE), st.lines);
        }
        loadedLines = journal.lines();
    }

    /**
     * The fast path of a start after a clean stop whose directories were verified: new/ and cur/ are as the index
     * says (their mtimes are unchanged since, and older than the index), so nothing is listed.
     */
    private void restoreFromIndex(IndexJournal.State st, long newStamp) throws IOException {
        for (String k : st.keywords) {
            try {
                restoreKeyword(k);
            } catch (MailStoreException ex) {
                LOG.warn("{}: more keywords than the mailbox allows; {} is not defined", dir, k);
            }
        }
        restoreCapacity(st.count + 16);
        for (int i = 0; i < st.count; i++) {
            if (st.dead[i]) {
                continue;
            }
            MaildirMessage ref = new MaildirMessage(st.base[i], st.info[i], st.fileSize[i], st.size[i]);
            if (st.info[i] != null && !st.info[i].isEmpty()) {
                ref.extra = MaildirFileName.extraLetters(st.info[i]);
            }
            ref.uid = st.uid[i];
            byBase.put(ref.base, ref);
            restoreRow(st.uid[i], st.flags[i], st.keywordsOf(i), st.modSeq[i], st.date[i], st.size[i], ref);
        }
        long uidNext = Math.max(st.cleanUidNext, st.maxUid + 1);
        long firstRecent = st.cleanFirstRecent > 0 ? Math.min(st.cleanFirstRecent, uidNext) : uidNext;
        restoreCounters(uidNext, Math.max(st.cleanModSeq, st.maxModSeq), firstRecent);
        newDirStamp = newStamp;
        reservedUid = st.reservedUid;
        reservedModSeq = st.reservedModSeq;
        journal = IndexJournal.append(dir.resolve(IndexJournal.FILE), st.lines);
        loadedLines = st.lines;
    }

    private static boolean sameKeywords(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            return false;
        }
        if (a.isEmpty()) {
            return true;
        }
        Set<String> x = new HashSet<>();
        for (String k : a) {
            x.add(k.toLowerCase(java.util.Locale.ROOT));
        }
        for (String k : b) {
            if (!x.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /** The keywords of a message: those its file name carries, plus the unlettered ones the index recorded. */
    private List<String> keywordsOf(String info, List<String> recorded) {
        List<String> kw = new ArrayList<>(info == null ? List.of() : letters.names(MaildirFileName.keywordMask(info)));
        for (String k : recorded) {
            if (!letters.hasLetter(k)) {
                kw.add(k);
            }
        }
        return kw;
    }

    /**
     * Lists cur/ and new/: base name to the info of a file in cur/, or to {@link #IN_NEW}. cur/ wins when a base is
     * in both. Only names are read (no stat per file).
     */
    private Map<String, String> listMessages() throws IOException {
        String[] cur = Fs.list(dir.resolve("cur"));
        String[] fresh = Fs.list(dir.resolve("new"));
        Map<String, String> found = new HashMap<>((cur.length + fresh.length) * 4 / 3 + 16);
        for (String n : cur) {
            int colon = n.indexOf(':');
            if (n.isEmpty() || n.charAt(0) == '.' || colon == 0 || !MaildirFileName.isSafe(n)) {
                skipped(dir.resolve("cur"), n);
                continue;
            }
            if (colon < 0) {
                // cur/ without info: no flags; give it the standard form
                renameQuietly(dir.resolve("cur").resolve(n), dir.resolve("cur").resolve(n + ":2,"));
                found.put(n, "");
                continue;
            }
            String info = n.startsWith("2,", colon + 1) ? MaildirFileName.info(n.substring(colon + 3)) : "";
            found.put(n.substring(0, colon), info);
        }
        for (String n : fresh) {
            if (n.isEmpty() || n.charAt(0) == '.' || n.indexOf(':') >= 0 || !MaildirFileName.isSafe(n)) {
                skipped(dir.resolve("new"), n);
                continue;
            }
            if (found.putIfAbsent(n, IN_NEW) != null) {
                LOG.warn("{}: {} is in both new/ and cur/; using the one in cur/", dir, n);
            }
        }
        return found;
    }

    private static void skipped(Path d, String n) {
        if (!n.startsWith(".")) {
            LOG.warn("{}: ignoring the file {} (its name is not a Maildir message name mailkit can index: use "
                    + "printable ASCII without spaces)", d, n.replaceAll("[^\\x21-\\x7e]", "?"));
        }
    }

    private static void renameQuietly(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.debug("cannot rename {}: {}", from, e.toString());
        }
    }

    /**
     * Checks a file another program left: it must be a regular file (a symbolic link is refused); measures it.
     *
     * @param info the info of a file in cur/, or null for new/
     * @return its reference, or null to ignore it
     */
    private MaildirMessage inspectForeign(String base, String info) {
        Path file = dir.resolve(info == null ? "new" : "cur").resolve(MaildirFileName.fileName(base, info));
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                LOG.warn("{}: refusing {}: not a regular file (symbolic links and other files are not read)", dir,
                        file.getFileName());
                return null;
            }
            MaildirFileName.Parsed p = MaildirFileName.parse(base);
            long size = a.size();
            long crlf = p == null ? -1 : p.crlfSize;
            if (crlf < size || crlf > 2 * size || (p.size >= 0 && p.size != size)) {
                try (FileChannel ch = Fs.openRead(file)) {
                    crlf = MessageSource.crlfLength(ch, 0, size);
                }
            }
            MaildirMessage m = new MaildirMessage(base, info, size, crlf);
            if (info != null && !info.isEmpty()) {
                m.extra = MaildirFileName.extraLetters(info);
            }
            return m;
        } catch (IOException e) {
            LOG.warn("{}: cannot read {}: {}", dir, file.getFileName(), e.toString());
            return null;
        }
    }

    private long dateOf(MaildirMessage m) {
        try {
            return Files.getLastModifiedTime(dir.resolve(m.relativePath()), LinkOption.NOFOLLOW_LINKS)
                    .to(TimeUnit.SECONDS);
        } catch (IOException e) {
            return ctx.settings.clock().instant().getEpochSecond();
        }
    }

    // ================================================================================================ the index

    /** Writes a compact index of the current state (durably) and continues appending to it. Under the write lock. */
    private void rewriteIndex() throws IOException {
        long[] c = counters();
        reservedUid = Math.min(UidSet.MAX_UID, c[0] - 1 + UID_BLOCK);
        reservedModSeq = c[1] + MODSEQ_BLOCK;
        StringBuilder body = new StringBuilder(64 + 100 * byBase.size());
        body.append("R ").append(reservedUid).append(' ').append(reservedModSeq).append('\n');
        int[] lines = {1};
        for (String k : keywords()) {
            body.append("K ").append(k).append('\n');
            lines[0]++;
        }
        forEachRow((uid, flags, kw, modSeq, date, size, ref) -> {
            MaildirMessage m = (MaildirMessage) ref;
            IndexJournal.formatAdd(body, uid, modSeq, date, size, m.fileSize, flags, m.info, m.base, kw);
            lines[0]++;
        });
        IndexJournal old = journal;
        journal = IndexJournal.create(dir.resolve(IndexJournal.FILE), uidValidity(), body, lines[0], ctx.sync);
        journalBroken = false;
        if (old != null) {
            try {
                old.close();
            } catch (IOException ignored) {
                // replaced
            }
        }
    }

    private IndexJournal journal() {
        if (closed) {
            throw new IllegalStateException("the Maildir store is closed");
        }
        return journal;
    }

    @Override
    protected boolean recordsChanges() {
        return true;
    }

    @Override
    protected void reserveUids(long lastUid) {
        if (lastUid <= reservedUid) {
            return;
        }
        long r = Math.min(UidSet.MAX_UID, lastUid + UID_BLOCK);
        reserve(r, reservedModSeq);
        reservedUid = r;
    }

    @Override
    protected void reserveModSeq(long modSeq) {
        if (modSeq <= reservedModSeq) {
            return;
        }
        long r = modSeq + MODSEQ_BLOCK;
        reserve(reservedUid, r);
        reservedModSeq = r;
    }

    private void reserve(long uid, long modSeq) {
        IndexJournal j = journal();
        j.line().append("R ").append(uid).append(' ').append(modSeq).append('\n');
        try {
            if (ctx.sync) {
                j.sync();
            } else {
                j.flush();
            }
        } catch (IOException e) {
            throw new MailStoreException(MailStoreException.Reason.IO_ERROR, "cannot write mailkit's index in "
                    + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void keywordsDefined(List<String> newKeywords) {
        IndexJournal j = journal();
        for (String k : newKeywords) {
            j.line().append("K ").append(k).append('\n');
        }
    }

    @Override
    protected void appended(long uid, Object ref, int flagBits, List<String> keywords, long modSeq, long date,
                            long size) {
        MaildirMessage m = (MaildirMessage) ref;
        m.uid = uid;
        IndexJournal.formatAdd(journal().line(), uid, modSeq, date, size, m.fileSize, flagBits, m.info, m.base,
                keywords);
    }

    @Override
    protected void flagsChanged(long uid, Object ref, int flagBits, List<String> keywords, long modSeq) {
        MaildirMessage m = (MaildirMessage) ref;
        String info = MaildirFileName.info(flagBits, letters.mask(keywords, true), m.extra);
        if (!info.equals(m.info)) {
            rename(m, info);
        }
        StringBuilder sb = journal().line();
        sb.append("F ").append(uid).append(' ').append(modSeq).append(' ').append(flagBits).append(' ')
                .append(IndexJournal.whereToken(m.info));
        for (String k : keywords) {
            sb.append(' ').append(k);
        }
        sb.append('\n');
    }

    /** Renames a message file to carry new flags (in cur/). Under the write lock. */
    private void rename(MaildirMessage m, String info) {
        dirLock.readLock().lock();
        try {
            renameLocked(m, info);
        } finally {
            dirLock.readLock().unlock();
        }
    }

    private void renameLocked(MaildirMessage m, String info) {
        Path d = dir;
        Path to = d.resolve("cur").resolve(MaildirFileName.fileName(m.base, info));
        m.pendingInfo = info;
        try {
            Path from = d.resolve(m.relativePath());
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                String where = locate(m);
                if (where == null) {
                    LOG.warn("{}: message file {} is gone; its flags cannot be stored in its name", d, m.base);
                    return;
                }
                Files.move(d.resolve(where), to, StandardCopyOption.ATOMIC_MOVE);
            }
            m.info = info;
        } catch (IOException e) {
            LOG.warn("{}: cannot rename {} for its new flags: {} (they are kept in mailkit's index)", d, m.base,
                    e.toString());
        } finally {
            m.pendingInfo = null;
        }
    }

    @Override
    protected void expunged(int[] uids, Object[] refs, long modSeq) {
        StringBuilder sb = journal().line();
        sb.append("X ").append(modSeq);
        for (int u : uids) {
            sb.append(' ').append(Integer.toUnsignedLong(u));
        }
        sb.append('\n');
    }

    @Override
    protected void changesDone() {
        IndexJournal j = journal();
        try {
            j.flush();
            if (j.lines() > 2L * byBase.size() + 1000) {
                rewriteIndex();
            }
        } catch (IOException e) {
            if (!journalBroken) {
                LOG.error("{}: cannot write mailkit's index: {}; the next start rebuilds it from the files", dir,
                        e.toString());
            }
            journalBroken = true;
        }
    }

    // ================================================================================================ content

    @Override
    protected Object storeContent(MessageSource message) throws IOException {
        return storeContent(message, 0, List.of(), ctx.settings.clock().instant().getEpochSecond());
    }

    @Override
    protected Object storeContent(MessageSource message, int flagBits, List<String> keywords, long date)
            throws IOException {
        dirLock.readLock().lock();
        try {
            checkOpen();
            return write(message, flagBits, keywords, date);
        } finally {
            dirLock.readLock().unlock();
        }
    }

    private MaildirMessage write(MessageSource message, int flagBits, List<String> keywords, long date)
            throws IOException {
        long size = message.size();
        String base = ctx.newBase(size, size);
        int mask = letters.mask(keywords, true);
        String info = flagBits == 0 && mask == 0 ? null : MaildirFileName.info(flagBits, mask, null);
        MaildirMessage ref = new MaildirMessage(base, info, size, size);
        byBase.put(base, ref); // claimed: refresh() must not adopt it
        Path d = dir;
        Path tmp = d.resolve("tmp").resolve(base);
        Path target = null;
        boolean ok = false;
        try {
            try (FileChannel ch = Fs.createNew(tmp)) {
                OutputStream out = Channels.newOutputStream(ch);
                message.writeTo(out);
                boolean dated = date != ctx.settings.clock().instant().getEpochSecond();
                if (dated) {
                    Files.setLastModifiedTime(tmp, FileTime.from(date, TimeUnit.SECONDS));
                }
                if (ch.size() != size) {
                    throw new IOException("wrote " + ch.size() + " octets of a " + size + "-octet message");
                }
                if (ctx.sync) {
                    ch.force(dated);
                }
            }
            target = d.resolve(ref.relativePath());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            if (ctx.sync) {
                Fs.fsyncDirectory(target.getParent());
            }
            ok = true;
            return ref;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
                if (target != null) {
                    Files.deleteIfExists(target);
                }
                byBase.remove(base, ref);
            }
        }
    }

    @Override
    protected Object importContent(MailboxEngine source, Object sourceRef, int flagBits, List<String> keywords,
                                   long date) throws IOException {
        if (!(source instanceof MaildirMailbox) || !(sourceRef instanceof MaildirMessage)) {
            return null;
        }
        MaildirMailbox src = (MaildirMailbox) source;
        MaildirMessage sm = (MaildirMessage) sourceRef;
        dirLock.readLock().lock();
        try {
            checkOpen();
            if (src == this) {
                return link(src, sm, flagBits, keywords);
            }
            if (!src.dirLock.readLock().tryLock()) {
                return null; // its directory is moving: copy through the content instead
            }
            try {
                return link(src, sm, flagBits, keywords);
            } finally {
                src.dirLock.readLock().unlock();
            }
        } finally {
            dirLock.readLock().unlock();
        }
    }

    private MaildirMessage link(MaildirMailbox src, MaildirMessage sm, int flagBits, List<String> keywords)
            throws IOException {
        String base = ctx.newBase(sm.fileSize, sm.crlfSize);
        int mask = letters.mask(keywords, true);
        String info = flagBits == 0 && mask == 0 ? null : MaildirFileName.info(flagBits, mask, null);
        MaildirMessage ref = new MaildirMessage(base, info, sm.fileSize, sm.crlfSize);
        byBase.put(base, ref);
        Path target = dir.resolve(ref.relativePath());
        boolean ok = false;
        try {
            for (int attempt = 0; ; attempt++) {
                try {
                    // a hard link: the copy costs no data, and appears whole or not at all
                    Files.createLink(target, src.dir.resolve(sm.relativePath()));
                    break;
                } catch (NoSuchFileException e) {
                    if (attempt >= 2) {
                        return null; // moved away meanwhile: copy through the content instead
                    }
                }
            }
            if (ctx.sync) {
                Fs.fsyncDirectory(target.getParent());
            }
            ok = true;
            return ref;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("{}: cannot hard-link {} ({}); copying it", dir, sm.base, e.toString());
            return null;
        } finally {
            if (!ok) {
                byBase.remove(base, ref);
            }
        }
    }

    @Override
    protected MessageSource openContent(Object r) throws IOException {
        MaildirMessage m = (MaildirMessage) r;
        dirLock.readLock().lock();
        try {
            MessageSource s = open(m);
            if (s != null) {
                return s;
            }
        } finally {
            dirLock.readLock().unlock();
        }
        if (m.uid > 0 && byBase.get(m.base) == m && !dropped) {
            LOG.info("{}: message file {} was deleted by another program; expunging UID {}", dir, m.base, m.uid);
            expungeGone(new long[] {m.uid});
        }
        throw new NoSuchFileException(dir.resolve(m.relativePath()).toString());
    }

    /** Opens a message file wherever it is now, or returns null if it is gone. Under the directory read lock. */
    private MessageSource open(MaildirMessage m) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            String info = m.info;
            Path d = dir;
            try {
                return sourceOf(Fs.openRead(d.resolve(m.relativePath())), m);
            } catch (NoSuchFileException e) {
                String pending = m.pendingInfo;
                if (pending != null) {
                    try {
                        return sourceOf(Fs.openRead(d.resolve("cur").resolve(
                                MaildirFileName.fileName(m.base, pending))), m);
                    } catch (NoSuchFileException again) {
                        // renamed further; try again
                    }
                }
                if (!java.util.Objects.equals(info, m.info) || d != dir) {
                    continue;
                }
                String where = locate(m);
                if (where != null) {
                    try {
                        return sourceOf(Fs.openRead(d.resolve(where)), m);
                    } catch (NoSuchFileException again) {
                        continue;
                    }
                }
                break;
            }
        }
        return null;
    }

    private static MessageSource sourceOf(FileChannel ch, MaildirMessage m) throws IOException {
        try {
            long size = ch.size();
            if (size != m.fileSize) {
                throw new IOException("message file " + m.base + " is " + size + " octets, expected " + m.fileSize
                        + " (changed by another program?)");
            }
            return MessageSource.ofFileRegion(ch, 0, size, m.crlfSize);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Finds a message file that another program renamed (Dovecot moves files from new/ to cur/ and renames them
     * for flags): its path relative to the mailbox, or null if it is gone. Updates the reference.
     */
    private String locate(MaildirMessage m) {
        Path d = dir;
        try {
            if (Files.exists(d.resolve("new").resolve(m.base), LinkOption.NOFOLLOW_LINKS)) {
                m.info = null;
                moved = true;
                return "new/" + m.base;
            }
            String prefix = m.base + ":";
            for (String n : Fs.list(d.resolve("cur"))) {
                if (n.startsWith(prefix)) {
                    MaildirFileName.Parsed p = MaildirFileName.parse(n);
                    if (p != null) {
                        m.info = MaildirFileName.info(p.info);
                        moved = true;
                        return "cur/" + n;
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot look for {} in {}: {}", m.base, d, e.toString());
        }
        return null;
    }

    @Override
    protected void discardContent(Object r) {
        MaildirMessage m = (MaildirMessage) r;
        dirLock.readLock().lock();
        try {
            if (!dropped) {
                Path d = dir;
                if (!Files.deleteIfExists(d.resolve(m.relativePath()))) {
                    String pending = m.pendingInfo;
                    if (pending == null
                            || !Files.deleteIfExists(d.resolve("cur").resolve(MaildirFileName.fileName(m.base, pending)))) {
                        String where = locate(m);
                        if (where != null) {
                            Files.deleteIfExists(d.resolve(where));
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot delete the expunged message file {}: {}", dir, m.base, e.toString());
        } finally {
            dirLock.readLock().unlock();
            byBase.remove(m.base, m);
        }
    }

    @Override
    protected byte[] cachedStructure(Object ref) {
        return cache.get((MaildirMessage) ref);
    }

    @Override
    protected void cacheStructure(Object ref, byte[] structure) {
        if (!closed) {
            cache.put((MaildirMessage) ref, structure);
        }
    }

    // ================================================================================================ refresh

    /** Picks up files that another program dropped into new/ since the last look. */
    @Override
    protected void refresh() {
        if (dropped || closed) {
            return;
        }
        Path fresh = dir.resolve("new");
        long stamp = stamp(fresh);
        if (stamp == newDirStamp && stamp != -1) {
            return;
        }
        refreshLock.lock();
        try {
            stamp = stamp(fresh);
            if (stamp == newDirStamp && stamp != -1) {
                return;
            }
            String[] names = Fs.list(fresh);
            // mtimes are coarse (a clock tick): a change within the same tick as the last one would not show, so a
            // directory changed in the last two seconds is looked at again next time
            long ageMillis = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(stamp);
            newDirStamp = ageMillis > 2000 ? stamp : -1;
            List<String> foreign = new ArrayList<>();
            for (String n : names) {
                if (!byBase.containsKey(n) && !n.isEmpty() && n.charAt(0) != '.' && n.indexOf(':') < 0
                        && MaildirFileName.isSafe(n)) {
                    foreign.add(n);
                }
            }
            foreign.sort(null);
            List<Adopted> adopted = new ArrayList<>();
            List<MaildirMessage> refs = new ArrayList<>();
            for (String n : foreign) {
                MaildirMessage ref = inspectForeign(n, null);
                if (ref == null || byBase.putIfAbsent(n, ref) != null) {
                    continue;
                }
                refs.add(ref);
                adopted.add(new Adopted(ref, 0, List.of(), dateOf(ref), ref.crlfSize));
            }
            if (!adopted.isEmpty()) {
                try {
                    adopt(adopted);
                    LOG.debug("{}: picked up {} messages another program delivered", dir, adopted.size());
                } catch (RuntimeException e) {
                    for (MaildirMessage m : refs) {
                        byBase.remove(m.base, m);
                    }
                    newDirStamp = -1;
                    throw e;
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot look for new messages: {}", dir, e.toString());
        } finally {
            refreshLock.unlock();
        }
    }

    private static long stamp(Path d) {
        try {
            return Files.getLastModifiedTime(d, LinkOption.NOFOLLOW_LINKS).to(TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            return -1;
        }
    }

    // ================================================================================================ lifecycle

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the Maildir store is closed");
        }
        if (isDeleted() || dropped) {
            throw new MailStoreException(MailStoreException.Reason.NOT_FOUND, "mailbox " + name()
                    + " has been deleted");
        }
    }

    /** The directory now. */
    Path dir() {
        return dir;
    }

    /** Moves the mailbox's directory (RENAME), waiting for file operations under way. */
    void moveTo(Path newDir) throws IOException {
        dirLock.writeLock().lock();
        try {
            Files.move(dir, newDir, StandardCopyOption.ATOMIC_MOVE);
            this.dir = newDir;
        } finally {
            dirLock.writeLock().unlock();
        }
    }

    /**
     * Moves the directory away to be deleted (DELETE): from then on every operation fails with NOT_FOUND and
     * nothing is deleted file by file. The caller then {@link #markDeleted() marks it deleted} and removes the tree.
     */
    void dropTo(Path trash) throws IOException {
        dirLock.writeLock().lock();
        try {
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
            dropped = true;
            this.dir = trash;
        } finally {
            dirLock.writeLock().unlock();
        }
        underWriteLock(this::closeJournal);
    }

    /** Another program deleted the directory. */
    void dropped() {
        dropped = true;
        underWriteLock(this::closeJournal);
    }

    /**
     * Records a clean stop and releases files: the index is compacted if anything was recorded since the load, and
     * if a listing of new/ and cur/ matches it exactly, their mtimes are recorded so that the next start can skip
     * listing them.
     */
    void close() {
        underWriteLock(() -> {
            if (closed) {
                return;
            }
            if (journal != null && !dropped && !isDeleted()) {
                long newStamp = -1;
                long curStamp = -1;
                try {
                    long n0 = stamp(dir.resolve("new"));
                    long c0 = stamp(dir.resolve("cur"));
                    boolean verified = matchesDisk();
                    if (verified && n0 == stamp(dir.resolve("new")) && c0 == stamp(dir.resolve("cur"))) {
                        newStamp = n0;
                        curStamp = c0;
                    }
                    if (moved || journal.lines() != loadedLines || journalBroken) {
                        rewriteIndex();
                    }
                    long[] c = counters();
                    journal.line().append("C ").append(c[0]).append(' ').append(c[1]).append(' ').append(newStamp)
                            .append(' ').append(curStamp).append(' ').append(c[2]).append('\n');
                    if (ctx.sync) {
                        journal.sync();
                    } else {
                        journal.flush();
                    }
                } catch (IOException e) {
                    LOG.warn("{}: cannot record a clean stop: {}", dir, e.toString());
                }
            }
            closeJournal();
            closed = true;
        });
        cache.close();
    }

    /** Whether new/ and cur/ hold exactly the files the index knows, each where the index says. */
    private boolean matchesDisk() throws IOException {
        int matched = 0;
        for (String n : Fs.list(dir.resolve("new"))) {
            if (n.startsWith(".")) {
                continue;
            }
            MaildirMessage m = byBase.get(n);
            if (m == null || m.info != null || m.uid == 0) {
                return false;
            }
            matched++;
        }
        for (String n : Fs.list(dir.resolve("cur"))) {
            if (n.startsWith(".")) {
                continue;
            }
            int colon = n.indexOf(':');
            MaildirMessage m = colon < 0 ? null : byBase.get(n.substring(0, colon));
            if (m == null || m.info == null || m.uid == 0 || !n.startsWith("2,", colon + 1)
                    || !n.regionMatches(colon + 3, m.info, 0, m.info.length()) || n.length() != colon + 3 + m.info.length()) {
                return false;
            }
            matched++;
        }
        return matched == byBase.size();
    }

    private void closeJournal() {
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException ignored) {
                // nothing pending
            }
        }
    }
}
