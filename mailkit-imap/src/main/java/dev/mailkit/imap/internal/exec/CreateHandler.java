package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.CreateCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SpecialUse;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;

/** CREATE mailbox [(USE (...))] (RFC 3501 6.3.3, RFC 6154 CREATE-SPECIAL-USE), OK [MAILBOXID (id)] (RFC 8474). */
final class CreateHandler implements CommandHandler<CreateCommand> {
    @Override
    public void handle(CreateCommand c, ImapSession s) throws IOException {
        Set<SpecialUse> uses = EnumSet.noneOf(SpecialUse.class);
        for (String u : c.specialUse()) {
            try {
                uses.add(SpecialUse.fromAttribute(u));
            } catch (IllegalArgumentException e) {
                // RFC 6154 3: NO [USEATTR]; Dovecot without a metadata dictionary accepts and forgets any
                s.out().tagged(c.tag(), "NO", "USEATTR", "Unsupported special use " + u);
                return;
            }
        }
        MailboxName name = MailboxNames.of(c.mailbox());
        s.account().create(name, uses);
        String id;
        try (Mailbox m = s.account().open(name)) {
            id = m.mailboxId(); // RFC 8474 4.1
        } catch (MailStoreException e) {
            id = null; // deleted again by another session already: created all the same
        }
        s.complete(c, id == null ? null : "MAILBOXID (" + id + ")", "Create completed");
    }
}
