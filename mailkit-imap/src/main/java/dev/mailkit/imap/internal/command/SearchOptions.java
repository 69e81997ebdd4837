package dev.mailkit.imap.internal.command;

import java.util.Set;

/**
 * What {@code RETURN (...)} asked of SEARCH or SORT: the result options (RFC 4731, RFC 5182, RFC 5267) and
 * PARTIAL's range (null without PARTIAL).
 */
public record SearchOptions(Set<SearchReturn> returns, PartialRange partial) {
    public SearchOptions {
        returns = Set.copyOf(returns);
    }
}
