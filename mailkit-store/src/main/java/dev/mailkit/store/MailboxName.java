package dev.mailkit.store;

import dev.mailkit.core.ModifiedUtf7;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated name of a mailbox in a user's hierarchy, such as {@code INBOX}, {@code Sent} or
 * {@code Archive.2026}. Levels are separated by {@value #DELIMITER} (the Maildir++ and Dovecot default, so that a
 * Maildir's folder {@code .Archive.2026} is the mailbox {@code Archive.2026}); a front end that shows another
 * delimiter to its clients translates.
 *
 * <p>Names are Unicode ({@link ModifiedUtf7} is the IMAP wire form). {@code INBOX} is case-insensitive and always
 * written {@code INBOX}, also as the first level of a longer name; all other levels are case-sensitive.
 *
 * <p>Because names become file names, {@link #of(String)} refuses, rather than repairs, anything that could
 * reach outside the user's directory or confuse a person: empty levels (leading, trailing or doubled
 * {@code .}), {@code /} and {@code \}, NUL and other control characters, the IMAP wildcards {@code *} and
 * {@code %}, invisible format characters (bidi overrides, zero-width characters), leading or trailing white space
 * in a level, text not in Unicode NFC, characters whose compatibility form is a dot or a slash (such as
 * {@code ․} U+2024 or {@code ／} U+FF0F), a first level that only looks like INBOX (such as full-width
 * {@code ＩＮＢＯＸ}), and names longer than {@value #MAX_ENCODED_LENGTH} octets in modified UTF-7. The exception
 * ({@link MailStoreException.Reason#INVALID_NAME}) says which rule was broken.
 *
 * <p>Immutable and thread-safe. Ordered with INBOX first, then by name.
 */
public final class MailboxName implements Comparable<MailboxName> {
    /** The hierarchy delimiter. */
    public static final char DELIMITER = '.';

    /** The longest name accepted, in octets of modified UTF-7 (so that it fits in one file name with a prefix). */
    public static final int MAX_ENCODED_LENGTH = 250;

    /** The INBOX. */
    public static final MailboxName INBOX = new MailboxName("INBOX", List.of("INBOX"));

    private final String name;
    private final List<String> levels;

    private MailboxName(String name, List<String> levels) {
        this.name = name;
        this.levels = levels;
    }

    /**
     * Validates a name (levels separated by {@value #DELIMITER}).
     *
     * @throws MailStoreException ({@code INVALID_NAME}) if the name breaks one of the rules above
     */
    public static MailboxName of(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw invalid(name, "is empty");
        }
        List<String> levels = new ArrayList<>(4);
        int start = 0;
        while (true) {
            int dot = name.indexOf(DELIMITER, start);
            String level = dot < 0 ? name.substring(start) : name.substring(start, dot);
            if (level.isEmpty()) {
                throw invalid(name, start == 0 ? "begins with the delimiter '.'"
                        : dot < 0 ? "ends with the delimiter '.'" : "has an empty level ('..')");
            }
            levels.add(level);
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        for (String level : levels) {
            String problem = NameChecks.problem(level, "*%");
            if (problem != null) {
                throw invalid(name, (levels.size() > 1 ? "level " + NameChecks.quote(level) + " " : "") + problem);
            }
        }
        String first = levels.get(0);
        if (first.equalsIgnoreCase("INBOX")) {
            levels.set(0, "INBOX");
        } else if (!isAscii(first) && Normalizer.normalize(first, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
                .equals("inbox")) {
            throw invalid(name, "only looks like INBOX; write INBOX in ASCII");
        }
        String canonical = levels.size() == 1 ? levels.get(0) : String.join(String.valueOf(DELIMITER), levels);
        int encoded = ModifiedUtf7.encodedLength(canonical);
        if (encoded > MAX_ENCODED_LENGTH) {
            throw invalid(name, "is " + encoded + " octets long in modified UTF-7; at most " + MAX_ENCODED_LENGTH
                    + " are allowed");
        }
        if (canonical.equals("INBOX")) {
            return INBOX;
        }
        return new MailboxName(canonical, Collections.unmodifiableList(levels));
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static MailStoreException invalid(String name, String why) {
        return new MailStoreException(MailStoreException.Reason.INVALID_NAME,
                "invalid mailbox name " + NameChecks.quote(name) + ": it " + why);
    }

    /** The levels, from the top (at least one). */
    public List<String> levels() {
        return levels;
    }

    /** The number of levels. */
    public int depth() {
        return levels.size();
    }

    /** The last level. */
    public String leaf() {
        return levels.get(levels.size() - 1);
    }

    /** Whether this is the INBOX itself (not one of its children). */
    public boolean isInbox() {
        return this == INBOX;
    }

    /** The parent, or empty for a top-level name. */
    public Optional<MailboxName> parent() {
        if (levels.size() == 1) {
            return Optional.empty();
        }
        return Optional.of(of(name.substring(0, name.length() - leaf().length() - 1)));
    }

    /** Every ancestor, from the top level down (empty for a top-level name). */
    public List<MailboxName> ancestors() {
        List<MailboxName> out = new ArrayList<>(levels.size() - 1);
        int pos = 0;
        for (int i = 0; i < levels.size() - 1; i++) {
            pos += levels.get(i).length();
            out.add(of(name.substring(0, pos)));
            pos++;
        }
        return out;
    }

    /**
     * The name of a child of this mailbox.
     *
     * @throws MailStoreException ({@code INVALID_NAME}) if the level is not valid (or contains the delimiter)
     */
    public MailboxName child(String level) {
        if (level.indexOf(DELIMITER) >= 0) {
            throw invalid(level, "contains the delimiter '.' and so is not one level");
        }
        return of(name + DELIMITER + level);
    }

    /** Whether this name is below {@code other} in the hierarchy (a child, grandchild ...; not equal). */
    public boolean isInferiorOf(MailboxName other) {
        return name.length() > other.name.length() + 1 && name.startsWith(other.name)
                && name.charAt(other.name.length()) == DELIMITER;
    }

    /**
     * This name moved from below {@code oldAncestor} to below {@code newAncestor} (for RENAME of a hierarchy).
     *
     * @throws IllegalArgumentException if this name is neither {@code oldAncestor} nor below it
     * @throws MailStoreException ({@code INVALID_NAME}) if the new name would be invalid (too long)
     */
    public MailboxName moved(MailboxName oldAncestor, MailboxName newAncestor) {
        if (equals(oldAncestor)) {
            return newAncestor;
        }
        if (!isInferiorOf(oldAncestor)) {
            throw new IllegalArgumentException(name + " is not below " + oldAncestor);
        }
        return of(newAncestor.name + name.substring(oldAncestor.name.length()));
    }

    /** The name in modified UTF-7, as IMAP sends it. */
    public String toModifiedUtf7() {
        return ModifiedUtf7.encode(name);
    }

    @Override
    public int compareTo(MailboxName o) {
        boolean a = levels.get(0).equals("INBOX");
        boolean b = o.levels.get(0).equals("INBOX");
        if (a != b) {
            return a ? -1 : 1;
        }
        return name.compareTo(o.name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MailboxName && ((MailboxName) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** The name, levels joined by {@value #DELIMITER}. */
    @Override
    public String toString() {
        return name;
    }
}
