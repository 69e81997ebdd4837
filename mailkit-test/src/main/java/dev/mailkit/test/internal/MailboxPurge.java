package dev.mailkit.test.internal;

import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.MailboxInfo;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.store.AccountId;

/**
 * Empties every mailbox of every account in a test server's store: the messages are expunged as an IMAP client's
 * EXPUNGE would, so sessions that have a mailbox selected are told. Folders stay.
 */
public final class MailboxPurge {
    private MailboxPurge() {
    }

    /** Expunges every message; returns how many. */
    public static int purge(MemoryMailStore store) {
        int n = 0;
        for (AccountId id : store.accounts()) {
            MailAccount account = store.account(id);
            for (MailboxInfo info : account.list()) {
                if (!info.selectable()) {
                    continue;
                }
                try (Mailbox box = account.open(info.name()); MailboxView view = box.openView(ViewMode.READ_WRITE)) {
                    n += view.messageCount();
                    view.store(UidSet.all(), FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
                    view.expunge(UidSet.all()); // UID EXPUNGE: the messages just marked \Deleted
                }
            }
        }
        return n;
    }
}
