package dev.mailkit.imap.internal.encode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Picks header fields for {@code BODY[HEADER.FIELDS (...)]} and {@code HEADER.FIELDS.NOT}: streams a header block
 * and copies the fields whose names are (or are not) listed, with their continuation lines, as they are, followed
 * by the blank line. Works byte by byte with a small buffer for the field name, so a huge header never has to be
 * held in memory. Stateless.
 */
public final class HeaderFieldFilter {
    private static final int MAX_NAME = 256;

    private HeaderFieldFilter() {
    }

    /**
     * Filters {@code length} bytes of header read from {@code in} into {@code out}.
     *
     * @param names upper-case field names
     * @param not   true to keep the fields that are not listed
     * @return the number of bytes written
     */
    public static long filter(InputStream in, long length, List<String> names, boolean not, OutputStream out)
            throws IOException {
        byte[][] wanted = new byte[names.size()][];
        for (int i = 0; i < wanted.length; i++) {
            wanted[i] = names.get(i).getBytes(StandardCharsets.US_ASCII);
        }
        byte[] name = new byte[MAX_NAME];
        byte[] buf = new byte[8192];
        int bufLen = 0;
        int bufPos = 0;
        long left = length;
        long written = 0;
        boolean lineStart = true;
        boolean selected = false;
        int nameLen = -1; // >= 0 while collecting a field name
        boolean done = false;
        while (!done) {
            if (bufPos == bufLen) {
                if (left <= 0) {
                    break;
                }
                bufLen = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (bufLen <= 0) {
                    break;
                }
                left -= bufLen;
                bufPos = 0;
            }
            int c = buf[bufPos++] & 0xFF;
            if (nameLen >= 0) {
                if (c == ':' || c == '\n' || nameLen == MAX_NAME) {
                    boolean isField = c == ':';
                    selected = isField && matches(name, trimmed(name, nameLen), wanted) != not;
                    if (selected) {
                        out.write(name, 0, nameLen);
                        out.write(c);
                        written += nameLen + 1;
                    }
                    nameLen = -1;
                    lineStart = c == '\n';
                } else {
                    name[nameLen++] = (byte) c;
                }
                continue;
            }
            if (lineStart) {
                if (c == '\r' || c == '\n') {
                    done = true; // the blank line that ends the header
                    continue;
                }
                lineStart = false;
                if (c != ' ' && c != '\t') {
                    nameLen = 0;
                    name[nameLen++] = (byte) c;
                    continue;
                }
            }
            if (selected) {
                out.write(c);
                written++;
            }
            if (c == '\n') {
                lineStart = true;
            }
        }
        if (nameLen > 0 && selected) {
            out.write(name, 0, nameLen);
            written += nameLen;
        }
        out.write('\r');
        out.write('\n');
        return written + 2;
    }

    private static int trimmed(byte[] name, int len) {
        while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t')) {
            len--;
        }
        return len;
    }

    private static boolean matches(byte[] name, int len, byte[][] wanted) {
        outer:
        for (byte[] w : wanted) {
            if (w.length != len) {
                continue;
            }
            for (int i = 0; i < len; i++) {
                int a = name[i];
                if (a >= 'a' && a <= 'z') {
                    a -= 32;
                }
                if (a != w[i]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
