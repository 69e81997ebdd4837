package dev.mailkit.core.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header section of a message (RFC 5322 2.2), read byte-exactly: each field as it was written, folding included,
 * without its final CRLF. Reading stops right after the empty line that ends the header, so the same stream goes on
 * with the body. Bytes are kept as ISO-8859-1 characters (one char per byte), so UTF-8 header values survive
 * unchanged.
 */
public final class HeaderSection {
    private final List<String> fields;

    private HeaderSection(List<String> fields) {
        this.fields = fields;
    }

    /**
     * Reads the header section from the stream (CRLF line ends), consuming the empty line after it.
     *
     * @param maxBytes the largest header section accepted
     * @throws IOException if the header is larger than {@code maxBytes} or the stream fails
     */
    public static HeaderSection read(InputStream in, int maxBytes) throws IOException {
        List<String> fields = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        StringBuilder field = null;
        int total = 0;
        while (true) {
            line.reset();
            int b;
            boolean eof = false;
            while ((b = in.read()) != -1) {
                if (++total > maxBytes) {
                    throw new IOException("the header section is larger than " + maxBytes + " bytes");
                }
                if (b == '\n') {
                    break;
                }
                line.write(b);
            }
            if (b == -1) {
                eof = true;
            }
            byte[] l = line.toByteArray();
            int len = l.length > 0 && l[l.length - 1] == '\r' ? l.length - 1 : l.length;
            String text = new String(l, 0, len, StandardCharsets.ISO_8859_1);
            if (text.isEmpty()) {
                break; // the empty line (or the end of the message)
            }
            if ((text.charAt(0) == ' ' || text.charAt(0) == '\t') && field != null) {
                field.append("\r\n").append(text);
            } else {
                if (field != null) {
                    fields.add(field.toString());
                }
                field = new StringBuilder(text);
            }
            if (eof) {
                break;
            }
        }
        if (field != null) {
            fields.add(field.toString());
        }
        return new HeaderSection(fields);
    }

    /** The fields, raw, in order. */
    public List<String> fields() {
        return fields;
    }

    /** The name of a raw field (up to the colon), or the whole text if it has no colon. */
    public static String name(String field) {
        int colon = field.indexOf(':');
        return (colon < 0 ? field : field.substring(0, colon)).trim();
    }

    /** The unfolded value of a raw field, trimmed. */
    public static String value(String field) {
        int colon = field.indexOf(':');
        return colon < 0 ? "" : field.substring(colon + 1).replace("\r\n", "").trim();
    }

    /** The unfolded value of the first field with the given name (case-insensitive), or null. */
    public String first(String name) {
        for (String f : fields) {
            if (name(f).equalsIgnoreCase(name)) {
                return value(f);
            }
        }
        return null;
    }

    /** All raw fields with the given name, in order. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>();
        String n = name.toLowerCase(Locale.ROOT);
        for (String f : fields) {
            if (name(f).toLowerCase(Locale.ROOT).equals(n)) {
                out.add(f);
            }
        }
        return out;
    }
}
