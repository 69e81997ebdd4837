package dev.mailkit.imap.internal.encode;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes through to the writer only bytes [from, from + length) of what is written to it: a partial FETCH
 * ({@code BODY[...]<from.length>}, {@code BINARY[...]<from.length>}) streamed from the whole section. Not
 * thread-safe.
 */
final class WindowStream extends OutputStream {
    private final ImapWriter w;
    private final long from;
    private final long to;
    private long pos;

    WindowStream(ImapWriter w, long from, long length) {
        this.w = w;
        this.from = from;
        this.to = from + length;
    }

    @Override
    public void write(int b) throws IOException {
        if (pos >= from && pos < to) {
            w.write(b);
        }
        pos++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        long s = Math.max(pos, from);
        long e = Math.min(pos + len, to);
        if (s < e) {
            w.write(b, off + (int) (s - pos), (int) (e - s));
        }
        pos += len;
    }
}
