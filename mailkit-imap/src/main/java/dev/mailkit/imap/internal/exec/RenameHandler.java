package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.RenameCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;

/** RENAME existing new (RFC 3501 6.3.5). */
final class RenameHandler implements CommandHandler<RenameCommand> {
    @Override
    public void handle(RenameCommand c, ImapSession s) throws IOException {
        s.account().rename(MailboxNames.of(c.from()), MailboxNames.of(c.to()));
        s.complete(c, null, "Rename completed");
    }
}
