package dev.mailkit.store.maildir;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * The parsed MIME structures of a mailbox's messages on disk (the file {@code mailkit-cache}), so that ENVELOPE and
 * BODYSTRUCTURE of thousands of messages never re-read thousands of files, also after a restart. Records are keyed by
 * the message file's base name (stable across index rebuilds) and checked with a CRC; a damaged or stale record is
 * simply a miss. In memory each message keeps only the offset of its record. The file is scanned once, when the
 * first structure is asked for, and compacted then if mostly dead. It is a cache: losing it costs only re-parsing.
 *
 * <p>Record: {@code int dataLength, short baseLength, int crc32(base + data), base, data}. Thread-safe.
 */
final class StructureCache implements AutoCloseable {
    static final String FILE = "mailkit-cache";
    private static final Logger LOG = LoggerFactory.getLogger(StructureCache.class);
    private static final int HEADER = 10;
    private static final int MAX_DATA = 16 << 20;

    private final java.util.function.Supplier<Path> file;
    private final Function<String, MaildirMessage> lookup;
    private final ReentrantLock lock = new ReentrantLock();
    private FileChannel channel; // guarded by lock; null until first use
    private long end;
    private volatile boolean scanned;
    private volatile boolean broken;

    /**
     * @param file   the cache file now (opened on first use; the mailbox directory may have moved by then)
     * @param lookup finds the live message of a base name, or null
     */
    StructureCache(java.util.function.Supplier<Path> file, Function<String, MaildirMessage> lookup) {
        this.file = file;
        this.lookup = lookup;
    }

    /** The cached structure of a message, or null. */
    byte[] get(MaildirMessage m) {
        if (!scanned) {
            scan();
        }
        long off = m.cacheOffset;
        FileChannel ch = channel;
        if (off < 0 || ch == null) {
            return null;
        }
        try {
            ByteBuffer h = ByteBuffer.allocate(HEADER);
            readFully(ch, h, off);
            int dataLen = h.getInt(0);
            int baseLen = h.getShort(4);
            int crc = h.getInt(6);
            byte[] base = m.base.getBytes(StandardCharsets.US_ASCII);
            if (baseLen != base.length || dataLen < 0 || dataLen > MAX_DATA) {
                m.cacheOffset = -1;
                return null;
            }
            ByteBuffer body = ByteBuffer.allocate(baseLen + dataLen);
            readFully(ch, body, off + HEADER);
            byte[] b = body.array();
            CRC32 c = new CRC32();
            c.update(b);
            if ((int) c.getValue() != crc || !Arrays.equals(b, 0, baseLen, base, 0, baseLen)) {
                m.cacheOffset = -1;
                return null;
            }
            return Arrays.copyOfRange(b, baseLen, b.length);
        } catch (IOException e) {
            m.cacheOffset = -1;
            return null;
        }
    }

    /** Caches a message's structure (best effort). */
    void put(MaildirMessage m, byte[] data) {
        if (broken || data.length > MAX_DATA) {
            return;
        }
        byte[] base = m.base.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer rec = ByteBuffer.allocate(HEADER + base.length + data.length);
        CRC32 c = new CRC32();
        c.update(base);
        c.update(data);
        rec.putInt(data.length).putShort((short) base.length).putInt((int) c.getValue()).put(base).put(data).flip();
        lock.lock();
        try {
            FileChannel ch = open();
            long off = end;
            while (rec.hasRemaining()) {
                ch.write(rec, off + rec.position());
            }
            end = off + rec.limit();
            m.cacheOffset = off;
        } catch (IOException e) {
            broken = true;
            LOG.warn("cannot write the structure cache {}: {}; structures are parsed from the messages", file.get(),
                    e.toString());
        } finally {
            lock.unlock();
        }
    }

    private FileChannel open() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(file.get(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            end = channel.size();
        }
        return channel;
    }

    /** Maps the records of the file to the live messages; truncates a damaged tail; drops a mostly dead file. */
    private void scan() {
        lock.lock();
        try {
            if (scanned) {
                return;
            }
            FileChannel ch = open();
            long pos = 0;
            long live = 0;
            long size = ch.size();
            InputStream raw = new java.io.FilterInputStream(Channels.newInputStream(ch.position(0))) {
                @Override
                public void close() {
                    // the channel stays open for the cache
                }
            };
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
                while (pos + HEADER <= size) {
                    int dataLen = in.readInt();
                    int baseLen = in.readShort();
                    in.readInt();
                    if (dataLen < 0 || dataLen > MAX_DATA || baseLen <= 0 || pos + HEADER + baseLen + dataLen > size) {
                        break;
                    }
                    byte[] base = in.readNBytes(baseLen);
                    in.skipNBytes(dataLen);
                    MaildirMessage m = lookup.apply(new String(base, StandardCharsets.US_ASCII));
                    if (m != null) {
                        m.cacheOffset = pos;
                        live += HEADER + baseLen + dataLen;
                    }
                    pos += HEADER + baseLen + dataLen;
                }
            } catch (EOFException e) {
                // a truncated record: cut below
            }
            if (pos < size) {
                ch.truncate(pos);
            }
            end = pos;
            if (end > (1 << 20) && live < end / 4) {
                // mostly dead records: start afresh (structures are parsed again when asked for)
                ch.truncate(0);
                end = 0;
                // offsets set above now point past the end: reads fail their checks and miss
            }
        } catch (IOException e) {
            broken = true;
            LOG.warn("cannot read the structure cache {}: {}; structures are parsed from the messages", file.get(),
                    e.toString());
        } finally {
            scanned = true;
            lock.unlock();
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long off) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, off + b.position()) < 0) {
                throw new EOFException();
            }
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (channel != null) {
                channel.close();
                channel = null;
            }
        } catch (IOException ignored) {
            // nothing was pending: every record is written when it is put
        } finally {
            lock.unlock();
        }
    }
}
