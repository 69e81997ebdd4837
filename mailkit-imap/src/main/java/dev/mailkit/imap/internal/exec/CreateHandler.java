package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.CreateCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.store.SpecialUse;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;

/** CREATE mailbox [(USE (...))] (RFC 3501 6.3.3, RFC 6154 CREATE-SPECIAL-USE). */
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
        s.account().create(MailboxNames.of(c.mailbox()), uses);
        s.complete(c, null, "Create completed");
    }
}
