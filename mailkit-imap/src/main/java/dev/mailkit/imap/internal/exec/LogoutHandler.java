package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.LogoutCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;

/** LOGOUT: BYE, OK, and the session ends. */
final class LogoutHandler implements CommandHandler<LogoutCommand> {
    @Override
    public void handle(LogoutCommand c, ImapSession s) throws IOException {
        s.out().ascii("* BYE Logging out").crlf();
        s.out().tagged(c.tag(), "OK", null, "Logout completed");
        s.out().flush();
        s.logout();
    }
}
