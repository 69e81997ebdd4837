package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.SelectCommand;
import dev.mailkit.imap.internal.encode.Responses;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.session.SelectedMailbox;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.ViewMode;

import java.io.IOException;

/**
 * SELECT and EXAMINE (RFC 3501 6.3.1/6.3.2, CONDSTORE and QRESYNC RFC 7162 3.1.8, 3.2.5). With IMAP4rev2 enabled
 * (RFC 9051 6.3.2): no RECENT and no {@code [UNSEEN n]}, and a {@code * LIST} of the mailbox with its special use.
 */
final class SelectHandler implements CommandHandler<SelectCommand> {
    @Override
    public void handle(SelectCommand c, ImapSession s) throws IOException {
        if (s.selected() != null) {
            s.deselect();
            s.out().ascii("* OK [CLOSED] Previous mailbox closed.").crlf();
        }
        if (c.qresync() != null && !s.qresync()) {
            // RFC 7162 3.2.5: QRESYNC must have been enabled first (the previous mailbox is closed, as Dovecot)
            s.out().tagged(c.tag(), "BAD", null, "QRESYNC not enabled");
            return;
        }
        MailboxName name;
        Mailbox mailbox;
        try {
            name = MailboxName.of(c.mailbox());
            mailbox = s.account().open(name);
        } catch (MailStoreException e) {
            if (e.reason() != MailStoreException.Reason.NOT_FOUND
                    && e.reason() != MailStoreException.Reason.INVALID_NAME) {
                throw e; // the store failed (IO_ERROR: [UNAVAILABLE]), the mailbox may well exist
            }
            s.out().tagged(c.tag(), "NO", "NONEXISTENT", "Mailbox doesn't exist: " + c.mailbox());
            return;
        }
        MailboxView view;
        try {
            view = mailbox.openView(c.readOnly() ? ViewMode.READ_ONLY : ViewMode.READ_WRITE);
        } catch (MailStoreException | IllegalStateException e) {
            mailbox.close();
            throw e;
        }
        if (c.condstore() || c.qresync() != null) {
            s.enableCondstore();
        }
        SelectedMailbox sel = new SelectedMailbox(name, mailbox, view, c.readOnly());
        var out = s.out();
        Responses.flags(out, mailbox.keywords());
        Responses.permanentFlags(out, mailbox.keywords(), mailbox.canCreateKeywords(), c.readOnly());
        Responses.exists(out, view.messageCount());
        if (!s.rev2()) { // RFC 9051 6.3.2 has neither RECENT nor [UNSEEN n]
            Responses.recent(out, view.recentCount());
            sel.reportedRecent(view.recentCount());
            int unseen = view.firstUnseen();
            if (unseen > 0) {
                Responses.okCode(out, "UNSEEN", unseen, "First unseen.");
            }
        }
        Responses.okCode(out, "UIDVALIDITY", mailbox.uidValidity(), "UIDs valid");
        Responses.okCode(out, "UIDNEXT", view.uidNext(), "Predicted next UID");
        if (s.rev2()) { // RFC 9051 6.3.2: the LIST response is required; its attributes may be incomplete
            Responses.list(out, false, ListHandler.specialUse(mailbox.specialUse()), MailboxName.DELIMITER,
                    name.toString(), java.util.List.of());
        }
        if (s.condstore()) {
            Responses.okCode(out, "HIGHESTMODSEQ", view.highestModSeq(), "Highest");
        }
        s.select(sel);
        if (c.qresync() != null) {
            Qresync.afterSelect(s, sel, c.qresync());
        }
        out.tagged(c.tag(), "OK", c.readOnly() ? "READ-ONLY" : "READ-WRITE", c.name().equals("EXAMINE")
                ? "Examine completed" : "Select completed");
    }
}
