package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.LoginCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;

/** LOGIN user password (RFC 3501 6.2.3). */
final class LoginHandler implements CommandHandler<LoginCommand> {
    @Override
    public void handle(LoginCommand c, ImapSession s) throws IOException {
        Authenticator.login(s, c.tag(), c.user(), c.password().toCharArray());
    }
}
