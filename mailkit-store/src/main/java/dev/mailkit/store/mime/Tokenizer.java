package dev.mailkit.store.mime;

import java.util.ArrayList;
import java.util.List;

/** An RFC 2045 tokenizer with RFC 822 comments and quoted strings, lenient about errors. */
final class Tokenizer {
    private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";
    private final String s;
    private int i;

    Tokenizer(String s) {
        this.s = s;
    }

    private void skipCfws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == '(') {
                int depth = 0;
                while (i < s.length()) {
                    char d = s.charAt(i++);
                    if (d == '\\') {
                        i++;
                    } else if (d == '(') {
                        depth++;
                    } else if (d == ')' && --depth == 0) {
                        break;
                    }
                }
            } else {
                return;
            }
        }
    }

    String token() {
        skipCfws();
        int start = i;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f || TSPECIALS.indexOf(c) >= 0) {
                break;
            }
            i++;
        }
        return i > start ? s.substring(start, i) : null;
    }

    boolean skip(char c) {
        skipCfws();
        if (i < s.length() && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    /** Skips one unexpected character; false at the end. */
    boolean skipJunk() {
        skipCfws();
        if (i >= s.length()) {
            return false;
        }
        i++;
        return true;
    }

    private String quoted() {
        StringBuilder sb = new StringBuilder();
        i++; // opening quote
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\' && i < s.length()) {
                c = s.charAt(i++);
            }
            if (c != '\r' && c != '\n') {
                sb.append(c);
            }
        }
        return sb.toString(); // unterminated: take the rest
    }

    /** {@code *(";" name "=" value)}, with RFC 2231 continuations joined. */
    List<MimeParameter> parameters() {
        List<String[]> raw = new ArrayList<>();
        while (true) {
            skipCfws();
            if (i >= s.length()) {
                break;
            }
            if (s.charAt(i) != ';') {
                // junk: resynchronise at the next ';'
                int semi = s.indexOf(';', i);
                if (semi < 0) {
                    break;
                }
                i = semi;
            }
            i++;
            String name = token();
            if (name == null) {
                continue;
            }
            if (!skip('=')) {
                continue;
            }
            skipCfws();
            String value;
            if (i < s.length() && s.charAt(i) == '"') {
                value = quoted();
            } else {
                int start = i;
                while (i < s.length() && s.charAt(i) != ';' && s.charAt(i) > ' ') {
                    i++;
                }
                value = s.substring(start, i);
            }
            raw.add(new String[] {name, value});
            if (raw.size() > 1000) {
                break;
            }
        }
        return Rfc2231.join(raw);
    }
}
