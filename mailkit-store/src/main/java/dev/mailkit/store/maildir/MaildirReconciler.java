package dev.mailkit.store.maildir;

import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.internal.Incoming;
import dev.mailkit.store.internal.StorageSync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Brings a Maildir mailbox's engine in line with its directories, which other programs change too.
 * <ul>
 *   <li>At load: if the last stop was clean and verified the directories, and neither has changed since (their
 *       mtimes, both older than the index), the index is all ({@link #load}); otherwise {@code new/} and
 *       {@code cur/} are listed (names only, no stat) and reconciled with it: files another program added are
 *       adopted with new UIDs (those of {@code dovecot-uidlist} when there is no index), flags changed in file names
 *       are taken over with a new MODSEQ, files that vanished are dropped. After an unclean stop, UIDs and MODSEQs
 *       continue above what the index had reserved.</li>
 *   <li>While running: {@code new/} is looked at again (cheaply, by its mtime) before every SELECT and STATUS, so
 *       files that other programs drop there are picked up ({@link #refresh}).</li>
 *   <li>At a clean stop: whether the directories hold exactly what the index says ({@link #verifiedStamps}).</li>
 * </ul>
 * Thread-safe: loading happens before the mailbox is shared; refreshes take their own lock.
 */
final class MaildirReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(MaildirReconciler.class);
    /** Marks a file found in new/ in {@link #listMessages()}'s map (cur/ files map to their info). */
    private static final String IN_NEW = new String("new/");

    private final MailboxDirectory directory;
    private final MessageFiles files;
    private final KeywordLetters letters;
    private final StorageSync sync;
    private final IndexRecorder index;
    private final ReentrantLock refreshLock = new ReentrantLock();
    /** The mtime of new/ when it was last listed, or -1 to list it at the next refresh. */
    private volatile long newDirStamp = -1;

    MaildirReconciler(MailboxDirectory directory, MessageFiles files, KeywordLetters letters, StorageSync sync,
                      IndexRecorder index) {
        this.directory = directory;
        this.files = files;
        this.letters = letters;
        this.sync = sync;
        this.index = index;
    }

    private Path dir() {
        return directory.path();
    }

    // ================================================================================================ loading

    /**
     * Loads the mailbox into the engine: from the index alone after a verified clean stop, otherwise from the index
     * (or Dovecot's UID list, or nothing) reconciled with a listing; then opens the index for recording.
     *
     * @param st      the index read, or null if there is none (or it was unusable)
     * @param dovecot Dovecot's UID list, when there is no index and its UIDVALIDITY was adopted; or null
     */
    void load(IndexJournal.State st, DovecotUidList dovecot) throws IOException {
        long newStamp = stamp(dir().resolve("new"));
        long curStamp = stamp(dir().resolve("cur"));
        if (st != null && st.clean && st.unsized == 0 && st.cleanNewStamp >= 0 && st.cleanNewStamp == newStamp
                && st.cleanCurStamp == curStamp && st.fileStamp > Math.max(newStamp, curStamp)) {
            loadFromIndex(st, newStamp);
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
        boolean changed = st == null || !st.clean || st.unsized > 0;
        // keywords: as the index defined them, then the lettered ones (messages may add more)
        Set<String> defined = new LinkedHashSet<>();
        if (st != null) {
            defined.addAll(st.keywords);
        }
        defined.addAll(letters.lettered());
        restoreKeywords(defined);
        int restored = 0;
        sync.restoreCapacity(found.size() + 16);
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
                MaildirMessage ref = restoredMessage(st, i, info);
                if (ref == null) {
                    changed = true; // gone between the listing and now
                    continue;
                }
                sync.restoreRow(st.uid[i], flags, kw, modSeq, st.date[i], ref.crlfSize, ref);
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
                MaildirMessage ref = files.inspect(b, where == IN_NEW ? null : where);
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
                files.put(ref);
                sync.restoreRow(ref.uid, flags, kw, ++highest, files.dateOf(ref), ref.crlfSize, ref);
                restored++;
            }
            if (dovecot != null) {
                firstRecent = dovecot.nextUid;
            }
        }
        sync.restoreCounters(uidNext, highest, firstRecent);
        long ageMillis = listedAt - TimeUnit.NANOSECONDS.toMillis(newStamp);
        // (the new/ mtime was read before listing it: a file added since makes it differ and is looked for)
        newDirStamp = ageMillis > 2000 ? newStamp : -1;
        index.open(changed || st.lines > 2 * restored + 1000 ? null : st);
    }

    /**
     * The fast path of a start after a clean stop whose directories were verified: new/ and cur/ are as the index
     * says (their mtimes are unchanged since, and older than the index), so nothing is listed.
     */
    private void loadFromIndex(IndexJournal.State st, long newStamp) throws IOException {
        restoreKeywords(st.keywords);
        sync.restoreCapacity(st.count + 16);
        for (int i = 0; i < st.count; i++) {
            if (st.dead[i]) {
                continue;
            }
            MaildirMessage ref = restoredMessage(st, i, st.info[i]);
            sync.restoreRow(st.uid[i], st.flags[i], st.keywordsOf(i), st.modSeq[i], st.date[i], st.size[i], ref);
        }
        long uidNext = Math.max(st.cleanUidNext, st.maxUid + 1);
        long firstRecent = st.cleanFirstRecent > 0 ? Math.min(st.cleanFirstRecent, uidNext) : uidNext;
        sync.restoreCounters(uidNext, Math.max(st.cleanModSeq, st.maxModSeq), firstRecent);
        newDirStamp = newStamp;
        index.open(st);
    }

    private void restoreKeywords(Iterable<String> keywords) {
        for (String k : keywords) {
            try {
                sync.restoreKeyword(k);
            } catch (MailStoreException ex) {
                LOG.warn("{}: more keywords than the mailbox allows; {} is not defined", dir(), k);
            }
        }
    }

    /**
     * The message of index record {@code i}, whose file is where {@code info} says; recorded as known. A record
     * without sizes (they were damaged) is measured from its file: null if that file is gone.
     */
    private MaildirMessage restoredMessage(IndexJournal.State st, int i, String info) {
        MaildirMessage ref;
        if (st.fileSize[i] < 0) {
            ref = files.inspect(st.base[i], info);
            if (ref == null) {
                return null;
            }
        } else {
            ref = new MaildirMessage(st.base[i], info, st.fileSize[i], st.size[i]);
            if (info != null && !info.isEmpty()) {
                ref.extra = MaildirFileName.extraLetters(info);
            }
        }
        ref.uid = st.uid[i];
        files.put(ref);
        return ref;
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
            x.add(k.toLowerCase(Locale.ROOT));
        }
        for (String k : b) {
            if (!x.contains(k.toLowerCase(Locale.ROOT))) {
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
        Path dir = dir();
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

    // ================================================================================================ refresh

    /** Picks up files that another program dropped into new/ since the last look. */
    void refresh() {
        if (directory.isDropped() || directory.isClosed()) {
            return;
        }
        Path fresh = dir().resolve("new");
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
                if (!files.knows(n) && !n.isEmpty() && n.charAt(0) != '.' && n.indexOf(':') < 0
                        && MaildirFileName.isSafe(n)) {
                    foreign.add(n);
                }
            }
            foreign.sort(null);
            List<Incoming> adopted = new ArrayList<>();
            List<MaildirMessage> refs = new ArrayList<>();
            for (String n : foreign) {
                MaildirMessage ref = files.inspect(n, null);
                if (ref == null || !files.claim(ref)) {
                    continue;
                }
                refs.add(ref);
                adopted.add(Incoming.found(ref, 0, List.of(), files.dateOf(ref), ref.crlfSize));
            }
            if (!adopted.isEmpty()) {
                try {
                    sync.adopt(adopted);
                    LOG.debug("{}: picked up {} messages another program delivered", dir(), adopted.size());
                } catch (RuntimeException e) {
                    for (MaildirMessage m : refs) {
                        files.forget(m);
                    }
                    newDirStamp = -1;
                    throw e;
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot look for new messages: {}", dir(), e.toString());
        } finally {
            refreshLock.unlock();
        }
    }

    // ================================================================================================ clean stop

    /**
     * The mtimes of new/ and cur/ if a listing of them matches the index exactly, each file where the index says,
     * and neither changed during the listing; {@code [-1, -1]} otherwise.
     */
    long[] verifiedStamps() throws IOException {
        Path dir = dir();
        long n0 = stamp(dir.resolve("new"));
        long c0 = stamp(dir.resolve("cur"));
        boolean verified = matchesDisk(dir);
        if (verified && n0 == stamp(dir.resolve("new")) && c0 == stamp(dir.resolve("cur"))) {
            return new long[] {n0, c0};
        }
        return new long[] {-1, -1};
    }

    /** Whether new/ and cur/ hold exactly the files the index knows, each where the index says. */
    private boolean matchesDisk(Path dir) throws IOException {
        int matched = 0;
        for (String n : Fs.list(dir.resolve("new"))) {
            if (n.startsWith(".")) {
                continue;
            }
            MaildirMessage m = files.message(n);
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
            MaildirMessage m = colon < 0 ? null : files.message(n.substring(0, colon));
            if (m == null || m.info == null || m.uid == 0 || !n.startsWith("2,", colon + 1)
                    || !n.regionMatches(colon + 3, m.info, 0, m.info.length())
                    || n.length() != colon + 3 + m.info.length()) {
                return false;
            }
            matched++;
        }
        return matched == files.count();
    }

    private static long stamp(Path d) {
        try {
            return Files.getLastModifiedTime(d, LinkOption.NOFOLLOW_LINKS).to(TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            return -1;
        }
    }
}
