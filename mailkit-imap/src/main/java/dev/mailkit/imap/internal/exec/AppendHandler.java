package dev.mailkit.imap.internal.exec;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.internal.command.AppendCommand;
import dev.mailkit.imap.internal.command.SequenceSet;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.store.StoreFlags;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * APPEND (RFC 3501 6.3.11) with APPENDUID (RFC 4315), MULTIAPPEND (RFC 3502) and CATENATE (RFC 4469). The messages
 * were streamed to the spool while the command was read; CATENATE messages are built from their parts first (a bad
 * URL fails the whole command with {@code NO [BADURL url]}, a result over the limit with {@code NO [TOOBIG]}, before
 * anything is saved). The store then streams the messages into the mailbox one after another; if one fails, those
 * already saved are expunged again, so the command appends all or nothing.
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
        List<MessageSource> built = new ArrayList<>();
        try (mailbox) {
            List<MessageSource> contents = new ArrayList<>(c.messages().size());
            CatenateAssembler assembler = new CatenateAssembler(s.config().spool(), new CatenateUrls(s),
                    s.config().appendLimit());
            for (AppendCommand.Message m : c.messages()) {
                if (m.content() != null) {
                    contents.add(m.content());
                    continue;
                }
                try {
                    MessageSource catenated = assembler.assemble(m.parts());
                    built.add(catenated);
                    contents.add(catenated);
                } catch (CatenateUrls.BadUrlException e) {
                    s.out().tagged(c.tag(), "NO", e.code(), e.getMessage());
                    return;
                } catch (CatenateAssembler.TooBigException e) {
                    s.out().tagged(c.tag(), "NO", "TOOBIG", "Message too big: " + e.getMessage());
                    return;
                }
            }
            for (MessageSource m : contents) {
                if (m.size() == 0) {
                    s.out().tagged(c.tag(), "NO", null, "Can't save a zero byte message");
                    return;
                }
            }
            long[] uids = append(mailbox, c, contents);
            s.complete(c, "APPENDUID " + mailbox.uidValidity() + " " + SequenceSet.formatList(uids),
                    "Append completed");
        } finally {
            for (MessageSource m : built) {
                m.close();
            }
        }
    }

    private static long[] append(Mailbox mailbox, AppendCommand c, List<MessageSource> contents) {
        long[] uids = new long[contents.size()];
        int i = 0;
        try {
            for (AppendCommand.Message m : c.messages()) {
                uids[i] = mailbox.append(contents.get(i), StoreFlags.toStore(m.flags()),
                        m.date() == null ? null : m.date().toInstant());
                i++;
            }
        } catch (MailStoreException | IllegalArgumentException e) {
            // MULTIAPPEND is all or nothing (RFC 3502): the messages already saved go again
            rollBack(mailbox, Arrays.copyOf(uids, i));
            throw e;
        }
        return uids;
    }

    private static void rollBack(Mailbox mailbox, long[] uids) {
        if (uids.length == 0) {
            return;
        }
        UidSet set = UidSet.of(uids);
        try (MailboxView v = mailbox.openView(ViewMode.READ_WRITE)) {
            v.store(set, FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
            v.expunge(set);
        } catch (RuntimeException ignored) {
            // the mailbox went away: nothing is left to take back
        }
    }
}
