package dev.mailkit.smtp.relay.internal;

import java.security.MessageDigest;

/**
 * DKIM "relaxed" canonicalisation (RFC 6376 3.4.2 and 3.4.4). The body canonicaliser streams: it is fed the body
 * bytes (CRLF line ends) in any chunks and hashes them without holding more than a small buffer.
 */
public final class DkimCanonical {
    private DkimCanonical() {
    }

    /**
     * Relaxed header canonicalisation of one raw field: lower-case name, unfolded, runs of whitespace made one
     * space, whitespace around the colon and at the end removed, followed by CRLF.
     */
    public static String header(String rawField) {
        int colon = rawField.indexOf(':');
        String name = (colon < 0 ? rawField : rawField.substring(0, colon)).trim().toLowerCase(java.util.Locale.ROOT);
        String value = colon < 0 ? "" : rawField.substring(colon + 1);
        StringBuilder sb = new StringBuilder(rawField.length() + 2).append(name).append(':');
        boolean wsp = false;
        boolean started = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                continue; // unfold
            }
            if (c == ' ' || c == '\t') {
                wsp = true;
                continue;
            }
            if (wsp && started) {
                sb.append(' ');
            }
            wsp = false;
            started = true;
            sb.append(c);
        }
        return sb.append("\r\n").toString();
    }

    /** Hashes a body under relaxed canonicalisation. Not thread-safe; one per message. */
    public static final class RelaxedBody {
        private final MessageDigest digest;
        private final byte[] out = new byte[8192];
        private int n;
        private long pendingEmptyLines;
        private boolean lineHasContent;
        private boolean pendingSpace;

        public RelaxedBody(MessageDigest digest) {
            this.digest = digest;
        }

        /** Feeds body bytes. */
        public void update(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                int c = b[i] & 0xff;
                if (c == '\r') {
                    continue; // line ends are CRLF: the LF ends the line
                }
                if (c == '\n') {
                    if (lineHasContent) {
                        put('\r');
                        put('\n');
                    } else {
                        pendingEmptyLines++;
                    }
                    lineHasContent = false;
                    pendingSpace = false;
                    continue;
                }
                if (c == ' ' || c == '\t') {
                    pendingSpace = true;
                    continue;
                }
                if (!lineHasContent) {
                    for (; pendingEmptyLines > 0; pendingEmptyLines--) {
                        put('\r');
                        put('\n');
                    }
                    lineHasContent = true;
                }
                if (pendingSpace) {
                    put(' ');
                    pendingSpace = false;
                }
                put(c);
            }
        }

        /** Ends the body and returns the hash. Trailing empty lines are dropped; a last line gets its CRLF. */
        public byte[] finish() {
            if (lineHasContent) {
                put('\r');
                put('\n');
            }
            digest.update(out, 0, n);
            n = 0;
            return digest.digest();
        }

        private void put(int c) {
            if (n == out.length) {
                digest.update(out, 0, n);
                n = 0;
            }
            out[n++] = (byte) c;
        }
    }
}
