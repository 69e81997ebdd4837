package dev.mailkit.mailauth.dkim.internal;

import dev.mailkit.core.mime.CrlfOutputStream;

import java.io.IOException;
import java.io.InputStream;

/**
 * A message read with CRLF line ends, as the relay stores and sends it: a bare CR or a bare LF counts as one line end
 * (core's {@link CrlfOutputStream}); CRLF stays as it is. The signer and the verifier both read a message through it,
 * so that a signature covers the same lines either side (DkimFuzzTest found a bare CR in a header field read as a
 * line end by the signer and not by the verifier). Not thread-safe (a stream).
 */
public final class CrlfLineEnds extends InputStream {
    private final InputStream in;
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream(32 * 1024);
    private final CrlfOutputStream crlf = new CrlfOutputStream(pending, false);
    private byte[] buf = new byte[0];
    private int pos;
    private boolean eof;

    /** Reads {@code in}. */
    public CrlfLineEnds(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buf.length - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    private boolean fill() throws IOException {
        while (pos >= buf.length) {
            if (eof) {
                return false;
            }
            byte[] raw = new byte[16384];
            int n = in.read(raw);
            pending.reset();
            if (n < 0) {
                eof = true;
                crlf.finishContent();
            } else {
                crlf.write(raw, 0, n);
            }
            buf = pending.toByteArray();
            pos = 0;
        }
        return true;
    }
}
