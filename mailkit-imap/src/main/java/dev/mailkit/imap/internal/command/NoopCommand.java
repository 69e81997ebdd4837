package dev.mailkit.imap.internal.command;

/** NOOP (RFC 3501 6.1.2); also CHECK (6.4.1), which has nothing more to do here. */
public record NoopCommand(String tag, String name) implements Command {
}
