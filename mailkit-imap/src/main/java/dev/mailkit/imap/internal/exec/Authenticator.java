package dev.mailkit.imap.internal.exec;

import dev.mailkit.core.auth.MailUser;
import dev.mailkit.imap.internal.session.ImapSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The login decision shared by LOGIN and AUTHENTICATE: refuses before TLS where TLS is required, answers unknown
 * users and wrong passwords identically and only after the growing failure delay, and closes the connection after
 * too many failures.
 */
final class Authenticator {
    static final String FAILED = "Authentication failed";
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private Authenticator() {
    }

    /** Refuses with NO [PRIVACYREQUIRED] if login must wait for TLS; true if it did. */
    static boolean refuseWithoutTls(ImapSession s, String tag) throws IOException {
        if (s.loginDisabled()) {
            s.out().tagged(tag, "NO", "PRIVACYREQUIRED",
                    "Plaintext authentication is disabled: use STARTTLS first");
            return true;
        }
        return false;
    }

    static void login(ImapSession s, String tag, String username, char[] password) throws IOException {
        try {
            if (refuseWithoutTls(s, tag)) {
                return;
            }
            Optional<MailUser> u;
            try {
                u = s.config().users().authenticate(username, password);
            } catch (RuntimeException e) { // the directory is down (a database): temporary, not a wrong password
                LOG.warn("{}: the user directory failed: {}", s.connection().id(), e.toString());
                s.out().tagged(tag, "NO", "UNAVAILABLE", "Authentication is not available now, try again later");
                return;
            }
            if (u.isPresent()) {
                s.loggedIn(u.get());
                s.out().tagged(tag, "OK", "CAPABILITY " + s.capabilities(), "Logged in");
                return;
            }
            failed(s, tag);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    static void failed(ImapSession s, String tag) throws IOException {
        boolean goOn = s.loginFailed();
        s.out().tagged(tag, "NO", "AUTHENTICATIONFAILED", FAILED);
        if (!goOn) {
            s.out().ascii("* BYE Too many failed logins").crlf();
            s.out().flush();
            s.logout();
        }
    }
}
