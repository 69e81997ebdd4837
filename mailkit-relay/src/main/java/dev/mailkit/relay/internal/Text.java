package dev.mailkit.relay.internal;

/** Making text from outside (remote replies, exception messages) safe for logs, records and headers. */
public final class Text {
    private Text() {
    }

    /**
     * Escapes control characters (C0, DEL, C1, line and paragraph separators) as {@code \xNN} / {@code \\uNNNN}, so
     * that the text is one line and shows what was received. Other characters are kept.
     */
    public static String escapeControls(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 && c != '\t' || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028'
                    || c == '\u2029';
            if (control) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                if (c < 0x100) {
                    sb.append(String.format("\\x%02X", (int) c));
                } else {
                    sb.append(String.format("\\u%04X", (int) c));
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * Printable ASCII only, one line, at most {@code max} characters: for header fields (DSN) where text from outside
     * must not add lines or non-ASCII bytes. Tabs become spaces; anything else outside 0x20..0x7E becomes '?'.
     */
    public static String asciiLine(String s, int max) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            sb.append(c == '\t' ? ' ' : c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (s.length() > max) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** A one-line description of an exception: its message, or its class when it has none. */
    public static String describe(Throwable t) {
        String m = t.getMessage();
        return escapeControls(m == null || m.isBlank() ? t.getClass().getSimpleName() : m);
    }
}
