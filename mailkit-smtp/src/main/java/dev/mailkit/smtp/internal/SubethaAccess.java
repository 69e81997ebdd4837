package dev.mailkit.smtp.internal;

import org.subethamail.smtp.internal.server.ServerThread;
import org.subethamail.smtp.server.Session;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.util.concurrent.Semaphore;

/**
 * The one place mailkit reaches into SubEthaSMTP's internals:
 * <ul>
 * <li>it replaces a session's private reply writer with a {@link ReplyWriter}, because SubEthaSMTP offers no hook
 * for it and writes a few replies of its own without enhanced status codes and in the platform charset;</li>
 * <li>it takes a connection permit from a {@link ServerThread}'s private semaphore for every session it starts
 * itself ({@link SmtpListener} runs the accept loop on a pooled thread instead of starting SubEthaSMTP's server
 * thread), because each ending session gives one back.</li>
 * </ul>
 * A test checks this still works with the SubEthaSMTP version in use ({@code SmtpProtocolTest}, and every test that
 * starts a server).
 */
final class SubethaAccess {
    private static final Field WRITER = field(Session.class, "writer");
    private static final Field PERMITS = field(ServerThread.class, "connectionPermits");

    private static Field field(Class<?> c, String name) {
        try {
            Field f = c.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("this SubEthaSMTP version has no " + c.getSimpleName() + "." + name
                    + " field; mailkit needs SubEthaSMTP 7.2.x");
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

    /** The semaphore that {@link Session#run()} releases a permit of when it ends. */
    static Semaphore connectionPermits(ServerThread t) {
        try {
            return (Semaphore) PERMITS.get(t);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
