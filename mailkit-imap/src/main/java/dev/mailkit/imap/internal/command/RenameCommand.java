package dev.mailkit.imap.internal.command;

/** RENAME existing new (RFC 3501 6.3.5). */
public record RenameCommand(String tag, String from, String to) implements Command {
    @Override
    public String name() {
        return "RENAME";
    }
}
