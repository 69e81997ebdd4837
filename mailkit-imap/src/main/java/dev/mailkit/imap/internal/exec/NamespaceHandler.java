package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.NamespaceCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;

/** NAMESPACE (RFC 2342): one personal namespace, no other users' or shared ones. */
final class NamespaceHandler implements CommandHandler<NamespaceCommand> {
    @Override
    public void handle(NamespaceCommand c, ImapSession s) throws IOException {
        s.out().ascii("* NAMESPACE ((\"\" \"").write(dev.mailkit.store.MailboxName.DELIMITER).ascii("\")) NIL NIL")
                .crlf();
        s.out().tagged(c.tag(), "OK", null, "Namespace completed");
    }
}
