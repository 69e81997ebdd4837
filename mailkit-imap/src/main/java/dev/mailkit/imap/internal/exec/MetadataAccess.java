package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.Command;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.store.AccountMetadata;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxName;

import java.io.IOException;

/** What GETMETADATA and SETMETADATA share: the account's metadata and the mailbox a command names. */
final class MetadataAccess {
    private MetadataAccess() {
    }

    /** The account's metadata, or null after answering NO if the store keeps none. */
    static AccountMetadata metadata(ImapSession s, Command c) throws IOException {
        AccountMetadata m = s.account().metadata().orElse(null);
        if (m == null) {
            s.out().tagged(c.tag(), "NO", "CANNOT", "This server's mailbox store keeps no metadata");
        }
        return m;
    }

    /** The mailbox ("" is the server: null), or a NO [NONEXISTENT] as Dovecot answers, for a name no mailbox has. */
    static MailboxName mailbox(String name) {
        if (name.isEmpty()) {
            return null;
        }
        try {
            return MailboxNames.of(name);
        } catch (MailStoreException e) {
            throw new MailStoreException(MailStoreException.Reason.NOT_FOUND, "Mailbox doesn't exist: " + name);
        }
    }
}
