package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.SearchReturn;
import dev.mailkit.imap.internal.command.SortCommand;
import dev.mailkit.imap.internal.command.SortCriterion;
import dev.mailkit.imap.internal.encode.ImapWriter;
import dev.mailkit.imap.internal.search.SortKeys;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.store.StoreMessage;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * SORT and UID SORT (RFC 5256, SORT=DISPLAY RFC 5957) with ESORT's RETURN (RFC 5267): the matches' keys are read
 * once each, then ordered by the criteria in turn, ties by sequence number (REVERSE reverses its criterion only, as
 * Dovecot).
 */
final class SortHandler implements CommandHandler<SortCommand> {
    @Override
    public void handle(SortCommand c, ImapSession s) throws IOException {
        SearchRun.Hits hits = SearchRun.run(s, c.key());
        List<SortCriterion> criteria = c.criteria();
        int n = hits.seqs().length;
        long[][] numbers = new long[criteria.size()][];
        String[][] strings = new String[criteria.size()][];
        for (int k = 0; k < criteria.size(); k++) {
            SortCriterion.Key key = criteria.get(k).key();
            try {
                if (SortKeys.numeric(key)) {
                    numbers[k] = new long[n];
                    for (int i = 0; i < n; i++) {
                        numbers[k][i] = SortKeys.number(key, hits.messages().get(i));
                    }
                } else {
                    strings[k] = new String[n];
                    for (int i = 0; i < n; i++) {
                        strings[k][i] = SortKeys.string(key, hits.messages().get(i));
                    }
                }
            } catch (StoreMessage.ExpungedException e) {
                throw new IllegalStateException(e); // envelopes were read by the search: not reached
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            for (int k = 0; k < criteria.size(); k++) {
                int r = numbers[k] != null ? Long.compare(numbers[k][a], numbers[k][b])
                        : strings[k][a].compareTo(strings[k][b]);
                if (r != 0) {
                    return criteria.get(k).reverse() ? -r : r;
                }
            }
            return Integer.compare(a, b); // sequence order
        });
        long[] result = new long[n];
        for (int i = 0; i < n; i++) {
            int idx = order[i];
            result[i] = c.uid() ? hits.messages().get(idx).uid() : hits.seqs()[idx];
        }
        if (c.returns() == null) {
            ImapWriter w = s.out();
            w.ascii("* SORT");
            for (long v : result) {
                w.sp().number(v);
            }
            w.crlf();
        } else {
            esort(s.out(), c, result);
        }
        s.complete(c, null, "Sort completed");
    }

    /** ESORT (RFC 5267): MIN and MAX are the first and last in sort order, ALL the numbers in sort order. */
    private static void esort(ImapWriter w, SortCommand c, long[] r) throws IOException {
        Set<SearchReturn> ret = c.returns().isEmpty() ? Set.of(SearchReturn.ALL) : c.returns();
        w.ascii("* ESEARCH (TAG ").quoted(c.tag()).write(')');
        if (c.uid()) {
            w.ascii(" UID");
        }
        if (r.length > 0 && ret.contains(SearchReturn.MIN)) {
            w.ascii(" MIN ").number(r[0]);
        }
        if (r.length > 0 && ret.contains(SearchReturn.MAX)) {
            w.ascii(" MAX ").number(r[r.length - 1]);
        }
        if (r.length > 0 && ret.contains(SearchReturn.ALL)) {
            w.ascii(" ALL ");
            orderedSet(w, r);
        }
        if (ret.contains(SearchReturn.COUNT)) {
            w.ascii(" COUNT ").number(r.length);
        }
        w.crlf();
    }

    /** Numbers in the given order, ascending runs as ranges ({@code 8:9,1,6}). */
    static void orderedSet(ImapWriter w, long[] r) throws IOException {
        int i = 0;
        while (i < r.length) {
            int j = i;
            while (j + 1 < r.length && r[j + 1] == r[j] + 1) {
                j++;
            }
            if (i > 0) {
                w.write(',');
            }
            w.number(r[i]);
            if (j > i) {
                w.write(':').number(r[j]);
            }
            i = j + 1;
        }
    }
}
