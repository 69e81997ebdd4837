package dev.mailkit.imap.internal.command;

import java.util.List;

/** STATUS mailbox (items) (RFC 3501 6.3.10). */
public record StatusCommand(String tag, String mailbox, List<StatusItem> items) implements Command {
    public StatusCommand {
        items = List.copyOf(items);
    }

    @Override
    public String name() {
        return "STATUS";
    }
}
