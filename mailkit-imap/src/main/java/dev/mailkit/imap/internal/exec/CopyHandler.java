package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.CopyCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.session.SelectedMailbox;
import dev.mailkit.store.CopyResult;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.UidSet;

import java.io.IOException;

/** COPY/UID COPY (RFC 3501 6.4.7, COPYUID of RFC 4315) and MOVE/UID MOVE (RFC 6851). */
final class CopyHandler implements CommandHandler<CopyCommand> {
    @Override
    public void handle(CopyCommand c, ImapSession s) throws IOException {
        SelectedMailbox sel = s.selected();
        UidSet uids;
        try {
            uids = sel.resolve(c.set(), c.uid());
        } catch (SelectedMailbox.InvalidSetException e) {
            s.out().tagged(c.tag(), "BAD", null, "Error in IMAP command " + c.name() + ": Invalid messageset");
            return;
        }
        if (c.move() && sel.readOnly()) {
            s.out().tagged(c.tag(), "NO", null, "Mailbox is read-only");
            return;
        }
        Mailbox target;
        try {
            target = s.account().open(MailboxNames.of(c.mailbox()));
        } catch (MailStoreException e) {
            if (e.reason() == MailStoreException.Reason.NOT_FOUND) {
                s.out().tagged(c.tag(), "NO", "TRYCREATE", "Mailbox doesn't exist: " + c.mailbox());
                return;
            }
            throw e;
        }
        try (target) {
            if (uids.isEmpty()) {
                s.complete(c, null, "No messages found");
                return;
            }
            CopyResult r = c.move() ? sel.view().move(uids, target) : sel.view().copy(uids, target);
            JunkLearning.afterCopy(s, sel.mailbox(), target, r);
            String copyUid = r.count() == 0 ? null : "COPYUID " + r.uidValidity() + " " + r.sourceUids() + " "
                    + r.targetUids();
            if (c.move()) {
                if (copyUid != null) {
                    s.out().ascii("* OK [").ascii(copyUid).ascii("] Moved UIDs.").crlf();
                }
                s.writeExpunges(r.expunged());
                s.reportRecentIfChanged();
                s.complete(c, null, "Move completed");
            } else {
                s.complete(c, copyUid, "Copy completed");
            }
        }
    }
}
