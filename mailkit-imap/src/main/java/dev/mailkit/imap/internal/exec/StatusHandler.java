package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.StatusCommand;
import dev.mailkit.imap.internal.command.StatusItem;
import dev.mailkit.imap.internal.encode.Responses;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxStatus;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** STATUS (RFC 3501 6.3.10, HIGHESTMODSEQ RFC 7162, SIZE RFC 8438, APPENDLIMIT RFC 7889, DELETED RFC 9051, MAILBOXID RFC 8474). */
final class StatusHandler implements CommandHandler<StatusCommand> {
    @Override
    public void handle(StatusCommand c, ImapSession s) throws IOException {
        MailboxName name;
        MailboxStatus st;
        String mailboxId;
        try {
            name = MailboxNames.of(c.mailbox());
            try (Mailbox m = s.account().open(name)) {
                st = m.status();
                mailboxId = m.mailboxId();
            }
        } catch (MailStoreException e) {
            if (e.reason() == MailStoreException.Reason.NOT_FOUND
                    || e.reason() == MailStoreException.Reason.INVALID_NAME) {
                s.out().tagged(c.tag(), "NO", "NONEXISTENT", "Mailbox doesn't exist: " + c.mailbox());
                return;
            }
            throw e;
        }
        if (c.items().contains(StatusItem.HIGHESTMODSEQ)) {
            s.enableCondstore();
        }
        boolean selected = s.selected() != null && s.selected().name().equals(name);
        if (selected) {
            // RFC 3501 6.3.10 discourages STATUS on the selected mailbox; answer from the session's view (as Dovecot)
            st = new MailboxStatus(st.messages(), s.selected().view().recentCount(), st.uidNext(), st.uidValidity(),
                    st.unseen(), st.deleted(), st.size(), st.highestModSeq());
        }
        write(s, c.mailbox(), c.items(), st, mailboxId);
        s.complete(c, selected ? "CLIENTBUG" : null, "Status completed");
    }

    static void write(ImapSession s, String name, List<StatusItem> items, MailboxStatus st, String mailboxId)
            throws IOException {
        Map<StatusItem, Long> v = new EnumMap<>(StatusItem.class);
        v.put(StatusItem.MESSAGES, (long) st.messages());
        v.put(StatusItem.RECENT, (long) st.recent());
        v.put(StatusItem.UIDNEXT, st.uidNext());
        v.put(StatusItem.UIDVALIDITY, st.uidValidity());
        v.put(StatusItem.UNSEEN, (long) st.unseen());
        v.put(StatusItem.HIGHESTMODSEQ, st.highestModSeq());
        v.put(StatusItem.SIZE, st.size());
        v.put(StatusItem.APPENDLIMIT, s.config().appendLimit());
        v.put(StatusItem.DELETED, (long) st.deleted());
        Responses.status(s.out(), name, items, v, mailboxId);
    }
}
