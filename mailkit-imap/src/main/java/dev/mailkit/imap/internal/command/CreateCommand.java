package dev.mailkit.imap.internal.command;

import java.util.List;

/** CREATE mailbox [(USE (special-use...))] (RFC 3501 6.3.3, RFC 6154 3). */
public record CreateCommand(String tag, String mailbox, List<String> specialUse) implements Command {
    public CreateCommand {
        specialUse = List.copyOf(specialUse);
    }

    @Override
    public String name() {
        return "CREATE";
    }
}
