package dev.mailkit.imap.internal.command;

import java.util.List;

/** ENABLE capability... (RFC 5161); capability names are upper-cased. */
public record EnableCommand(String tag, List<String> capabilities) implements Command {
    public EnableCommand {
        capabilities = List.copyOf(capabilities);
    }

    @Override
    public String name() {
        return "ENABLE";
    }
}
