package dev.mailkit.relay.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads a region of a file; closing it runs the given release (closing the channel, or unpinning a segment). */
final class RegionInputStream extends InputStream {
    private final FileChannel ch;
    private long pos;
    private final long end;
    private final Closeable release;
    private boolean closed;

    RegionInputStream(FileChannel ch, long offset, long length, Closeable release) {
        this.ch = ch;
        this.pos = offset;
        this.end = offset + length;
        this.release = release;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (pos >= end) {
            return -1;
        }
        int n = (int) Math.min(len, end - pos);
        int r = ch.read(ByteBuffer.wrap(b, off, n), pos);
        if (r < 0) {
            throw new IOException("queue file ended early");
        }
        pos += r;
        return r;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            release.close();
        }
    }
}
