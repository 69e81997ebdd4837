package dev.mailkit.pop3.internal.command;

import dev.mailkit.pop3.internal.Maildrop;
import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;

import java.io.IOException;

/** STAT (RFC 1939 section 5): the number and total size of the messages not marked deleted. */
public final class StatCommand implements Command {
    public static final StatCommand INSTANCE = new StatCommand();

    private StatCommand() {
    }

    @Override
    public boolean validIn(Pop3State state) {
        return state == Pop3State.TRANSACTION;
    }

    @Override
    public void execute(Pop3Session session) throws IOException {
        Maildrop drop = session.maildrop();
        session.ok(drop.liveCount() + " " + drop.liveSize());
    }
}
