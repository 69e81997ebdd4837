package dev.mailkit.imap.internal.protocol;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the bytes of IMAP commands: one line at a time into a reusable buffer, and the literals ({@code {n}},
 * {@code {n+}}) that a command's arguments may carry between its lines. The parser walks the current line with
 * {@link #peek()}/{@link #next()}; when it reaches a literal it asks this reader for the literal's bytes, and this
 * reader checks the announced size against the limits before it sends the continuation request ({@code +}) for a
 * synchronising literal, so the client never sends what the server would refuse.
 *
 * <p>Memory stays bounded whatever the client announces: lines are limited to {@code maxLineLength} (longer ones are
 * consumed and reported, keeping only their beginning for the tag), in-memory literals are limited to
 * {@code maxLiteral} and grow with the bytes that actually arrive, the whole command to {@code maxCommandBytes}, and
 * message literals (APPEND) stream into a {@link MessageSpool}.
 *
 * <p>Not thread-safe: one per session.
 */
public final class CommandReader {
    /** Sends the command continuation request for a synchronising literal (and flushes). */
    @FunctionalInterface
    public interface ContinuationSender {
        void sendContinuation() throws IOException;
    }

    private static final int HEAD_KEPT = 256;
    private static final int TAIL_KEPT = 32;

    private InputStream in;
    private final ContinuationSender continuation;
    private byte[] line = new byte[1024];
    private int length;
    private int pos;
    private boolean overflow;
    private final byte[] tail = new byte[TAIL_KEPT];
    private int tailLength;
    private long commandBytes;

    private int maxLineLength = 64 * 1024;
    private long maxLiteral = 8 * 1024;
    private long maxCommandBytes = 64 * 1024;
    private long maxDrain = 64 * 1024;

    /** A reader over the client's input. */
    public CommandReader(InputStream in, ContinuationSender continuation) {
        this.in = in;
        this.continuation = continuation;
    }

    /** Replaces the input (after STARTTLS). */
    public void setInput(InputStream in) {
        this.in = in;
        this.length = 0;
        this.pos = 0;
    }

    /**
     * Sets the limits.
     *
     * @param maxLineLength   longest line (without CRLF)
     * @param maxLiteral      longest in-memory literal (strings, not APPEND messages)
     * @param maxCommandBytes most bytes of one command, lines and in-memory literals together
     * @param maxDrain        most bytes of a refused non-synchronising literal that are read and thrown away to
     *                        stay in step with the client; beyond that the connection is closed
     */
    public void setLimits(int maxLineLength, long maxLiteral, long maxCommandBytes, long maxDrain) {
        this.maxLineLength = maxLineLength;
        this.maxLiteral = maxLiteral;
        this.maxCommandBytes = maxCommandBytes;
        this.maxDrain = maxDrain;
    }

    /** The capacity of the line buffer (for tests: it never grows past the line limit). */
    int lineCapacity() {
        return line.length;
    }

    /** The current in-memory literal limit. */
    public long maxLiteral() {
        return maxLiteral;
    }

    /**
     * Reads the first line of the next command.
     *
     * @return false at the end of the input (client closed the connection)
     */
    public boolean nextCommand() throws IOException {
        commandBytes = 0;
        return readLine(true);
    }

    /**
     * Reads one free-standing line (the DONE that ends IDLE, a SASL response) with the same limits; null at the end
     * of the input. Of a line that is too long only the beginning is returned, and {@link #lineOverflowed()} is true.
     */
    public byte[] readRawLine() throws IOException {
        if (!readLine(true)) {
            return null;
        }
        return Arrays.copyOf(line, length);
    }

    private boolean readLine(boolean eofAllowed) throws IOException {
        length = 0;
        pos = 0;
        overflow = false;
        tailLength = 0;
        long total = 0;
        InputStream input = in;
        while (true) {
            int c = input.read();
            if (c < 0) {
                if (total == 0 && eofAllowed) {
                    return false;
                }
                throw new EOFException("connection closed in the middle of a command");
            }
            if (c == '\n') {
                if (overflow) {
                    if (tailLength > 0 && tail[tailLength - 1] == '\r') {
                        tailLength--;
                    }
                } else {
                    if (length > 0 && line[length - 1] == '\r') {
                        length--;
                    }
                    if (length > maxLineLength) {
                        overflow = true;
                        int keep = Math.min(TAIL_KEPT, length);
                        System.arraycopy(line, length - keep, tail, 0, keep);
                        tailLength = keep;
                        length = Math.min(length, HEAD_KEPT);
                    }
                }
                commandBytes += total;
                return true;
            }
            total++;
            if (overflow) {
                pushTail(c);
            } else if (length > maxLineLength) { // one byte more is allowed for a CR before the LF
                overflow = true;
                int keep = Math.min(TAIL_KEPT, length);
                System.arraycopy(line, length - keep, tail, 0, keep);
                tailLength = keep;
                pushTail(c);
                length = Math.min(length, HEAD_KEPT);
            } else {
                if (length == line.length) {
                    line = Arrays.copyOf(line, Math.min(line.length * 2, maxLineLength + 1));
                }
                line[length++] = (byte) c;
            }
        }
    }

    private void pushTail(int c) {
        if (tailLength == TAIL_KEPT) {
            System.arraycopy(tail, 1, tail, 0, TAIL_KEPT - 1);
            tailLength--;
        }
        tail[tailLength++] = (byte) c;
    }

    /** Whether the current line was longer than allowed (only its beginning is kept). */
    public boolean lineOverflowed() {
        return overflow;
    }

    /** The next byte of the current line without consuming it, or -1 at the end of the line. */
    public int peek() {
        return pos < length ? line[pos] & 0xFF : -1;
    }

    /** The byte after the next one, or -1. */
    public int peek(int ahead) {
        int p = pos + ahead;
        return p < length ? line[p] & 0xFF : -1;
    }

    /** Consumes and returns the next byte, or -1 at the end of the line. */
    public int next() {
        return pos < length ? line[pos++] & 0xFF : -1;
    }

    /** Whether the current line has been consumed. */
    public boolean atEndOfLine() {
        return pos >= length;
    }

    /** The position in the current line. */
    public int position() {
        return pos;
    }

    /** The current line's bytes from {@code start} to the current position, as ASCII/UTF-8 text. */
    public String text(int start) {
        return new String(line, start, pos - start, StandardCharsets.UTF_8);
    }

    /** The current line's bytes from {@code start} to the current position, copied. */
    public byte[] bytes(int start) {
        return Arrays.copyOfRange(line, start, pos);
    }

    /** Whether the byte range [start, pos) equals the ASCII word, ignoring case (no allocation). */
    public boolean regionEqualsIgnoreCase(int start, String word) {
        int n = pos - start;
        if (n != word.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int a = line[start + i] & 0xFF;
            int b = word.charAt(i);
            if (a != b && Ascii.toUpper(a) != Ascii.toUpper(b)) {
                return false;
            }
        }
        return true;
    }

    /** The rest of the current line, for diagnostics. */
    public String rest() {
        return new String(line, pos, length - pos, StandardCharsets.UTF_8);
    }

    /** Skips to the end of the current line. */
    public void skipLine() {
        pos = length;
    }

    // ---------------------------------------------------------------------------------------------- literals

    /** An announced literal: its size and whether it is synchronising. */
    public record Literal(long size, boolean synchronising) {
    }

    /**
     * Parses the literal announcement {@code {n}} or {@code {n+}} at the current position, which must end the line.
     *
     * @throws ParseException if it is malformed or not at the end of the line
     */
    public Literal literalHeader() throws ParseException {
        if (peek() != '{') {
            throw ParseException.bad("expected a literal");
        }
        Literal l = literalStart(line, pos, length) == pos ? trailingLiteral(line, pos, length) : null;
        if (l == null) {
            throw ParseException.bad("malformed literal: a literal is {size} or {size+} at the end of a line");
        }
        pos = length;
        return l;
    }

    /**
     * Reads a literal into memory after checking it against the in-memory limit, and then the command's next line.
     *
     * @throws ParseException if it is over the limit (nothing was read; a synchronising literal was not asked for)
     */
    public byte[] readLiteral(Literal l) throws IOException, ParseException {
        if (l.size > maxLiteral || l.size > Integer.MAX_VALUE - 16) {
            throw ParseException.bad("TOOBIG", "literal of " + l.size + " octets is larger than the limit of "
                    + maxLiteral + " here");
        }
        if (commandBytes + l.size > maxCommandBytes) {
            throw ParseException.bad("TOOBIG", "command is larger than the limit of " + maxCommandBytes + " octets");
        }
        if (l.synchronising) {
            continuation.sendContinuation();
        }
        int size = (int) l.size;
        byte[] buf = new byte[Math.min(size, 4096)];
        int got = 0;
        while (got < size) {
            if (got == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(size, buf.length * 2));
            }
            int n = in.read(buf, got, buf.length - got);
            if (n < 0) {
                throw new EOFException("connection closed in the middle of a literal");
            }
            got += n;
        }
        commandBytes += size;
        readLine(false);
        return buf;
    }

    /**
     * Reads a message literal (APPEND) into the spool, streaming, after checking it against {@code limit}; then
     * reads the command's next line.
     *
     * @throws ParseException if it is over the limit ({@code NO [TOOBIG]}; nothing was read)
     */
    public MessageSource readMessageLiteral(Literal l, MessageSpool spool, long limit)
            throws IOException, ParseException {
        if (l.size > limit) {
            throw ParseException.no("TOOBIG", "message of " + l.size + " octets is larger than the APPENDLIMIT of "
                    + limit);
        }
        if (l.synchronising) {
            continuation.sendContinuation();
        }
        MessageSpool.Writer w = spool.newWriter();
        MessageSource source = null;
        IOException storage = null; // the spool could not write (disk full): read the literal to its end, then NO
        try {
            byte[] buf = new byte[(int) Math.min(l.size, 64 * 1024)];
            long left = l.size;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(left, buf.length));
                if (n < 0) {
                    throw new EOFException("connection closed in the middle of a message literal");
                }
                if (storage == null) {
                    try {
                        w.write(buf, 0, n);
                    } catch (IOException e) {
                        storage = e;
                        w.abort();
                    }
                }
                left -= n;
            }
            if (storage == null) {
                try {
                    source = w.finish();
                } catch (IOException e) {
                    storage = e;
                }
            }
        } catch (IOException | RuntimeException e) {
            w.abort();
            throw e;
        }
        if (storage != null) {
            readLine(false);
            throw StorageRefusal.of(storage);
        }
        try {
            readLine(false);
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
        return source;
    }

    /**
     * After a refused command: skips what is left of it so that the next line read is the next command. A
     * non-synchronising literal announced at the end of the current line has been sent anyway and is read and thrown
     * away (and so is the rest of the command after it); a synchronising one was not asked for, so the client will
     * not send it.
     *
     * @return false if the rest cannot be skipped safely (a non-synchronising literal larger than the drain limit):
     *         the connection must be closed
     */
    public boolean skipCommand() throws IOException {
        while (true) {
            Literal l = overflow ? trailingLiteral(tail, 0, tailLength) : trailingLiteral(line, 0, length);
            pos = length;
            if (l == null || l.synchronising) {
                return true;
            }
            if (l.size > maxDrain) {
                return false;
            }
            long left = l.size;
            while (left > 0) {
                long n = in.skip(left);
                if (n <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("connection closed in the middle of a literal");
                    }
                    n = 1;
                }
                left -= n;
            }
            readLine(false);
        }
    }

    /** Finds {@code {digits}} or {@code {digits+}} ending the given range and starting at or after {@code from}. */
    static Literal trailingLiteral(byte[] b, int from, int end) {
        int start = literalStart(b, from, end);
        if (start < 0) {
            return null;
        }
        boolean sync = b[end - 2] != '+';
        int digitsEnd = sync ? end - 1 : end - 2;
        long size = 0;
        for (int k = start + 1; k < digitsEnd; k++) {
            size = size * 10 + (b[k] - '0');
            if (size > 0xFFFF_FFFFL * 16) {
                size = Long.MAX_VALUE; // absurd: too big for every limit
                break;
            }
        }
        return new Literal(size, sync);
    }

    /** The index of the '{' of a literal announcement ending the range, or -1. */
    static int literalStart(byte[] b, int from, int end) {
        int i = end - 1;
        if (i < from || b[i] != '}') {
            return -1;
        }
        i--;
        if (i >= from && b[i] == '+') {
            i--;
        }
        int digitsEnd = i + 1;
        while (i >= from && b[i] >= '0' && b[i] <= '9') {
            i--;
        }
        if (i < from || b[i] != '{' || i + 1 == digitsEnd) {
            return -1;
        }
        return i;
    }
}
