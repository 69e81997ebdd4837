package dev.mailkit.imap.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One command at a time over any byte streams (a socket, or Dovecot's stdin/stdout): sends a tagged command and
 * returns the exact bytes of every response up to and including its tagged completion, literals included.
 */
public final class ImapConversation {
    private final InputStream in;
    private final OutputStream out;

    public ImapConversation(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** Reads one response line with its literals; null at the end of the stream. */
    public byte[] response() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int start = b.size();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                b.write(c);
            }
            if (c == -1) {
                if (b.size() == 0) {
                    return null;
                }
                throw new EOFException("stream ended inside a response");
            }
            b.write('\n');
            byte[] sofar = b.toByteArray();
            String line = new String(sofar, start, sofar.length - start, StandardCharsets.ISO_8859_1).trim();
            int open = line.lastIndexOf('{');
            if (line.endsWith("}") && open >= 0) {
                int n = Integer.parseInt(line.substring(open + 1, line.length() - 1));
                for (int i = 0; i < n; i++) {
                    int x = in.read();
                    if (x < 0) {
                        throw new EOFException("stream ended inside a literal");
                    }
                    b.write(x);
                }
                continue;
            }
            return b.toByteArray();
        }
    }

    /** Sends {@code tag command} and returns all responses up to the tagged one. */
    public byte[] command(String tag, String command) throws IOException {
        out.write((tag + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            byte[] r = response();
            if (r == null) {
                throw new EOFException("connection ended before " + tag + " completed");
            }
            all.write(r);
            if (new String(r, 0, Math.min(r.length, tag.length() + 1), StandardCharsets.ISO_8859_1)
                    .equals(tag + " ")) {
                return all.toByteArray();
            }
        }
    }
}
