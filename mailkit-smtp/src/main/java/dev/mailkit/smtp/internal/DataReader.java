package dev.mailkit.smtp.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads the content of an SMTP DATA command (RFC 5321 4.1.1.4, 4.5.2) from the client's buffered input and writes
 * the un-stuffed message to an output stream.
 *
 * <ul>
 *   <li>The content ends only on a real CRLF "." CRLF. A lone LF or CR never ends a line for framing purposes, so the
 *       smuggling terminators ({@code \n.\n}, {@code \r\n.\n}, {@code \r.\r\n}, ...) are content, never an end.</li>
 *   <li>A leading dot is removed from every line that starts with one, including the first line.</li>
 *   <li>Bare CR and bare LF are counted; with {@code normalize} each becomes CRLF in the output, otherwise the caller
 *       rejects the message once it has been read to its end.</li>
 *   <li>Beyond {@code maxSize} bytes, or on a line longer than {@code maxLineLength}, the rest is read and discarded,
 *       so that the client's data is never taken for commands, and memory stays bounded.</li>
 * </ul>
 *
 * <p>Reads in chunks from a {@link java.io.BufferedInputStream} using mark/reset, so that bytes after the terminator
 * (pipelined commands) stay in the stream for the command loop. Not thread-safe; one instance per DATA command.
 */
public final class DataReader {
    private static final int CHUNK = 2048;

    private static final int LINE_START = 0;
    private static final int DOT = 1;
    private static final int DOT_CR = 2;
    private static final int MID = 3;
    private static final int CR = 4;

    private final ContentLimits limits;
    /** The framing state between chunks. */
    private int state;
    /** Where the last chunk framed held the terminator's LF, or -1. */
    private int end;
    private int bareCr;
    private int bareLf;

    /**
     * @param maxSize       the most content bytes to keep (after un-stuffing); beyond it the content is drained
     * @param maxLineLength the longest line in octets without its CRLF; 0 for no limit
     * @param normalize     whether to turn bare CR/LF into CRLF rather than only counting them
     */
    public DataReader(long maxSize, int maxLineLength, boolean normalize) {
        this.limits = new ContentLimits(maxSize, maxLineLength, normalize);
    }

    /**
     * Reads up to and including the terminating CRLF.CRLF.
     *
     * @param in  the client's input; must support mark/reset (a BufferedInputStream)
     * @param out where the un-stuffed content goes (nothing is written after a limit is exceeded or, when not
     *            normalising, after a bare CR/LF was seen)
     * @throws EOFException if the client closes before the terminator
     */
    public void read(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[CHUNK];
        // a chunk's output: at most two octets per input octet (a bare CR/LF becomes CRLF) plus the dot and CR a
        // previous chunk left pending
        byte[] outBuf = new byte[2 * CHUNK + 64];
        state = LINE_START;
        while (true) {
            in.mark(CHUNK * 2);
            int n = in.read(buf, 0, CHUNK);
            if (n < 0) {
                throw new EOFException("connection closed before the end of DATA");
            }
            int o = frame(buf, n, outBuf);
            limits.emit(out, outBuf, o);
            if (end >= 0) {
                in.reset();
                long skip = end + 1;
                while (skip > 0) {
                    long k = in.skip(skip);
                    if (k <= 0) {
                        throw new IOException("cannot skip past end of DATA");
                    }
                    skip -= k;
                }
                return;
            }
        }
    }

    /**
     * Frames one chunk of input: un-stuffs and copies its content octets into {@code outBuf}, carrying the line
     * state over from the previous chunk. Sets {@link #end} to the index of the terminator's LF, or -1. Pure array
     * work, apart from the I/O in {@link #read}, so that the JIT compiles the two as small methods of their own.
     *
     * @return the number of octets written to {@code outBuf}
     */
    private int frame(byte[] buf, int n, byte[] outBuf) {
        int state = this.state;
        int o = 0;
        end = -1;
        for (int i = 0; i < n; i++) {
            byte b = buf[i];
            switch (state) {
                case LINE_START:
                    limits.lineEnd();
                    if (b == '.') {
                        state = DOT;
                    } else if (b == '\r') {
                        state = CR;
                    } else if (b == '\n') {
                        o = bareLf(outBuf, o);
                        state = afterBare();
                    } else {
                        outBuf[o++] = b;
                        limits.lineOctet();
                        state = MID;
                    }
                    break;
                case DOT:
                    if (b == '\r') {
                        state = DOT_CR;
                    } else if (b == '\n') {
                        // ".\n": a smuggling terminator. The dot is content; the LF is bare.
                        outBuf[o++] = '.';
                        o = bareLf(outBuf, o);
                        state = afterBare();
                    } else {
                        // RFC 5321 4.5.2: the first dot of a line that starts with one is deleted
                        outBuf[o++] = b;
                        limits.lineOctet();
                        state = MID;
                    }
                    break;
                case DOT_CR:
                    if (b == '\n') {
                        end = i;
                        this.state = state;
                        return o;
                    }
                    // ".\r" followed by something else: the dot is content, the CR is bare
                    outBuf[o++] = '.';
                    o = bareCr(outBuf, o);
                    i--; // reprocess b
                    state = afterBare();
                    break;
                case MID:
                    if (b == '\r') {
                        state = CR;
                    } else if (b == '\n') {
                        o = bareLf(outBuf, o);
                        state = afterBare();
                    } else {
                        // the common case: copy the run of ordinary octets up to the next CR or LF at once
                        int run = lineRun(buf, i, n);
                        System.arraycopy(buf, i, outBuf, o, run);
                        o += run;
                        limits.lineOctets(run);
                        i += run - 1;
                    }
                    break;
                case CR:
                    if (b == '\n') {
                        outBuf[o++] = '\r';
                        outBuf[o++] = '\n';
                        state = LINE_START;
                    } else {
                        o = bareCr(outBuf, o);
                        i--; // reprocess b in the middle of a line
                        state = afterBare();
                    }
                    break;
                default:
                    throw new IllegalStateException();
            }
        }
        this.state = state;
        return o;
    }

    /** The number of octets from {@code from} before the next CR or LF (or the end of the chunk); at least 1. */
    private static int lineRun(byte[] buf, int from, int n) {
        int j = from + 1;
        while (j < n) {
            byte c = buf[j];
            if (c == '\r' || c == '\n') {
                break;
            }
            j++;
        }
        return j - from;
    }

    /** After a bare CR/LF: a normalised line break starts a new line for length purposes, but never for framing. */
    private int afterBare() {
        return MID;
    }

    private int bareLf(byte[] outBuf, int o) {
        bareLf++;
        return limits.bare(outBuf, o);
    }

    private int bareCr(byte[] outBuf, int o) {
        bareCr++;
        return limits.bare(outBuf, o);
    }

    /** The limits and counters of the content read. */
    public ContentLimits limits() {
        return limits;
    }

    /** The content size after un-stuffing (counted even for drained content). */
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

    /** The number of bare CRs seen. */
    public int bareCrCount() {
        return bareCr;
    }

    /** The number of bare LFs seen. */
    public int bareLfCount() {
        return bareLf;
    }

    /** Whether a bare CR or LF was seen. */
    public boolean hasBareLineEndings() {
        return limits.hasBareLineEndings();
    }
}
