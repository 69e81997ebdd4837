package dev.mailkit.sieve.internal.exec;

import dev.mailkit.core.MessageSource;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The message as a script sees it: the header fields (unfolded; values with RFC 2047 encoded words decoded for the
 * header and address tests, as Pigeonhole does), the size, and the body parts for the body test. The header is read
 * once and bounded; body parts are read on demand, bounded too. One per execution; not thread-safe.
 */
public final class MailMessage {
    /** The header is read up to this size. */
    static final int MAX_HEADER = 256 * 1024;
    /** Text the body test looks at, per part. */
    static final int MAX_BODY_TEXT = 4 * 1024 * 1024;
    static final int MAX_PARTS = 1000;

    /** A header field: its name as written and its unfolded raw value. */
    public record Field(String name, String raw) {
    }

    private final MessageSource source;
    private final List<Field> fields;
    private final int headerLength;

    private MailMessage(MessageSource source, List<Field> fields, int headerLength) {
        this.source = source;
        this.fields = fields;
        this.headerLength = headerLength;
    }

    /** Reads the header of a message. */
    public static MailMessage of(MessageSource source) throws IOException {
        byte[] head;
        try (InputStream in = source.openStream()) {
            head = in.readNBytes(MAX_HEADER);
        }
        int end = headerEnd(head);
        return new MailMessage(source, parse(new String(head, 0, end, StandardCharsets.UTF_8)), end);
    }

    private static int headerEnd(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' && (i == 0 || (i + 1 < b.length && b[i + 1] == '\n')
                    || (i + 2 < b.length && b[i + 1] == '\r' && b[i + 2] == '\n'))) {
                return i == 0 ? 0 : i + 1;
            }
        }
        return b.length;
    }

    static List<Field> parse(String header) {
        List<Field> out = new ArrayList<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : header.split("\r?\n", -1)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (name != null) {
                    value.append(line);
                }
                continue;
            }
            if (name != null) {
                out.add(new Field(name, value.toString()));
            }
            name = null;
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(line.substring(0, colon))) {
                name = line.substring(0, colon);
                value.setLength(0);
                value.append(line, colon + 1, line.length());
            }
        }
        if (name != null) {
            out.add(new Field(name, value.toString()));
        }
        return List.copyOf(out);
    }

    /** The size in octets. */
    public long size() {
        return source.size();
    }

    /** The raw values (unfolded, leading and trailing white space removed) of the fields of a name. */
    public List<String> raw(String name) {
        List<String> out = new ArrayList<>(1);
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                out.add(f.raw().strip());
            }
        }
        return out;
    }

    /** The values with encoded words decoded. */
    public List<String> decoded(String name) {
        List<String> out = new ArrayList<>(1);
        for (String v : raw(name)) {
            out.add(decode(v));
        }
        return out;
    }

    /** Whether a field of the name exists. */
    public boolean exists(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    static String decode(String v) {
        if (!v.contains("=?")) {
            return v;
        }
        try {
            return MimeUtility.decodeText(v);
        } catch (IOException | RuntimeException e) {
            return v;
        }
    }

    /** The body after the header, undecoded (body :raw), bounded. */
    public String rawBody() throws IOException {
        try (InputStream in = source.openStream()) {
            in.skipNBytes(Math.min(headerLength + blankLine(), source.size()));
            return new String(in.readNBytes(MAX_BODY_TEXT), StandardCharsets.UTF_8);
        }
    }

    private int blankLine() throws IOException {
        try (InputStream in = source.openStream()) {
            in.skipNBytes(Math.min(headerLength, source.size()));
            byte[] b = in.readNBytes(2);
            return b.length > 0 && b[0] == '\n' ? 1 : b.length == 2 && b[0] == '\r' && b[1] == '\n' ? 2 : 0;
        }
    }

    /**
     * The decoded text of the parts whose content type matches one of {@code types} (RFC 5173: a type alone
     * matches its subtypes, "" matches every part; multiparts are never matched themselves but are looked into),
     * charset-decoded.
     */
    public List<String> parts(List<String> types) throws IOException {
        List<String> out = new ArrayList<>();
        try {
            MimeMessage m = source.mimeMessage();
            collect(m, types, out, 0);
        } catch (MessagingException e) {
            // an unparsable structure: the body test sees nothing
        }
        return out;
    }

    private void collect(Part p, List<String> types, List<String> out, int depth)
            throws MessagingException, IOException {
        if (depth > 50 || out.size() >= MAX_PARTS) {
            return;
        }
        ContentType ct;
        try {
            ct = new ContentType(p.getContentType() == null ? "text/plain" : p.getContentType());
        } catch (MessagingException e) {
            ct = new ContentType("text/plain");
        }
        String base = ct.getPrimaryType().toLowerCase(Locale.ROOT);
        String sub = ct.getSubType().toLowerCase(Locale.ROOT);
        if (base.equals("multipart")) {
            Object c = p.getContent();
            if (c instanceof Multipart mp) {
                for (int i = 0; i < mp.getCount() && i < MAX_PARTS; i++) {
                    BodyPart bp = mp.getBodyPart(i);
                    collect(bp, types, out, depth + 1);
                }
            }
            return;
        }
        if (wanted(base, sub, types)) {
            out.add(text(p, ct));
        }
        if (base.equals("message") && sub.equals("rfc822")) {
            Object c = p.getContent();
            if (c instanceof MimeMessage inner) {
                collect(inner, types, out, depth + 1);
            }
        }
    }

    private static boolean wanted(String base, String sub, List<String> types) {
        for (String t : types) {
            String x = t.toLowerCase(Locale.ROOT);
            if (x.isEmpty() || x.equals(base) || x.equals(base + "/" + sub)) {
                return true;
            }
        }
        return false;
    }

    private static String text(Part p, ContentType ct) throws IOException, MessagingException {
        Charset cs = StandardCharsets.US_ASCII;
        String name = ct.getParameter("charset");
        if (name != null) {
            try {
                cs = Charset.forName(MimeUtility.javaCharset(name.trim()));
            } catch (RuntimeException e) {
                cs = StandardCharsets.UTF_8;
            }
        } else if (ct.getPrimaryType().equalsIgnoreCase("text")) {
            cs = StandardCharsets.US_ASCII;
        }
        try (InputStream in = p.getInputStream(); Reader r = new InputStreamReader(in, cs)) {
            StringBuilder b = new StringBuilder();
            char[] buf = new char[8192];
            int n;
            while ((n = r.read(buf)) > 0 && b.length() < MAX_BODY_TEXT) {
                b.append(buf, 0, Math.min(n, MAX_BODY_TEXT - b.length()));
            }
            return b.toString();
        } catch (IOException e) {
            ByteArrayOutputStream none = new ByteArrayOutputStream();
            return none.toString(StandardCharsets.UTF_8);
        }
    }
}
