package dev.mailkit.imap.internal.exec;

import dev.mailkit.core.auth.Sasl;
import dev.mailkit.imap.internal.command.AuthenticateCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * AUTHENTICATE PLAIN (RFC 4616) with or without an initial response (SASL-IR, RFC 4959). A client that asks to act
 * as another user (an authorization identity different from its own) is refused like a wrong password.
 */
final class AuthenticateHandler implements CommandHandler<AuthenticateCommand> {
    private static final String INVALID_BASE64 = "Invalid base64 in the authentication response";

    @Override
    public void handle(AuthenticateCommand c, ImapSession s) throws IOException {
        if (!c.mechanism().equals("PLAIN")) {
            s.out().tagged(c.tag(), "NO", null, "Unsupported authentication mechanism " + c.mechanism()
                    + ": use PLAIN");
            return;
        }
        if (Authenticator.refuseWithoutTls(s, c.tag())) {
            return;
        }
        String response = c.initialResponse();
        if (response == null) {
            s.out().ascii("+ ").crlf();
            s.out().flush();
            byte[] line = s.reader().readRawLine();
            if (line == null) {
                s.logout();
                return;
            }
            if (s.reader().lineOverflowed()) {
                s.out().tagged(c.tag(), "BAD", null, "Authentication response too long");
                return;
            }
            response = new String(line, StandardCharsets.US_ASCII);
            if (response.equals("*")) {
                s.out().tagged(c.tag(), "BAD", null, "Authentication cancelled");
                return;
            }
            if (response.equals("=")) { // the empty response only as an initial response (RFC 4959 3)
                s.out().tagged(c.tag(), "BAD", null, INVALID_BASE64);
                return;
            }
        }
        Sasl.Credentials credentials;
        try {
            credentials = Sasl.plain(response);
        } catch (Sasl.MalformedResponseException e) {
            switch (e.problem()) {
                case BASE64:
                    s.out().tagged(c.tag(), "BAD", null, INVALID_BASE64);
                    return;
                case SYNTAX:
                    s.out().tagged(c.tag(), "BAD", null, "Invalid PLAIN response: expected authzid NUL authcid NUL "
                            + "password");
                    return;
                default: // not UTF-8: a failed login like any other
                    Authenticator.failed(s, c.tag());
                    return;
            }
        }
        if (!credentials.authorizationAllowed()) {
            credentials.wipe();
            Authenticator.failed(s, c.tag());
            return;
        }
        Authenticator.login(s, c.tag(), credentials.username(), credentials.password());
    }
}
