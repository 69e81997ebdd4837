package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.NoopCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;

/** NOOP and CHECK: nothing to do but report pending mailbox changes (once a mailbox is selected). */
final class NoopHandler implements CommandHandler<NoopCommand> {
    @Override
    public void handle(NoopCommand c, ImapSession s) throws IOException {
        s.out().tagged(c.tag(), "OK", null, c.name().equals("CHECK") ? "Check completed" : "NOOP completed");
    }
}
