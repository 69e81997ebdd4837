package dev.mailkit.pop3.internal.command;

import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;

import java.io.IOException;

/**
 * DELE msg (RFC 1939 section 5): marks a message deleted; it is removed only at QUIT.
 *
 * @param msg the message number
 */
public record DeleCommand(int msg) implements Command {
    @Override
    public boolean validIn(Pop3State state) {
        return state == Pop3State.TRANSACTION;
    }

    @Override
    public void execute(Pop3Session session) throws IOException {
        if (Messages.checkLive(session, msg)) {
            session.maildrop().delete(msg);
            session.ok("Message " + msg + " deleted");
        }
    }
}
