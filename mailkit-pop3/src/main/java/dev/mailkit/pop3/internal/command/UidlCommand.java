package dev.mailkit.pop3.internal.command;

import dev.mailkit.pop3.internal.Maildrop;
import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;

import java.io.IOException;

/**
 * UIDL [msg] (RFC 1939 section 7): the unique-id listing of one message or of every message not marked deleted.
 *
 * @param msg the message number, or 0 for all
 */
public record UidlCommand(int msg) implements Command {
    @Override
    public boolean validIn(Pop3State state) {
        return state == Pop3State.TRANSACTION;
    }

    @Override
    public void execute(Pop3Session session) throws IOException {
        Maildrop drop = session.maildrop();
        if (msg != 0) {
            if (Messages.checkLive(session, msg)) {
                session.ok(msg + " " + drop.uidl(msg));
            }
            return;
        }
        session.ok("Unique-ID listing follows");
        for (int i = 1; i <= drop.size(); i++) {
            if (drop.isLive(i)) {
                session.line(i + " " + drop.uidl(i));
            }
        }
        session.endMultiline();
    }
}
