package dev.mailkit.imap.internal.command;

/** LOGOUT (RFC 3501 6.1.3). */
public record LogoutCommand(String tag) implements Command {
    @Override
    public String name() {
        return "LOGOUT";
    }
}
