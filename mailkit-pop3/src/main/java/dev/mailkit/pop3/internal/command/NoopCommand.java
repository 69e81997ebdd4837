package dev.mailkit.pop3.internal.command;

import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;

import java.io.IOException;

/** NOOP (RFC 1939 section 5). */
public final class NoopCommand implements Command {
    public static final NoopCommand INSTANCE = new NoopCommand();

    private NoopCommand() {
    }

    @Override
    public boolean validIn(Pop3State state) {
        return state == Pop3State.TRANSACTION;
    }

    @Override
    public void execute(Pop3Session session) throws IOException {
        session.ok("");
    }
}
