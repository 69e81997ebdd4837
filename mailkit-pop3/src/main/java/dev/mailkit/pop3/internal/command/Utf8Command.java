package dev.mailkit.pop3.internal.command;

import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;

import java.io.IOException;

/**
 * UTF8 (RFC 6856): the client can take UTF-8 in message header fields and responses. Valid before login only.
 * mailkit returns messages as stored whether or not a client asked (as Dovecot does: no RFC 6858 downgrading), and
 * takes user names and passwords in UTF-8 always (the {@code UTF8 USER} capability).
 */
public final class Utf8Command implements Command {
    public static final Utf8Command INSTANCE = new Utf8Command();

    private Utf8Command() {
    }

    @Override
    public boolean validIn(Pop3State state) {
        return state == Pop3State.AUTHORIZATION;
    }

    @Override
    public void execute(Pop3Session session) throws IOException {
        session.ok("UTF8 enabled");
    }
}
