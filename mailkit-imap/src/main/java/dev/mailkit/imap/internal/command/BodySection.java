package dev.mailkit.imap.internal.command;

import java.util.List;

/**
 * BODY[section]&lt;partial&gt;, BODY.PEEK[...], BINARY[...], BINARY.PEEK[...] and BINARY.SIZE[...] (RFC 3501 6.4.5,
 * RFC 3516). {@code part} is the part path ({@code 1.2} = [1, 2]; empty for the whole message); {@code text} says
 * which piece of it; {@code fields} lists the header field names for HEADER.FIELDS (NOT); {@code partialOffset} is -1
 * when no partial range was asked for.
 */
public record BodySection(Kind kind, boolean peek, List<Integer> part, Text text, List<String> fields,
                          long partialOffset, long partialLength) implements FetchItem {
    /** BODY, BINARY or BINARY.SIZE. */
    public enum Kind { BODY, BINARY, BINARY_SIZE }

    /** The section-text. */
    public enum Text { NONE, HEADER, HEADER_FIELDS, HEADER_FIELDS_NOT, TEXT, MIME }

    public BodySection {
        part = List.copyOf(part);
        fields = List.copyOf(fields);
    }

    /** Whether fetching it sets \Seen. */
    public boolean setsSeen() {
        return !peek && kind != Kind.BINARY_SIZE;
    }

    /**
     * The item name as the response echoes it, e.g. {@code BODY[1.HEADER.FIELDS (From To)]<0>} (the partial part
     * shows only the origin, RFC 3501 7.4.2).
     */
    public String responseName() {
        StringBuilder sb = new StringBuilder(32);
        sb.append(kind == Kind.BODY ? "BODY[" : kind == Kind.BINARY ? "BINARY[" : "BINARY.SIZE[");
        appendSection(sb);
        sb.append(']');
        if (partialOffset >= 0 && kind != Kind.BINARY_SIZE) {
            sb.append('<').append(partialOffset).append('>');
        }
        return sb.toString();
    }

    private void appendSection(StringBuilder sb) {
        for (int i = 0; i < part.size(); i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(part.get(i));
        }
        if (text == Text.NONE) {
            return;
        }
        if (!part.isEmpty()) {
            sb.append('.');
        }
        switch (text) {
            case HEADER -> sb.append("HEADER");
            case TEXT -> sb.append("TEXT");
            case MIME -> sb.append("MIME");
            case HEADER_FIELDS, HEADER_FIELDS_NOT -> {
                sb.append(text == Text.HEADER_FIELDS ? "HEADER.FIELDS (" : "HEADER.FIELDS.NOT (");
                for (int i = 0; i < fields.size(); i++) {
                    if (i > 0) {
                        sb.append(' ');
                    }
                    sb.append(fields.get(i));
                }
                sb.append(')');
            }
            default -> throw new AssertionError(text);
        }
    }
}
