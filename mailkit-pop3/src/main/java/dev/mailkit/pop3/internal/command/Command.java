package dev.mailkit.pop3.internal.command;

import dev.mailkit.pop3.internal.Pop3Session;
import dev.mailkit.pop3.internal.Pop3State;

import java.io.IOException;

/**
 * One parsed POP3 command with its arguments (made by {@link dev.mailkit.pop3.internal.CommandParser}), which runs
 * against a session and writes its response.
 */
public interface Command {
    /** Whether the command may be given in this state (RFC 1939 says where each command is valid). */
    boolean validIn(Pop3State state);

    /**
     * Runs the command and writes its response (not flushed).
     *
     * @throws IOException if the connection failed
     */
    void execute(Pop3Session session) throws IOException;
}
