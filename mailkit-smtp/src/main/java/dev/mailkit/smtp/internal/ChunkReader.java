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
    private final long maxSize;
    private final int maxLineLength;
    private final boolean normalize;
    private long written;
    private boolean oversize;
    private boolean lineTooLong;
    private int bare;
    private boolean pendingCr;
    private int lineLength;

    /** See {@link DataReader#DataReader(long, int, boolean)}. */
    public ChunkReader(long maxSize, int maxLineLength, boolean normalize) {
        this.maxSize = maxSize;
        this.maxLineLength = maxLineLength;
        this.normalize = normalize;
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
                        lineLength = 0;
                        continue;
                    }
                    k = bare(o, k);
                }
                if (b == '\r') {
                    pendingCr = true;
                } else if (b == '\n') {
                    k = bare(o, k);
                } else {
                    o[k++] = b;
                    if (++lineLength > maxLineLength && maxLineLength > 0) {
                        lineTooLong = true;
                    }
                }
            }
            emit(out, o, k);
        }
        if (last && pendingCr) {
            pendingCr = false;
            int k = bare(o, 0);
            emit(out, o, k);
        }
    }

    private int bare(byte[] o, int k) {
        bare++;
        lineLength = 0;
        if (normalize) {
            o[k++] = '\r';
            o[k++] = '\n';
        }
        return k;
    }

    private void emit(OutputStream out, byte[] b, int len) throws IOException {
        written += len;
        if (written > maxSize) {
            oversize = true;
        }
        if (len == 0 || oversize || lineTooLong || (!normalize && bare > 0)) {
            return;
        }
        out.write(b, 0, len);
    }

    /** The content size so far. */
    public long size() {
        return written;
    }

    /** Whether the content exceeded the maximum size. */
    public boolean isOversize() {
        return oversize;
    }

    /** Whether a line exceeded the maximum line length. */
    public boolean isLineTooLong() {
        return lineTooLong;
    }

    /** Whether a bare CR or LF was seen. */
    public boolean hasBareLineEndings() {
        return bare > 0;
    }
}
