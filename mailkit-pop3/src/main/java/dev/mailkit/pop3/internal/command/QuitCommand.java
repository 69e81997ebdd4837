package dev.mailkit.pop3.internal.command;

import dev.mailkit.pop3.internal.Maildrop;
import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * QUIT (RFC 1939 sections 4 and 6): in the TRANSACTION state, enters UPDATE: the messages marked deleted are
 * expunged (and the retrieved ones flagged {@code \Seen}, if configured) and the maildrop is released; then the
 * connection closes.
 */
public final class QuitCommand implements Command {
    public static final QuitCommand INSTANCE = new QuitCommand();
    private static final Logger LOG = LoggerFactory.getLogger(QuitCommand.class);

    private QuitCommand() {
    }

    @Override
    public boolean validIn(Pop3State state) {
        return state != Pop3State.UPDATE;
    }

    @Override
    public void execute(Pop3Session session) throws IOException {
        session.end();
        if (session.state() == Pop3State.AUTHORIZATION) {
            session.ok("Bye");
            return;
        }
        Maildrop drop = session.enterUpdate();
        try {
            int expunged = drop.commit(session.config().markSeen());
            session.ok("Logging out, " + expunged + " messages deleted");
        } catch (RuntimeException e) {
            LOG.warn("{}: UPDATE failed: {}", session.connection().id(), e.getMessage());
            session.err("[SYS/TEMP] Some deleted messages not removed, try again later");
        }
    }
}
