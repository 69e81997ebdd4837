package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.SetMetadataCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.store.AccountMetadata;
import dev.mailkit.store.MetadataException;

import java.io.IOException;

/**
 * SETMETADATA (RFC 5464 4.3): all the changes or none. Over a limit: {@code NO [METADATA MAXSIZE n]} for a value
 * too large, {@code NO [METADATA TOOMANY]} for too many entries (or octets) in the account. Private and shared
 * entries are both kept (mailkit's mailboxes belong to one user), so {@code NOPRIVATE} never happens.
 */
final class SetMetadataHandler implements CommandHandler<SetMetadataCommand> {
    @Override
    public void handle(SetMetadataCommand c, ImapSession s) throws IOException {
        AccountMetadata metadata = MetadataAccess.metadata(s, c);
        if (metadata == null) {
            return;
        }
        try {
            metadata.set(MetadataAccess.mailbox(c.mailbox()), c.values());
        } catch (MetadataException e) {
            String code = e.kind() == MetadataException.Kind.TOO_BIG ? "METADATA MAXSIZE " + e.maxSize()
                    : "METADATA TOOMANY";
            s.out().tagged(c.tag(), "NO", code, e.getMessage());
            return;
        }
        s.complete(c, null, "Setmetadata completed");
    }
}
