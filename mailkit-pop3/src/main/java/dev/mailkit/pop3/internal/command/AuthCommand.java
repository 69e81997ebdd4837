package dev.mailkit.pop3.internal.command;

import dev.mailkit.pop3.internal.Login;
import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;
import dev.mailkit.pop3.internal.Sasl;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

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
                    String name = initialResponse != null ? initialResponse : challenge(session, Sasl.USERNAME);
                    credentials = Sasl.login(name, challenge(session, Sasl.PASSWORD));
                    break;
                default:
                    session.badCommand("Unsupported SASL mechanism (PLAIN and LOGIN are supported)");
                    return;
            }
        } catch (Sasl.Cancelled e) {
            session.err("Authentication cancelled");
            return;
        } catch (Sasl.TooLong e) {
            return; // already answered
        } catch (Sasl.Malformed e) {
            session.badCommand(e.getMessage());
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
            throw new Sasl.TooLong();
        }
        if (line.equals("*")) {
            throw new Sasl.Cancelled();
        }
        return line;
    }

    @Override
    public String toString() {
        return "AUTH " + mechanism + (initialResponse == null ? "" : " ****");
    }
}
