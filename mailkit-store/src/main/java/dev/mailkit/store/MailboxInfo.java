package dev.mailkit.store;

import java.util.Objects;
import java.util.Set;

/**
 * One entry of {@link MailAccount#list()}: a mailbox, or a name that exists only because mailboxes below it exist.
 *
 * <p>IMAP's LIST attributes follow from it: {@code \Noselect} (and, with LIST-EXTENDED, {@code \NonExistent}) when
 * not {@code selectable}; {@code \HasChildren}/{@code \HasNoChildren}; the {@link SpecialUse} attributes.
 *
 * @param name        the name
 * @param selectable  true for a real mailbox, false for a placeholder that only has children
 * @param hasChildren whether any mailbox exists below this name
 * @param specialUse  the special uses (RFC 6154), usually none or one
 */
public record MailboxInfo(MailboxName name, boolean selectable, boolean hasChildren, Set<SpecialUse> specialUse) {
    /** Validates and copies. */
    public MailboxInfo {
        Objects.requireNonNull(name, "name");
        specialUse = Set.copyOf(specialUse);
    }
}
