package dev.mailkit.imap.internal.protocol;

import dev.mailkit.imap.internal.command.PartialRange;
import dev.mailkit.imap.internal.command.SearchOptions;
import dev.mailkit.imap.internal.command.SearchReturn;

import java.util.EnumSet;
import java.util.Set;

/**
 * SEARCH's and SORT's {@code RETURN (...)}: ESEARCH's options (RFC 4731), SAVE (RFC 5182), and RFC 5267's UPDATE,
 * CONTEXT (a hint: accepted and dropped) and {@code PARTIAL first:last}. Refused with BAD as Dovecot does: an
 * unknown option, PARTIAL twice, a position 0, PARTIAL with ALL.
 */
final class ReturnParser {
    private ReturnParser() {
    }

    /** After "RETURN SP": "(" [option *(SP option)] ")". */
    static SearchOptions parse(ImapParser p) throws ParseException {
        p.expect('(');
        Set<SearchReturn> returns = EnumSet.noneOf(SearchReturn.class);
        PartialRange partial = null;
        if (!p.tryChar(')')) {
            do {
                String o = p.keyword();
                switch (o) {
                    case "CONTEXT" -> {
                        // RFC 5267 4.2: only tells the server that updates or PARTIAL may follow
                    }
                    case "PARTIAL" -> {
                        if (partial != null) {
                            throw ParseException.bad("PARTIAL can be used only once");
                        }
                        p.sp();
                        partial = range(p);
                        returns.add(SearchReturn.PARTIAL);
                    }
                    default -> {
                        try {
                            returns.add(SearchReturn.valueOf(o));
                        } catch (IllegalArgumentException e) {
                            throw ParseException.bad("unknown RETURN option " + o);
                        }
                    }
                }
            } while (p.trySp());
            p.expect(')');
        }
        if (partial != null && returns.contains(SearchReturn.ALL)) {
            throw ParseException.bad("PARTIAL conflicts with ALL: ask for one of them");
        }
        return new SearchOptions(returns, partial);
    }

    /** partial-range = nz-number ":" nz-number (RFC 5267 5). */
    private static PartialRange range(ImapParser p) throws ParseException {
        try {
            long first = p.nzNumber();
            p.expect(':');
            return new PartialRange(first, p.nzNumber());
        } catch (ParseException e) {
            throw ParseException.bad("PARTIAL range broken: expected first:last, positions from 1");
        }
    }
}
