package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.AuthenticateCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * AUTHENTICATE PLAIN (RFC 4616) with or without an initial response (SASL-IR, RFC 4959). A client that asks to act
 * as another user (an authorization identity different from its own) is refused like a wrong password.
 */
final class AuthenticateHandler implements CommandHandler<AuthenticateCommand> {
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
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(response);
        } catch (IllegalArgumentException e) {
            s.out().tagged(c.tag(), "BAD", null, "Invalid base64 in the authentication response");
            return;
        }
        try {
            int first = indexOf(decoded, 0);
            int second = first < 0 ? -1 : indexOf(decoded, first + 1);
            if (second < 0 || indexOf(decoded, second + 1) >= 0) {
                s.out().tagged(c.tag(), "BAD", null, "Invalid PLAIN response: expected authzid NUL authcid NUL "
                        + "password");
                return;
            }
            String authzid = utf8(decoded, 0, first);
            String authcid = utf8(decoded, first + 1, second);
            char[] password = chars(decoded, second + 1, decoded.length);
            if (authzid == null || authcid == null || password == null
                    || !authzid.isEmpty() && !authzid.equals(authcid)) {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
                Authenticator.failed(s, c.tag());
                return;
            }
            Authenticator.login(s, c.tag(), authcid, password);
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String utf8(byte[] b, int from, int to) {
        char[] c = chars(b, from, to);
        return c == null ? null : new String(c);
    }

    private static char[] chars(byte[] b, int from, int to) {
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, from, to - from));
            char[] out = new char[cb.remaining()];
            cb.get(out);
            if (cb.hasArray()) {
                Arrays.fill(cb.array(), '\0');
            }
            return out;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
