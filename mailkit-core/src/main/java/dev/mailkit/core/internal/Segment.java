package dev.mailkit.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A run of bytes that can be read at any position, any number of times, from several threads at once. */
public interface Segment {
    /** The number of bytes. */
    long length();

    /**
     * Reads up to {@code len} bytes starting at {@code position} (0-based within this segment).
     *
     * @return the number of bytes read, at least 1 unless {@code position >= length()}, then -1
     */
    int read(long position, byte[] b, int off, int len) throws IOException;

    /** A segment over part of a byte array; the array must not change afterwards. */
    static Segment of(byte[] data, int offset, int length) {
        return new Segment() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public int read(long position, byte[] b, int off, int len) {
                if (position >= length) {
                    return -1;
                }
                int n = (int) Math.min(len, length - position);
                System.arraycopy(data, offset + (int) position, b, off, n);
                return n;
            }
        };
    }

    /** A segment over a region of a file, read with positional reads (safe to share between threads). */
    static Segment of(FileChannel channel, long start, long length) {
        return new Segment() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public int read(long position, byte[] b, int off, int len) throws IOException {
                if (position >= length) {
                    return -1;
                }
                int n = (int) Math.min(len, length - position);
                ByteBuffer buf = ByteBuffer.wrap(b, off, n);
                int total = 0;
                while (buf.hasRemaining()) {
                    int r = channel.read(buf, start + position + total);
                    if (r < 0) {
                        throw new IOException("spool file is shorter than expected (truncated by someone else?)");
                    }
                    total += r;
                }
                return total;
            }
        };
    }

    /**
     * A segment over a region of a file whose lines end in bare LF, read as CRLF (see {@link CrlfSegment}).
     *
     * @param crlfLength the CRLF length if known, or -1 to measure it when first needed
     */
    static Segment crlfView(FileChannel channel, long start, long fileLength, long crlfLength) {
        return CrlfSegment.of(channel, start, fileLength, crlfLength);
    }
}
