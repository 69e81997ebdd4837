package dev.mailkit.imap.internal.encode;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.internal.command.BodySection;
import dev.mailkit.imap.internal.message.MimePart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeUtility;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

/**
 * BINARY[section]&lt;partial&gt; and BINARY.SIZE[section] (RFC 3516), as Dovecot serves them: the section with every
 * content transfer encoding in it undone. A leaf part is its body decoded (base64 and quoted-printable; 7bit, 8bit and
 * binary as they are). A section with parts inside (the whole message, a multipart, a message/rfc822) is copied with
 * each encoded part inside it decoded and its header's Content-Transfer-Encoding fields replaced by
 * {@code Content-Transfer-Encoding: binary} at the end of that header. The answer is a literal8 ({@code ~{n}}) when
 * anything was decoded or it holds a NUL, as Dovecot's. The decoded bytes are streamed twice, once to measure them
 * and once to write them: only the rewritten headers are held in memory. Stateless.
 */
final class BinarySections {
    private static final byte[] CTE_BINARY = "Content-Transfer-Encoding: binary\r\n".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII);

    private BinarySections() {
    }

    /** Throws when some part of the section has an unknown encoding (checked before the item is written). */
    static void check(MimePart root, BodySection s) throws FetchResponseWriter.UnknownCteException {
        // BINARY.SIZE of any part measures the whole message first, so any part can fail it (as Dovecot)
        MimePart p = s.part().isEmpty() || s.kind() == BodySection.Kind.BINARY_SIZE ? root
                : Sections.part(root, s.part());
        if (p != null) {
            checkTree(p);
        }
    }

    private static void checkTree(MimePart p) throws FetchResponseWriter.UnknownCteException {
        decoder(p.encoding());
        for (MimePart c : p.children()) {
            checkTree(c);
        }
        if (p.message() != null) {
            checkTree(p.message());
        }
    }

    /** Writes {@code BINARY[..]<o> {n}..} or {@code BINARY.SIZE[..] n}. */
    static void write(ImapWriter w, BodySection s, MimePart root, MessageSource content) throws IOException {
        Plan plan = new Plan(content);
        if (s.part().isEmpty()) {
            plan.add(root, true);
        } else {
            MimePart p = Sections.part(root, s.part());
            if (p != null) {
                plan.add(p, false);
            }
        }
        Counter count = new Counter();
        plan.copy(count);
        w.ascii(s.responseName()).sp();
        if (s.kind() == BodySection.Kind.BINARY_SIZE) {
            w.number(count.n);
            return;
        }
        long from = s.partialOffset() < 0 ? 0 : Math.min(s.partialOffset(), count.n);
        long length = s.partialOffset() < 0 ? count.n : Math.min(s.partialLength(), count.n - from);
        if (plan.converted || count.nul) {
            w.write('~');
        }
        w.write('{').number(length).write('}').crlf();
        if (length > 0) {
            plan.copy(new WindowStream(w, from, length));
        }
    }

    /**
     * The section as a list of pieces: raw ranges, decoded bodies and rewritten headers (Dovecot's
     * index-mail-binary.c arrangement).
     */
    private static final class Plan {
        private final MessageSource content;
        private final java.util.List<Object> pieces = new java.util.ArrayList<>();
        private long cursor = -1;
        boolean converted;

        Plan(MessageSource content) {
            this.content = content;
        }

        void add(MimePart p, boolean withHeader) throws IOException {
            String decoder = decoder(p.encoding());
            if (cursor < 0) {
                cursor = withHeader ? p.headerOffset() : p.bodyOffset();
            }
            if (withHeader && decoder != null) {
                rawTo(p.headerOffset());
                pieces.add(header(p.headerOffset(), p.bodyOffset())); // not "converted" by itself, as Dovecot
            } else if (withHeader) {
                rawTo(p.bodyOffset());
            }
            cursor = Math.max(cursor, p.bodyOffset());
            long end = Math.min(content.size(), p.endOffset());
            if (p.isMultipart() || p.message() != null) {
                if (p.message() != null) {
                    add(p.message(), true);
                } else {
                    for (MimePart c : p.children()) {
                        add(c, true);
                    }
                }
                rawTo(end);
                return;
            }
            if (end > p.bodyOffset()) {
                pieces.add(new long[] {p.bodyOffset(), end});
                pieces.add(decoder);
                converted |= decoder != null;
            }
            cursor = Math.max(cursor, end);
        }

        private void rawTo(long to) {
            long end = Math.min(content.size(), to);
            if (end > cursor) {
                pieces.add(new long[] {cursor, end});
                pieces.add(null);
                cursor = end;
            }
        }

        /** The header with its Content-Transfer-Encoding fields dropped and {@code binary} added at its end. */
        private byte[] header(long from, long to) throws IOException {
            long end = Math.min(content.size(), to);
            byte[] h;
            try (InputStream in = content.slice(from, Math.max(0, end - from)).openStream()) {
                h = in.readAllBytes();
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(h.length + CTE_BINARY.length);
            boolean dropping = false;
            boolean added = false;
            int i = 0;
            while (i < h.length) {
                int eol = i;
                while (eol < h.length && h[eol] != '\n') {
                    eol++;
                }
                int next = Math.min(h.length, eol + 1);
                boolean blank = eol == i || eol == i + 1 && h[i] == '\r';
                if (blank && eol < h.length) {
                    out.write(CTE_BINARY, 0, CTE_BINARY.length);
                    added = true;
                    out.write(h, i, h.length - i);
                    break;
                }
                boolean continuation = h[i] == ' ' || h[i] == '\t';
                if (!continuation) {
                    dropping = isCte(h, i, eol);
                }
                if (!dropping) {
                    out.write(h, i, next - i);
                }
                i = next;
            }
            if (!added) {
                out.write(CTE_BINARY, 0, CTE_BINARY.length);
            }
            return out.toByteArray();
        }

        private static boolean isCte(byte[] h, int from, int to) {
            String name = "content-transfer-encoding";
            int colon = from;
            while (colon < to && h[colon] != ':') {
                colon++;
            }
            String field = new String(h, from, colon - from, java.nio.charset.StandardCharsets.ISO_8859_1).strip();
            return colon < to && field.equalsIgnoreCase(name);
        }

        void copy(OutputStream out) throws IOException {
            for (int i = 0; i < pieces.size(); i++) {
                Object piece = pieces.get(i);
                if (piece instanceof byte[] b) {
                    out.write(b, 0, b.length);
                } else {
                    long[] r = (long[]) piece;
                    BinarySections.copy(content, r[0], r[1], (String) pieces.get(++i), out);
                }
            }
        }
    }

    private static String decoder(String cte) throws FetchResponseWriter.UnknownCteException {
        if (cte == null) {
            return null;
        }
        String e = cte.trim().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "7bit", "8bit", "binary", "" -> null;
            case "base64", "quoted-printable" -> e;
            default -> throw new FetchResponseWriter.UnknownCteException(cte);
        };
    }

    private static void copy(MessageSource content, long start, long end, String decoder, OutputStream out)
            throws IOException {
        if (end <= start) {
            return;
        }
        try (InputStream raw = content.slice(start, end - start).openStream()) {
            InputStream in = raw;
            if (decoder != null) {
                try {
                    in = MimeUtility.decode(raw, decoder);
                } catch (MessagingException e) {
                    throw new FetchResponseWriter.UnknownCteException(decoder);
                }
            }
            byte[] buf = new byte[8192];
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    if (decoder == null) {
                        throw e;
                    }
                    break; // broken base64: decoded up to the damage, as the search does
                }
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
            }
        }
    }

    /** Counts bytes and notes a NUL. */
    private static final class Counter extends OutputStream {
        long n;
        boolean nul;

        @Override
        public void write(int b) {
            n++;
            nul |= b == 0;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            n += len;
            for (int i = off; i < off + len && !nul; i++) {
                nul = b[i] == 0;
            }
        }
    }

}
