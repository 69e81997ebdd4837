package dev.mailkit.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A region of a file whose lines end in bare LF (as Postfix and Dovecot write Maildir files) presented as CRLF, the
 * form every mailkit {@link dev.mailkit.core.MessageSource} has: every LF not preceded by CR reads as CR LF; CR LF
 * pairs and lone CRs read unchanged. The file is never copied or converted on disk.
 *
 * <p>Random access (a ranged IMAP FETCH, a skip over a MIME part) goes through an offset index built lazily the
 * first time a position beyond the indexed part is read: one entry (16 bytes) per {@value #BLOCK} octets of the
 * file, so a read costs at most one block of conversion work. The CRLF length is scanned once when first needed
 * unless it is given (for example from a Maildir {@code ,W=} field or a store's index).
 *
 * <p>Thread-safe: reads are positional, the index is extended under a lock.
 */
public final class CrlfSegment implements Segment {
    /** Octets of the file per index entry. */
    static final int BLOCK = 8192;

    private final FileChannel channel;
    private final long start;
    private final long fileLength;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long length;
    // guarded by lock; published through the volatile indexed count
    private long[] blockStarts = new long[8]; // CRLF offset of the first output byte of block k
    private boolean[] crBefore = new boolean[8]; // whether the octet before block k is CR
    private volatile int indexed; // number of valid entries

    private CrlfSegment(FileChannel channel, long start, long fileLength, long crlfLength) {
        this.channel = channel;
        this.start = start;
        this.fileLength = fileLength;
        this.length = crlfLength;
        blockStarts[0] = 0;
        crBefore[0] = false;
        indexed = fileLength == 0 ? 0 : 1;
        if (fileLength == 0) {
            this.length = 0;
        }
    }

    /**
     * A CRLF view of {@code fileLength} octets of the file from {@code start}.
     *
     * @param crlfLength the length of the CRLF form if known (it is then trusted), or -1 to scan for it when needed
     */
    public static CrlfSegment of(FileChannel channel, long start, long fileLength, long crlfLength) {
        if (start < 0 || fileLength < 0) {
            throw new IllegalArgumentException("start and length must be >= 0");
        }
        if (crlfLength >= 0 && (crlfLength < fileLength || crlfLength > 2 * fileLength)) {
            throw new IllegalArgumentException("CRLF length " + crlfLength + " is impossible for " + fileLength
                    + " octets");
        }
        return new CrlfSegment(channel, start, fileLength, crlfLength);
    }

    /**
     * The length of a file region in CRLF form (its length plus one for every bare LF), by reading it once.
     */
    public static long crlfLength(FileChannel channel, long start, long fileLength) throws IOException {
        CrlfSegment s = of(channel, start, fileLength, -1);
        s.indexTo(Long.MAX_VALUE, true);
        return s.length;
    }

    @Override
    public long length() {
        if (length < 0) {
            try {
                indexTo(Long.MAX_VALUE, true);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read the message file to measure it", e);
            }
        }
        return length;
    }

    @Override
    public int read(long position, byte[] b, int off, int len) throws IOException {
        if (position < 0) {
            throw new IndexOutOfBoundsException("position " + position);
        }
        long known = length;
        if (indexed == 0 || (known >= 0 && position >= known)) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        indexTo(position, false);
        int n = indexed;
        long[] starts = blockStarts;
        int k = Arrays.binarySearch(starts, 0, n, position);
        if (k < 0) {
            k = -k - 2; // the last block that starts before position (block starts strictly ascend)
        }
        long fileOffset = (long) k * BLOCK;
        boolean prevCr = crBefore[k];
        long skip = position - starts[k]; // output octets to drop before copying
        // each raw octet yields at least one output octet: skip + len raw octets are always enough
        int rawWanted = (int) Math.min(fileLength - fileOffset, skip + len);
        byte[] raw = new byte[rawWanted];
        readFully(fileOffset, raw, rawWanted);
        int w = off;
        int end = off + len;
        for (int i = 0; i < rawWanted && w < end; i++) {
            byte c = raw[i];
            if (c == '\n' && !prevCr) {
                if (skip > 0) {
                    skip--;
                } else {
                    b[w++] = '\r';
                    if (w == end) {
                        break;
                    }
                }
            }
            if (skip > 0) {
                skip--;
            } else {
                b[w++] = c;
            }
            prevCr = c == '\r';
        }
        int produced = w - off;
        return produced == 0 ? -1 : produced;
    }

    private boolean covers(long position, boolean needLength) {
        if (needLength) {
            return length >= 0;
        }
        int n = indexed;
        return n == 0 || (long) n * BLOCK >= fileLength || blockStarts[n - 1] > position;
    }

    /** Extends the index until it covers {@code position}, or until the CRLF length is known. */
    private void indexTo(long position, boolean needLength) throws IOException {
        if (covers(position, needLength)) {
            return;
        }
        lock.lock();
        try {
            byte[] raw = new byte[BLOCK];
            while (!covers(position, needLength)) {
                int n = indexed;
                long blockFile = (long) (n - 1) * BLOCK;
                int size = (int) Math.min(BLOCK, fileLength - blockFile);
                readFully(blockFile, raw, size);
                boolean prevCr = crBefore[n - 1];
                long out = blockStarts[n - 1];
                for (int i = 0; i < size; i++) {
                    byte c = raw[i];
                    out += (c == '\n' && !prevCr) ? 2 : 1;
                    prevCr = c == '\r';
                }
                if (blockFile + size >= fileLength) {
                    if (length < 0) {
                        length = out;
                    }
                    return;
                }
                if (n == blockStarts.length) {
                    blockStarts = Arrays.copyOf(blockStarts, n * 2);
                    crBefore = Arrays.copyOf(crBefore, n * 2);
                }
                blockStarts[n] = out;
                crBefore[n] = prevCr;
                indexed = n + 1;
            }
        } finally {
            lock.unlock();
        }
    }

    private void readFully(long fileOffset, byte[] into, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(into, 0, n);
        while (buf.hasRemaining()) {
            int r = channel.read(buf, start + fileOffset + buf.position());
            if (r < 0) {
                throw new IOException("message file is shorter than expected (changed by another program?)");
            }
        }
    }
}
