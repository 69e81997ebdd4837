package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.CloseCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.session.SelectedMailbox;
import dev.mailkit.store.MailStoreException;

import java.io.IOException;

/** CLOSE (expunges silently unless read-only, RFC 3501 6.4.2) and UNSELECT (RFC 3691). */
final class CloseHandler implements CommandHandler<CloseCommand> {
    @Override
    public void handle(CloseCommand c, ImapSession s) throws IOException {
        SelectedMailbox sel = s.selected();
        if (c.expunge() && !sel.readOnly()) {
            try {
                sel.view().expunge();
            } catch (MailStoreException e) {
                // the mailbox is gone or read-only after all: CLOSE still leaves it
            }
        }
        s.deselect();
        s.out().tagged(c.tag(), "OK", null, c.expunge() ? "Close completed" : "Unselect completed");
    }
}
