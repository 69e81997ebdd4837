package dev.mailkit.core.auth;

import dev.mailkit.core.MailAddress;

import java.util.Objects;

/**
 * A user who can log in and who owns a mailbox: the login name (often the address itself) and the primary
 * address mail to the user is filed under. Immutable.
 */
public final class MailUser {
    private final String username;
    private final MailAddress address;

    /** Creates a user record. */
    public MailUser(String username, MailAddress address) {
        this.username = Objects.requireNonNull(username, "username");
        this.address = Objects.requireNonNull(address, "address");
    }

    /** The name used to log in (AUTH, IMAP LOGIN, POP3 USER). */
    public String username() {
        return username;
    }

    /** The user's primary mail address. */
    public MailAddress address() {
        return address;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MailUser && ((MailUser) o).username.equals(username)
                && ((MailUser) o).address.equals(address);
    }

    @Override
    public int hashCode() {
        return username.hashCode() * 31 + address.hashCode();
    }

    @Override
    public String toString() {
        return username.equals(address.toString()) ? username : username + " <" + address + ">";
    }
}
