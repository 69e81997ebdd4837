package dev.mailkit.imap.internal.preview;

/**
 * Turns the decoded text of a part into RFC 8970 preview text, as Dovecot's snippets do: every run of white space
 * (line breaks included) becomes one space, leading and trailing space is dropped, lines that begin with {@code >}
 * (quoted text of a reply) are left out unless nothing else is left (then the quoted text is the preview, its first
 * {@code >} kept, as Dovecot's), and the result stops at {@link #MAX_CHARS} characters (code points) without
 * a trailing space. Fed character by character; {@link #full()} says when more text cannot change the result.
 * Not thread-safe.
 */
final class SnippetText {
    /** The longest preview: RFC 8970 3.1 asks for at most 200 characters (and allows clients up to 256). */
    static final int MAX_CHARS = 200;

    private final Collapsed text = new Collapsed();
    private final Collapsed quoted = new Collapsed();
    private boolean lineStart = true;
    private boolean inQuote;

    /** Adds one decoded character. */
    void add(char c) {
        if (c == '\n' || c == '\r') {
            lineStart = true;
            inQuote = false;
            text.add(' ');
            quoted.add(' ');
            return;
        }
        if (lineStart && !isSpace(c)) {
            lineStart = false;
            if (c == '>') {
                inQuote = true;
                if (quoted.isEmpty()) {
                    quoted.marker(c);
                }
                return;
            }
        }
        (inQuote ? quoted : text).add(c);
    }

    /** Whether the preview is complete (more text cannot change it). */
    boolean full() {
        return text.full;
    }

    /** The preview: the unquoted text, or the quoted text if there was no other. */
    String result() {
        return text.isEmpty() ? quoted.sb.toString() : text.sb.toString();
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\u000B' || Character.isWhitespace(c);
    }

    /** Text with white space runs collapsed, up to {@link #MAX_CHARS} code points. */
    private static final class Collapsed {
        final StringBuilder sb = new StringBuilder();
        int chars;
        boolean pendingSpace;
        boolean full;
        boolean afterMarker;
        char highSurrogate;

        /** Appends a character that the white space after it does not follow (Dovecot's first quote mark). */
        void marker(char c) {
            sb.append(c);
            chars++;
            afterMarker = true;
        }

        boolean isEmpty() {
            return sb.length() == 0;
        }

        void add(char c) {
            if (full) {
                return;
            }
            if (isSpace(c)) {
                pendingSpace = sb.length() > 0 && !afterMarker;
                return;
            }
            afterMarker = false;
            if (Character.isISOControl(c)) {
                return;
            }
            if (Character.isHighSurrogate(c)) {
                highSurrogate = c;
                return;
            }
            boolean pair = Character.isLowSurrogate(c);
            if (pair && highSurrogate == 0) {
                return; // a lone low surrogate
            }
            int needed = pendingSpace ? 2 : 1;
            if (chars + needed > MAX_CHARS) {
                full = true;
                return;
            }
            if (pendingSpace) {
                sb.append(' ');
                chars++;
                pendingSpace = false;
            }
            if (pair) {
                sb.append(highSurrogate);
            }
            highSurrogate = 0;
            sb.append(c);
            chars++;
        }
    }
}
