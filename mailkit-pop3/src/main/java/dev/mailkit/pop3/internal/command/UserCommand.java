package dev.mailkit.pop3.internal.command;

import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;

import java.io.IOException;

/**
 * USER name (RFC 1939 section 7): remembers the name for PASS. The reply is the same whether the user exists or not.
 *
 * @param name the login name as sent
 */
public record UserCommand(String name) implements Command {
    @Override
    public boolean validIn(Pop3State state) {
        return state == Pop3State.AUTHORIZATION;
    }

    @Override
    public void execute(Pop3Session session) throws IOException {
        if (!session.loginAllowed()) {
            session.badCommand(PassCommand.TLS_REQUIRED);
            return;
        }
        session.pendingUser(name);
        session.ok("Send your password");
    }

    @Override
    public String toString() {
        return "USER";
    }
}
