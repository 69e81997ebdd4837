package dev.mailkit.core.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A buffered input stream for line-based protocols (IMAP, POP3): reads CRLF- (or LF-) terminated lines with a length
 * limit, mixes them with raw reads (for IMAP literals), and can throw away whatever it buffered, which STARTTLS needs
 * so that plaintext sent ahead of the handshake is never processed as if it came over TLS. Not thread-safe.
 */
public final class ProtocolInputStream extends InputStream {
    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;

    /** Wraps a stream with an 8 KiB buffer. */
    public ProtocolInputStream(InputStream in) {
        this(in, 8192);
    }

    /** Wraps a stream with a buffer of the given size. */
    public ProtocolInputStream(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[bufferSize];
    }

    /** Thrown by {@link #readLine} for a line longer than allowed; the rest of the line has been discarded. */
    public static final class LineTooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        LineTooLongException(int max) {
            super("line longer than " + max + " bytes");
        }
    }

    private boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buf[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos < limit) {
            int n = Math.min(len, limit - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
        if (len >= buf.length) {
            return in.read(b, off, len);
        }
        if (!fill()) {
            return -1;
        }
        return read(b, off, len);
    }

    /**
     * Reads one line as raw bytes, without its line end (CRLF or a lone LF).
     *
     * @param maxBytes the longest line accepted (without its line end)
     * @return the line, or null at the end of the stream
     * @throws LineTooLongException if the line is longer than maxBytes (the whole line is consumed)
     */
    public byte[] readLineBytes(int maxBytes) throws IOException {
        java.io.ByteArrayOutputStream out = null;
        boolean tooLong = false;
        int total = 0;
        while (true) {
            if (!fill()) {
                if (total == 0 && out == null) {
                    return null;
                }
                throw new java.io.EOFException("connection closed in the middle of a line");
            }
            int start = pos;
            int i = start;
            while (i < limit && buf[i] != '\n') {
                i++;
            }
            int chunk = i - start;
            if (!tooLong) {
                if (total + chunk > maxBytes + 1) { // +1: a CR before the LF is not counted
                    tooLong = true;
                    out = null;
                } else {
                    if (out == null) {
                        out = new java.io.ByteArrayOutputStream(Math.min(maxBytes + 2, Math.max(64, chunk)));
                    }
                    out.write(buf, start, chunk);
                }
            }
            total += chunk;
            if (i < limit) {
                pos = i + 1;
                if (tooLong) {
                    throw new LineTooLongException(maxBytes);
                }
                byte[] line = out == null ? new byte[0] : out.toByteArray();
                int len = line.length;
                if (len > 0 && line[len - 1] == '\r') {
                    len--;
                }
                if (len > maxBytes) {
                    throw new LineTooLongException(maxBytes);
                }
                return len == line.length ? line : java.util.Arrays.copyOf(line, len);
            }
            pos = limit;
        }
    }

    /** Like {@link #readLineBytes} but decoded as UTF-8 (invalid sequences become U+FFFD). */
    public String readLine(int maxBytes) throws IOException {
        byte[] b = readLineBytes(maxBytes);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** The number of bytes read from the network but not yet consumed. */
    public int buffered() {
        return limit - pos;
    }

    /** Throws away every buffered byte (returns how many). */
    public int discardBuffered() {
        int n = limit - pos;
        pos = limit = 0;
        return n;
    }

    @Override
    public int available() throws IOException {
        return (limit - pos) + in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
