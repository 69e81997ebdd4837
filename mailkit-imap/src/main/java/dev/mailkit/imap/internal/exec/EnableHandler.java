package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.EnableCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;

/**
 * ENABLE (RFC 5161): CONDSTORE, QRESYNC (RFC 7162) and UTF8=ACCEPT (RFC 6855; only before a mailbox is selected, as it changes how
 * mailbox names are written) can be enabled; other names are ignored, as the RFC asks.
 */
final class EnableHandler implements CommandHandler<EnableCommand> {
    @Override
    public void handle(EnableCommand c, ImapSession s) throws IOException {
        StringBuilder enabled = new StringBuilder();
        for (String cap : c.capabilities()) {
            boolean known = cap.equals("CONDSTORE") || cap.equals("QRESYNC")
                    || cap.equals("UTF8=ACCEPT") && s.selected() == null;
            if (known && !s.enabled().contains(cap)) {
                s.enable(cap);
                enabled.append(' ').append(cap);
            }
        }
        s.out().ascii("* ENABLED").ascii(enabled.toString()).crlf();
        s.out().tagged(c.tag(), "OK", null, "Enabled");
    }
}
