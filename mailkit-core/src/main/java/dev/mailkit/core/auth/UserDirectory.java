package dev.mailkit.core.auth;

import dev.mailkit.core.MailAddress;

import java.util.Optional;

/**
 * The SPI through which every mailkit server checks passwords and finds mailbox owners. Implement it to plug in
 * your own user store (a database, LDAP); {@link InMemoryUserDirectory} is the built-in one.
 *
 * <p>Implementations must be thread-safe. {@link #authenticate} should take the same time whether the user exists
 * or not, so that an attacker cannot learn which users exist; servers add their own growing delay after failures.
 */
public interface UserDirectory {
    /**
     * Checks a user name and password.
     *
     * @param username the login name as the client sent it
     * @param password the password; implementations must not keep the array
     * @return the user, or empty if the name is unknown or the password is wrong (indistinguishably)
     */
    Optional<MailUser> authenticate(String username, char[] password);

    /**
     * Finds the user who owns the mailbox for an address (case-insensitive), or empty if there is none. Servers use
     * it to accept or refuse a recipient.
     */
    Optional<MailUser> findByAddress(MailAddress address);

    /** Finds a user by login name, without checking a password (used after external authentication). */
    Optional<MailUser> findByUsername(String username);

    /** A directory with no users: every login fails and no address is local. */
    static UserDirectory empty() {
        return new UserDirectory() {
            @Override
            public Optional<MailUser> authenticate(String username, char[] password) {
                return Optional.empty();
            }

            @Override
            public Optional<MailUser> findByAddress(MailAddress address) {
                return Optional.empty();
            }

            @Override
            public Optional<MailUser> findByUsername(String username) {
                return Optional.empty();
            }
        };
    }
}
