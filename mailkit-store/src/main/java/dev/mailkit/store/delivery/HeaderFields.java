package dev.mailkit.store.delivery;

import dev.mailkit.core.MessageSource;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the values of one header field from a message's header section (unfolded, trimmed), without parsing the
 * rest: cheap enough to run on every delivery. Reads at most {@value #MAX_HEADER} octets. Stateless.
 */
final class HeaderFields {
    static final int MAX_HEADER = 256 * 1024;

    private HeaderFields() {
    }

    /** The values of every field named {@code name} (case-insensitive), in order. */
    static List<String> values(MessageSource message, String name) throws IOException {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        List<String> out = new ArrayList<>(2);
        try (InputStream in = new BufferedInputStream(message.openStream(), 8192)) {
            StringBuilder field = null;
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(128);
            int read = 0;
            while (read < MAX_HEADER) {
                bytes.reset();
                int c;
                while ((c = in.read()) >= 0 && c != '\n') {
                    read++;
                    if (c != '\r' && bytes.size() < 8192) {
                        bytes.write(c);
                    }
                }
                read++;
                String line = bytes.toString(StandardCharsets.UTF_8);
                boolean end = c < 0 || line.length() == 0;
                boolean continuation = !end && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
                if (field != null && !continuation) {
                    out.add(field.toString().trim());
                    field = null;
                }
                if (end) {
                    break;
                }
                if (continuation) {
                    if (field != null) {
                        field.append(' ').append(line.trim());
                    }
                } else if (line.length() > prefix.length()
                        && line.substring(0, prefix.length()).toLowerCase(Locale.ROOT).equals(prefix)) {
                    field = new StringBuilder(line.substring(prefix.length()));
                }
            }
        }
        return out;
    }

    /** The field line {@code Name: value\r\n} as UTF-8 (values come from validated addresses: no CR/LF). */
    static byte[] line(String name, String value) {
        return (name + ": " + value + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
