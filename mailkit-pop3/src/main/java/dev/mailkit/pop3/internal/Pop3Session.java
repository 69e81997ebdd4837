package dev.mailkit.pop3.internal;

import dev.mailkit.core.server.Connection;
import dev.mailkit.core.server.ProtocolInputStream;
import dev.mailkit.pop3.internal.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One POP3 session over a connection: greets, reads command lines, has them parsed and executed, and enforces the
 * per-connection limits (line length, bad commands, silence). Replies are flushed when no further pipelined command is
 * waiting. However the session ends, a maildrop it still holds is released without applying its deletions: only QUIT
 * does that. Used by the one thread that runs the session.
 */
public final class Pop3Session {
    private static final Logger LOG = LoggerFactory.getLogger(Pop3Session.class);
    private static final byte[] CRLF = {'\r', '\n'};

    private final Pop3Config config;
    private final Connection connection;
    private final MultilineEncoder encoder = new MultilineEncoder();
    private Pop3State state = Pop3State.AUTHORIZATION;
    private String pendingUser;
    private Maildrop maildrop;
    private int authFailures;
    private int badCommands;
    private boolean ending;

    public Pop3Session(Pop3Config config, Connection connection) {
        this.config = config;
        this.connection = connection;
    }

    /** Runs the session until QUIT, the end of the connection, a timeout or a limit. */
    public void run() throws IOException {
        try {
            ok(config.hostName() + " POP3 server ready");
            flush();
            while (!ending) {
                byte[] line;
                try {
                    line = connection.input().readLineBytes(config.maxLineLength());
                } catch (ProtocolInputStream.LineTooLongException e) {
                    badCommand("Command line too long");
                    flushIfIdle();
                    continue;
                }
                if (line == null) {
                    return;
                }
                process(line);
                flushIfIdle();
            }
            flush();
        } catch (SocketTimeoutException e) {
            autologout(); // silent for too long, between commands or inside a SASL exchange
        } catch (EOFException e) {
            LOG.debug("{}: client left in the middle of a line", connection.id());
        } finally {
            releaseMaildrop();
        }
    }

    private void process(byte[] line) throws IOException {
        Command command;
        try {
            command = CommandParser.parse(line);
        } catch (ParseException e) {
            badCommand(e.getMessage());
            return;
        } finally {
            Arrays.fill(line, (byte) 0);
        }
        if (!command.validIn(state)) {
            badCommand(state == Pop3State.AUTHORIZATION ? "Log in first" : "Command not valid in this state");
            return;
        }
        command.execute(this);
    }

    private void autologout() {
        try {
            err("Autologout: idle for too long");
            flush();
        } catch (IOException ignored) {
            // the client is gone anyway
        }
    }

    private void flushIfIdle() throws IOException {
        if (connection.input().buffered() == 0) {
            flush();
        }
    }

    /** Flushes the replies written so far. */
    public void flush() throws IOException {
        connection.output().flush();
    }

    // ---- replies -------------------------------------------------------------------------------------------------

    /** Writes {@code +OK text} (just {@code +OK} for empty text). The text is mailkit's own, never the client's. */
    public void ok(String text) throws IOException {
        status("+OK", text);
    }

    /** Writes {@code -ERR text}. The text is mailkit's own, never the client's. */
    public void err(String text) throws IOException {
        status("-ERR", text);
    }

    private void status(String indicator, String text) throws IOException {
        OutputStream out = connection.output();
        out.write(text.isEmpty() ? indicator.getBytes(StandardCharsets.US_ASCII)
                : (indicator + " " + text).getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
    }

    /** Writes one line of a multi-line response (byte-stuffed if it starts with a dot). */
    public void line(String text) throws IOException {
        OutputStream out = connection.output();
        if (text.startsWith(".")) {
            out.write('.');
        }
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
    }

    /** Ends a multi-line response. */
    public void endMultiline() throws IOException {
        connection.output().write(new byte[]{'.', '\r', '\n'});
    }

    /** Counts a bad command and answers it; too many end the session. */
    public void badCommand(String text) throws IOException {
        if (++badCommands >= config.maxBadCommands()) {
            err("Too many bad commands, closing the connection");
            end();
        } else {
            err(text);
        }
    }

    // ---- state ---------------------------------------------------------------------------------------------------

    public Pop3Config config() {
        return config;
    }

    public Connection connection() {
        return connection;
    }

    public Pop3State state() {
        return state;
    }

    /** The encoder for RETR and TOP. */
    public MultilineEncoder encoder() {
        return encoder;
    }

    /** Whether USER, PASS and AUTH may be used on this connection now. */
    public boolean loginAllowed() {
        return !config.requireTlsForLogin() || connection.isTls();
    }

    /** The name given with USER, waiting for PASS, or null. */
    public String pendingUser() {
        return pendingUser;
    }

    public void pendingUser(String name) {
        this.pendingUser = name;
    }

    /** Counts a failed login and returns how many this connection has had. */
    public int authFailed() {
        return ++authFailures;
    }

    /** The maildrop (TRANSACTION state only). */
    public Maildrop maildrop() {
        if (maildrop == null) {
            throw new IllegalStateException("no maildrop outside the TRANSACTION state");
        }
        return maildrop;
    }

    /** Enters the TRANSACTION state with a locked maildrop. */
    public void enterTransaction(Maildrop drop) throws IOException {
        this.maildrop = drop;
        this.pendingUser = null;
        this.state = Pop3State.TRANSACTION;
        connection.setReadTimeout(config.idleTimeout());
    }

    /** Enters the UPDATE state: the caller commits the maildrop, which is no longer the session's to release. */
    public Maildrop enterUpdate() {
        Maildrop drop = maildrop();
        this.maildrop = null;
        this.state = Pop3State.UPDATE;
        return drop;
    }

    /** Ends the session after the current command's response has been sent. */
    public void end() {
        ending = true;
    }

    /**
     * Reads one line of a SASL exchange (RFC 5034), up to 8 times the command line limit.
     *
     * @return the line, or null if it was too long (already answered)
     * @throws EOFException if the client left
     */
    public String readSaslLine() throws IOException {
        flush();
        try {
            String line = connection.input().readLine(config.maxSaslLineLength());
            if (line == null) {
                throw new EOFException("client closed the connection during AUTH");
            }
            return line;
        } catch (ProtocolInputStream.LineTooLongException e) {
            badCommand("SASL response too long");
            return null;
        }
    }

    private void releaseMaildrop() {
        if (maildrop != null) {
            try {
                maildrop.abandon();
            } catch (RuntimeException e) {
                LOG.warn("{}: releasing the maildrop failed", connection.id(), e);
            }
            maildrop = null;
        }
    }
}
