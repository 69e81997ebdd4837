package dev.mailkit.smtp.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * A client that closed or reset its connection in the middle of a message's content (DATA or BDAT): an ordinary
 * event (a client that gave up waiting, a process killed, a network cut off), not a server problem. Nothing was
 * acknowledged and nothing is kept; the session ends quietly with one INFO line that says so, instead of the session
 * loop's {@code WARN Exception during SMTP transaction} with a stack trace. Stateless.
 */
public final class ClientGone {
    private ClientGone() {
    }

    /**
     * Whether {@code e}, thrown while reading the client's content, means the client went away: the end of the
     * stream, or a reset or broken connection (a read timeout is not: the client is still there).
     */
    public static boolean isClientGone(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) { // (TLS wraps them)
            if (t instanceof EOFException || t instanceof SocketException && !(t instanceof SocketTimeoutException)) {
                return true;
            }
        }
        return false;
    }

    /** Logs that the client went away during {@code command} after {@code octets} octets, and ends the session. */
    public static void endSession(SessionState st, String command, long octets, IOException e) {
        Log.LOG.info("{}: the client went away during {} after {} octets ({}); nothing was acknowledged "
                + "or kept", st.sessionId(), command, octets, e.getMessage());
        st.closeConnection();
    }

    /** The logger, created when first used (as SmtpListener's). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(SmtpListener.class);
    }
}
