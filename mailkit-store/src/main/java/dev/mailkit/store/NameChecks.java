package dev.mailkit.store;

import java.text.Normalizer;

/** Character rules shared by mailbox names and account names. Stateless. */
final class NameChecks {
    /** Characters that look like {@code /} or {@code \\} without normalising to them. */
    private static final String SLASH_LOOKALIKES = "\u2044\u2215\u2216\u2571\u2572\u29F5\u29F8\u29F9\u3033";

    private NameChecks() {
    }

    /**
     * Why a name component is unsafe, or null if it is fine. Rejects control characters, invisible format characters
     * (bidi overrides, zero-width characters), line/paragraph separators, unpaired surrogates, noncharacters,
     * path separators and characters that look like them ({@code ∕ ⁄ ∖}), leading or trailing white space, text
     * not in Unicode NFC, and characters whose compatibility form (NFKC) is a separator or dot ({@code ／ ＼ ․ ．}),
     * so that no later normalisation can turn the name into a path.
     *
     * @param forbidden further ASCII characters that must not occur
     */
    static String problem(String s, String forbidden) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int cp = c;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return "contains an unpaired surrogate (invalid UTF-16) at position " + i;
                }
                cp = Character.toCodePoint(c, s.charAt(++i));
            } else if (Character.isLowSurrogate(c)) {
                return "contains an unpaired surrogate (invalid UTF-16) at position " + i;
            }
            if (cp == 0) {
                return "contains a NUL character";
            }
            if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
                return "contains the control character " + hex(cp);
            }
            if (cp == '/' || cp == '\\') {
                return "contains '" + (char) cp + "', a path separator";
            }
            if (cp < 0x80 && forbidden.indexOf(cp) >= 0) {
                return "contains '" + (char) cp + "'";
            }
            if (SLASH_LOOKALIKES.indexOf(cp) >= 0) {
                return "contains " + hex(cp) + ", which looks like a slash";
            }
            int type = Character.getType(cp);
            if (type == Character.FORMAT) {
                return "contains the invisible format character " + hex(cp)
                        + " (bidirectional controls and zero-width characters are not allowed)";
            }
            if (type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                return "contains the line or paragraph separator " + hex(cp);
            }
            if ((cp & 0xfffe) == 0xfffe || (cp >= 0xfdd0 && cp <= 0xfdef)) {
                return "contains the noncharacter " + hex(cp);
            }
        }
        if (Character.isWhitespace(s.codePointAt(0)) || Character.isSpaceChar(s.codePointAt(0))
                || Character.isWhitespace(s.codePointBefore(s.length()))
                || Character.isSpaceChar(s.codePointBefore(s.length()))) {
            return "begins or ends with white space";
        }
        // ASCII text is always NFC (and skipping the check keeps the Unicode tables unloaded for common names)
        if (!isAscii(s) && !Normalizer.isNormalized(s, Normalizer.Form.NFC)) {
            return "is not in Unicode normal form C (NFC); normalise it first";
        }
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                continue;
            }
            String k = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKC);
            for (int j = 0; j < k.length(); j++) {
                char c = k.charAt(j);
                if (c == '/' || c == '\\' || c == '.' || c < 0x20 || (c < 0x80 && forbidden.indexOf(c) >= 0)) {
                    return "contains " + hex(cp) + ", which looks like '" + (c < 0x20 ? hex(c) : String.valueOf(c))
                            + "' (its Unicode compatibility form is that character)";
                }
            }
        }
        return null;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    static String hex(int cp) {
        return String.format("U+%04X", cp);
    }

    /** The text for an error message: quoted, control characters escaped, shortened. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        int n = 0;
        for (int i = 0; i < s.length() && n < 80; i++, n++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.getType(c) == Character.FORMAT
                    || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > 80) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }
}
