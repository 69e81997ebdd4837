package dev.mailkit.core.internal;

import jakarta.mail.internet.SharedInputStream;

import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered, markable {@link InputStream} over a range of {@link SegmentedData}, and a Jakarta Mail
 * {@link SharedInputStream}: a {@code MimeMessage} parsed from it keeps only offsets to its parts and reads their
 * bytes when asked, so a big message never has to be held in memory. Each instance is for one thread; any number of
 * instances may read the same data at once.
 */
public final class SegmentedInputStream extends InputStream implements SharedInputStream {
    private static final int BUFFER_SIZE = 8192;

    private final SegmentedData data;
    private final long start;
    private final long end;
    private final byte[] buf;
    private long bufStart; // absolute position of buf[0]
    private int bufLen;
    private long pos; // absolute position of the next byte
    private long mark = -1;

    /** A stream over the whole data. */
    public SegmentedInputStream(SegmentedData data) {
        this(data, 0, data.length());
    }

    private SegmentedInputStream(SegmentedData data, long start, long end) {
        this.data = data;
        this.start = start;
        this.end = end;
        this.pos = start;
        this.bufStart = start;
        this.buf = new byte[(int) Math.max(1, Math.min(BUFFER_SIZE, end - start))];
    }

    @Override
    public int read() throws IOException {
        if (pos >= end) {
            return -1;
        }
        if (pos < bufStart || pos >= bufStart + bufLen) {
            fill();
        }
        return buf[(int) (pos++ - bufStart)] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos >= end) {
            return -1;
        }
        int want = (int) Math.min(len, end - pos);
        if (pos >= bufStart && pos < bufStart + bufLen) {
            int n = (int) Math.min(want, bufStart + bufLen - pos);
            System.arraycopy(buf, (int) (pos - bufStart), b, off, n);
            pos += n;
            return n;
        }
        if (want >= buf.length) {
            int n = data.read(pos, b, off, want);
            if (n > 0) {
                pos += n;
            }
            return n;
        }
        fill();
        return read(b, off, len);
    }

    private void fill() throws IOException {
        int n = data.read(pos, buf, 0, (int) Math.min(buf.length, end - pos));
        if (n <= 0) {
            throw new IOException("message data ended early at position " + pos);
        }
        bufStart = pos;
        bufLen = n;
    }

    @Override
    public long skip(long n) {
        long k = Math.max(0, Math.min(n, end - pos));
        pos += k;
        return k;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, end - pos);
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public synchronized void mark(int readlimit) {
        mark = pos;
    }

    @Override
    public synchronized void reset() throws IOException {
        if (mark < 0) {
            throw new IOException("reset() without mark()");
        }
        pos = mark;
    }

    @Override
    public long getPosition() {
        return pos - start;
    }

    @Override
    public InputStream newStream(long from, long to) {
        if (from < 0) {
            throw new IllegalArgumentException("start < 0");
        }
        long absEnd = to == -1 ? end : start + to;
        return new SegmentedInputStream(data, Math.min(start + from, end), Math.min(absEnd, end));
    }

    @Override
    public void close() {
        // shared data is released by its owner, not by readers
    }
}
