package dev.mailkit.store.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines at LF without ever holding more than {@value #MAX_CHUNK} octets: a longer line comes
 * in several chunks, of which only the first has {@link #lineStart} set. Each chunk excludes the LF (and a CR right
 * before it); {@link #lineEnded} says whether it ended the line. Not thread-safe.
 */
final class LineChunks {
    static final int MAX_CHUNK = 64 * 1024;

    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int end;
    private boolean eof;
    private boolean midLine;
    private boolean pendingCr;

    /** The chunk. */
    byte[] data = new byte[256];
    /** Its length. */
    int length;
    /** Whether it begins a line. */
    boolean lineStart;
    /** Whether the line ended after it (false for the middle of a long line and for a last line without LF). */
    boolean lineEnded;

    LineChunks(InputStream in) {
        this.in = in;
    }

    /** Reads the next chunk; false at the end of the stream. */
    boolean next() throws IOException {
        lineStart = !midLine;
        length = 0;
        if (pendingCr) {
            pendingCr = false;
            append(new byte[] {'\r'}, 0, 1);
        }
        while (true) {
            if (pos == end) {
                if (eof || !fill()) {
                    lineEnded = false;
                    midLine = false;
                    return length > 0;
                }
            }
            int lf = -1;
            for (int i = pos; i < end; i++) {
                if (buf[i] == '\n') {
                    lf = i;
                    break;
                }
            }
            int stop = lf >= 0 ? lf : end;
            int n = Math.min(stop - pos, MAX_CHUNK - length);
            append(buf, pos, n);
            pos += n;
            if (lf >= 0 && pos == lf) {
                pos++;
                if (length > 0 && data[length - 1] == '\r') {
                    length--;
                }
                lineEnded = true;
                midLine = false;
                return true;
            }
            if (length >= MAX_CHUNK) {
                if (data[length - 1] == '\r') {
                    length--; // held back: if an LF follows, the pair is a line end
                    pendingCr = true;
                }
                lineEnded = false;
                midLine = true;
                return true;
            }
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }

    private void append(byte[] b, int off, int n) {
        if (length + n > data.length) {
            data = Arrays.copyOf(data, Math.max(length + n, data.length * 2));
        }
        System.arraycopy(b, off, data, length, n);
        length += n;
    }

    /** Whether the chunk starts with the ASCII text. */
    boolean startsWith(String s) {
        return startsWith(0, s);
    }

    /** Whether the chunk has the ASCII text at an offset. */
    boolean startsWith(int offset, String s) {
        if (length - offset < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (data[offset + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The number of {@code >} at the start of the chunk. */
    int quoteDepth() {
        int i = 0;
        while (i < length && data[i] == '>') {
            i++;
        }
        return i;
    }
}
