package dev.mailkit.imap.internal.command;

/** NAMESPACE (RFC 2342). */
public record NamespaceCommand(String tag) implements Command {
    @Override
    public String name() {
        return "NAMESPACE";
    }
}
