package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.AppendCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.store.StoreFlags;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;

import java.io.IOException;

/**
 * APPEND (RFC 3501 6.3.11) with APPENDUID (RFC 4315). The messages were streamed to the spool while the command was
 * read; the store streams them into the mailbox. Several messages (RFC 3502 syntax) are appended one after another.
 */
final class AppendHandler implements CommandHandler<AppendCommand> {
    @Override
    public void handle(AppendCommand c, ImapSession s) throws IOException {
        Mailbox mailbox;
        try {
            mailbox = s.account().open(MailboxNames.of(c.mailbox()));
        } catch (MailStoreException e) {
            if (e.reason() == MailStoreException.Reason.NOT_FOUND) {
                s.out().tagged(c.tag(), "NO", "TRYCREATE", "Mailbox doesn't exist: " + c.mailbox());
                return;
            }
            throw e;
        }
        try (mailbox) {
            for (AppendCommand.Message m : c.messages()) {
                if (m.content().size() == 0) {
                    s.out().tagged(c.tag(), "NO", null, "Can't save a zero byte message");
                    return;
                }
            }
            long[] uids = new long[c.messages().size()];
            int i = 0;
            try {
                for (AppendCommand.Message m : c.messages()) {
                    uids[i] = mailbox.append(m.content(), StoreFlags.toStore(m.flags()),
                            m.date() == null ? null : m.date().toInstant());
                    i++;
                }
            } catch (MailStoreException | IllegalArgumentException e) {
                // MULTIAPPEND is all or nothing (RFC 3502): the messages already saved go again
                rollBack(mailbox, java.util.Arrays.copyOf(uids, i));
                throw e;
            }
            s.complete(c, "APPENDUID " + mailbox.uidValidity() + " "
                    + dev.mailkit.imap.internal.command.SequenceSet.formatList(uids), "Append completed");
        }
    }

    private static void rollBack(Mailbox mailbox, long[] uids) {
        if (uids.length == 0) {
            return;
        }
        dev.mailkit.store.UidSet set = dev.mailkit.store.UidSet.of(uids);
        try (dev.mailkit.store.MailboxView v = mailbox.openView(dev.mailkit.store.ViewMode.READ_WRITE)) {
            v.store(set, dev.mailkit.store.FlagOperation.ADD, dev.mailkit.store.Flags.of(
                    dev.mailkit.store.SystemFlag.DELETED));
            v.expunge(set);
        } catch (RuntimeException ignored) {
            // the mailbox went away: nothing is left to take back
        }
    }
}
