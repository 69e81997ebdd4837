package dev.mailkit.imap.internal.command;

/** SELECT or EXAMINE (readOnly) mailbox [(CONDSTORE)] (RFC 3501 6.3.1/6.3.2, RFC 7162 3.1.8). */
public record SelectCommand(String tag, String mailbox, boolean readOnly, boolean condstore) implements Command {
    @Override
    public String name() {
        return readOnly ? "EXAMINE" : "SELECT";
    }
}
