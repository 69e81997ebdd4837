package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.DeleteCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;

/** DELETE mailbox (RFC 3501 6.3.4). */
final class DeleteHandler implements CommandHandler<DeleteCommand> {
    @Override
    public void handle(DeleteCommand c, ImapSession s) throws IOException {
        s.account().delete(MailboxNames.of(c.mailbox()));
        s.complete(c, null, "Delete completed");
    }
}
