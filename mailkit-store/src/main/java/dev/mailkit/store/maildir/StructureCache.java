package dev.mailkit.store.maildir;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
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
 * simply a miss. In memory each message keeps only the offset of its record; records are read through a read-only
 * mapping of the file (no system call per record, as Dovecot reads its cache), the newest ones, written since the
 * file was last mapped, with positional reads. The file is scanned once, when the
 * first structure is asked for, and compacted then if mostly dead. It is a cache: losing it costs only re-parsing.
 *
 * <p>The file is opened for each scan, write, mapping or read past the mapping and closed again (the mapping is made
 * through a read-only channel): a loaded mailbox holds no descriptor for its cache, so the open files do not grow with
 * the mailboxes loaded, and none is held open for writing between writes.
 *
 * <p>Record: {@code int dataLength, short baseLength, int crc32(base + data), base, data}. Thread-safe.
 */
final class StructureCache implements AutoCloseable {
    static final String FILE = "mailkit-cache";
    private static final Logger LOG = LoggerFactory.getLogger(StructureCache.class);
    private static final int HEADER = 10;
    private static final int MAX_DATA = 16 << 20;
    /** The least growth of the file that is mapped again (smaller tails are read with positional reads). */
    private static final long MIN_REMAP = 64 << 10;

    private final java.util.function.Supplier<Path> file;
    private final Function<String, MaildirMessage> lookup;
    private final ReentrantLock lock = new ReentrantLock();
    private long end = -1; // guarded by lock; -1 until the file was first opened
    private volatile Mapping mapping; // the file's start, mapped for reading; null until worth it
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
        if (off < 0) {
            return null;
        }
        Mapping map = mapping;
        if (map == null || off + HEADER > map.size) {
            map = remap(off);
        }
        try {
            byte[] b = map != null && off + HEADER <= map.size ? readMapped(map, m, off) : readChannel(m, off);
            if (b == null) {
                m.cacheOffset = -1;
            }
            return b;
        } catch (IOException e) {
            m.cacheOffset = -1;
            return null;
        } catch (InternalError e) {
            // a mapped page that is gone: the file was cut short by someone else (the JVM reports the SIGBUS so)
            LOG.warn("the structure cache {} shrank under mailkit: {}; structures are parsed from the messages",
                    file.get(), e.toString());
            broken = true;
            mapping = null;
            m.cacheOffset = -1;
            return null;
        }
    }

    /** The record at {@code off} from the mapping (a record that runs past the mapping is read from the channel). */
    private byte[] readMapped(Mapping map, MaildirMessage m, long off) throws IOException {
        MappedByteBuffer buf = map.buffer;
        int at = (int) off;
        int dataLen = buf.getInt(at);
        int baseLen = buf.getShort(at + 4);
        int crc = buf.getInt(at + 6);
        if (baseLen != m.base.length() || dataLen < 0 || dataLen > MAX_DATA) {
            return null;
        }
        if (off + HEADER + baseLen + dataLen > map.size) {
            return readChannel(m, off);
        }
        byte[] b = new byte[baseLen + dataLen];
        buf.get(at + HEADER, b, 0, b.length);
        return check(b, baseLen, crc, m.base);
    }

    /** The record at {@code off} read with positional reads. */
    private byte[] readChannel(MaildirMessage m, long off) throws IOException {
        if (broken) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(file.get(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return readRecord(ch, m, off);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private static byte[] readRecord(FileChannel ch, MaildirMessage m, long off) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        readFully(ch, h, off);
        int dataLen = h.getInt(0);
        int baseLen = h.getShort(4);
        int crc = h.getInt(6);
        if (baseLen != m.base.length() || dataLen < 0 || dataLen > MAX_DATA) {
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(baseLen + dataLen);
        readFully(ch, body, off + HEADER);
        return check(body.array(), baseLen, crc, m.base);
    }

    /** The data of a record read as {@code base + data}, or null if its CRC or base name does not match. */
    private static byte[] check(byte[] b, int baseLen, int crc, String base) {
        CRC32 c = new CRC32();
        c.update(b, 0, b.length);
        if ((int) c.getValue() != crc) {
            return null;
        }
        for (int i = 0; i < baseLen; i++) {
            if (b[i] != (byte) base.charAt(i)) {
                return null;
            }
        }
        return Arrays.copyOfRange(b, baseLen, b.length);
    }

    /**
     * Maps the file up to its current end if the mapping lags behind enough to be worth it, and returns the mapping
     * now (null: read with the channel). Records past the mapping are read with the channel, so a mailbox that keeps
     * receiving mail maps again only after a sixteenth more of the file (at least 64 KiB) was written.
     */
    private Mapping remap(long needed) {
        if (broken) {
            return null;
        }
        lock.lock();
        try {
            Mapping map = mapping;
            long mapped = map == null ? 0 : map.size;
            if (end < 0 || needed + HEADER <= mapped || end > Integer.MAX_VALUE
                    || end - mapped < Math.max(MIN_REMAP, mapped / 16)) {
                return map;
            }
            try (FileChannel ro = FileChannel.open(file.get(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                map = new Mapping(ro.map(FileChannel.MapMode.READ_ONLY, 0, end), end); // stays valid when closed
            }
            mapping = map;
            return map;
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("cannot map the structure cache {}: {}; reading it instead", file.get(), e.toString());
            return mapping;
        } finally {
            lock.unlock();
        }
    }

    /** A read-only mapping of the file's first {@code size} bytes (immutable: records are only ever appended). */
    private static final class Mapping {
        final MappedByteBuffer buffer;
        final long size;

        Mapping(MappedByteBuffer buffer, long size) {
            this.buffer = buffer;
            this.size = size;
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
        try (FileChannel ch = open()) {
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

    /** Opens the file for reading and writing (the caller closes it), under the lock; learns its end the first time. */
    private FileChannel open() throws IOException {
        FileChannel ch = FileChannel.open(file.get(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        if (end < 0) {
            try {
                end = ch.size();
            } catch (IOException e) {
                ch.close();
                throw e;
            }
        }
        return ch;
    }

    /** Maps the records of the file to the live messages; truncates a damaged tail; drops a mostly dead file. */
    private void scan() {
        lock.lock();
        try {
            if (scanned) {
                return;
            }
            scanFile();
        } catch (IOException e) {
            broken = true;
            LOG.warn("cannot read the structure cache {}: {}; structures are parsed from the messages", file.get(),
                    e.toString());
        } finally {
            scanned = true;
            lock.unlock();
        }
    }

    private void scanFile() throws IOException {
        try (FileChannel ch = open()) {
            long pos = 0;
            long live = 0;
            long size = ch.size();
            InputStream raw = new java.io.FilterInputStream(Channels.newInputStream(ch.position(0))) {
                @Override
                public void close() {
                    // closed with the channel below
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
        mapping = null; // unmapped when collected; no file is held open
    }
}
