package dev.mailkit.imap.internal.session;

import dev.mailkit.imap.internal.command.Command;

import java.io.IOException;

/**
 * Runs one kind of command against the session and writes its responses, ending with the tagged one. Handlers are
 * stateless and shared by all sessions; everything per-connection lives in the {@link ImapSession}.
 */
@FunctionalInterface
public interface CommandHandler<C extends Command> {
    /**
     * @throws IOException if the connection failed (the session ends)
     */
    void handle(C command, ImapSession session) throws IOException;
}
