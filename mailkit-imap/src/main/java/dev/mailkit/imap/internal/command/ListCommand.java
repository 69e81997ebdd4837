package dev.mailkit.imap.internal.command;

import java.util.List;
import java.util.Set;

/**
 * LIST and LSUB (RFC 3501 6.3.8/6.3.9) with the LIST-EXTENDED syntax (RFC 5258): selection options, several
 * patterns and return options, including STATUS (RFC 5819) and SPECIAL-USE (RFC 6154). Mailbox names and patterns
 * are decoded from modified UTF-7.
 */
public record ListCommand(String tag, boolean lsub, Set<Selection> selection, String reference, List<String> patterns,
                          Set<Return> returns, List<StatusItem> statusItems, boolean extended) implements Command {
    /** LIST selection options. */
    public enum Selection { SUBSCRIBED, REMOTE, RECURSIVEMATCH, SPECIAL_USE }

    /** LIST return options. */
    public enum Return { SUBSCRIBED, CHILDREN, SPECIAL_USE, STATUS }

    public ListCommand {
        selection = Set.copyOf(selection);
        patterns = List.copyOf(patterns);
        returns = Set.copyOf(returns);
        statusItems = List.copyOf(statusItems);
    }

    @Override
    public String name() {
        return lsub ? "LSUB" : "LIST";
    }
}
