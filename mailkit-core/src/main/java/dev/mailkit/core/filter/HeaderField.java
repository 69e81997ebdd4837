package dev.mailkit.core.filter;

import java.util.Objects;

/**
 * One header field a filter adds to a message ({@code name: value}). The name must be RFC 5322 field-name
 * characters; the value must not contain CR, LF or NUL (long values are folded by the server). Immutable.
 */
public final class HeaderField {
    private final String name;
    private final String value;

    /**
     * Creates the field.
     *
     * @throws IllegalArgumentException if the name is not a valid field name or the value contains CR, LF or NUL
     */
    public HeaderField(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("header field name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 32 || c >= 127 || c == ':') {
                throw new IllegalArgumentException("header field name '" + name
                        + "' may only contain printable ASCII other than ':' and space");
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("header field value for '" + name
                        + "' must not contain CR, LF or NUL");
            }
        }
        this.name = name;
        this.value = value;
    }

    /** The field name. */
    public String name() {
        return name;
    }

    /** The unfolded value. */
    public String value() {
        return value;
    }

    /**
     * The field as one header line, {@code Name: value}, folded at spaces so that no line is longer than 78
     * characters where that is possible (RFC 5322 2.1.1), without the final CRLF.
     */
    public String folded() {
        return fold(name + ": " + value);
    }

    /**
     * Folds a header line at spaces so that no line exceeds 78 characters where possible (a line without a space
     * to break at stays as it is); continuation lines start with a tab.
     */
    public static String fold(String line) {
        if (line.length() <= 78) {
            return line;
        }
        StringBuilder sb = new StringBuilder(line.length() + 16);
        int lineStart = 0;
        int lastSpace = -1;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ' ' && i > lineStart) {
                lastSpace = i;
            }
            if (i - lineStart >= 78 && lastSpace > lineStart) {
                sb.append(line, lineStart, lastSpace).append("\r\n\t");
                lineStart = lastSpace + 1;
                lastSpace = -1;
            }
        }
        return sb.append(line.substring(lineStart)).toString();
    }

    @Override
    public String toString() {
        return name + ": " + value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderField && ((HeaderField) o).name.equals(name) && ((HeaderField) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + value.hashCode();
    }
}
