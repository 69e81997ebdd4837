package dev.mailkit.relay.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * The command conversation over one connection to an SMTP server: command lines out (CRLF added, a CR or LF inside
 * refused), replies in through a {@link ReplyReader}, and every step under a deadline: the socket's read timeout for
 * replies, and for writes a deadline the {@link Watchdog} enforces by closing the socket (a blocking write to a server
 * that stopped reading never times out by itself). After STARTTLS the conversation goes on over the TLS socket
 * ({@link #upgrade}). A channel that failed in the middle of a step is {@linkplain #isBroken broken}: nothing more may
 * be sent on it. Used by one thread at a time, and by the watchdog.
 */
final class SmtpChannel {
    private final String who;
    private final Duration commandTimeout;
    private final Watchdog watchdog;
    private final ReplyReader replies;
    private Socket socket;
    private OutputStream out;
    private int soTimeout = -1;
    private volatile long deadline; // System.nanoTime() value, 0 when idle
    private volatile boolean timedOut;
    private volatile boolean broken;

    private SmtpChannel(Socket socket, String who, Duration commandTimeout, Watchdog watchdog) {
        this.socket = socket;
        this.who = who;
        this.commandTimeout = commandTimeout;
        this.watchdog = watchdog;
        this.replies = new ReplyReader(who);
    }

    /**
     * Connects within the settings' connect timeout, watched by the watchdog from then on.
     *
     * @param who the server as messages name it, {@code host[address]:port}
     * @throws SessionFailure (4.4.1) if the connection cannot be made
     */
    static SmtpChannel connect(InetSocketAddress address, ClientSettings settings, String who, Watchdog watchdog)
            throws SessionFailure {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(address, (int) settings.connectTimeout.toMillis());
            s.setSoTimeout((int) settings.commandTimeout.toMillis());
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
            throw new SessionFailure("connect to " + who + ": " + Text.describe(e), null, "4.4.1", e);
        }
        SmtpChannel c = new SmtpChannel(s, who, settings.commandTimeout, watchdog);
        watchdog.watch(c);
        try {
            c.streams();
        } catch (IOException e) {
            c.close();
            throw new SessionFailure("connect to " + who + ": " + Text.describe(e), null, "4.4.1", e);
        }
        return c;
    }

    private void streams() throws IOException {
        replies.attach(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream(), 32 * 1024);
    }

    /** The server as messages name it: {@code host[address]:port}. */
    String who() {
        return who;
    }

    /** The plain socket, before {@link #upgrade}, for layering TLS over it. */
    Socket socket() {
        return socket;
    }

    /** Goes on over the TLS socket layered on this channel's socket (the handshake done). */
    void upgrade(SSLSocket ssl) throws IOException {
        socket = ssl;
        soTimeout = -1;
        streams();
    }

    /** Whether the server sent bytes that no reply has used yet. */
    boolean hasBufferedInput() {
        return replies.hasBuffered();
    }

    /** Sends a command and reads its reply, within the command timeout. */
    Reply command(String line) throws IOException {
        setDeadline(commandTimeout);
        write(line);
        out.flush();
        return readReply(commandTimeout);
    }

    /** Buffers a command line (for pipelining); {@link #flush} sends it. */
    void write(String line) throws IOException {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new IllegalArgumentException("an SMTP command must not contain CR or LF");
            }
        }
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void flush() throws IOException {
        out.flush();
    }

    /** The buffered output stream, for the message content. */
    OutputStream out() {
        return out;
    }

    /** Reads a reply, waiting at most {@code timeout} for each read. */
    Reply readReply(Duration timeout) throws IOException {
        int t = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        if (t != soTimeout) {
            socket.setSoTimeout(t);
            soTimeout = t;
        }
        return replies.read();
    }

    /** Gives the next writes {@code timeout} before the watchdog closes the connection. */
    void setDeadline(Duration timeout) {
        deadline = System.nanoTime() + timeout.toNanos() + 1;
    }

    void clearDeadline() {
        deadline = 0;
    }

    /** Whether the current deadline has passed (the failure at hand is a timeout). */
    boolean deadlinePassed() {
        long d = deadline;
        return d != 0 && System.nanoTime() - d > 0;
    }

    /** Whether the watchdog closed the connection for a passed deadline. */
    boolean timedOut() {
        return timedOut;
    }

    /** Called by the watchdog: closes the connection if its deadline passed. */
    void checkDeadline(long now) {
        long d = deadline;
        if (d != 0 && now - d > 0) {
            broken = true;
            timedOut = true;
            close();
        }
    }

    /** Nothing more may be sent: the conversation is out of step, or the connection is gone. */
    void markBroken() {
        broken = true;
    }

    boolean isBroken() {
        return broken;
    }

    /** Whether the socket is still open and the conversation in step. */
    boolean isUsable() {
        return !broken && !socket.isClosed();
    }

    /** Closes the socket at once. */
    void close() {
        watchdog.unwatch(this);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
