package dev.mailkit.imap.internal.command;

/** CLOSE (RFC 3501 6.4.2) or, with {@code expunge} false, UNSELECT (RFC 3691). */
public record CloseCommand(String tag, boolean expunge) implements Command {
    @Override
    public String name() {
        return expunge ? "CLOSE" : "UNSELECT";
    }
}
