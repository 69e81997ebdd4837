package dev.mailkit.pop3.internal.command;

import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;

import java.io.IOException;

/**
 * RETR msg (RFC 1939 section 5): the whole message, streamed from the store, byte-stuffed, in CRLF lines.
 *
 * @param msg the message number
 */
public record RetrCommand(int msg) implements Command {
    @Override
    public boolean validIn(Pop3State state) {
        return state == Pop3State.TRANSACTION;
    }

    @Override
    public void execute(Pop3Session session) throws IOException {
        if (Messages.checkLive(session, msg)) {
            Messages.send(session, msg, -1, true);
        }
    }
}
