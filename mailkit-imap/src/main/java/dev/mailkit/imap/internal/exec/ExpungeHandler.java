package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.ExpungeCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.session.SelectedMailbox;
import dev.mailkit.store.Expunges;

import java.io.IOException;

/** EXPUNGE (RFC 3501 6.4.3) and UID EXPUNGE (RFC 4315). */
final class ExpungeHandler implements CommandHandler<ExpungeCommand> {
    @Override
    public void handle(ExpungeCommand c, ImapSession s) throws IOException {
        SelectedMailbox sel = s.selected();
        if (sel.readOnly()) {
            // EXAMINE: nothing may be expunged; like Dovecot, a successful no-op
            s.complete(c, null, "Expunge completed");
            return;
        }
        Expunges done = c.uids() == null ? sel.view().expunge()
                : sel.view().expunge(sel.resolveLeniently(c.uids(), true));
        s.writeExpunges(done);
        s.reportRecentIfChanged();
        // with QRESYNC, the tagged OK carries the mailbox's HIGHESTMODSEQ after the expunge (as Dovecot)
        s.complete(c, s.qresync() && !done.isEmpty() ? "HIGHESTMODSEQ " + sel.mailbox().status().highestModSeq()
                : null, "Expunge completed");
    }
}
