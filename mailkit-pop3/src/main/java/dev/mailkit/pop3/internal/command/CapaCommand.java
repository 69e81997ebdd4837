package dev.mailkit.pop3.internal.command;

import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;

import java.io.IOException;

/**
 * CAPA (RFC 2449): the capabilities in the current state. USER and SASL appear only where a login is possible now
 * (not before TLS when TLS is required), STLS only where TLS can be started.
 */
public final class CapaCommand implements Command {
    public static final CapaCommand INSTANCE = new CapaCommand();

    private CapaCommand() {
    }

    @Override
    public boolean validIn(Pop3State state) {
        return state != Pop3State.UPDATE;
    }

    @Override
    public void execute(Pop3Session session) throws IOException {
        session.ok("Capability list follows");
        session.line("TOP");
        session.line("UIDL");
        session.line("RESP-CODES");
        session.line("AUTH-RESP-CODE");
        session.line("PIPELINING");
        if (session.state() == Pop3State.AUTHORIZATION) {
            session.line("UTF8 USER"); // RFC 6856: the UTF8 command, and user names and passwords in UTF-8
            if (session.loginAllowed()) {
                session.line("USER");
                session.line("SASL " + String.join(" ", AuthCommand.MECHANISMS));
            }
            if (session.connection().canStartTls()) {
                session.line("STLS");
            }
        }
        session.line("IMPLEMENTATION " + session.config().hostName());
        session.endMultiline();
    }
}
