package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.SubscribeCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;

/** SUBSCRIBE and UNSUBSCRIBE (RFC 3501 6.3.6/6.3.7). */
final class SubscribeHandler implements CommandHandler<SubscribeCommand> {
    @Override
    public void handle(SubscribeCommand c, ImapSession s) throws IOException {
        if (c.subscribe()) {
            s.account().subscribe(MailboxNames.of(c.mailbox()));
        } else {
            s.account().unsubscribe(MailboxNames.of(c.mailbox()));
        }
        s.complete(c, null, c.subscribe() ? "Subscribe completed" : "Unsubscribe completed");
    }
}
