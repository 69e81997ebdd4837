package dev.mailkit.smtp.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads the BDAT chunks of one message (RFC 3030 CHUNKING): exactly the announced number of octets each, with no
 * dot-stuffing, checking for bare CR and bare LF across chunk boundaries (the same smuggling rules as DATA), the
 * size limit and the line length. Chunks are always read to their end, even after a limit is exceeded or when the
 * command was refused, so that chunk data is never taken for commands. Not thread-safe.
 */
public final class ChunkReader {
    private final ContentLimits limits;
    private boolean pendingCr;

    /** See {@link DataReader#DataReader(long, int, boolean)}. */
    public ChunkReader(long maxSize, int maxLineLength, boolean normalize) {
        this.limits = new ContentLimits(maxSize, maxLineLength, normalize);
    }

    /** Reads and discards exactly {@code size} octets (for a refused BDAT command). */
    public static void discard(InputStream in, long size) throws IOException {
        byte[] buf = new byte[(int) Math.min(8192, Math.max(1, size))];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException("connection closed inside a BDAT chunk");
            }
            left -= n;
        }
    }

    /**
     * Reads one chunk of {@code size} octets into {@code out} (or discards it once the message is doomed).
     *
     * @param last whether this is the LAST chunk: a CR at its very end is then bare
     */
    public void read(InputStream in, long size, boolean last, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        byte[] o = new byte[8192 * 2 + 2];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException("connection closed inside a BDAT chunk");
            }
            left -= n;
            int k = 0;
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (pendingCr) {
                    pendingCr = false;
                    if (b == '\n') {
                        o[k++] = '\r';
                        o[k++] = '\n';
                        limits.lineEnd();
                        continue;
                    }
                    k = limits.bare(o, k);
                }
                if (b == '\r') {
                    pendingCr = true;
                } else if (b == '\n') {
                    k = limits.bare(o, k);
                } else {
                    o[k++] = b;
                    limits.lineOctet();
                }
            }
            limits.emit(out, o, k);
        }
        if (last && pendingCr) {
            pendingCr = false;
            int k = limits.bare(o, 0);
            limits.emit(out, o, k);
        }
    }

    /** The limits and counters of the content read so far. */
    public ContentLimits limits() {
        return limits;
    }

    /** The content size so far. */
    public long size() {
        return limits.size();
    }

    /** Whether the content exceeded the maximum size. */
    public boolean isOversize() {
        return limits.isOversize();
    }

    /** Whether a line exceeded the maximum line length. */
    public boolean isLineTooLong() {
        return limits.isLineTooLong();
    }

    /** Whether a bare CR or LF was seen. */
    public boolean hasBareLineEndings() {
        return limits.hasBareLineEndings();
    }
}
