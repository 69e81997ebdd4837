package dev.mailkit.test.internal;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MailAddressException;
import dev.mailkit.core.auth.MailUser;
import dev.mailkit.core.auth.UserDirectory;

import java.util.Optional;

/**
 * A user directory for tests that accepts any non-empty user name with any non-empty password, as GreenMail does by
 * default: the application under test can log in with whatever its configuration says.
 */
public final class AnyLoginDirectory implements UserDirectory {
    private final String defaultDomain;

    public AnyLoginDirectory(String defaultDomain) {
        this.defaultDomain = defaultDomain;
    }

    @Override
    public Optional<MailUser> authenticate(String username, char[] password) {
        if (username == null || username.isEmpty() || password.length == 0) {
            return Optional.empty();
        }
        return findByUsername(username);
    }

    @Override
    public Optional<MailUser> findByAddress(MailAddress address) {
        return Optional.of(new MailUser(address.toString(), address));
    }

    @Override
    public Optional<MailUser> findByUsername(String username) {
        try {
            MailAddress a = username.contains("@") ? MailAddress.parse(username) : MailAddress.of(username, defaultDomain);
            return Optional.of(new MailUser(username, a));
        } catch (MailAddressException e) {
            return Optional.empty();
        }
    }
}
