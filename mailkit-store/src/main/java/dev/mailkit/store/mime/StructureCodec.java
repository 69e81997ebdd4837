package dev.mailkit.store.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact binary form of a {@link MessageStructure}: a version byte, then the envelope and the part tree, with
 * numbers as unsigned LEB128 varints and strings as a varint (length + 1, 0 for null) and UTF-8 bytes. Decoding
 * checks every length against the remaining bytes, so a corrupt cache entry fails cleanly instead of allocating
 * wildly. Stateless.
 */
final class StructureCodec {
    /**
     * 2: the line break after a nested close delimiter directly followed by an enclosing boundary belongs to the
     * nested multipart (as in Dovecot). 3: so does a line break that ends a header or a delimiter line right before a
     * boundary, in every part that ends there (issue 17). 4: the SHA-256 digest of the content follows the
     * top-level message (EMAILID, RFC 8474): a varint length (0 for none) and the bytes. Structures of older
     * versions are parsed again.
     */
    private static final int VERSION = 4;

    private StructureCodec() {
    }

    static byte[] encode(MessageStructure m) {
        Out out = new Out();
        out.varint(VERSION);
        message(out, m);
        byte[] digest = m.contentDigest();
        if (digest == null) {
            out.varint(0);
        } else {
            out.varint(digest.length);
            out.bytes(digest);
        }
        return out.toByteArray();
    }

    private static void message(Out out, MessageStructure m) {
        MessageEnvelope e = m.envelope();
        out.string(e.date());
        out.string(e.subject());
        out.string(e.from());
        out.string(e.sender());
        out.string(e.replyTo());
        out.string(e.to());
        out.string(e.cc());
        out.string(e.bcc());
        out.string(e.inReplyTo());
        out.string(e.messageId());
        part(out, m.body());
    }

    private static void part(Out out, MimePart p) {
        out.string(p.type());
        out.string(p.subtype());
        params(out, p.parameters());
        out.string(p.id());
        out.string(p.description());
        out.string(p.transferEncoding());
        out.string(p.md5());
        out.string(p.dispositionType());
        params(out, p.dispositionParameters());
        out.varint(p.languages().size());
        for (String l : p.languages()) {
            out.string(l);
        }
        out.string(p.location());
        out.varint(p.headerOffset());
        out.varint(p.headerLength());
        out.varint(p.bodyLength());
        out.varint(p.bodyLines());
        out.varint(p.children().size());
        for (MimePart c : p.children()) {
            part(out, c);
        }
        if (p.message() != null) {
            out.varint(1);
            message(out, p.message());
        } else {
            out.varint(0);
        }
    }

    private static void params(Out out, List<MimeParameter> ps) {
        out.varint(ps.size());
        for (MimeParameter p : ps) {
            out.string(p.name());
            out.string(p.value());
        }
    }

    static MessageStructure decode(byte[] bytes) {
        In in = new In(bytes);
        long v = in.varint();
        if (v != VERSION) {
            throw new IllegalArgumentException("not a message structure of format version " + VERSION + " (found "
                    + v + ")");
        }
        MessageStructure m = message(in, 0);
        int digestLength = (int) Math.min(in.varint(), Integer.MAX_VALUE);
        if (digestLength != 0) {
            if (digestLength != 32) {
                throw new IllegalArgumentException("message structure digest of " + digestLength + " bytes");
            }
            m = new MessageStructure(m.envelope(), m.body(), in.bytes(digestLength));
        }
        if (in.pos != bytes.length) {
            throw new IllegalArgumentException("message structure has " + (bytes.length - in.pos)
                    + " trailing bytes");
        }
        return m;
    }

    /** Whether the bytes are of the current format version (a cache entry of another version is parsed again). */
    static boolean isCurrent(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == VERSION;
    }

    /** Only the envelope: the fields at the start of the form, without decoding the part tree. */
    static MessageEnvelope decodeEnvelope(byte[] bytes) {
        In in = new In(bytes);
        long v = in.varint();
        if (v != VERSION) {
            throw new IllegalArgumentException("not a message structure of format version " + VERSION + " (found "
                    + v + ")");
        }
        return envelope(in);
    }

