package dev.mailkit.imap.internal.protocol;

/** Character classes of the IMAP grammar (RFC 3501 section 9), as table lookups. */
public final class Ascii {
    private static final int ATOM = 1;
    private static final int ASTRING = 2;
    private static final int LIST = 4;
    private static final int TAG = 8;
    private static final int QUOTED_PLAIN = 16;
    private static final int[] CLASS = new int[256];

    static {
        for (int c = 0x21; c < 0x7F; c++) {
            boolean atomSpecial = c == '(' || c == ')' || c == '{' || c == '%' || c == '*' || c == '"' || c == '\\'
                    || c == ']';
            int k = 0;
            if (!atomSpecial) {
                k |= ATOM | ASTRING | LIST;
                if (c != '+') {
                    k |= TAG;
                }
            }
            if (c == ']') {
                k |= ASTRING | LIST | TAG;
            }
            if (c == '%' || c == '*') {
                k |= LIST;
            }
            if (c != '"' && c != '\\') {
                k |= QUOTED_PLAIN;
            }
            CLASS[c] = k;
        }
        CLASS[' '] |= QUOTED_PLAIN;
    }

    private Ascii() {
    }

    /** ATOM-CHAR: a CHAR that is not an atom-special. */
    public static boolean isAtomChar(int c) {
        return c >= 0 && (CLASS[c & 0xFF] & ATOM) != 0;
    }

    /** ASTRING-CHAR: ATOM-CHAR or "]". */
    public static boolean isAstringChar(int c) {
        return c >= 0 && (CLASS[c & 0xFF] & ASTRING) != 0;
    }

    /** list-char: ATOM-CHAR, list-wildcards or resp-specials. */
    public static boolean isListChar(int c) {
        return c >= 0 && (CLASS[c & 0xFF] & LIST) != 0;
    }

    /** A character allowed in a tag: ASTRING-CHAR except "+". */
    public static boolean isTagChar(int c) {
        return c >= 0 && (CLASS[c & 0xFF] & TAG) != 0;
    }

    /** A character that may appear unescaped in a quoted string sent by the server. */
    public static boolean isQuotedPlain(int c) {
        return c >= 0 && c < 256 && (CLASS[c] & QUOTED_PLAIN) != 0;
    }

    /** ASCII upper case; other values unchanged. */
    public static int toUpper(int c) {
        return c >= 'a' && c <= 'z' ? c - 32 : c;
    }
}
