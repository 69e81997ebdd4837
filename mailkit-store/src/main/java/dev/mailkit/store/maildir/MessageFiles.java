package dev.mailkit.store.maildir;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.internal.MailboxEngine;
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
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The message files of one Maildir mailbox and what mailkit knows of them (a {@link MaildirMessage} per base name):
 * writing a delivery ({@code tmp/}, fsync, rename into {@code new/} or {@code cur/}, fsync of the directory),
 * hard-linking a copy, opening, renaming for new flags and deleting, each under the {@link MailboxDirectory}'s read
 * lock. Other programs rename files too (Dovecot moves them from {@code new/} to {@code cur/} and renames them for
 * flags): a file not where mailkit left it is looked for again. Symbolic links are never followed. Thread-safe.
 */
final class MessageFiles {
    private static final Logger LOG = LoggerFactory.getLogger(MessageFiles.class);
    /** Files in tmp/ older than this are leftovers of crashed deliveries (Dovecot's rule). */
    private static final Duration TMP_MAX_AGE = Duration.ofHours(36);
    private static final int STRIPES = 32;

    private final MaildirContext ctx;
    private final MailboxDirectory directory;
    private final KeywordLetters letters;
    private final MailboxEngine engine;
    private final ConcurrentHashMap<String, MaildirMessage> byBase;
    /** Set when a file was found moved by another program (its new place is not in the index yet). */
    private volatile boolean moved;
    /**
     * Orders mailkit's own operations on one message file (open, rename for flags, delete), striped by base name:
     * a reader never sees a file between mailkit's own rename and the reference's new name, nor mistakes mailkit's
     * own deletion of an expunged message for another program's. Each is held for one system call or two.
     */
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    /**
     * @param engine   the mailbox (its name and whether it was deleted, for errors)
     * @param expected about how many messages the mailbox holds
     */
    MessageFiles(MaildirContext ctx, MailboxDirectory directory, KeywordLetters letters, MailboxEngine engine,
                 int expected) {
        this.ctx = ctx;
        this.directory = directory;
        this.letters = letters;
        this.engine = engine;
        this.byBase = new ConcurrentHashMap<>(Math.max(16, expected * 4 / 3));
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    private ReentrantLock stripe(MaildirMessage m) {
        return stripes[m.base.hashCode() & (STRIPES - 1)];
    }

    // ================================================================================================ known files

    /** The message of a base name, or null. */
    MaildirMessage message(String base) {
        return byBase.get(base);
    }

    /** Whether a base name is known (a message, or a delivery under way). */
    boolean knows(String base) {
        return byBase.containsKey(base);
    }

    /** Records a message (while the mailbox loads). */
    void put(MaildirMessage m) {
        byBase.put(m.base, m);
    }

    /** Records a message unless its base name is known already; true if recorded. */
    boolean claim(MaildirMessage m) {
        return byBase.putIfAbsent(m.base, m) == null;
    }

    /** Forgets a message (if it is still the one recorded for its base name). */
    void forget(MaildirMessage m) {
        byBase.remove(m.base, m);
    }

    /** The number of messages known. */
    int count() {
        return byBase.size();
    }

    /** Whether a file was found moved by another program since the mailbox was loaded. */
    boolean foundMoved() {
        return moved;
    }

    // ================================================================================================ writing

    /**
     * Writes a new message file with the flags (in its name) and internal date (its mtime) it will have; durable
     * when this returns.
     */
    MaildirMessage write(MessageSource message, int flagBits, List<String> keywords, long date) throws IOException {
        Lock read = directory.readLock();
        read.lock();
        try {
            checkOpen();
            return writeLocked(message, flagBits, keywords, date);
        } finally {
            read.unlock();
        }
    }

    private MaildirMessage writeLocked(MessageSource message, int flagBits, List<String> keywords, long date)
            throws IOException {
        long size = message.size();
        String base = ctx.newBase(size, size);
        MaildirMessage ref = new MaildirMessage(base, infoFor(flagBits, keywords), size, size);
        byBase.put(base, ref); // claimed: a refresh must not adopt it
        Path d = directory.path();
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

    /** The info of a new file: null (into {@code new/}) without flags. */
    private String infoFor(int flagBits, List<String> keywords) {
        int mask = letters.mask(keywords, true);
        return flagBits == 0 && mask == 0 ? null : MaildirFileName.info(flagBits, mask, null);
    }

    /**
     * Copies a message of a mailbox of this store as a hard link (the copy costs no data, and appears whole or not
     * at all), or returns null to have it copied through its content: where the file system cannot link, or the
     * source's directory is moving, or its file moved away meanwhile.
     */
    MaildirMessage importFrom(MessageFiles source, MaildirMessage sm, int flagBits, List<String> keywords)
            throws IOException {
        Lock read = directory.readLock();
        read.lock();
        try {
            checkOpen();
            if (source == this) {
                return link(source, sm, flagBits, keywords);
            }
            Lock sourceRead = source.directory.readLock();
            if (!sourceRead.tryLock()) {
                return null; // its directory is moving: copy through the content instead
            }
            try {
                return link(source, sm, flagBits, keywords);
            } finally {
                sourceRead.unlock();
            }
        } finally {
            read.unlock();
        }
    }

    private MaildirMessage link(MessageFiles source, MaildirMessage sm, int flagBits, List<String> keywords)
            throws IOException {
        String base = ctx.newBase(sm.fileSize, sm.crlfSize);
        MaildirMessage ref = new MaildirMessage(base, infoFor(flagBits, keywords), sm.fileSize, sm.crlfSize);
        byBase.put(base, ref);
        Path target = directory.path().resolve(ref.relativePath());
        boolean ok = false;
        try {
            for (int attempt = 0; ; attempt++) {
                try {
                    Files.createLink(target, source.directory.path().resolve(sm.relativePath()));
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
            LOG.debug("{}: cannot hard-link {} ({}); copying it", directory.path(), sm.base, e.toString());
            return null;
        } finally {
            if (!ok) {
                byBase.remove(base, ref);
            }
        }
    }

    private void checkOpen() {
        if (directory.isClosed()) {
            throw new IllegalStateException("the Maildir store is closed");
        }
        if (engine.isDeleted() || directory.isDropped()) {
            throw new MailStoreException(MailStoreException.Reason.NOT_FOUND, "mailbox " + engine.name()
                    + " has been deleted");
        }
    }

    // ================================================================================================ reading

    /**
     * Opens a message file wherever it is now, or returns null if it is gone: deleted by mailkit itself (the
     * message was expunged, {@link MaildirMessage#deleted}) or by another program.
     */
    MessageSource open(MaildirMessage m) throws IOException {
        Lock read = directory.readLock();
        read.lock();
        ReentrantLock own = stripe(m);
        own.lock();
        try {
            if (m.deleted) {
                return null;
            }
            return openLocked(m);
        } finally {
            own.unlock();
            read.unlock();
        }
    }

    private MessageSource openLocked(MaildirMessage m) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            String info = m.info;
            Path d = directory.path();
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
                if (!Objects.equals(info, m.info) || d != directory.path()) {
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
     * Finds a message file that another program renamed: its path relative to the mailbox, or null if it is gone.
     * Updates the reference.
     */
    private String locate(MaildirMessage m) {
        Path d = directory.path();
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

    /**
     * Checks a file another program left: it must be a regular file (a symbolic link is refused); measures it.
     *
     * @param info the info of a file in cur/, or null for new/
     * @return its reference, or null to ignore it
     */
    MaildirMessage inspect(String base, String info) {
        Path d = directory.path();
        Path file = d.resolve(info == null ? "new" : "cur").resolve(MaildirFileName.fileName(base, info));
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                LOG.warn("{}: refusing {}: not a regular file (symbolic links and other files are not read)", d,
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
        } catch (NoSuchFileException e) {
            // expunged (or moved on) between the listing and now: nothing to adopt
            LOG.debug("{}: {} went away before it was looked at", d, file.getFileName());
            return null;
        } catch (IOException e) {
            LOG.warn("{}: cannot read {}: {}", d, file.getFileName(), e.toString());
            return null;
        }
    }

    /** The internal date of a file another program left: its mtime (now, if it cannot be read). */
    long dateOf(MaildirMessage m) {
        try {
            return Files.getLastModifiedTime(directory.path().resolve(m.relativePath()), LinkOption.NOFOLLOW_LINKS)
                    .to(TimeUnit.SECONDS);
        } catch (IOException e) {
            return ctx.settings.clock().instant().getEpochSecond();
        }
    }

    // ================================================================================================ changing

    /** Renames a message file to carry new flags (in cur/); on failure they stay in mailkit's index only. */
    void rename(MaildirMessage m, String info) {
        Lock read = directory.readLock();
        read.lock();
        ReentrantLock own = stripe(m);
        own.lock();
        try {
            if (!m.deleted) {
                renameLocked(m, info);
            }
        } finally {
            own.unlock();
            read.unlock();
        }
    }

    private void renameLocked(MaildirMessage m, String info) {
        Path d = directory.path();
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

    /** Deletes an expunged message's file (unless the whole directory is gone) and forgets the message. */
    void delete(MaildirMessage m) {
        Lock read = directory.readLock();
        read.lock();
        ReentrantLock own = stripe(m);
        own.lock();
        try {
            m.deleted = true;
            if (!directory.isDropped()) {
                Path d = directory.path();
                if (!Files.deleteIfExists(d.resolve(m.relativePath()))) {
                    String pending = m.pendingInfo;
                    if (pending == null || !Files.deleteIfExists(
                            d.resolve("cur").resolve(MaildirFileName.fileName(m.base, pending)))) {
                        String where = locate(m);
                        if (where != null) {
                            Files.deleteIfExists(d.resolve(where));
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot delete the expunged message file {}: {}", directory.path(), m.base, e.toString());
        } finally {
            own.unlock();
            read.unlock();
            byBase.remove(m.base, m);
        }
    }

    /** Deletes leftovers of deliveries that died before their rename. */
    static void cleanTmp(Path tmp) {
        long cutoff = System.currentTimeMillis() - TMP_MAX_AGE.toMillis();
        try {
            for (String n : Fs.list(tmp)) {
                Path f = tmp.resolve(n);
                try {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
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
}
