package dev.mailkit.mailauth.dkim.internal;

import java.security.MessageDigest;

/**
 * DKIM canonicalisation (RFC 6376 3.4): "relaxed" for signing and verifying, "simple" for verifying. The body
 * canonicalisers stream: they are fed the body bytes (CRLF line ends) in any chunks and hash them without holding
 * more than a small buffer (and, for "simple", a count of pending empty lines).
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
    public static final class RelaxedBody implements Body {
        private final MessageDigest digest;
        private final byte[] out = new byte[8192];
        private int n;
        private long pendingEmptyLines;
        private boolean lineHasContent;
        private boolean pendingSpace;

        private final long limit;
        private long hashed;

        public RelaxedBody(MessageDigest digest) {
            this(digest, -1);
        }

        /** Hashes at most {@code limit} canonical bytes ({@code l=}; negative: all). */
        public RelaxedBody(MessageDigest digest, long limit) {
            this.digest = digest;
            this.limit = limit;
        }

        /** Feeds body bytes. */
        @Override
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
        @Override
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
            if (limit >= 0 && hashed++ >= limit) {
                return;
            }
            if (n == out.length) {
                digest.update(out, 0, n);
                n = 0;
            }
            out[n++] = (byte) c;
        }
    }

    /** A body hasher: relaxed or simple. */
    public interface Body {
        /** Feeds body bytes. */
        void update(byte[] b, int off, int len);

        /** Ends the body and returns the hash. */
        byte[] finish();
    }

    /**
     * Hashes a body under simple canonicalisation (RFC 6376 3.4.3): unchanged, except that empty lines at the end are
     * dropped and an empty body counts as one CRLF. At most {@code limit} canonical bytes are hashed ({@code l=};
     * negative: all).
     */
    public static final class SimpleBody implements Body {
        private final MessageDigest digest;
        private final long limit;
        private long hashed;
        private long pendingCrlf;
        private boolean cr;
        private boolean any;

        public SimpleBody(MessageDigest digest, long limit) {
            this.digest = digest;
            this.limit = limit;
        }

        @Override
        public void update(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                byte c = b[i];
                if (c == '\r' && !cr) {
                    cr = true;
                    continue;
                }
                if (c == '\n' && cr) {
                    cr = false;
                    if (atLineStart) {
                        pendingCrlf++; // an empty line: kept back until something follows it
                    } else {
                        put((byte) '\r');
                        put((byte) '\n');
                        atLineStart = true;
                    }
                    continue;
                }
                flushPending();
                if (cr) {
                    put((byte) '\r');
                    cr = false;
                    if (c == '\r') {
                        cr = true;
                        continue;
                    }
                }
                put(c);
                atLineStart = false;
            }
        }

        private boolean atLineStart = true;

        private void flushPending() {
            for (; pendingCrlf > 0; pendingCrlf--) {
                put((byte) '\r');
                put((byte) '\n');
            }
        }

        private void put(byte c) {
            if (limit >= 0 && hashed >= limit) {
                return;
            }
            any = true;
            hashed++;
            digest.update(c);
        }

        @Override
        public byte[] finish() {
            if (cr) {
                put((byte) '\r');
                atLineStart = false;
            }
            if (!atLineStart) {
                put((byte) '\r');
                put((byte) '\n');
            }
            if (!any) {
                put((byte) '\r');
                put((byte) '\n');
            }
            return digest.digest();
        }
    }
}
