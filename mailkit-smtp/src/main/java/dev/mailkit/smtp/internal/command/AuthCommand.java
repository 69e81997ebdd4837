package dev.mailkit.smtp.internal.command;

import dev.mailkit.core.auth.MailUser;
import dev.mailkit.core.auth.Sasl;
import dev.mailkit.smtp.internal.DropConnection;
import dev.mailkit.smtp.internal.SessionState;
import dev.mailkit.smtp.internal.SmtpConfig;
import dev.mailkit.smtp.internal.SmtpListener;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * AUTH (RFC 4954) with the PLAIN (RFC 4616) and LOGIN mechanisms, on submission ports (and every port with
 * {@code optionalAuth()}), and only over TLS unless {@code requireTlsForLogin(false)}. Unknown user and wrong password get the same reply after the same
 * work; every failure is followed by the per-address growing delay, and after a few failures the connection is
 * closed.
 */
public final class AuthCommand extends MailkitCommand {
    public AuthCommand(SmtpListener listener) {
        super(listener, "AUTH", "Authenticate: AUTH mechanism [initial-response]");
    }

    @Override
    protected String transcriptLine(String line) {
        String[] p = line.split(" ");
        return p.length > 2 ? p[0] + " " + p[1] + " ****" : line;
    }

    @Override
    protected void run(String args, SessionState st) throws IOException, DropConnection {
        SmtpConfig c = listener.config();
        if (!listener.authOffered()) {
            st.reply(502, "5.5.1", "AUTH is not available on this port");
            return;
        }
        if (!listener.authAvailable(st)) {
            st.reply(538, "5.7.11", "Encryption required for requested authentication mechanism (use STARTTLS)");
            return;
        }
        if (!st.greeted()) {
            st.reply(EhloCommand.notGreeted());
            return;
        }
        if (st.authenticatedUser().isPresent()) {
            st.reply(503, "5.5.1", "Already authenticated");
            return;
        }
        if (st.inTransaction()) {
            st.reply(503, "5.5.1", "AUTH is not allowed during a mail transaction");
            return;
        }
        String[] parts = args.strip().split(" +");
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        String initial = parts.length > 1 ? parts[1] : null;
        if (parts.length > 2 || mechanism.isEmpty()) {
            st.reply(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
            return;
        }
        String username;
        char[] password;
        try {
            if (mechanism.equals("PLAIN")) {
                Sasl.Credentials credentials = Sasl.plain(initial != null ? initial : challenge(st, ""));
                if (!credentials.authorizationAllowed()) {
                    credentials.wipe();
                    fail(st, c);
                    return;
                }
                username = credentials.username();
                password = credentials.password();
            } else if (mechanism.equals("LOGIN")) {
                username = Sasl.text(initial != null ? initial : challenge(st, Sasl.LOGIN_USERNAME_CHALLENGE));
                password = Sasl.secret(challenge(st, Sasl.LOGIN_PASSWORD_CHALLENGE));
            } else {
                st.reply(504, "5.5.4", "Unrecognized authentication mechanism (PLAIN and LOGIN are supported)");
                return;
            }
        } catch (Cancelled e) {
            st.reply(501, "5.7.0", "Authentication cancelled");
            return;
        } catch (Sasl.MalformedResponseException e) {
            if (e.problem() == Sasl.Problem.SYNTAX) {
                st.reply(501, "5.5.2", "Malformed PLAIN response (authzid NUL authcid NUL password)");
            } else {
                st.reply(501, "5.5.2", "Cannot decode response (base64 of UTF-8 expected)");
            }
            return;
        }
        Optional<MailUser> user = c.users.authenticate(username, password);
        Arrays.fill(password, '\0');
        if (user.isEmpty()) {
            fail(st, c);
            return;
        }
        c.penalty.recordSuccess(st.clientAddress().getAddress());
        st.authenticated(user.get().username());
        st.reply(235, "2.7.0", "Authentication successful");
    }

    private void fail(SessionState st, SmtpConfig c) throws IOException, DropConnection {
        Duration delay = c.penalty.recordFailure(st.clientAddress().getAddress());
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                st.closeConnection();
                return;
            }
        }
        if (st.authFailed() >= c.maxAuthFailures) {
            throw new DropConnection(421, "4.7.0 Too many failed authentication attempts, closing connection");
        }
        st.reply(535, "5.7.8", "Authentication credentials invalid");
    }

    private static String challenge(SessionState st, String text) throws IOException {
        st.replyRaw("334 " + text);
        String line = st.readLine();
        if (line == null) {
            throw new EOFException("client closed during AUTH");
        }
        if (line.equals("*")) {
            throw new Cancelled();
        }
        return line;
    }

    private static final class Cancelled extends IOException {
        private static final long serialVersionUID = 1L;
    }
}
