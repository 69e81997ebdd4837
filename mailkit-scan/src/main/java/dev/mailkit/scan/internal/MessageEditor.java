package dev.mailkit.scan.internal;

import dev.mailkit.core.filter.HeaderField;
import dev.mailkit.core.MessageSource;
import dev.mailkit.scan.HeaderEdit;
import jakarta.mail.internet.MimeUtility;

import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Makes the message a scanner asked for: the header section rewritten (fields removed, changed, inserted, added; new
 * fields at the top), followed by the original body (a slice of the original source, not a copy) or a replacement
 * body. Only the header section is held in memory.
 */
public final class MessageEditor {
    private MessageEditor() {
    }

    /**
     * The edited message; the caller owns (closes) it.
     *
     * @param edits       applied in order
     * @param newBody     a replacement body (with CRLF line ends), or null to keep the body
     * @param top         fields to put at the very top, {name, value} each, in order
     * @param removeNames fields (lower-case names) to remove entirely before anything else
     */
    public static MessageSource apply(MessageSource message, List<HeaderEdit> edits, MessageSource newBody,
                                      List<String[]> top, Set<String> removeNames) throws IOException {
        MessageHeader header = MessageHeader.of(message);
        List<String> fields = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (MessageHeader.Field f : header.fields()) {
            if (!removeNames.contains(f.name().toLowerCase(Locale.ROOT))) {
                fields.add(f.raw());
                names.add(f.name());
            }
        }
        for (HeaderEdit e : edits) {
            apply(e, fields, names);
        }
        StringBuilder sb = new StringBuilder(4096);
        for (String[] t : top) {
            sb.append(format(t[0], t[1])).append("\r\n");
        }
        for (String f : fields) {
            sb.append(f).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (newBody != null) {
            return newBody.withPrefix(head);
        }
        long from = header.hasSeparator() ? header.bodyOffset() : message.size();
        try (MessageSource body = message.slice(from, message.size() - from)) {
            return body.withPrefix(head);
        }
    }

    private static void apply(HeaderEdit e, List<String> fields, List<String> names) {
        String field = e.kind() == HeaderEdit.Kind.REMOVE ? null : format(e.name(), e.value());
        switch (e.kind()) {
            case ADD -> {
                fields.add(field);
                names.add(e.name());
            }
            case INSERT -> {
                int at = Math.min(e.index(), fields.size());
                fields.add(at, field);
                names.add(at, e.name());
            }
            case CHANGE -> {
                int at = nth(names, e.name(), e.index());
                if (at < 0) {
                    fields.add(field);
                    names.add(e.name());
                } else {
                    fields.set(at, field);
                }
            }
            case REMOVE -> {
                if (e.index() == 0) {
                    for (int i = names.size() - 1; i >= 0; i--) {
                        if (names.get(i).equalsIgnoreCase(e.name())) {
                            names.remove(i);
                            fields.remove(i);
                        }
                    }
                } else {
                    int at = nth(names, e.name(), e.index());
                    if (at >= 0) {
                        names.remove(at);
                        fields.remove(at);
                    }
                }
            }
            default -> throw new IllegalStateException(e.kind().toString());
        }
    }

    /** The position of the n-th field of this name (1 = first, -1 = last), or -1. */
    private static int nth(List<String> names, String name, int n) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                at.add(i);
            }
        }
        int k = n > 0 ? n - 1 : at.size() + n;
        return k >= 0 && k < at.size() ? at.get(k) : -1;
    }

    /**
     * A field as written: {@code Name: value}, folded at 78 characters where possible; a value with non-ASCII
     * characters is RFC 2047-encoded (UTF-8) first. Values have only folding line breaks (see {@link HeaderEdit}).
     */
    public static String format(String name, String value) {
        String v = value;
        if (!v.chars().allMatch(c -> c < 127)) {
            try {
                v = MimeUtility.encodeText(v.replace("\r\n", ""), "UTF-8", "Q");
            } catch (UnsupportedEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        // a milter that asked for the leading space (SMFIP_HDR_LEADSPC) sends the value with it
        String sep = !v.isEmpty() && (v.charAt(0) == ' ' || v.charAt(0) == '\t') ? ":" : ": ";
        if (v.contains("\r\n")) {
            return name + sep + v; // already folded by whoever wrote it
        }
        return HeaderField.fold(name + sep + v);
    }
}
