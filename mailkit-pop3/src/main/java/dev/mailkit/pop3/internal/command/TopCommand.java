package dev.mailkit.pop3.internal.command;

import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;

import java.io.IOException;

/**
 * TOP msg n (RFC 1939 section 7): the header, the blank line and the first n lines of the body; the rest of the
 * message is not read.
 *
 * @param msg   the message number
 * @param lines the number of body lines
 */
public record TopCommand(int msg, long lines) implements Command {
    @Override
    public boolean validIn(Pop3State state) {
        return state == Pop3State.TRANSACTION;
    }

    @Override
    public void execute(Pop3Session session) throws IOException {
        if (Messages.checkLive(session, msg)) {
            Messages.send(session, msg, lines, false);
        }
    }
}
