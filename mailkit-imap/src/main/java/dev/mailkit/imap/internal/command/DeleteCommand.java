package dev.mailkit.imap.internal.command;

/** DELETE mailbox (RFC 3501 6.3.4). */
public record DeleteCommand(String tag, String mailbox) implements Command {
    @Override
    public String name() {
        return "DELETE";
    }
}