    private static MessageEnvelope envelope(In in) {
        return new MessageEnvelope(in.string(), in.string(), in.string(), in.string(), in.string(), in.string(),
                in.string(), in.string(), in.string(), in.string());
    }

    private static MessageStructure message(In in, int depth) {
        if (depth > 2 * MessageStructure.MAX_DEPTH + 2) {
            throw new IllegalArgumentException("message structure nested too deeply");
        }
        MessageEnvelope e = envelope(in);
        return new MessageStructure(e, part(in, depth + 1));
    }

    private static MimePart part(In in, int depth) {
        if (depth > 2 * MessageStructure.MAX_DEPTH + 2) {
            throw new IllegalArgumentException("message structure nested too deeply");
        }
        String type = required(in.string());
        String subtype = required(in.string());
        List<MimeParameter> params = params(in);
        String id = in.string();
        String description = in.string();
        String cte = in.string();
        String md5 = in.string();
        String dispType = in.string();
        List<MimeParameter> dispParams = params(in);
        int nl = in.count();
        List<String> languages = new ArrayList<>(nl);
        for (int i = 0; i < nl; i++) {
            languages.add(required(in.string()));
        }
        String location = in.string();
        long headerOffset = in.varint();
        long headerLength = in.varint();
        long bodyLength = in.varint();
        long bodyLines = in.varint();
        int nc = in.count();
        List<MimePart> children = new ArrayList<>(nc);
        for (int i = 0; i < nc; i++) {
            children.add(part(in, depth + 1));
        }
        MessageStructure message = in.varint() == 1 ? message(in, depth + 1) : null;
        return new MimePart(type, subtype, params, id, description, cte, md5, dispType, dispParams, languages,
                location, headerOffset, headerLength, bodyLength, bodyLines, children, message);
    }

    private static List<MimeParameter> params(In in) {
        int n = in.count();
        List<MimeParameter> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new MimeParameter(required(in.string()), required(in.string())));
        }
        return out;
    }

    private static String required(String s) {
        if (s == null) {
            throw new IllegalArgumentException("corrupt message structure: missing value");
        }
        return s;
    }

    private static final class Out extends ByteArrayOutputStream {
        Out() {
            super(256);
        }

        void varint(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("negative number in message structure: " + v);
            }
            while ((v & ~0x7fL) != 0) {
                write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }

        void string(String s) {
            if (s == null) {
                varint(0);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length + 1L);
            write(b, 0, b.length);
        }

        void bytes(byte[] b) {
            write(b, 0, b.length);
        }
    }

    private static final class In {
        final byte[] b;
        int pos;

        In(byte[] b) {
            this.b = b;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= b.length) {
                    throw new IllegalArgumentException("corrupt message structure: truncated");
                }
                int x = b[pos++] & 0xff;
                v |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    if (v < 0) { // the encoder writes no negative number: a count or length read as negative
                        throw new IllegalArgumentException("corrupt message structure: bad number");
                    }
                    return v;
                }
            }
            throw new IllegalArgumentException("corrupt message structure: bad number");
        }

        /** A count of following items; each takes at least one byte. */
        int count() {
            long n = varint();
            if (n > b.length - pos) {
                throw new IllegalArgumentException("corrupt message structure: count " + n + " exceeds data");
            }
            return (int) n;
        }

        byte[] bytes(int n) {
            if (n > b.length - pos) {
                throw new IllegalArgumentException("corrupt message structure: digest exceeds data");
            }
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        String string() {
            long n = varint();
            if (n == 0) {
                return null;
            }
            n--;
            if (n > b.length - pos) {
                throw new IllegalArgumentException("corrupt message structure: string exceeds data");
            }
            String s = new String(b, pos, (int) n, StandardCharsets.UTF_8);
            pos += (int) n;
            return s;
        }
    }
}
