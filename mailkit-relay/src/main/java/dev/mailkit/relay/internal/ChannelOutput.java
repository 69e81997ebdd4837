package dev.mailkit.relay.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;

/** A buffered OutputStream over a FileChannel. */
final class ChannelOutput extends OutputStream {
    private final FileChannel ch;
    private final ByteBuffer buf;
    /** Bytes written through this stream. */
    long written;
    /** The CRC-32 of the bytes written through this stream (since its last reset). */
    final CRC32 crc = new CRC32();

    ChannelOutput(FileChannel ch, int size) {
        this.ch = ch;
        this.buf = ByteBuffer.allocate(Math.max(512, size));
    }

    @Override
    public void write(int b) throws IOException {
        if (!buf.hasRemaining()) {
            drain();
        }
        buf.put((byte) b);
        crc.update(b);
        written++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        written += len;
        crc.update(b, off, len);
        while (len > 0) {
            if (!buf.hasRemaining()) {
                drain();
            }
            int n = Math.min(len, buf.remaining());
            buf.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        drain();
    }

    private void drain() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }
}
