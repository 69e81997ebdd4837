package dev.mailkit.relay.internal;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a server offers in its EHLO reply (RFC 5321 4.1.1.1): the extension keywords (upper case), the SIZE limit
 * and the AUTH mechanisms. A server that only knows HELO offers {@link #NONE}. Immutable.
 */
final class Extensions {
    /** No extensions: the server answered HELO only. */
    static final Extensions NONE = new Extensions(Set.of(), Set.of(), 0);

    private final Set<String> keywords;
    private final Set<String> authMechanisms;
    private final long sizeLimit;

    private Extensions(Set<String> keywords, Set<String> authMechanisms, long sizeLimit) {
        this.keywords = keywords;
        this.authMechanisms = authMechanisms;
        this.sizeLimit = sizeLimit;
    }

    /** The extensions of a positive EHLO reply: every line after the first names one, with its parameters. */
    static Extensions of(Reply ehlo) {
        Set<String> keywords = new HashSet<>();
        Set<String> auth = new HashSet<>();
        long size = 0;
        for (int i = 1; i < ehlo.lines.size(); i++) {
            String l = ehlo.lines.get(i);
            String kw = l.length() > 4 ? l.substring(4).trim() : "";
            String[] parts = kw.split(" +");
            String name = parts[0].toUpperCase(Locale.ROOT);
            keywords.add(name);
            if (name.equals("SIZE") && parts.length > 1) {
                try {
                    size = Long.parseLong(parts[1]);
                } catch (NumberFormatException ignored) {
                    size = 0;
                }
            } else if (name.equals("AUTH")) {
                for (int j = 1; j < parts.length; j++) {
                    auth.add(parts[j].toUpperCase(Locale.ROOT));
                }
            }
        }
        return new Extensions(keywords, auth, size);
    }

    /** Whether the server offers the extension (an upper-case keyword such as {@code PIPELINING}). */
    boolean has(String keyword) {
        return keywords.contains(keyword);
    }

    /** The SIZE limit the server announced, or 0 for none. */
    long sizeLimit() {
        return sizeLimit;
    }

    /** The AUTH mechanisms offered (upper case). */
    Set<String> authMechanisms() {
        return authMechanisms;
    }
}
