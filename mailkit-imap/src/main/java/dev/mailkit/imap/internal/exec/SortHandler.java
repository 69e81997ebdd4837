package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.SearchReturn;
import dev.mailkit.imap.internal.command.SortCommand;
import dev.mailkit.imap.internal.encode.ImapWriter;
import dev.mailkit.imap.internal.encode.Responses;
import dev.mailkit.imap.internal.search.SortOrder;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.session.SelectedMailbox;
import dev.mailkit.imap.internal.store.StoreMessage;

import java.io.IOException;
import java.util.Set;

/**
 * SORT and UID SORT (RFC 5256, SORT=DISPLAY RFC 5957) with ESORT's RETURN (RFC 5267), PARTIAL and UPDATE
 * (CONTEXT=SORT: kept up to date by the selection's {@link SearchUpdates}): the matches are ordered by
 * {@link SortOrder}.
 */
final class SortHandler implements CommandHandler<SortCommand> {
    @Override
    public void handle(SortCommand c, ImapSession s) throws IOException {
        SelectedMailbox sel = s.selected();
        boolean update = c.returns() != null && c.returns().contains(SearchReturn.UPDATE);
        if (update && sel.searchUpdates().has(c.tag())) {
            s.out().tagged(c.tag(), "BAD", null, "Duplicate search update tag: use another tag or CANCELUPDATE it");
            return;
        }
        SearchRun.Hits hits = SearchRun.run(s, c.key());
        int n = hits.seqs().length;
        int[] order;
        try {
            order = SortOrder.order(c.criteria(), hits.messages());
        } catch (StoreMessage.ExpungedException e) {
            throw new IllegalStateException(e); // envelopes were read by the search: not reached
        }
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
            if (update) {
                sel.searchUpdates().start(s, c.tag(), c.uid(), c.key(), c.criteria(), result, n);
            }
            esort(s.out(), c, result);
        }
        s.complete(c, null, "Sort completed");
    }

    /**
     * ESORT (RFC 5267): MIN and MAX are the first and last in sort order, ALL and PARTIAL the numbers in sort order
     * (in Dovecot's order of the items).
     */
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
            Responses.orderedSet(w, r, 0, r.length);
        }
        if (c.partial() != null) {
            Responses.partial(w, c.partial(), r, r.length);
        }
        if (ret.contains(SearchReturn.COUNT)) {
            w.ascii(" COUNT ").number(r.length);
        }
        w.crlf();
    }
}
