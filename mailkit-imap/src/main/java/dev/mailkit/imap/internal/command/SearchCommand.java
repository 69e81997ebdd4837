package dev.mailkit.imap.internal.command;

import java.util.Set;

/**
 * SEARCH / UID SEARCH [RETURN (options)] [CHARSET charset] keys (RFC 3501 6.4.4, ESEARCH RFC 4731). {@code returns}
 * is null for the classic SEARCH response, empty or not for ESEARCH ({@code RETURN ()} means ALL); {@code partial}
 * is RFC 5267's PARTIAL range, null without it.
 */
public record SearchCommand(String tag, boolean uid, Set<SearchReturn> returns, PartialRange partial, String charset,
                            SearchKey key)
        implements Command {
    public SearchCommand {
        returns = returns == null ? null : Set.copyOf(returns);
    }

    /** Whether SEARCH can match text in this (upper-case) charset: UTF-8 and US-ASCII. */
    public static boolean isSupportedCharset(String charset) {
        return charset == null || charset.equals("UTF-8") || charset.equals("US-ASCII");
    }

    @Override
    public String name() {
        return uid ? "UID SEARCH" : "SEARCH";
    }
}
