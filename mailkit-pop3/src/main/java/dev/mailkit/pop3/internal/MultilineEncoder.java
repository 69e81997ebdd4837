package dev.mailkit.pop3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams a message as the body of a POP3 multi-line response (RFC 1939 section 3): every line ends in CRLF (a bare
 * LF gets its CR), a line that starts with {@code .} gets another one (byte-stuffing), a last line without a line end
 * gets one, and the response ends with {@code .CRLF}. For TOP, only the header, the blank line and the first n body
 * lines are sent, and the rest is never read. Bare CRs are passed on unchanged, as Dovecot does (they cannot end
 * the response: only CRLF.CRLF does). Checked against Dovecot byte for byte by the differential test.
 *
 * <p>Memory is bounded by two buffers whatever the message size. Not thread-safe; one per session.
 */
public final class MultilineEncoder {
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    /** The message store failed while the message was being sent; the response cannot be completed. */
    public static final class ContentReadException extends IOException {
        private static final long serialVersionUID = 1L;

        ContentReadException(IOException cause) {
            super("reading the message failed: " + cause.getMessage(), cause);
        }
    }

    private final byte[] in = new byte[32 * 1024];
    private final byte[] out = new byte[64 * 1024];
    private int outLen;

    /** Writes the message and the terminating {@code .CRLF}; see {@link #write(byte[], InputStream, OutputStream, long)}. */
    public void write(InputStream message, OutputStream sink, long bodyLines) throws IOException {
        write(new byte[0], message, sink, bodyLines);
    }

    /**
     * Writes a status line (given with its CRLF), the message and the terminating {@code .CRLF}, in as few writes to
     * the sink as the buffer allows (one for a message of up to about 64 KiB).
     *
     * @param status    the bytes to send first, as they are
     * @param message   the message; read up to where it is needed, not closed
     * @param sink      where the response goes (not flushed)
     * @param bodyLines the number of body lines after the header (TOP), or -1 for the whole message (RETR)
     * @throws ContentReadException if reading the message failed (the response is then incomplete)
     * @throws IOException          if writing failed
     */
    public void write(byte[] status, InputStream message, OutputStream sink, long bodyLines) throws IOException {
        outLen = 0;
        put(status, 0, status.length, sink);
        boolean lineStart = true;
        boolean lastWasCr = false;   // the last byte of the current line so far was CR
        long lineContent = 0;        // bytes of the current line so far (without its LF)
        boolean inBody = false;
        long linesLeft = bodyLines;
        outer:
        while (true) {
            int n;
            try {
                n = message.read(in, 0, in.length);
            } catch (IOException e) {
                throw new ContentReadException(e);
            }
            if (n < 0) {
                break;
            }
            int i = 0;
            while (i < n) {
                if (lineStart && in[i] == '.') {
                    put((byte) '.', sink);
                }
                lineStart = false;
                int j = i;
                while (j < n && in[j] != LF) {
                    j++;
                }
                put(in, i, j - i, sink);
                if (j == n) {
                    lineContent += n - i;
                    if (n > i) {
                        lastWasCr = in[n - 1] == CR;
                    }
                    break;
                }
                boolean hasCr = j > i ? in[j - 1] == CR : lineContent > 0 && lastWasCr;
                lineContent += j - i;
                if (!hasCr) {
                    put(CR, sink);
                }
                put(LF, sink);
                boolean empty = lineContent - (hasCr ? 1 : 0) == 0;
                lineStart = true;
                lastWasCr = false;
                lineContent = 0;
                i = j + 1;
                if (bodyLines >= 0) {
                    if (inBody) {
                        if (--linesLeft <= 0) {
                            break outer;
                        }
                    } else if (empty) {
                        inBody = true;
                        if (linesLeft <= 0) {
                            break outer;
                        }
                    }
                }
            }
        }
        if (!lineStart) {
            // a last line without LF gets CRLF, even after a bare CR (which is content), as Dovecot does
            put(CR, sink);
            put(LF, sink);
        }
        put((byte) '.', sink);
        put(CR, sink);
        put(LF, sink);
        sink.write(out, 0, outLen);
        outLen = 0;
    }

    private void put(byte b, OutputStream sink) throws IOException {
        if (outLen == out.length) {
            sink.write(out, 0, outLen);
            outLen = 0;
        }
        out[outLen++] = b;
    }

    private void put(byte[] b, int off, int len, OutputStream sink) throws IOException {
        if (len <= out.length - outLen) {
            System.arraycopy(b, off, out, outLen, len);
            outLen += len;
            return;
        }
        sink.write(out, 0, outLen);
        outLen = 0;
        if (len >= out.length) {
            sink.write(b, off, len);
        } else {
            System.arraycopy(b, off, out, 0, len);
            outLen = len;
        }
    }
}
