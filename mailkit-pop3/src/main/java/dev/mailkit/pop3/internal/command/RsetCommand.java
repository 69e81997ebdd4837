package dev.mailkit.pop3.internal.command;

import dev.mailkit.pop3.internal.Maildrop;
import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;

import java.io.IOException;

/** RSET (RFC 1939 section 5): unmarks every message marked deleted. */
public final class RsetCommand implements Command {
    public static final RsetCommand INSTANCE = new RsetCommand();

    private RsetCommand() {
    }

    @Override
    public boolean validIn(Pop3State state) {
        return state == Pop3State.TRANSACTION;
    }

    @Override
    public void execute(Pop3Session session) throws IOException {
        Maildrop drop = session.maildrop();
        drop.reset();
        session.ok("Maildrop has " + drop.liveCount() + " messages (" + drop.liveSize() + " octets)");
    }
}
