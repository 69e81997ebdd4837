package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.IdCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;

/** ID (RFC 2971): says which server this is; the client's parameters are only read. */
final class IdHandler implements CommandHandler<IdCommand> {
    @Override
    public void handle(IdCommand c, ImapSession s) throws IOException {
        s.out().ascii("* ID (\"name\" ").string(s.config().hostName()).ascii(")").crlf();
        s.out().tagged(c.tag(), "OK", null, "ID completed");
    }
}
