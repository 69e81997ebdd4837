package dev.mailkit.imap.internal.protocol;

import dev.mailkit.imap.internal.command.Command;
import dev.mailkit.imap.internal.command.SearchKey;
import dev.mailkit.imap.internal.command.SearchOptions;
import dev.mailkit.imap.internal.command.SortCommand;
import dev.mailkit.imap.internal.command.SortCriterion;
import dev.mailkit.imap.internal.command.ThreadCommand;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** SORT (RFC 5256, ESORT RFC 5267, SORT=DISPLAY RFC 5957) and THREAD (RFC 5256) arguments. */
final class SortParser {
    /** More criteria than there are keys, twice over (each may be reversed), is nonsense. */
    private static final int MAX_CRITERIA = 32;

    private final ImapParser p;
    private final SearchParser search;

    SortParser(ImapParser p, SearchParser search) {
        this.p = p;
        this.search = search;
    }

    /** After "SORT": SP [RETURN (...) SP] "(" criteria ")" SP charset SP search-keys. */
    Command sort(String tag, boolean uid) throws ParseException, IOException {
        p.sp();
        SearchOptions options = null;
        if (p.tryWord("RETURN")) {
            p.sp();
            options = ReturnParser.parse(p);
            p.sp();
        }
        p.expect('(');
        if (p.tryChar(')')) {
            throw ParseException.bad("Empty sort program");
        }
        List<SortCriterion> criteria = new ArrayList<>();
        boolean reverse = false;
        do {
            String k = p.keyword();
            if (k.equals("REVERSE")) {
                reverse = !reverse; // as Dovecot: REVERSE REVERSE cancels out
                continue;
            }
            SortCriterion.Key key;
            try {
                key = SortCriterion.Key.valueOf(k);
            } catch (IllegalArgumentException e) {
                throw ParseException.bad("Unknown sort argument: " + k);
            }
            if (criteria.size() == MAX_CRITERIA) {
                throw ParseException.bad("too many sort criteria");
            }
            criteria.add(new SortCriterion(key, reverse));
            reverse = false;
        } while (p.trySp());
        p.expect(')');
        if (reverse) {
            throw ParseException.bad("Sort list ends with REVERSE");
        }
        if (criteria.isEmpty()) {
            throw ParseException.bad("Empty sort program");
        }
        p.sp();
        charset();
        return new SortCommand(tag, uid, options == null ? null : options.returns(),
                options == null ? null : options.partial(), criteria, keys());
    }

    /** After "THREAD": SP algorithm SP charset SP search-keys. */
    Command thread(String tag, boolean uid) throws ParseException, IOException {
        p.sp();
        String a = p.keyword();
        ThreadCommand.Algorithm algorithm;
        try {
            algorithm = ThreadCommand.Algorithm.valueOf(a);
        } catch (IllegalArgumentException e) {
            throw ParseException.bad("Unknown thread algorithm: " + a);
        }
        p.sp();
        charset();
        return new ThreadCommand(tag, uid, algorithm, keys());
    }

    private void charset() throws ParseException, IOException {
        String charset = p.astring().toUpperCase(Locale.ROOT);
        if (!charset.equals("UTF-8") && !charset.equals("US-ASCII")) {
            throw ParseException.no("BADCHARSET (UTF-8 US-ASCII)", "unsupported charset " + charset);
        }
        if (p.atEnd()) {
            throw ParseException.bad("Missing search parameters");
        }
        p.sp();
    }

    private SearchKey keys() throws ParseException, IOException {
        List<SearchKey> keys = new ArrayList<>();
        keys.add(search.key());
        while (!p.atEnd()) {
            p.sp();
            keys.add(search.key());
        }
        p.end();
        return keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys);
    }
}
