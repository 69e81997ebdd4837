package dev.mailkit.core.mime;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes message content so that every line ends in CRLF: a bare LF or a bare CR becomes CRLF (so a smuggling
 * payload such as {@code \n.\n} can never become an end-of-data marker further on). With dot-stuffing on (SMTP DATA,
 * RFC 5321 4.5.2), a line that starts with "." gets a second "."; {@link #endData()} then ends the last line and
 * writes the {@code .CRLF} terminator. Not thread-safe.
 */
public final class CrlfOutputStream extends FilterOutputStream {
    private static final byte[] CRLF = {'\r', '\n'};

    private final boolean dotStuff;
    private boolean atLineStart = true;
    private boolean pendingCr;
    private long written;

    /** Writes through to {@code out}, dot-stuffing when {@code dotStuff} (SMTP DATA). */
    public CrlfOutputStream(OutputStream out, boolean dotStuff) {
        super(out);
        this.dotStuff = dotStuff;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int runStart = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (pendingCr) {
                pendingCr = false;
                if (c == '\n') {
                    // the CR was already counted as the start of a CRLF: emit it with this LF
                    emit(CRLF, 0, 2);
                    atLineStart = true;
                    runStart = i + 1;
                    continue;
                }
                emit(CRLF, 0, 2); // bare CR
                atLineStart = true;
            }
            if (c == '\r' || c == '\n' || (c == '.' && atLineStart && dotStuff)) {
                if (i > runStart) {
                    emit(b, runStart, i - runStart);
                    atLineStart = false;
                }
                if (c == '\r') {
                    pendingCr = true;
                    runStart = i + 1;
                } else if (c == '\n') {
                    emit(CRLF, 0, 2); // bare LF
                    atLineStart = true;
                    runStart = i + 1;
                } else {
                    emit(b, i, 1); // the extra dot; the original one starts the next run
                    runStart = i;
                    atLineStart = false;
                }
            } else if (atLineStart && i == runStart) {
                atLineStart = false;
            }
        }
        if (end > runStart) {
            emit(b, runStart, end - runStart);
            atLineStart = false;
        }
    }

    private void emit(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        written += len;
    }

    /** Ends a trailing bare CR (as CRLF). Content that does not end with a line end is left so. */
    public void finishContent() throws IOException {
        if (pendingCr) {
            pendingCr = false;
            emit(CRLF, 0, 2);
            atLineStart = true;
        }
    }

    /** Ends the content for SMTP DATA: a CRLF if the last line has none, then {@code .CRLF}. */
    public void endData() throws IOException {
        finishContent();
        if (!atLineStart) {
            emit(CRLF, 0, 2);
        }
        emit(new byte[] {'.', '\r', '\n'}, 0, 3);
        atLineStart = true;
    }

    /** The number of bytes written to the underlying stream. */
    public long written() {
        return written;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        finishContent();
        super.close();
    }
}
