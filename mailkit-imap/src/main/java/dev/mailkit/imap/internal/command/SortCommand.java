package dev.mailkit.imap.internal.command;

import java.util.List;
import java.util.Set;

/**
 * SORT / UID SORT [RETURN (options)] (criteria) charset keys (RFC 5256, ESORT RFC 5267). {@code returns} is null
 * for the classic SORT response, else ESEARCH's options in sort order (MIN and MAX are the first and last in it);
 * {@code partial} is RFC 5267's PARTIAL range, null without it.
 */
public record SortCommand(String tag, boolean uid, Set<SearchReturn> returns, PartialRange partial,
                          List<SortCriterion> criteria, SearchKey key) implements Command {
    public SortCommand {
        returns = returns == null ? null : Set.copyOf(returns);
        criteria = List.copyOf(criteria);
    }

    @Override
    public String name() {
        return uid ? "UID SORT" : "SORT";
    }
}
