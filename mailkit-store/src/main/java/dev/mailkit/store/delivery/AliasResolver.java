package dev.mailkit.store.delivery;

import dev.mailkit.core.MailAddress;

import java.util.List;

/**
 * Where mail for an alias goes: the SPI for aliases kept outside the agent's builder (a database, LDAP). The
 * delivery agent asks it for every address it resolves, before the user directory; targets may be aliases in
 * turn (expansion is recursive, with loop detection). Targets that are not local users or aliases are dropped: an
 * alias never makes mailkit relay. Must be thread-safe and fast.
 */
@FunctionalInterface
public interface AliasResolver {
    /**
     * The targets of an alias, or an empty list if the address is not an alias.
     *
     * @param address the address being resolved (compare with {@link MailAddress#lookupKey()} for case-insensitivity)
     */
    List<MailAddress> targets(MailAddress address);

    /** No aliases. */
    static AliasResolver none() {
        return address -> List.of();
    }
}
