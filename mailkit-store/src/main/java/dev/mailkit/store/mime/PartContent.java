package dev.mailkit.store.mime;

import dev.mailkit.core.MessageSource;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeUtility;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reading the text of a message's parts as SEARCH sees it, shared by the IMAP server's scan and the search index so
 * that the two cannot disagree: a byte range of the content, a body decoded from its transfer encoding (ending where
 * that encoding is broken, as Dovecot searches up to the damage), and header values with their RFC 2047 encoded
 * words decoded. Stateless and thread-safe.
 */
public final class PartContent {
    /** Header blocks beyond this size are read only up to it (a message cannot make a search hold more). */
    public static final int MAX_HEADER = 1024 * 1024;

    private PartContent() {
    }

    /** One header field: its name and its unfolded, trimmed value, encoded words not yet decoded. */
    public record HeaderField(String name, String value) {
    }

    /**
     * The fields of the header block [start, end) of the content (at most {@link #MAX_HEADER} bytes of it), read
     * as UTF-8: continuation lines are joined to their field, lines without a colon are skipped, an empty line
     * ends the block.
     */
    public static List<HeaderField> headerFields(MessageSource content, long start, long end) throws IOException {
        int len = (int) Math.min(Math.max(0, end - start), MAX_HEADER);
        byte[] b;
        try (InputStream in = content.openStream()) {
            skipFully(in, start);
            b = in.readNBytes(len);
        }
        return parseHeaderFields(new String(b, StandardCharsets.UTF_8));
    }

    static List<HeaderField> parseHeaderFields(String header) {
        List<HeaderField> fields = new ArrayList<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        int i = 0;
        int n = header.length();
        while (i < n) {
            int eol = header.indexOf('\n', i);
            if (eol < 0) {
                eol = n;
            }
            int lineEnd = eol > i && header.charAt(eol - 1) == '\r' ? eol - 1 : eol;
            String line = header.substring(i, lineEnd);
            i = eol + 1;
            if (line.isEmpty()) {
                break;
            }
            char first = line.charAt(0);
            if ((first == ' ' || first == '\t') && name != null) {
                value.append(line);
                continue;
            }
            if (name != null) {
                fields.add(new HeaderField(name, value.toString().trim()));
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                name = null;
                value.setLength(0);
                continue;
            }
            name = line.substring(0, colon).trim();
            value.setLength(0);
            value.append(line, colon + 1, line.length());
        }
        if (name != null) {
            fields.add(new HeaderField(name, value.toString().trim()));
        }
        return fields;
    }

    /** A stream over bytes [start, end) of the content; closing it closes the content's stream. */
    public static InputStream range(MessageSource content, long start, long end) throws IOException {
        InputStream in = content.openStream();
        skipFully(in, start);
        long len = Math.max(0, end - start);
        return new FilterInputStream(in) {
            private long left = len;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int c = in.read();
                if (c >= 0) {
                    left--;
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int n) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int r = in.read(b, off, (int) Math.min(n, left));
                if (r > 0) {
                    left -= r;
                }
                return r;
            }
        };
    }

    /**
     * The body decoded from base64 or quoted-printable (any other or no encoding: the bytes as they are); a body whose
     * encoding is broken ends at the damage instead of failing.
     */
    public static InputStream transferDecoded(InputStream raw, String encoding) {
        if (encoding == null) {
            return raw;
        }
        String e = encoding.trim().toLowerCase(Locale.ROOT);
        if (!e.equals("base64") && !e.equals("quoted-printable")) {
            return raw;
        }
        try {
            return new EndsAtDamage(MimeUtility.decode(raw, e));
        } catch (MessagingException ex) {
            return raw;
        }
    }

    /** A header value with its RFC 2047 encoded words decoded (the value as it is when they cannot be). */
    public static String decodeWords(String value) {
        if (value == null || !value.contains("=?")) {
            return value;
        }
        try {
            return MimeUtility.decodeText(value);
        } catch (IOException | RuntimeException e) {
            return value;
        }
    }

    /** A decoded body that ends where its transfer encoding is broken (Angus's DecodingException). */
    private static final class EndsAtDamage extends FilterInputStream {
        EndsAtDamage(InputStream decoded) {
            super(decoded);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                return damaged(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                return damaged(e);
            }
        }

        /** -1 for a decoding error; any other I/O error is real and goes on. */
        private static int damaged(IOException e) throws IOException {
            if (e.getClass().getName().endsWith(".DecodingException")) {
                return -1;
            }
            throw e;
        }
    }

    /** Skips n bytes, or to the end of the stream if it is shorter. */
    public static void skipFully(InputStream in, long n) throws IOException {
        long done = 0;
        while (done < n) {
            long k = in.skip(n - done);
            if (k <= 0) {
                if (in.read() < 0) {
                    return;
                }
                k = 1;
            }
            done += k;
        }
    }
}
