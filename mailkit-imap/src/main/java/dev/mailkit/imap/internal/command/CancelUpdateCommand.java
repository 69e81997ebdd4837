package dev.mailkit.imap.internal.command;

import java.util.List;

/** CANCELUPDATE tag-string *(SP tag-string) (RFC 5267 4.3): ends the named searches' updates. */
public record CancelUpdateCommand(String tag, List<String> searchTags) implements Command {
    public CancelUpdateCommand {
        searchTags = List.copyOf(searchTags);
    }

    @Override
    public String name() {
        return "CANCELUPDATE";
    }
}
