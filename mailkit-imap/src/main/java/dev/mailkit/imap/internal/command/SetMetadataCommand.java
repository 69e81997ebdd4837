package dev.mailkit.imap.internal.command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SETMETADATA mailbox (entry value ...) (RFC 5464 4.3). {@code mailbox} is the decoded name, empty for the server's
 * entries; {@code values} maps each lower-case entry to its new value, null (NIL) to remove it; a later value for the
 * same entry replaces an earlier one.
 */
public record SetMetadataCommand(String tag, String mailbox, Map<String, byte[]> values) implements Command {
    public SetMetadataCommand {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    @Override
    public String name() {
        return "SETMETADATA";
    }
}
