package dev.mailkit.imap.internal.command;

import java.util.List;

/**
 * GETMETADATA [(MAXSIZE n DEPTH d)] mailbox entries (RFC 5464 4.2). {@code mailbox} is the decoded name, empty for
 * the server's entries; {@code entries} are lower case; {@code maxSize} is -1 without MAXSIZE; {@code depth} is 0, 1
 * or {@link #INFINITY}.
 */
public record GetMetadataCommand(String tag, String mailbox, List<String> entries, long maxSize, int depth)
        implements Command {
    /** DEPTH infinity. */
    public static final int INFINITY = Integer.MAX_VALUE;

    public GetMetadataCommand {
        entries = List.copyOf(entries);
    }

    @Override
    public String name() {
        return "GETMETADATA";
    }
}
