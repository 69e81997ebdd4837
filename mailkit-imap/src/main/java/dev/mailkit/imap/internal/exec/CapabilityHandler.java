package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.CapabilityCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;

/** CAPABILITY: the list for the current state and TLS. */
final class CapabilityHandler implements CommandHandler<CapabilityCommand> {
    @Override
    public void handle(CapabilityCommand c, ImapSession s) throws IOException {
        s.out().ascii("* CAPABILITY ").ascii(s.capabilities()).crlf();
        s.out().tagged(c.tag(), "OK", null, "Capability completed");
    }
}
