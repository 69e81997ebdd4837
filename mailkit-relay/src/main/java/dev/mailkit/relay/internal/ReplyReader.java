package dev.mailkit.relay.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a server's replies (RFC 5321 4.2) and trusts none of it: a line ends at LF (a CR before it is dropped, any
 * other CR is kept and escaped), a line longer than 4096 bytes is cut and one longer than 64 KiB refused, control
 * characters are escaped ({@link Text#escapeControls}); a reply is lines with one code from 200 to 599, {@code -}
 * after the code on every line but the last, at most 100 lines. Anything else is an {@link IOException} that names the
 * server. The buffer outlives a STARTTLS ({@link #attach}), which must find it empty. Used by one thread.
 */
final class ReplyReader {
    private static final int MAX_LINE = 4096;
    private static final int MAX_LINES = 100;
    private static final int MAX_RAW_LINE = 64 * 1024;

    private final String who;
    private final byte[] buf = new byte[8192];
    private InputStream in;
    private int pos;
    private int len;

    /** A reader for the server described by {@code who} (for messages), not yet attached to a stream. */
    ReplyReader(String who) {
        this.who = who;
    }

    /** Reads from {@code in} from now on, dropping anything buffered. */
    void attach(InputStream in) {
        this.in = in;
        pos = 0;
        len = 0;
    }

    /** Whether the server sent bytes that no reply has used yet. */
    boolean hasBuffered() {
        return pos < len;
    }

    /** The next reply. */
    Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            String l = readLine();
            if (l.length() < 3 || !Character.isDigit(l.charAt(0)) || !Character.isDigit(l.charAt(1))
                    || !Character.isDigit(l.charAt(2)) || l.charAt(0) < '2' || l.charAt(0) > '5'
                    || (l.length() > 3 && l.charAt(3) != ' ' && l.charAt(3) != '-')) {
                throw new IOException("malformed reply from " + who + ": '" + Text.asciiLine(l, 100) + "'");
            }
            int c = Integer.parseInt(l.substring(0, 3));
            if (code >= 0 && c != code) {
                throw new IOException("inconsistent multi-line reply from " + who + " (" + code + " then " + c + ")");
            }
            code = c;
            lines.add(l);
            if (l.length() == 3 || l.charAt(3) == ' ') {
                return new Reply(code, lines);
            }
            if (lines.size() >= MAX_LINES) {
                throw new IOException("reply from " + who + " has more than " + MAX_LINES + " lines");
            }
        }
    }

    /** One reply line, without CRLF, control characters escaped; a line longer than 4096 bytes is cut. */
    private String readLine() throws IOException {
        byte[] line = new byte[256];
        int n = 0;
        long total = 0;
        while (true) {
            if (pos >= len) {
                len = in.read(buf, 0, buf.length);
                pos = 0;
                if (len < 0) {
                    len = 0;
                    throw new IOException("connection closed by " + who);
                }
            }
            byte b = buf[pos++];
            if (b == '\n') {
                break;
            }
            if (++total > MAX_RAW_LINE) {
                throw new IOException("reply line from " + who + " longer than 64 KiB");
            }
            if (n < MAX_LINE) {
                if (n == line.length) {
                    line = Arrays.copyOf(line, Math.min(MAX_LINE, n * 2));
                }
                line[n++] = b;
            }
        }
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        return Text.escapeControls(new String(line, 0, n, StandardCharsets.UTF_8));
    }
}
