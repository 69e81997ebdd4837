package dev.mailkit.scan.internal;

import dev.mailkit.core.MessageSource;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A message's header section read byte-exactly (each field with its folding, as ISO-8859-1 characters so that UTF-8
 * survives), and where the body starts. Reading stops after the empty line; at most {@link #MAX_HEADER} bytes are
 * read.
 */
public final class MessageHeader {
    /** The largest header section read. */
    public static final int MAX_HEADER = 4 * 1024 * 1024;

    /**
     * One field.
     *
     * @param raw   the whole field as it was written, folding included, without its final CRLF
     * @param name  the field name ("" for a line that is no field)
     * @param value everything after the colon, folding included
     */
    public record Field(String raw, String name, String value) {
        /** Whether this field has the given name (case-insensitive). */
        public boolean is(String other) {
            return name.equalsIgnoreCase(other);
        }
    }

    private final List<Field> fields;
    private final long bodyOffset;
    private final boolean separator;

    private MessageHeader(List<Field> fields, long bodyOffset, boolean separator) {
        this.fields = fields;
        this.bodyOffset = bodyOffset;
        this.separator = separator;
    }

    /** Reads the header of a message. */
    public static MessageHeader of(MessageSource message) throws IOException {
        try (InputStream in = new BufferedInputStream(message.openStream(), 8192)) {
            return read(in, MAX_HEADER);
        }
    }

    /**
     * Reads a header section from the stream, leaving the stream at the start of the body.
     *
     * @throws IOException if the header section is longer than {@code max} bytes
     */
    public static MessageHeader read(InputStream in, int max) throws IOException {
        List<Field> fields = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        StringBuilder field = null;
        long total = 0;
        boolean separator = false;
        while (true) {
            line.reset();
            int b;
            boolean sawLf = false;
            while ((b = in.read()) != -1) {
                if (++total > max) {
                    throw new IOException("the header section is larger than " + max + " bytes");
                }
                if (b == '\n') {
                    sawLf = true;
                    break;
                }
                line.write(b);
            }
            byte[] l = line.toByteArray();
            int len = l.length > 0 && l[l.length - 1] == '\r' ? l.length - 1 : l.length;
            String text = new String(l, 0, len, StandardCharsets.ISO_8859_1);
            if (text.isEmpty()) {
                separator = sawLf || b != -1;
                break;
            }
            if ((text.charAt(0) == ' ' || text.charAt(0) == '\t') && field != null) {
                field.append("\r\n").append(text);
            } else {
                if (field != null) {
                    fields.add(field(field.toString()));
                }
                field = new StringBuilder(text);
            }
            if (!sawLf) {
                break;
            }
        }
        if (field != null) {
            fields.add(field(field.toString()));
        }
        return new MessageHeader(List.copyOf(fields), total, separator);
    }

    private static Field field(String raw) {
        int colon = raw.indexOf(':');
        if (colon <= 0 || !Texts.isFieldName(raw.substring(0, colon).trim())) {
            return new Field(raw, "", raw);
        }
        return new Field(raw, raw.substring(0, colon).trim(), raw.substring(colon + 1));
    }

    /** The fields, in order. */
    public List<Field> fields() {
        return fields;
    }

    /** Where the body starts (after the empty line). */
    public long bodyOffset() {
        return bodyOffset;
    }

    /** Whether the header ended with an empty line (a message without one is all header). */
    public boolean hasSeparator() {
        return separator;
    }

    /** Whether any field has one of these names (lower case). */
    public boolean hasAny(java.util.Set<String> lowerCaseNames) {
        for (Field f : fields) {
            if (lowerCaseNames.contains(f.name().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** The first value of a field, unfolded and trimmed, or null. */
    public String first(String name) {
        for (Field f : fields) {
            if (f.is(name)) {
                return f.value().replace("\r\n", "").trim();
            }
        }
        return null;
    }
}
