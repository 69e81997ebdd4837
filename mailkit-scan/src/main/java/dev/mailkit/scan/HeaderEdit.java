package dev.mailkit.scan;

import dev.mailkit.scan.internal.Texts;

import java.util.Objects;

/**
 * A change to a message's header section that a scanner asks for: Rspamd's {@code milter.add_headers} and
 * {@code remove_headers}, its subject rewriting, or a milter's add, insert and change header actions.
 *
 * <p>Values are checked when an edit is made: a value may be folded (a line break followed by a space or tab, then
 * more text), but any other CR or LF, a NUL, or a value over 16 KiB is refused, so no scanner can inject a header
 * field or a body through an edit. Values with non-ASCII characters are written RFC 2047-encoded.
 *
 * @param kind  what to do
 * @param name  the field name
 * @param index for {@link Kind#INSERT} the position among all fields (0 = at the top); for {@link Kind#CHANGE} and
 *              {@link Kind#REMOVE} which field of that name (1 = the first; for REMOVE 0 = every one, -1 = the last)
 * @param value the new value (unfolded or folded), empty for REMOVE
 */
public record HeaderEdit(Kind kind, String name, int index, String value) {
    /** The most a value may hold. */
    public static final int MAX_VALUE = 16 * 1024;

    /** The kinds of edit. */
    public enum Kind {
        /** Add a field at the end of the header section. */
        ADD,
        /** Insert a field at a position among all fields (0 = the top). */
        INSERT,
        /** Replace the value of the index-th field of this name (added if there is none). */
        CHANGE,
        /** Remove the index-th field of this name (0: all of them; negative: counted from the end). */
        REMOVE
    }

    /**
     * Checks the edit.
     *
     * @throws IllegalArgumentException if the name is not a field name, or the value could inject anything
     */
    public HeaderEdit {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        if (!Texts.isFieldName(name)) {
            throw new IllegalArgumentException("'" + Texts.printable(name, 80) + "' is not a header field name");
        }
        if (value.length() > MAX_VALUE) {
            throw new IllegalArgumentException("the value of " + name + " is longer than " + MAX_VALUE + " characters");
        }
        value = folded(name, value);
        if ((kind == Kind.INSERT && index < 0) || (kind == Kind.CHANGE && index < 1)) {
            throw new IllegalArgumentException(kind + " of " + name + " needs a " + (kind == Kind.INSERT
                    ? "position of 0 or more" : "field number of 1 or more") + ", was " + index);
        }
    }

    /** Adds a field at the end of the header section. */
    public static HeaderEdit add(String name, String value) {
        return new HeaderEdit(Kind.ADD, name, 0, value);
    }

    /** Inserts a field at a position (0 = the top). */
    public static HeaderEdit insert(int position, String name, String value) {
        return new HeaderEdit(Kind.INSERT, name, position, value);
    }

    /** Sets the value of the n-th field of this name (1 = the first), adding it if there is none. */
    public static HeaderEdit change(String name, int nth, String value) {
        return new HeaderEdit(Kind.CHANGE, name, nth, value);
    }

    /** Removes the n-th field of this name (1 = the first, 0 = all, -1 = the last). */
    public static HeaderEdit remove(String name, int nth) {
        return new HeaderEdit(Kind.REMOVE, name, nth, "");
    }

    /** The value with every line break as CRLF, refusing breaks that are not folding. */
    private static String folded(String name, String v) {
        if (v.indexOf('\r') < 0 && v.indexOf('\n') < 0 && v.indexOf('\0') < 0) {
            return v;
        }
        StringBuilder sb = new StringBuilder(v.length() + 8);
        int i = 0;
        while (i < v.length()) {
            char c = v.charAt(i);
            if (c == '\0') {
                throw new IllegalArgumentException("the value of " + name + " contains NUL");
            }
            if (c == '\r' || c == '\n') {
                int next = c == '\r' && i + 1 < v.length() && v.charAt(i + 1) == '\n' ? i + 2 : i + 1;
                if (c == '\r' && next == i + 1) {
                    throw new IllegalArgumentException("the value of " + name + " contains a bare CR");
                }
                if (next >= v.length() || (v.charAt(next) != ' ' && v.charAt(next) != '\t')
                        || v.substring(next).isBlank() || lineIsBlank(v, next)) {
                    throw new IllegalArgumentException("the value of " + name
                            + " contains a line break that is not folding (it would start a new field or the body)");
                }
                sb.append("\r\n");
                i = next;
                continue;
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }

    /** Whether the continuation line starting at {@code from} holds only spaces and tabs. */
    private static boolean lineIsBlank(String v, int from) {
        for (int i = from; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\r' || c == '\n') {
                return true;
            }
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }
}
