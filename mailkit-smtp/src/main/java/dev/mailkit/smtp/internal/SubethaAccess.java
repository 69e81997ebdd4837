package dev.mailkit.smtp.internal;

import org.subethamail.smtp.server.Session;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Field;

/**
 * The one place mailkit reaches into SubEthaSMTP's internals: it replaces a session's private reply writer with a
 * {@link ReplyWriter}, because SubEthaSMTP offers no hook for it and writes a few replies of its own without
 * enhanced status codes and in the platform charset. A test checks this still works with the SubEthaSMTP version in
 * use ({@code SmtpProtocolTest}).
 */
final class SubethaAccess {
    private static final Field WRITER;

    static {
        try {
            WRITER = Session.class.getDeclaredField("writer");
            WRITER.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("this SubEthaSMTP version has no Session.writer field; "
                    + "mailkit needs SubEthaSMTP 7.2.x");
        }
    }

    private SubethaAccess() {
    }

    /** Installs mailkit's reply writer over the session's current socket (call again after STARTTLS). */
    static void installReplyWriter(Session session, SessionState state) throws IOException {
        PrintWriter w = new ReplyWriter(session.getSocket().getOutputStream(), state);
        try {
            WRITER.set(session, w);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
