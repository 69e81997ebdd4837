package dev.mailkit.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The flags of a message: {@link SystemFlag system flags} and keywords (IMAP flag keywords such as
 * {@code $Forwarded} or {@code $Junk}).
 *
 * <p>Keywords are compared without regard to ASCII case, as IMAP requires, and keep the spelling they were given
 * with; a mailbox keeps the spelling it first saw. A keyword must be an IMAP atom of at most
 * {@value #MAX_KEYWORD_LENGTH} characters that does not start with a backslash: printable ASCII without space,
 * <code>( ) &#123; % * " \ ]</code>; anything else is refused with {@link MailStoreException.Reason#INVALID_NAME}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Flags {
    /** The longest keyword accepted, in characters. */
    public static final int MAX_KEYWORD_LENGTH = 100;

    /** No flags at all. */
    public static final Flags NONE = new Flags(0, new String[0]);

    private static final Flags[] SYSTEM_ONLY = new Flags[32];

    static {
        SYSTEM_ONLY[0] = NONE;
        for (int i = 1; i < SYSTEM_ONLY.length; i++) {
            SYSTEM_ONLY[i] = new Flags(i, new String[0]);
        }
    }

    private final int bits;
    private final String[] keywords; // sorted by lower case, distinct ignoring case

    private Flags(int bits, String[] keywords) {
        this.bits = bits;
        this.keywords = keywords;
    }

    /** Flags with the given system flags and no keywords. */
    public static Flags of(SystemFlag... flags) {
        int b = 0;
        for (SystemFlag f : flags) {
            b |= f.bit();
        }
        return SYSTEM_ONLY[b];
    }

    /**
     * Flags with the given system flags and keywords (duplicates, also in other case, are dropped).
     *
     * @throws MailStoreException ({@code INVALID_NAME}) if a keyword is not valid
     */
    public static Flags of(Collection<SystemFlag> systemFlags, Collection<String> keywords) {
        int b = 0;
        for (SystemFlag f : systemFlags) {
            b |= f.bit();
        }
        if (keywords.isEmpty()) {
            return SYSTEM_ONLY[b];
        }
        List<String> list = new ArrayList<>(keywords.size());
        for (String k : keywords) {
            checkKeyword(k);
            list.add(k);
        }
        return new Flags(b, normalise(list));
    }

    /**
     * Flags from a compact system-flag word (bit {@code n} is the system flag with ordinal {@code n}) and already
     * validated keywords. For stores that keep flags as bits.
     */
    public static Flags ofBits(int systemBits, Collection<String> keywords) {
        if ((systemBits & ~31) != 0) {
            throw new IllegalArgumentException("unknown system flag bits: " + Integer.toBinaryString(systemBits));
        }
        return keywords.isEmpty() ? SYSTEM_ONLY[systemBits] : new Flags(systemBits, normalise(new ArrayList<>(keywords)));
    }

    /**
     * Parses IMAP flag names: system flags such as {@code \Seen} and keywords. {@code \Recent} is ignored (it cannot
     * be set).
     *
     * @throws MailStoreException ({@code INVALID_NAME}) for an unknown system flag ({@code \Foo}) or a bad keyword
     */
    public static Flags parse(Collection<String> imapFlags) {
        int b = 0;
        List<String> kw = new ArrayList<>();
        for (String s : imapFlags) {
            if (s.startsWith("\\")) {
                SystemFlag f = SystemFlag.fromImapName(s);
                if (f != null) {
                    b |= f.bit();
                } else if (!s.equalsIgnoreCase("\\Recent")) {
                    throw new MailStoreException(MailStoreException.Reason.INVALID_NAME,
                            "unknown system flag " + s + ": system flags are \\Seen \\Answered \\Flagged \\Deleted \\Draft");
                }
            } else {
                checkKeyword(s);
                kw.add(s);
            }
        }
        return kw.isEmpty() ? SYSTEM_ONLY[b] : new Flags(b, normalise(kw));
    }

    /** Whether the text is a valid keyword (see the class description). */
    public static boolean isValidKeyword(String keyword) {
        return keywordProblem(keyword) == null;
    }

    private static void checkKeyword(String k) {
        String problem = keywordProblem(k);
        if (problem != null) {
            throw new MailStoreException(MailStoreException.Reason.INVALID_NAME, problem);
        }
    }

    private static String keywordProblem(String k) {
        if (k == null || k.isEmpty()) {
            return "a keyword must not be empty";
        }
        if (k.length() > MAX_KEYWORD_LENGTH) {
            return "keyword of " + k.length() + " characters is too long (at most " + MAX_KEYWORD_LENGTH + ")";
        }
        if (k.charAt(0) == '\\') {
            return "keyword " + printable(k) + " starts with a backslash: only the system flags "
                    + "\\Seen \\Answered \\Flagged \\Deleted \\Draft may";
        }
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (c <= ' ' || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                return "keyword " + printable(k) + " contains " + describe(c)
                        + ": keywords are IMAP atoms (printable ASCII without space and ( ) { % * \" \\ ])";
            }
        }
        return null;
    }

    private static String describe(char c) {
        return c < ' ' || c >= 0x7f ? String.format("the character U+%04X", (int) c) : "'" + c + "'";
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 60; i++) {
            char c = s.charAt(i);
            if (c < ' ' || c >= 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(s.length() > 60 ? "...\"" : "\"").toString();
    }

    private static String[] normalise(List<String> kw) {
        kw.sort((a, b) -> a.toLowerCase(Locale.ROOT).compareTo(b.toLowerCase(Locale.ROOT)));
        List<String> out = new ArrayList<>(kw.size());
        for (String k : kw) {
            if (out.isEmpty() || !out.get(out.size() - 1).equalsIgnoreCase(k)) {
                out.add(k);
            }
        }
        return out.toArray(new String[0]);
    }

    /** Whether the system flag is set. */
    public boolean contains(SystemFlag flag) {
        return (bits & flag.bit()) != 0;
    }

    /** Whether the keyword is set (ignoring ASCII case). */
    public boolean containsKeyword(String keyword) {
        for (String k : keywords) {
            if (k.equalsIgnoreCase(keyword)) {
                return true;
            }
        }
        return false;
    }

    /** The system flags that are set. */
    public Set<SystemFlag> systemFlags() {
        EnumSet<SystemFlag> s = EnumSet.noneOf(SystemFlag.class);
        for (SystemFlag f : SystemFlag.values()) {
            if (contains(f)) {
                s.add(f);
            }
        }
        return Collections.unmodifiableSet(s);
    }

    /** The system flags as a compact word: bit {@code n} is the system flag with ordinal {@code n}. */
    public int systemBits() {
        return bits;
    }

    /** The keywords, sorted ignoring case. */
    public List<String> keywords() {
        return List.of(keywords);
    }

    /** Whether there are no flags and no keywords. */
    public boolean isEmpty() {
        return bits == 0 && keywords.length == 0;
    }

    /** These flags plus the other ones. */
    public Flags union(Flags other) {
        if (other.keywords.length == 0 && keywords.length == 0) {
            return SYSTEM_ONLY[bits | other.bits];
        }
        List<String> kw = new ArrayList<>(Arrays.asList(keywords));
        kw.addAll(Arrays.asList(other.keywords));
        return new Flags(bits | other.bits, normalise(kw));
    }

    /** These flags without the other ones. */
    public Flags minus(Flags other) {
        int b = bits & ~other.bits;
        if (keywords.length == 0) {
            return SYSTEM_ONLY[b];
        }
        List<String> kw = new ArrayList<>();
        for (String k : keywords) {
            if (!other.containsKeyword(k)) {
                kw.add(k);
            }
        }
        return kw.isEmpty() ? SYSTEM_ONLY[b] : new Flags(b, kw.toArray(new String[0]));
    }

    /** These flags with one more system flag. */
    public Flags with(SystemFlag flag) {
        return keywords.length == 0 ? SYSTEM_ONLY[bits | flag.bit()] : new Flags(bits | flag.bit(), keywords);
    }

    /** The flags as IMAP writes them: system flags first, then keywords, separated by spaces. */
    public List<String> toImapNames() {
        List<String> out = new ArrayList<>(5 + keywords.length);
        for (SystemFlag f : SystemFlag.values()) {
            if (contains(f)) {
                out.add(f.imapName());
            }
        }
        out.addAll(Arrays.asList(keywords));
        return out;
    }

    /** Equal if the same system flags and the same keywords ignoring case. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Flags)) {
            return false;
        }
        Flags f = (Flags) o;
        if (f.bits != bits || f.keywords.length != keywords.length) {
            return false;
        }
        for (int i = 0; i < keywords.length; i++) {
            if (!keywords[i].equalsIgnoreCase(f.keywords[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = bits;
        for (String k : keywords) {
            h = h * 31 + k.toLowerCase(Locale.ROOT).hashCode();
        }
        return h;
    }

    /** The IMAP form, for example {@code (\Seen $Forwarded)}. */
    @Override
    public String toString() {
        return "(" + String.join(" ", toImapNames()) + ")";
    }
}
