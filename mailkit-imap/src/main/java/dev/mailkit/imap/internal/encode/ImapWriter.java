package dev.mailkit.imap.internal.encode;

import dev.mailkit.core.ModifiedUtf7;
import dev.mailkit.imap.internal.protocol.Ascii;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes IMAP server responses into a large buffer in front of the connection's output: atoms, numbers (without
 * creating strings), quoted strings or literals chosen by content, mailbox names in modified UTF-7, and literals
 * streamed from an {@link InputStream} without holding them in memory. Text for {@code resp-text} is cleaned of
 * CR, LF and NUL so that nothing from outside can end a response line early.
 *
 * <p>Not thread-safe: callers that write from more than one thread (IDLE notifications) hold the session's write
 * lock.
 */
public final class ImapWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NIL = {'N', 'I', 'L'};
    private static final int QUOTED_MAX = 512;

    private OutputStream out;
    private final byte[] buf;
    private boolean utf8;
    private int count;

    /**
     * A writer with a 16 KiB buffer: big enough that FETCH responses go out in few system calls, small enough that a
     * thousand idle sessions hold little heap (big literals bypass the buffer).
     */
    public ImapWriter(OutputStream out) {
        this(out, 16 * 1024);
    }

    /** A writer with the given buffer size. */
    public ImapWriter(OutputStream out, int bufferSize) {
        this.out = out;
        this.buf = new byte[bufferSize];
    }

    /** Replaces the output (after STARTTLS); anything buffered must have been flushed. */
    public void setOutput(OutputStream out) {
        if (count != 0) {
            throw new IllegalStateException("unflushed output");
        }
        this.out = out;
    }

    /** Sends everything buffered. */
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    private void drain() throws IOException {
        if (count > 0) {
            out.write(buf, 0, count);
            count = 0;
        }
    }

    private void ensure(int n) throws IOException {
        if (buf.length - count < n) {
            drain();
        }
    }

    // ------------------------------------------------------------------------------------------ raw

    /** One byte. */
    public ImapWriter write(int b) throws IOException {
        if (count == buf.length) {
            drain();
        }
        buf[count++] = (byte) b;
        return this;
    }

    /** Bytes as they are. */
    public ImapWriter write(byte[] b) throws IOException {
        return write(b, 0, b.length);
    }

    /** Bytes as they are. */
    public ImapWriter write(byte[] b, int off, int len) throws IOException {
        if (len > buf.length - count) {
            drain();
            if (len >= buf.length) {
                out.write(b, off, len);
                return this;
            }
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
        return this;
    }

    /** ASCII text as it is (the caller guarantees it is ASCII without CR/LF). */
    public ImapWriter ascii(String s) throws IOException {
        int n = s.length();
        if (n > buf.length - count) {
            drain();
            if (n > buf.length) {
                out.write(s.getBytes(StandardCharsets.US_ASCII));
                return this;
            }
        }
        for (int i = 0; i < n; i++) {
            buf[count++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** A space. */
    public ImapWriter sp() throws IOException {
        return write(' ');
    }

    /** CRLF. */
    public ImapWriter crlf() throws IOException {
        return write(CRLF, 0, 2);
    }

    /** NIL. */
    public ImapWriter nil() throws IOException {
        return write(NIL, 0, 3);
    }

    /** A non-negative decimal number. */
    public ImapWriter number(long v) throws IOException {
        ensure(20);
        if (v < 0) {
            throw new IllegalArgumentException("negative number " + v);
        }
        if (v < 10) {
            buf[count++] = (byte) ('0' + v);
            return this;
        }
        int digits = 0;
        long t = v;
        while (t > 0) {
            digits++;
            t /= 10;
        }
        int end = count + digits;
        for (int i = end - 1; i >= count; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        count = end;
        return this;
    }

    /** A number with at least {@code width} digits, zero-padded. */
    public ImapWriter padded(int v, int width) throws IOException {
        ensure(width + 10);
        int digits = 1;
        for (int t = v / 10; t > 0; t /= 10) {
            digits++;
        }
        for (int i = digits; i < width; i++) {
            buf[count++] = '0';
        }
        return number(v);
    }

    // ------------------------------------------------------------------------------------------ strings

    /**
     * A string as quoted when it can be, otherwise as a literal of its UTF-8 bytes. After UTF8=ACCEPT (RFC 6855)
     * a quoted string may hold UTF-8.
     */
    public ImapWriter string(String s) throws IOException {
        if (canQuote(s)) {
            return quoted(s);
        }
        if (utf8 && canQuoteUtf8(s)) {
            return quotedUtf8(s);
        }
        return literal(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the session enabled UTF8=ACCEPT: quoted strings and mailbox names in UTF-8. */
    public void setUtf8(boolean on) {
        this.utf8 = on;
    }

    /** Printable text (7-bit or not), not too long: a quoted string after UTF8=ACCEPT. */
    private static boolean canQuoteUtf8(String s) {
        if (s.length() > QUOTED_MAX) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                return false;
            }
        }
        return true;
    }

    private ImapWriter quotedUtf8(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ensure(2 * b.length + 2);
        if (2 * b.length + 2 > buf.length) {
            return literal(b);
        }
        buf[count++] = '"';
        for (byte x : b) {
            if (x == '"' || x == '\\') {
                buf[count++] = '\\';
            }
            buf[count++] = x;
        }
        buf[count++] = '"';
        return this;
    }

    /** NIL for null, otherwise {@link #string}. */
    public ImapWriter nstring(String s) throws IOException {
        return s == null ? nil() : string(s);
    }

    /** An atom when the text is a valid astring atom (and not NIL), otherwise {@link #string}. */
    public ImapWriter astring(String s) throws IOException {
        if (!s.isEmpty() && s.length() <= QUOTED_MAX && !s.equalsIgnoreCase("NIL")) {
            boolean atom = true;
            for (int i = 0; i < s.length() && atom; i++) {
                atom = Ascii.isAstringChar(s.charAt(i));
            }
            if (atom) {
                return ascii(s);
            }
        }
        return string(s);
    }

    /**
     * A mailbox name: modified UTF-7, always quoted (or a literal if it could not be); in UTF-8 after UTF8=ACCEPT
     * (RFC 6855).
     */
    public ImapWriter mailbox(String name) throws IOException {
        if (utf8) {
            return canQuoteUtf8(name) ? quotedUtf8(name) : literal(name.getBytes(StandardCharsets.UTF_8));
        }
        String enc = ModifiedUtf7.encode(name);
        return canQuote(enc) ? quoted(enc) : literal(enc.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A mailbox name as LIST and STATUS write it: an atom when it can be, else a string; modified UTF-7, or UTF-8
     * after UTF8=ACCEPT (RFC 6855).
     */
    public ImapWriter mailboxAstring(String name) throws IOException {
        return astring(utf8 ? name : ModifiedUtf7.encode(name));
    }

    /** Whether the text can be sent as a quoted string (printable 7-bit, not too long). */
    public static boolean canQuote(String s) {
        if (s.length() > QUOTED_MAX) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** A quoted string; the text must satisfy {@link #canQuote}. */
    public ImapWriter quoted(String s) throws IOException {
        int n = s.length();
        ensure(2 * n + 2);
        if (2 * n + 2 > buf.length) {
            return literal(s.getBytes(StandardCharsets.UTF_8));
        }
        buf[count++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                buf[count++] = '\\';
            }
            buf[count++] = (byte) c;
        }
        buf[count++] = '"';
        return this;
    }

    /** A literal {n}CRLF followed by the bytes. */
    public ImapWriter literal(byte[] b) throws IOException {
        return literal(b, 0, b.length);
    }

    /** A literal of part of an array. */
    public ImapWriter literal(byte[] b, int off, int len) throws IOException {
        write('{').number(len).write('}').crlf();
        return write(b, off, len);
    }

    /**
     * A literal of exactly {@code size} bytes copied from the stream through the buffer (never whole in memory).
     *
     * @throws EOFException if the stream ends early (the connection is then out of step and must be closed)
     */
    public ImapWriter literal(InputStream in, long size) throws IOException {
        write('{').number(size).write('}').crlf();
        return copy(in, size);
    }

    /** Copies exactly {@code size} bytes from the stream. */
    public ImapWriter copy(InputStream in, long size) throws IOException {
        long left = size;
        while (left > 0) {
            if (count == buf.length) {
                drain();
            }
            int n = in.read(buf, count, (int) Math.min(left, buf.length - count));
            if (n < 0) {
                throw new EOFException("message content ended " + left + " bytes early");
            }
            count += n;
            left -= n;
        }
        return this;
    }

    /**
     * Human-readable text for {@code resp-text}: CR, LF and other control characters become spaces, so that text
     * from outside (an exception message, a mailbox name) can never end the line or start a new response.
     */
    public ImapWriter text(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ensure(Math.min(b.length, buf.length));
        for (byte x : b) {
            write(x >= 0 && x < 0x20 || x == 0x7F ? ' ' : x);
        }
        return this;
    }

    // ------------------------------------------------------------------------------------------ responses

    /** {@code tag OK|NO|BAD [code] text} CRLF. */
    public ImapWriter tagged(String tag, String status, String code, String text) throws IOException {
        ascii(tag).sp().ascii(status).sp();
        if (code != null) {
            write('[').text(code).write(']').sp();
        }
        return respText(text).crlf();
    }

    /** {@code * text} CRLF (the text is written as it is after cleaning). */
    public ImapWriter untagged(String text) throws IOException {
        return write('*').sp().respText(text).crlf();
    }

    /**
     * A response's text, cleaned as {@link #text}, that never ends in '}': a client takes {@code {n}} at the end of a
     * line for a literal announcement and would read the next n bytes as data (found by ImapSessionFuzzTest: a BAD
     * response quoting the rest of a client's line, which ended in "{15}").
     */
    private ImapWriter respText(String s) throws IOException {
        text(s);
        if (!s.isEmpty() && s.charAt(s.length() - 1) == '}') {
            write('.');
        }
        return this;
    }

    /** The number of bytes buffered and not yet sent. */
    public int buffered() {
        return count;
    }
}
