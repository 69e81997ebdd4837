package dev.mailkit.imap.internal.command;

import java.util.Map;

/** ID (params) or ID NIL (RFC 2971); {@code parameters} is empty for NIL. Keys keep the client's spelling. */
public record IdCommand(String tag, Map<String, String> parameters) implements Command {
    @Override
    public String name() {
        return "ID";
    }
}
