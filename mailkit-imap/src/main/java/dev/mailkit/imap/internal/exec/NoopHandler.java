package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.NoopCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;

/** NOOP and CHECK: report pending mailbox changes. */
final class NoopHandler implements CommandHandler<NoopCommand> {
    @Override
    public void handle(NoopCommand c, ImapSession s) throws IOException {
        s.complete(c, null, c.name().equals("CHECK") ? "Check completed" : "NOOP completed");
    }
}
