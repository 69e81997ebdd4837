package dev.mailkit.imap.internal.command;

/**
 * A parsed IMAP command: immutable data, produced by the parser and run by the session. Each command is its own
 * small record in this package.
 */
public interface Command {
    /** The client's tag. */
    String tag();

    /** The command name as the server reports it in replies (e.g. {@code UID FETCH}). */
    String name();
}
