package dev.mailkit.imap.internal.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The flags of a message or of a command's flag list: the system flags as bits and the keywords (RFC 3501 2.3.2).
 * Keywords compare case-insensitively and keep the spelling they were first given in. Immutable.
 */
public final class MessageFlags {
    public static final int SEEN = 1;
    public static final int ANSWERED = 2;
    public static final int FLAGGED = 4;
    public static final int DELETED = 8;
    public static final int DRAFT = 16;
    /** \Recent: a session attribute, never stored or set by clients. */
    public static final int RECENT = 32;

    /** The permanent system flags, in the order IMAP lists them. */
    public static final int[] SYSTEM = {ANSWERED, FLAGGED, DELETED, SEEN, DRAFT};
    private static final String[] SYSTEM_NAMES = {"\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"};

    public static final MessageFlags NONE = new MessageFlags(0, new String[0]);

    private final int system;
    private final String[] keywords;

    private MessageFlags(int system, String[] keywords) {
        this.system = system;
        this.keywords = keywords;
    }

    /** Flags from system bits and keywords (duplicates, ignoring case, are dropped). */
    public static MessageFlags of(int system, Collection<String> keywords) {
        if (keywords.isEmpty()) {
            return system == 0 ? NONE : new MessageFlags(system, NONE.keywords);
        }
        List<String> k = new ArrayList<>(keywords.size());
        for (String s : keywords) {
            if (indexOf(k, s) < 0) {
                k.add(s);
            }
        }
        return new MessageFlags(system, k.toArray(new String[0]));
    }

    private static final MessageFlags[] SYSTEM_ONLY = new MessageFlags[64];

    static {
        for (int i = 0; i < 64; i++) {
            SYSTEM_ONLY[i] = i == 0 ? null : new MessageFlags(i, new String[0]);
        }
    }

    /**
     * Flags from keywords that are already distinct (as a store keeps them): no copying beyond the array, no
     * duplicate check; system flags alone come from a shared table.
     */
    public static MessageFlags ofDistinct(int system, List<String> keywords) {
        if (keywords.isEmpty()) {
            return system == 0 ? NONE : system > 0 && system < 64 ? SYSTEM_ONLY[system]
                    : new MessageFlags(system, NONE.keywords);
        }
        return new MessageFlags(system, keywords.toArray(new String[0]));
    }

    /**
     * Parses a flag as IMAP writes it: {@code \Seen} etc. (any case) or a keyword atom.
     *
     * @return the system bit, or 0 for a keyword
     * @throws IllegalArgumentException for an unknown system flag ({@code \Foo})
     */
    public static int systemFlag(String flag) {
        if (!flag.startsWith("\\")) {
            return 0;
        }
        switch (flag.toLowerCase(Locale.ROOT)) {
            case "\\seen": return SEEN;
            case "\\answered": return ANSWERED;
            case "\\flagged": return FLAGGED;
            case "\\deleted": return DELETED;
            case "\\draft": return DRAFT;
            case "\\recent": return RECENT;
            default: throw new IllegalArgumentException("unknown system flag " + flag);
        }
    }

    /** The IMAP name of a system flag bit. */
    public static String systemName(int bit) {
        if (bit == RECENT) {
            return "\\Recent";
        }
        for (int i = 0; i < SYSTEM.length; i++) {
            if (SYSTEM[i] == bit) {
                return SYSTEM_NAMES[i];
            }
        }
        throw new IllegalArgumentException("not a system flag bit: " + bit);
    }

    /** The system flag bits. */
    public int system() {
        return system;
    }

    /** Whether a system flag is set. */
    public boolean has(int bit) {
        return (system & bit) != 0;
    }

    /** The keywords. */
    public List<String> keywords() {
        return List.of(keywords);
    }

    /** The number of keywords. */
    public int keywordCount() {
        return keywords.length;
    }

    /** The i-th keyword. */
    public String keyword(int i) {
        return keywords[i];
    }

    /** Whether the keyword is present (ignoring case). */
    public boolean hasKeyword(String k) {
        for (String s : keywords) {
            if (s.equalsIgnoreCase(k)) {
                return true;
            }
        }
        return false;
    }

    /** These flags plus the others. */
    public MessageFlags plus(MessageFlags o) {
        if (o.keywords.length == 0) {
            return (system | o.system) == system ? this : new MessageFlags(system | o.system, keywords);
        }
        List<String> k = new ArrayList<>(Arrays.asList(keywords));
        for (String s : o.keywords) {
            if (indexOf(k, s) < 0) {
                k.add(s);
            }
        }
        return new MessageFlags(system | o.system, k.toArray(new String[0]));
    }

    /** These flags without the others. */
    public MessageFlags minus(MessageFlags o) {
        List<String> k = new ArrayList<>(Arrays.asList(keywords));
        for (String s : o.keywords) {
            int i = indexOf(k, s);
            if (i >= 0) {
                k.remove(i);
            }
        }
        return new MessageFlags(system & ~o.system, k.toArray(new String[0]));
    }

    /** These flags with a system bit set or cleared. */
    public MessageFlags with(int bit, boolean on) {
        int s = on ? system | bit : system & ~bit;
        return s == system ? this : new MessageFlags(s, keywords);
    }

    private static int indexOf(List<String> list, String s) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).equalsIgnoreCase(s)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MessageFlags f) || f.system != system || f.keywords.length != keywords.length) {
            return false;
        }
        for (String k : keywords) {
            if (!f.hasKeyword(k)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = system;
        for (String k : keywords) {
            h += k.toLowerCase(Locale.ROOT).hashCode();
        }
        return h;
    }

    /** The IMAP flag list, e.g. {@code (\Seen $Forwarded)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < SYSTEM.length; i++) {
            if (has(SYSTEM[i])) {
                if (sb.length() > 1) {
                    sb.append(' ');
                }
                sb.append(SYSTEM_NAMES[i]);
            }
        }
        if (has(RECENT)) {
            sb.append(sb.length() > 1 ? " \\Recent" : "\\Recent");
        }
        for (String k : keywords) {
            if (sb.length() > 1) {
                sb.append(' ');
            }
            sb.append(k);
        }
        return sb.append(')').toString();
    }
}
