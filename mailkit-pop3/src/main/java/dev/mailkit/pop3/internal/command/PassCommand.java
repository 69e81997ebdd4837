package dev.mailkit.pop3.internal.command;

import dev.mailkit.pop3.internal.Login;
import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;

import java.io.IOException;

/**
 * PASS string (RFC 1939 section 7): logs in the user named by USER. The password is the rest of the line, spaces
 * included, and is wiped after use.
 */
public final class PassCommand implements Command {
    /** The reply to USER, PASS and AUTH on a connection that must start TLS first. */
    static final String TLS_REQUIRED = "[AUTH] Plaintext authentication disallowed on non-secure connections, use STLS";

    private final char[] password;

    public PassCommand(char[] password) {
        this.password = password;
    }

    @Override
    public boolean validIn(Pop3State state) {
        return state == Pop3State.AUTHORIZATION;
    }

    @Override
    public void execute(Pop3Session session) throws IOException {
        try {
            if (!session.loginAllowed()) {
                session.badCommand(TLS_REQUIRED);
                return;
            }
            String user = session.pendingUser();
            if (user == null) {
                session.badCommand("Send USER first");
                return;
            }
            Login.attempt(session, user, password.clone());
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    @Override
    public String toString() {
        return "PASS ****";
    }
}
