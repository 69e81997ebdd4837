package dev.mailkit.web.internal.mail;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.mime.MessageStructure;
import dev.mailkit.store.mime.MimeParameter;
import dev.mailkit.store.mime.MimePart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads what the inbox shows from a stored message: its leaf parts (from the store's cached MIME structure, never a
 * second parse of the whole message), a part's decoded content (ranged reads of the message, transfer encoding and
 * charset decoded, with a size cap), header fields, and decoded addresses and words. Everything here is bounded:
 * at most {@value #MAX_PARTS} parts and {@value #MAX_DEPTH} levels are looked at. Stateless; thread-safe.
 */
public final class MessageReader {
    static final int MAX_PARTS = 500;
    static final int MAX_DEPTH = 40;

    private MessageReader() {
    }

    /** A decoded address: display name (may be empty) and address. */
    public static final class Address {
        public final String name;
        public final String address;

        public Address(String name, String address) {
            this.name = name;
            this.address = address;
        }
    }

    /** The leaf parts, numbered as IMAP numbers sections, each with its role. */
    public static List<PartInfo> parts(MessageStructure structure) {
        List<PartInfo> out = new ArrayList<>();
        MimePart body = structure.body();
        boolean[] have = new boolean[2]; // text body, html body found
        if (body.isMultipart()) {
            walk(body, "", out, have, 0, body.subtype().equalsIgnoreCase("related"));
        } else {
            leaf(body, "1", out, have, false);
        }
        return out;
    }

    private static void walk(MimePart multipart, String prefix, List<PartInfo> out, boolean[] have, int depth,
                             boolean related) {
        List<MimePart> children = multipart.children();
        for (int i = 0; i < children.size() && out.size() < MAX_PARTS; i++) {
            MimePart c = children.get(i);
            String id = prefix + (i + 1);
            if (c.isMultipart() && depth < MAX_DEPTH) {
                walk(c, id + ".", out, have, depth + 1, c.subtype().equalsIgnoreCase("related"));
            } else if (!c.isMultipart()) {
                leaf(c, id, out, have, related);
            }
        }
    }

    private static void leaf(MimePart p, String id, List<PartInfo> out, boolean[] have, boolean inRelated) {
        String type = (p.type() + "/" + p.subtype()).toLowerCase(Locale.ROOT);
        String disposition = p.dispositionType() == null ? "" : p.dispositionType().toLowerCase(Locale.ROOT);
        String fileName = fileName(p);
        String cid = p.id() == null ? "" : stripAngles(p.id());
        PartInfo.Role role;
        boolean attachmentLike = disposition.equals("attachment") || !fileName.isEmpty();
        if (type.equals("text/plain") && !attachmentLike && !have[0]) {
            role = PartInfo.Role.TEXT_BODY;
            have[0] = true;
        } else if (type.equals("text/html") && !attachmentLike && !have[1]) {
            role = PartInfo.Role.HTML_BODY;
            have[1] = true;
        } else if (!cid.isEmpty() && !disposition.equals("attachment") && (inRelated || disposition.equals("inline"))) {
            role = PartInfo.Role.INLINE;
        } else {
            role = PartInfo.Role.ATTACHMENT;
        }
        out.add(new PartInfo(id, p, type, fileName, cid, role));
    }

    /** The decoded file name of a part (disposition's filename, else the type's name), or empty. */
    static String fileName(MimePart p) {
        String v = param(p.dispositionParameters(), "filename");
        if (v == null) {
            v = param(p.parameters(), "name");
        }
        return v == null ? "" : v;
    }

    private static String param(List<MimeParameter> params, String name) {
        for (MimeParameter mp : params) {
            if (mp.name().equalsIgnoreCase(name + "*")) {
                return rfc2231(mp.value());
            }
        }
        for (MimeParameter mp : params) {
            if (mp.name().equalsIgnoreCase(name)) {
                return decodeWords(mp.value());
            }
        }
        return null;
    }

    /** Decodes {@code charset'language'percent-encoded} (RFC 2231); undecodable text is kept as it is. */
    static String rfc2231(String v) {
        int a = v.indexOf('\'');
        int b = a < 0 ? -1 : v.indexOf('\'', a + 1);
        if (b < 0) {
            return v;
        }
        String charset = v.substring(0, a);
        try {
            Charset cs = charset.isEmpty() ? StandardCharsets.US_ASCII : Charset.forName(charset);
            return URLDecoder.decode(v.substring(b + 1).replace("+", "%2B"), cs);
        } catch (IllegalArgumentException e) {
            return v.substring(b + 1);
        }
    }

    /** Decodes RFC 2047 encoded words in unstructured text (unfolded); broken words stay as written. */
    public static String decodeWords(String raw) {
        if (raw == null) {
            return "";
        }
        String s = MimeUtility.unfold(raw);
        if (!s.contains("=?")) {
            return s;
        }
        try {
            return MimeUtility.decodeText(s);
        } catch (UnsupportedEncodingException | RuntimeException e) {
            return s;
        }
    }

    /** Parses an address list header leniently, decoding display names; empty for null or garbage. */
    public static List<Address> addresses(String raw) {
        List<Address> out = new ArrayList<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        try {
            for (InternetAddress a : InternetAddress.parseHeader(MimeUtility.unfold(raw), false)) {
                if (a.isGroup()) {
                    try {
                        for (InternetAddress m : a.getGroup(false)) {
                            out.add(address(m));
                        }
                    } catch (AddressException ignored) {
                        // a broken group is skipped
                    }
                } else if (a.getAddress() != null) {
                    out.add(address(a));
                }
            }
        } catch (AddressException e) {
            out.add(new Address("", decodeWords(raw).trim()));
        }
        return out;
    }

    private static Address address(InternetAddress a) {
        String personal = a.getPersonal();
        return new Address(personal == null ? "" : personal, a.getAddress() == null ? "" : a.getAddress());
    }

    /**
     * The header fields of the message, in order, values unfolded (line breaks of folded lines removed) and trimmed
     * but not decoded; header bytes are read as UTF-8 where they are valid UTF-8, else as ISO-8859-1. At most 1 MiB
     * of header is read, in one read.
     */
    public static List<String[]> headers(MessageSource source, MessageStructure structure) throws IOException {
        int len = (int) Math.min(structure.body().headerLength(), 1L << 20);
        byte[] b;
        try (InputStream in = source.openStream()) {
            b = in.readNBytes(len);
        }
        return parseHeader(b);
    }

    static List<String[]> parseHeader(byte[] b) {
        List<String[]> out = new ArrayList<>();
        int i = 0;
        int n = b.length;
        while (i < n) {
            int lineEnd = next(b, i);
            if (lineEnd == i || (lineEnd == i + 1 && b[i] == '\r')) {
                break; // the empty line that ends the header
            }
            int colon = -1;
            for (int k = i; k < lineEnd; k++) {
                if (b[k] == ':') {
                    colon = k;
                    break;
                }
            }
            // the field goes on over folded lines (starting with a space or tab)
            int end = lineEnd;
            while (end + 1 < n && (b[end + 1] == ' ' || b[end + 1] == '\t')) {
                end = next(b, end + 1);
            }
            if (colon > i) {
                String name = new String(b, i, colon - i, StandardCharsets.ISO_8859_1).trim();
                StringBuilder v = new StringBuilder(end - colon);
                String raw = text(b, colon + 1, Math.min(end, n) - colon - 1);
                for (int k = 0; k < raw.length(); k++) {
                    char c = raw.charAt(k);
                    if (c != '\r' && c != '\n') {
                        v.append(c);
                    }
                }
                out.add(new String[]{name, v.toString().trim()});
            }
            i = end + 1;
        }
        return out;
    }

    /** The index of the LF that ends the line starting at i, or the end of the array. */
    private static int next(byte[] b, int i) {
        int k = i;
        while (k < b.length && b[k] != '\n') {
            k++;
        }
        return k;
    }

    private static String text(byte[] b, int off, int len) {
        boolean ascii = true;
        for (int k = off; k < off + len; k++) {
            if (b[k] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return d.decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
    }

    /** A part's body, transfer-decoded, at most {@code max} octets. */
    public static byte[] decodedBody(MessageSource source, MimePart p, long max) throws IOException {
        try (InputStream raw = range(source, p.bodyOffset(), p.bodyLength())) {
            String te = p.transferEncoding() == null ? "7bit" : p.transferEncoding().toLowerCase(Locale.ROOT).trim();
            InputStream in = raw;
            if (te.equals("base64") || te.equals("quoted-printable") || te.equals("uuencode")
                    || te.equals("x-uuencode")) {
                try {
                    in = MimeUtility.decode(raw, te);
                } catch (MessagingException e) {
                    in = raw;
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(p.bodyLength(), 16), max));
            byte[] buf = new byte[8192];
            long total = 0;
            try {
                int n;
                while (total < max && (n = in.read(buf, 0, (int) Math.min(buf.length, max - total))) > 0) {
                    out.write(buf, 0, n);
                    total += n;
                }
            } catch (IOException e) {
                // broken base64 and the like: keep what decoded before the damage
            }
            return out.toByteArray();
        }
    }

    /** A part's text, transfer- and charset-decoded (unknown charsets as UTF-8, then Latin-1), at most max octets. */
    public static String text(MessageSource source, MimePart p, long max) throws IOException {
        byte[] b = decodedBody(source, p, max);
        return decode(b, p.charset());
    }

    static String decode(byte[] b, String charset) {
        Charset cs = null;
        if (charset != null) {
            try {
                cs = Charset.forName(MimeUtility.javaCharset(charset.trim()));
            } catch (IllegalArgumentException e) {
                cs = null;
            }
        }
        if (cs == null || cs.equals(StandardCharsets.US_ASCII)) {
            cs = StandardCharsets.UTF_8;
        }
        CharsetDecoder d = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return d.decode(ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            if (cs.equals(StandardCharsets.UTF_8)) {
                return new String(b, StandardCharsets.ISO_8859_1);
            }
            return new String(b, cs);
        }
    }

    /** A stream over {@code length} octets of the message from {@code offset}. */
    public static InputStream range(MessageSource source, long offset, long length) throws IOException {
        InputStream in = source.openStream();
        long skipped = 0;
        while (skipped < offset) {
            long n = in.skip(offset - skipped);
            if (n <= 0) {
                break;
            }
            skipped += n;
        }
        return new BoundedInputStream(in, length);
    }

    static String stripAngles(String s) {
        String t = s.trim();
        if (t.startsWith("<") && t.endsWith(">") && t.length() >= 2) {
            t = t.substring(1, t.length() - 1);
        }
        return t.trim();
    }

    /** At most n octets of a stream; closing closes the stream. */
    static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long n) {
            this.in = in;
            this.left = n;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
