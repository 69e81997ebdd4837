package dev.mailkit.pop3.internal.command;

import dev.mailkit.pop3.internal.Maildrop;
import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;

import java.io.IOException;

/**
 * LIST [msg] (RFC 1939 section 5): the size of one message, or a scan listing of every message not marked deleted.
 *
 * @param msg the message number, or 0 for all
 */
public record ListCommand(int msg) implements Command {
    @Override
    public boolean validIn(Pop3State state) {
        return state == Pop3State.TRANSACTION;
    }

    @Override
    public void execute(Pop3Session session) throws IOException {
        Maildrop drop = session.maildrop();
        if (msg != 0) {
            if (Messages.checkLive(session, msg)) {
                session.ok(msg + " " + drop.sizeOf(msg));
            }
            return;
        }
        session.ok(drop.liveCount() + " messages (" + drop.liveSize() + " octets)");
        for (int i = 1; i <= drop.size(); i++) {
            if (drop.isLive(i)) {
                session.line(i + " " + drop.sizeOf(i));
            }
        }
        session.endMultiline();
    }
}
