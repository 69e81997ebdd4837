package dev.mailkit.relay.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The fast path of the queue: small messages appended to a shared log, made durable by group commit - one
 * {@code fdatasync} covers every record appended before it, so many messages share one disk flush instead of paying
 * two each (file and directory) as separate files do.
 *
 * <p>The log is a sequence of segment files ({@code log/SEQ.log}, a new one every 64 MiB and at every start). A record
 * is {@code type(1) length(4) crc32(4) payload}: {@code M} a message (id, envelope text, content), {@code C} its
 * commit (only committed messages exist after a crash), {@code D} done (delivered, bounced or deleted), {@code X}
 * moved to a file of its own (when it needs per-recipient state: deferred, partly delivered, held). A torn record at
 * the end (a crash mid-write) is cut off on recovery. {@link LogRecords} writes and reads the records; this class
 * decides where they go and when they are durable.
 *
 * <p>Segments are deleted oldest first, once none of their messages is live, prepared or being read; so a record
 * about a message (its commit, done or moved record, possibly in a later segment) is never lost while the message's
 * own record exists. Thread-safe.
 */
public final class SegmentLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);
    static final long SEGMENT_SIZE = 64L * 1024 * 1024;

    private final Path dir;
    private final long segmentSize;
    private final DirectorySync dirSync;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock state = new ReentrantLock();
    private final Condition synced = state.newCondition();
    private final Condition tick = state.newCondition(); // signalled only by close()
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private Segment current;
    private long position;
    private long nextSeq;
    /** Bytes appended over all segments, and how many of them are known to be on disk. */
    private long appended;
    private long durable;
    private boolean syncing;
    private boolean closed;
    /** The current segment ends in a record cut short that could not be cut off (guarded by writeLock). */
    private boolean torn;
    private final Thread background;

    /**
     * Opens the log directory (creating it). Call {@link #recover()} next, then appends go to a new segment.
     *
     * @throws IOException if the directory cannot be created
     */
    public SegmentLog(Path dir) throws IOException {
        this(dir, SEGMENT_SIZE);
    }

    SegmentLog(Path dir, long segmentSize) throws IOException {
        this.dir = dir;
        this.segmentSize = segmentSize;
        Files.createDirectories(dir);
        this.dirSync = new DirectorySync(dir);
        this.background = new Thread(this::backgroundSync, "mailkit-relay-logsync");
        background.setDaemon(true);
    }

    /**
     * Reads every segment: the committed messages that are neither done nor moved, in order. Torn tails are cut off;
     * segments without live messages are deleted. Afterwards new records go to a fresh segment.
     */
    public List<RecoveredMessage> recover() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.log")) {
            ds.forEach(files::add);
        }
        files.sort(null);
        java.util.LinkedHashMap<String, RecoveredMessage> messages = new java.util.LinkedHashMap<>();
        java.util.Set<String> committed = new java.util.HashSet<>();
        java.util.Set<String> finished = new java.util.HashSet<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            long seq;
            try {
                seq = Long.parseLong(f.getFileName().toString().replace(".log", ""));
            } catch (NumberFormatException e) {
                continue;
            }
            nextSeq = Math.max(nextSeq, seq + 1);
            FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Segment s = new Segment(seq, f, ch);
            segments.add(s);
            long end = LogRecords.scan(s, messages, committed, finished);
            if (end < ch.size()) {
                if (i == files.size() - 1) {
                    LOG.info("relay log {}: cut off {} bytes of a record torn by a crash", f, ch.size() - end);
                    ch.truncate(end);
                    ch.force(false);
                } else {
                    LOG.error("relay log {} is damaged after byte {}: the records after it are ignored", f, end);
                }
            }
        }
        List<RecoveredMessage> live = new ArrayList<>();
        for (RecoveredMessage m : messages.values()) {
            if (committed.contains(m.id) && !finished.contains(m.id)) {
                live.add(m);
                m.segment.live++;
            }
        }
        writeLock.lock();
        try {
            startSegment();
        } finally {
            writeLock.unlock();
        }
        collect();
        background.start();
        return live;
    }

    /**
     * Appends a message record (not yet committed; nothing is synced).
     *
     * @param content the content bytes {@code [off, off+len)}
     */
    public AppendedMessage appendMessage(String id, byte[] head, byte[] content, int off, int len) throws IOException {
        ByteBuffer b = LogRecords.messageHeader(id, head, content, off, len);
        ByteBuffer body = ByteBuffer.wrap(content, off, len);
        writeLock.lock();
        try {
            checkOpen();
            if (torn || position + b.remaining() + len > segmentSize && position > 0) {
                rotate();
            }
            Segment s = current;
            long start = position;
            long contentOffset = start + b.remaining();
            write(new ByteBuffer[] {b, body});
            state.lock();
            try {
                s.prepared++;
            } finally {
                state.unlock();
            }
            return new AppendedMessage(s, contentOffset, appended);
        } finally {
            writeLock.unlock();
        }
    }

    /** Appends a commit, done or moved record for the id; returns the end position to sync to. */
    public long appendMark(char type, String id) throws IOException {
        ByteBuffer b = LogRecords.mark(type, id);
        writeLock.lock();
        try {
            checkOpen();
            if (torn) {
                rotate();
            }
            write(new ByteBuffer[] {b});
            return appended;
        } finally {
            writeLock.unlock();
        }
    }

    private void write(ByteBuffer[] parts) throws IOException {
        long n = 0;
        for (ByteBuffer p : parts) {
            n += p.remaining();
        }
        FileChannel ch = current.channel;
        try {
            long left = n;
            while (left > 0) {
                left -= ch.write(parts);
            }
        } catch (IOException e) {
            // A record cut short (no space left, read-only file system, I/O error) must not stay in front of the next
            // one: recovery reads a segment only up to its first damaged record, and the next record's place is
            // computed from where this one should have started. Cut it off; if that fails too, the next record goes
            // to a new segment.
            try {
                ch.truncate(position);
                ch.position(position);
            } catch (IOException | RuntimeException again) {
                torn = true;
                e.addSuppressed(again);
            }
            throw e;
        }
        position += n;
        state.lock();
        try {
            appended += n;
        } finally {
            state.unlock();
        }
    }

    /** Lock held. Makes the current segment durable and starts a new one. */
    private void rotate() throws IOException {
        current.channel.force(false);
        state.lock();
        try {
            durable = appended; // everything appended so far was in this segment or an earlier, forced one
            synced.signalAll();
        } finally {
            state.unlock();
        }
        startSegment();
        torn = false; // a torn tail stays in the old segment: recovery stops there, and nothing follows it
        collect();
    }

    /** Lock held. */
    private void startSegment() throws IOException {
        long seq = nextSeq++;
        Path p = dir.resolve(String.format("%016d.log", seq));
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        dirSync.sync(); // the segment's name must be durable before any record in it is acknowledged
        Segment s = new Segment(seq, p, ch);
        state.lock();
        try {
            segments.add(s);
            current = s;
            position = 0;
        } finally {
            state.unlock();
        }
    }

    /**
     * Waits until everything appended up to {@code end} is on disk. Callers arriving while a flush runs wait for the
     * next one, which covers them all.
     */
    public void sync(long end) throws IOException {
        state.lock();
        try {
            while (durable < end) {
                if (!syncing) {
                    syncing = true;
                    long target = appended;
                    Segment s = current;
                    state.unlock();
                    IOException failure = null;
                    try {
                        s.channel.force(false);
                    } catch (IOException e) {
                        failure = e;
                    } finally {
                        state.lock();
                        syncing = false;
                    }
                    if (failure == null) {
                        durable = Math.max(durable, target);
                    }
                    synced.signalAll();
                    if (failure != null) {
                        throw new IOException("cannot sync the relay log " + s.path + ": " + failure.getMessage(),
                                failure);
                    }
                } else {
                    synced.awaitUninterruptibly();
                }
            }
        } finally {
            state.unlock();
        }
    }

    /**
     * Asks for everything appended so far to be synced soon (within about 50 ms), without waiting. Under load the
     * commits' own flushes cover it first, so done-records cost no flush of their own.
     */
    public void syncSoon() {
        // nothing to do: the background thread looks every 50 ms
    }

    private void backgroundSync() {
        while (true) {
            long target;
            state.lock();
            try {
                if (closed && durable >= appended) {
                    return;
                }
                if (!closed) {
                    try {
                        tick.await(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (durable >= appended || syncing) {
                    continue;
                }
                target = appended;
            } finally {
                state.unlock();
            }
            try {
                sync(target);
            } catch (IOException e) {
                LOG.error("{}", e.getMessage());
            }
        }
    }

    /** A message was committed: it keeps its segment. */
    public void committed(Segment s) {
        state.lock();
        try {
            s.prepared--;
            s.live++;
        } finally {
            state.unlock();
        }
    }

    /** A prepared message was abandoned. */
    public void abandoned(Segment s) {
        state.lock();
        try {
            s.prepared--;
        } finally {
            state.unlock();
        }
        collect();
    }

    /** A message left the log (done or moved): its segment may go. */
    public void released(Segment s) {
        state.lock();
        try {
            s.live--;
        } finally {
            state.unlock();
        }
        collect();
    }

    /** Pins a segment for reading; returns false if it is gone. */
    public boolean acquire(Segment s) {
        state.lock();
        try {
            if (s.deleted) {
                return false;
            }
            s.readers++;
            return true;
        } finally {
            state.unlock();
        }
    }

    public void releaseReader(Segment s) {
        state.lock();
        try {
            s.readers--;
        } finally {
            state.unlock();
        }
        collect();
    }

    /** Deletes the oldest segments while they hold nothing anyone needs. */
    private void collect() {
        List<Segment> gone = new ArrayList<>();
        state.lock();
        try {
            for (Iterator<Segment> it = segments.iterator(); it.hasNext(); ) {
                Segment s = it.next();
                if (s == current || s.live > 0 || s.prepared > 0 || s.readers > 0) {
                    break; // oldest first: a later segment may hold records about this one's messages
                }
                s.deleted = true;
                it.remove();
                gone.add(s);
            }
        } finally {
            state.unlock();
        }
        for (Segment s : gone) {
            try {
                s.channel.close();
                Files.deleteIfExists(s.path);
            } catch (IOException e) {
                LOG.warn("cannot delete relay log segment {}: {}", s.path, e.toString());
            }
        }
        if (!gone.isEmpty()) {
            dirSync.syncSoon();
        }
    }

    /** The number of segment files (for tests). */
    public int segmentCount() {
        state.lock();
        try {
            return segments.size();
        } finally {
            state.unlock();
        }
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("the relay log is closed");
        }
    }

    @Override
    public void close() {
        state.lock();
        try {
            closed = true;
            synced.signalAll();
            tick.signalAll();
        } finally {
            state.unlock();
        }
        try {
            background.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeLock.lock();
        try {
            for (Segment s : segments) {
                try {
                    s.channel.force(false);
                    s.channel.close();
                } catch (IOException e) {
                    LOG.warn("cannot close relay log segment {}: {}", s.path, e.toString());
                }
            }
        } finally {
            writeLock.unlock();
        }
        dirSync.close();
    }
}
