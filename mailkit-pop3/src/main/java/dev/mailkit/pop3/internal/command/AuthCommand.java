package dev.mailkit.pop3.internal.command;

import dev.mailkit.core.auth.Sasl;
import dev.mailkit.pop3.internal.Login;
import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * AUTH [mechanism [initial-response]] (RFC 5034): SASL PLAIN (RFC 4616) and LOGIN, with an optional initial
 * response; {@code *} cancels. Without a mechanism it lists the mechanisms (as RFC 1734 clients expect).
 *
 * @param mechanism       the mechanism, or null to list them
 * @param initialResponse the base64 initial response, or null
 */
public record AuthCommand(String mechanism, String initialResponse) implements Command {
    /** The SASL mechanisms offered. */
    public static final List<String> MECHANISMS = List.of("PLAIN", "LOGIN");

    /** The reply texts for malformed responses. */
    private static final Map<Sasl.Problem, String> MALFORMED = Map.of(
            Sasl.Problem.BASE64, "Invalid base64 in SASL response",
            Sasl.Problem.SYNTAX, "Malformed PLAIN response (authzid NUL authcid NUL password expected)",
            Sasl.Problem.ENCODING, "SASL credentials must be UTF-8");

    @Override
    public boolean validIn(Pop3State state) {
        return state == Pop3State.AUTHORIZATION;
    }

    @Override
    public void execute(Pop3Session session) throws IOException {
        if (mechanism == null) {
            session.ok("Supported SASL mechanisms follow");
            for (String m : MECHANISMS) {
                session.line(m);
            }
            session.endMultiline();
            return;
        }
        if (!session.loginAllowed()) {
            session.badCommand(PassCommand.TLS_REQUIRED);
            return;
        }
        session.pendingUser(null);
        Sasl.Credentials credentials;
        try {
            switch (mechanism.toUpperCase(Locale.ROOT)) {
                case "PLAIN":
                    credentials = Sasl.plain(initialResponse != null ? initialResponse : challenge(session, ""));
                    break;
                case "LOGIN":
                    String name = initialResponse != null ? initialResponse
                            : challenge(session, Sasl.LOGIN_USERNAME_CHALLENGE);
                    credentials = Sasl.login(name, challenge(session, Sasl.LOGIN_PASSWORD_CHALLENGE));
                    break;
                default:
                    session.badCommand("Unsupported SASL mechanism (PLAIN and LOGIN are supported)");
                    return;
            }
        } catch (Cancelled e) {
            session.err("Authentication cancelled");
            return;
        } catch (TooLong e) {
            return; // already answered
        } catch (Sasl.MalformedResponseException e) {
            session.badCommand(MALFORMED.get(e.problem()));
            return;
        }
        if (!credentials.authorizationAllowed()) {
            credentials.wipe();
            Login.fail(session);
            return;
        }
        Login.attempt(session, credentials.username(), credentials.password());
    }

    private static String challenge(Pop3Session session, String base64) throws IOException {
        session.connection().output().write(("+ " + base64 + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String line = session.readSaslLine();
        if (line == null) {
            throw new TooLong();
        }
        if (line.equals("*")) {
            throw new Cancelled();
        }
        return line;
    }

    /** The client cancelled the exchange with {@code *}. */
    private static final class Cancelled extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /** A response line was too long (already answered). */
    private static final class TooLong extends IOException {
        private static final long serialVersionUID = 1L;
    }

    @Override
    public String toString() {
        return "AUTH " + mechanism + (initialResponse == null ? "" : " ****");
    }
}
