package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.CancelUpdateCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;

/**
 * CANCELUPDATE (RFC 5267 4.3): stops the updates of the named searches. A tag with no update behind it gets
 * {@code NO} (as Dovecot) and then none of the named updates is stopped.
 */
final class CancelUpdateHandler implements CommandHandler<CancelUpdateCommand> {
    @Override
    public void handle(CancelUpdateCommand c, ImapSession s) throws IOException {
        SearchUpdates updates = s.selected().searchUpdates();
        for (String t : c.searchTags()) {
            if (!updates.has(t)) {
                s.out().tagged(c.tag(), "NO", null, "Unknown tag: no search with it is kept up to date");
                return;
            }
        }
        for (String t : c.searchTags()) {
            updates.cancel(t);
        }
        s.complete(c, null, "Updates cancelled");
    }
}
