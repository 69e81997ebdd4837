package dev.mailkit.relay.internal;

import dev.mailkit.core.mime.CrlfOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The queue directory. A small message (up to 256 KiB) is appended to the shared {@link SegmentLog} and acknowledged
 * once a group-committed {@code fdatasync} covers it; a big one gets a file of its own ({@code ID.msg}, see
 * {@link QueueFile}), written under a temporary name ({@code ID.tmp}), {@code fdatasync}ed, renamed into place and
 * made durable with a group-committed directory {@code fsync} ({@link DirectorySync}). A message from the log moves to
 * a file of its own ("spills") as soon as it needs per-recipient state records (deferred, partly delivered, held); a
 * message delivered at the first attempt never does. A lock file keeps a second relay (in this or another process)
 * off the same directory. Thread-safe; changes to one message are serialised by the caller (the message's lock).
 */
public final class QueueStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueStore.class);
    static final String SUFFIX = ".msg";
    static final String TMP = ".tmp";

    /** Writes the content of a message. */
    @FunctionalInterface
    public interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final DirectorySync dirSync;
    private final SegmentLog log;
    /** Messages up to this size go to the log. */
    static final int LOG_LIMIT = 256 * 1024;
    /** The most bytes of message content kept in memory for first attempts. */
    private static final long CACHE_BUDGET = 32L * 1024 * 1024;
    private final java.util.concurrent.atomic.AtomicLong cached = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Opens (creating if needed) a queue directory and locks it.
     *
     * @throws IOException           if the directory cannot be created or read
     * @throws IllegalStateException if another relay holds the directory
     */
    public QueueStore(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IllegalStateException("the queue directory " + dir + " is in use by another relay queue; "
                    + "give each queue its own directory");
        }
        this.lock = l;
        this.dirSync = new DirectorySync(dir);
        this.log = new SegmentLog(dir.resolve("log"));
    }

    public Path directory() {
        return dir;
    }

    /** A message written and synced under its temporary name, not yet part of the queue. */
    public static final class Prepared {
        public final QueueFile.Meta meta;
        final Path tmp;
        final long contentOffset;
        final long contentLength;
        final AppendedMessage appended;
        final byte[] content;

        Prepared(QueueFile.Meta meta, Path tmp, long contentOffset, long contentLength) {
            this(meta, tmp, contentOffset, contentLength, null, null);
        }

        Prepared(QueueFile.Meta meta, Path tmp, long contentOffset, long contentLength, AppendedMessage appended,
                 byte[] content) {
            this.meta = meta;
            this.tmp = tmp;
            this.contentOffset = contentOffset;
            this.contentLength = contentLength;
            this.appended = appended;
            this.content = content;
        }

        public long contentLength() {
            return contentLength;
        }
    }

    /**
     * Writes a message under its temporary name, with CRLF line ends, and syncs its data.
     *
     * @throws java.nio.file.FileAlreadyExistsException if the id is taken
     */
    public Prepared write(QueueFile.Meta meta, ContentWriter content) throws IOException {
        return write(meta, content, 64 * 1024);
    }

    /**
     * Writes a message (see {@link #write(QueueFile.Meta, ContentWriter)}), with a write buffer sized for
     * {@code sizeHint} content bytes.
     */
    public Prepared write(QueueFile.Meta meta, ContentWriter content, long sizeHint) throws IOException {
        return write(meta, content, sizeHint, true);
    }

    /**
     * Writes a message; with {@code toCrlf}, line ends become CRLF, else the content is kept as given (the relay's
     * engine hands over content with CRLF line ends already).
     */
    public Prepared write(QueueFile.Meta meta, ContentWriter content, long sizeHint, boolean toCrlf)
            throws IOException {
        if (sizeHint <= LOG_LIMIT) {
            BoundedBytes b = new BoundedBytes((int) (sizeHint + sizeHint / 32 + 64));
            boolean small = true;
            try {
                if (toCrlf) {
                    CrlfOutputStream crlf = new CrlfOutputStream(b, false);
                    content.writeTo(crlf);
                    crlf.finishContent();
                } else {
                    content.writeTo(b);
                }
            } catch (BoundedBytes.TooBig e) {
                small = false; // the hint was wrong: a file of its own after all
            }
            if (small) {
                AppendedMessage a = log.appendMessage(meta.id, QueueFile.envelope(meta), b.buf, 0, b.count);
                return new Prepared(meta, null, a.contentOffset, b.count, a, b.buf);
            }
        }
        return writeFile(meta, content, sizeHint, toCrlf);
    }

    private Prepared writeFile(QueueFile.Meta meta, ContentWriter content, long sizeHint, boolean toCrlf)
            throws IOException {
        Path tmp = dir.resolve(meta.id + TMP);
        if (Files.exists(dir.resolve(meta.id + SUFFIX))) {
            throw new java.nio.file.FileAlreadyExistsException(meta.id + SUFFIX);
        }
        byte[] head = QueueFile.head(meta);
        boolean ok = false;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ChannelOutput out = new ChannelOutput(ch, (int) Math.min(64 * 1024, head.length + sizeHint
                    + sizeHint / 32 + 64));
            out.write(head);
            out.crc.reset(); // the checksum covers the envelope and the content, not the first line
            out.crc.update(head, QueueFile.FIRST_LINE, head.length - QueueFile.FIRST_LINE);
            long contentLength;
            if (toCrlf) {
                CrlfOutputStream crlf = new CrlfOutputStream(out, false);
                content.writeTo(crlf);
                crlf.finishContent();
                contentLength = crlf.written();
            } else {
                long before = out.written;
                content.writeTo(out);
                contentLength = out.written - before;
            }
            out.flush();
            ByteBuffer first = ByteBuffer.wrap(QueueFile.firstLine(head.length - QueueFile.FIRST_LINE, contentLength,
                    out.crc.getValue()));
            while (first.hasRemaining()) {
                ch.write(first, first.position());
            }
            ch.force(false);
            ok = true;
            return new Prepared(meta, tmp, head.length, contentLength);
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Makes a prepared message part of the queue and waits until that is durable. */
    public StoredMessage commit(Prepared p) throws IOException {
        if (p.appended != null) {
            Segment seg = p.appended.segment;
            try {
                log.sync(log.appendMark('C', p.meta.id));
            } catch (IOException e) {
                log.abandoned(seg);
                throw e;
            }
            log.committed(seg);
            byte[] cache = null;
            if (cached.addAndGet(p.contentLength) <= CACHE_BUDGET) {
                cache = p.content;
            } else {
                cached.addAndGet(-p.contentLength);
            }
            return new StoredMessage(p.meta, new StoredMessage.Location(null, seg, p.appended.contentOffset, cache, 0),
                    p.contentLength);
        }
        Path file = dir.resolve(p.meta.id + SUFFIX);
        try {
            Files.move(p.tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(p.tmp, file);
        }
        dirSync.sync();
        return new StoredMessage(p.meta, StoredMessage.Location.file(file, p.contentOffset), p.contentLength);
    }

    /** Deletes a prepared message that will not be committed. */
    public void abort(Prepared p) {
        if (p.appended != null) {
            log.abandoned(p.appended.segment); // a message record without its commit record is ignored on recovery
            return;
        }
        try {
            Files.deleteIfExists(p.tmp);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", p.tmp, e.toString());
        }
    }

    /**
     * Appends state records to a message's file; with {@code sync}, waits until they are on disk. A message in the
     * log first moves to a file of its own (which is synced).
     */
    public void append(StoredMessage m, List<String> records, boolean sync) throws IOException {
        if (m.location.file == null) {
            spill(m, records);
            return;
        }
        appendRecords(m.location.file, records, sync);
    }

    /** Appends the records (CRC-framed, {@link QueueFile#record}) to a file, in one write; synced if asked. */
    private static void appendRecords(Path file, List<String> records, boolean sync) throws IOException {
        int size = 0;
        List<byte[]> lines = new ArrayList<>(records.size());
        for (String r : records) {
            byte[] b = QueueFile.record(r);
            lines.add(b);
            size += b.length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        lines.forEach(buf::put);
        buf.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (sync) {
                ch.force(false);
            }
        }
    }

    /**
     * Removes a message's file. With {@code waitDurable}, returns once the removal is durable; otherwise the
     * directory is synced within milliseconds in the background.
     */
    public void remove(StoredMessage m, boolean waitDurable) throws IOException {
        StoredMessage.Location loc = m.location;
        dropCache(m, loc);
        if (loc.file == null) {
            long end = log.appendMark('D', m.id);
            if (waitDurable) {
                log.sync(end);
            } else {
                log.syncSoon();
            }
            log.released(loc.segment);
            return;
        }
        Files.deleteIfExists(loc.file);
        if (waitDurable) {
            dirSync.sync();
        } else {
            dirSync.syncSoon();
        }
    }

    /** A stream over the content of a message: from memory, its log segment or its file. */
    public InputStream content(StoredMessage m) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            StoredMessage.Location loc = m.location;
            if (loc.cache != null) {
                return new java.io.ByteArrayInputStream(loc.cache, loc.cacheOffset, (int) m.contentLength);
            }
            if (loc.file == null) {
                Segment seg = loc.segment;
                if (!log.acquire(seg)) {
                    continue; // moved out of the log meanwhile: read the new location
                }
                return new RegionInputStream(seg.channel, loc.offset, m.contentLength, () -> log.releaseReader(seg));
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(loc.file, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw new NoSuchFileException(loc.file.toString(), null, "the message was removed from the queue");
            }
            return new RegionInputStream(ch, loc.offset, m.contentLength, ch::close);
        }
        throw new IOException(m.id + ": the message's content moved too often to be read");
    }

    /**
     * Moves a message out of the log into a file of its own, with the given state records, durably; then records the
     * move in the log. Caller holds the message's lock.
     */
    private void spill(StoredMessage m, List<String> records) throws IOException {
        StoredMessage.Location old = m.location;
        QueueFile.Meta meta = new QueueFile.Meta(m.id, m.created, m.reversePath, m.mailParameters, m.recipients,
                m.recipientParameters,
                m.origin, m.notification);
        Prepared p;
        try (InputStream in = content(m)) {
            p = writeFile(meta, in::transferTo, m.contentLength, false);
        }
        if (p.contentLength != m.contentLength) {
            abort(p);
            throw new IOException(m.id + ": content changed length while moving out of the log");
        }
        StoredMessage.Location moved = StoredMessage.Location.file(dir.resolve(m.id + SUFFIX), p.contentOffset);
        if (!records.isEmpty()) {
            appendRecords(p.tmp, records, true);
        }
        commit(p); // rename and directory sync: from now on the file is the message
        m.location = moved;
        dropCache(m, old);
        log.appendMark('X', m.id);
        log.syncSoon();
        log.released(old.segment);
    }

    private void dropCache(StoredMessage m, StoredMessage.Location loc) {
        if (loc.cache != null) {
            cached.addAndGet(-m.contentLength);
        }
    }

    /** The log (for tests). */
    SegmentLog log() {
        return log;
    }

    /** A recovered message with its records applied. */
    public static final class Recovered {
        public final StoredMessage message;
        public final List<String> records;

        Recovered(StoredMessage message, List<String> records) {
            this.message = message;
            this.records = records;
        }
    }

    /**
     * Reads every queued message: temporary files (never acknowledged) are deleted, torn records cut off, damaged
     * files moved to {@code corrupt/} for a human to look at.
     */
    public List<Recovered> recover() throws IOException {
        List<Recovered> out = new ArrayList<>();
        java.util.Set<String> files = new java.util.HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                String name = f.getFileName().toString();
                if (name.endsWith(TMP)) {
                    Files.deleteIfExists(f);
                    continue;
                }
                if (!name.endsWith(SUFFIX)) {
                    continue;
                }
                QueueFile.Parsed p;
                try {
                    p = QueueFile.read(f);
                    if (!p.meta.id.equals(name.substring(0, name.length() - SUFFIX.length()))) {
                        throw new IOException(f + " holds message " + p.meta.id);
                    }
                } catch (IOException e) {
                    Path corrupt = dir.resolve("corrupt");
                    Files.createDirectories(corrupt);
                    Files.move(f, corrupt.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    LOG.error("damaged queue file moved to {}: {}", corrupt.resolve(name), e.getMessage());
                    continue;
                }
                if (p.validEnd < p.fileLength) {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.truncate(p.validEnd);
                        ch.force(false);
                    }
                    LOG.info("{}: cut off a torn state record ({} bytes)", p.meta.id, p.fileLength - p.validEnd);
                }
                StoredMessage m = new StoredMessage(p.meta, StoredMessage.Location.file(f, p.contentOffset),
                        p.contentLength);
                out.add(new Recovered(m, p.records));
                files.add(p.meta.id);
            }
        }
        dirSync.sync();
        for (RecoveredMessage r : log.recover()) {
            if (files.contains(r.id)) {
                log.released(r.segment); // it moved to its own file before the crash: the file is the message
                continue;
            }
            QueueFile.Meta meta;
            try {
                meta = QueueFile.parseHeader(r.head, r.segment + " message " + r.id);
            } catch (IOException e) {
                LOG.error("damaged message record in the relay log: {}", e.getMessage());
                log.released(r.segment);
                continue;
            }
            out.add(new Recovered(new StoredMessage(meta, new StoredMessage.Location(null, r.segment, r.contentOffset,
                    null, 0), r.contentLength), List.of()));
        }
        return out;
    }

    @Override
    public void close() {
        log.close();
        dirSync.close();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("cannot release the queue lock: {}", e.toString());
        }
    }
}
