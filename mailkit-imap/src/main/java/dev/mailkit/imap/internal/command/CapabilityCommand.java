package dev.mailkit.imap.internal.command;

/** CAPABILITY (RFC 3501 6.1.1). */
public record CapabilityCommand(String tag) implements Command {
    @Override
    public String name() {
        return "CAPABILITY";
    }
}
