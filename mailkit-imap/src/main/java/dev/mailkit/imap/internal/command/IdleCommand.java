package dev.mailkit.imap.internal.command;

/** IDLE (RFC 2177). */
public record IdleCommand(String tag) implements Command {
    @Override
    public String name() {
        return "IDLE";
    }
}
