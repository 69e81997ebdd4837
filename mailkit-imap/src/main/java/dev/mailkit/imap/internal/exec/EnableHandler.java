package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.EnableCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;

/**
 * ENABLE (RFC 5161): CONDSTORE, QRESYNC (RFC 7162), UTF8=ACCEPT (RFC 6855) and IMAP4rev2 (RFC 9051) can be enabled;
 * the last two only before a mailbox is selected, as they change how mailbox names are written (and IMAP4rev2 how the
 * selected mailbox is reported). Other names are ignored, as the RFC asks. IMAP4rev2 is answered in RFC 9051's
 * spelling, {@code * ENABLED IMAP4rev2}.
 */
final class EnableHandler implements CommandHandler<EnableCommand> {
    @Override
    public void handle(EnableCommand c, ImapSession s) throws IOException {
        StringBuilder enabled = new StringBuilder();
        for (String cap : c.capabilities()) {
            boolean known = cap.equals("CONDSTORE") || cap.equals("QRESYNC")
                    || (cap.equals("UTF8=ACCEPT") || cap.equals("IMAP4REV2")) && s.selected() == null;
            if (known && !s.enabled().contains(cap)) {
                s.enable(cap);
                enabled.append(' ').append(cap.equals("IMAP4REV2") ? "IMAP4rev2" : cap);
            }
        }
        s.out().ascii("* ENABLED").ascii(enabled.toString()).crlf();
        s.out().tagged(c.tag(), "OK", null, "Enabled");
    }
}
