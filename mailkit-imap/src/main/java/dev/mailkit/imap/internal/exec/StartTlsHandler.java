package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.StartTlsCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;

/**
 * STARTTLS (RFC 3501 6.2.1): OK, then the handshake. Whatever the client pipelined after the command in plaintext
 * is thrown away, so it can never run as if it had come over TLS.
 */
final class StartTlsHandler implements CommandHandler<StartTlsCommand> {
    @Override
    public void handle(StartTlsCommand c, ImapSession s) throws IOException {
        if (s.connection().isTls()) {
            s.out().tagged(c.tag(), "BAD", null, "TLS is already active");
            return;
        }
        if (!s.connection().canStartTls()) {
            s.out().tagged(c.tag(), "BAD", null, "STARTTLS is not available: this server has no TLS configured");
            return;
        }
        s.out().tagged(c.tag(), "OK", null, "Begin TLS negotiation now");
        s.startTls();
    }
}
