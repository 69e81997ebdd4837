package dev.mailkit.web.internal.mail;

import dev.mailkit.store.Flags;

import java.util.ArrayList;
import java.util.List;

/**
 * Mailpit's tags as IMAP keywords, so that a tag set in the inbox is a keyword in Thunderbird and back. A tag may
 * hold letters, digits, {@code -}, {@code .}, {@code _} and spaces (Mailpit's rule; other characters are dropped); a
 * space is stored as {@code +}, which tags never contain. Keywords starting with {@code $} ({@code $Forwarded},
 * {@code $Junk} ...) are the IMAP clients' own and are not shown as tags. Stateless.
 */
public final class Tags {
    private Tags() {
    }

    /** The tags among the flags' keywords. */
    public static List<String> of(Flags f) {
        List<String> out = new ArrayList<>();
        if (f == null) {
            return out;
        }
        for (String k : f.keywords()) {
            if (!k.startsWith("$")) {
                out.add(k.replace('+', ' '));
            }
        }
        return out;
    }

    /** A tag cleaned by Mailpit's rule (may come back empty). */
    public static String clean(String tag) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tag.length() && sb.length() < 100; i++) {
            char c = tag.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == ' ') {
                sb.append(c);
            }
        }
        return sb.toString().trim().replaceAll(" +", " ");
    }

    /** The keyword that stores a (clean, non-empty) tag. */
    public static String keyword(String cleanTag) {
        return cleanTag.replace(' ', '+');
    }
}
