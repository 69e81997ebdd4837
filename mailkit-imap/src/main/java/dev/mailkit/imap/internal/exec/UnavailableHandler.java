package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.Command;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;

/** Commands that need a mailbox store when none is configured: tagged NO [UNAVAILABLE]. */
final class UnavailableHandler implements CommandHandler<Command> {
    @Override
    public void handle(Command c, ImapSession s) throws IOException {
        s.out().tagged(c.tag(), "NO", "UNAVAILABLE", c.name() + " needs a mailbox store, and none is configured");
    }
}
