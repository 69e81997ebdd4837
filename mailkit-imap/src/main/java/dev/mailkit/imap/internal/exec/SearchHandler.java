package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.SearchCommand;
import dev.mailkit.imap.internal.command.SearchKey;
import dev.mailkit.imap.internal.command.SearchReturn;
import dev.mailkit.imap.internal.encode.Responses;
import dev.mailkit.imap.internal.search.SearchContext;
import dev.mailkit.imap.internal.search.SearchEvaluator;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.session.SelectedMailbox;
import dev.mailkit.imap.internal.store.StoreMessage;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.search.SearchIndex;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * SEARCH and UID SEARCH (RFC 3501 6.4.4), with ESEARCH results (RFC 4731), MODSEQ (RFC 7162) and RFC 5267's
 * PARTIAL and UPDATE (kept up to date by the selection's {@link SearchUpdates}). ALL and plain
 * sequence/UID sets are answered from the snapshot alone; other keys are evaluated per message, cheap keys first.
 */
final class SearchHandler implements CommandHandler<SearchCommand> {
    @Override
    public void handle(SearchCommand c, ImapSession s) throws IOException {
        SelectedMailbox sel = s.selected();
        if (c.returns() != null && c.returns().contains(SearchReturn.UPDATE) && sel.searchUpdates().has(c.tag())) {
            s.out().tagged(c.tag(), "BAD", null, "Duplicate search update tag: use another tag or CANCELUPDATE it");
            return;
        }
        boolean save = c.returns() != null && c.returns().contains(SearchReturn.SAVE);
        if (!SearchCommand.isSupportedCharset(c.charset())) {
            sel.saveResult(UidSet.EMPTY); // RFC 5182 2.1: a SEARCH with SAVE that ends in NO empties $
            s.out().tagged(c.tag(), "NO", "BADCHARSET (UTF-8 US-ASCII)", "unsupported charset " + c.charset());
            return;
        }
        try {
            run(c, s, sel);
        } catch (RuntimeException e) {
            if (save) {
                sel.saveResult(UidSet.EMPTY); // the command ends in NO: $ is empty (RFC 5182 2.1)
            }
            throw e;
        }
    }

    private void run(SearchCommand c, ImapSession s, SelectedMailbox sel) throws IOException {
        SearchKey key = SearchEvaluator.optimize(SavedSearch.expand(c.key(), sel));
        boolean modseq = mentionsModSeq(key);
        if (modseq) {
            s.enableCondstore();
        }
        int count = sel.view().messageCount();
        long[] hits = new long[Math.min(count, 1024)];
        int n = 0;
        long highest = 0;
        long firstModSeq = 0;
        long lastModSeq = 0;
        if (key instanceof SearchKey.All) {
            hits = new long[count];
            for (int seq = 1; seq <= count; seq++) {
                hits[n++] = c.uid() ? sel.view().uid(seq) : seq;
            }
        } else {
            SearchContext ctx = new SearchContext(count, sel.maxUid(), s.config().zone(), s.config().clock().instant());
            SearchIndex index = s.config().searchIndex();
            SearchEvaluator eval = index == null ? new SearchEvaluator(ctx) : new SearchEvaluator(ctx,
                    SearchEvaluator.askIndex(index, s.account().id(), sel.mailbox(), key));
            for (int seq = 1; seq <= count; seq++) {
                long uid = sel.view().uid(seq);
                Optional<StoreMessage> m = sel.message(seq, uid);
                if (m.isEmpty()) {
                    continue; // expunged by another session: matches nothing
                }
                boolean match;
                try {
                    match = eval.matches(key, seq, m.get());
                } catch (StoreMessage.ExpungedException e) {
                    continue;
                }
                if (match) {
                    if (n == hits.length) {
                        hits = Arrays.copyOf(hits, Math.max(16, n * 2));
                    }
                    hits[n++] = c.uid() ? uid : seq;
                    long ms = m.get().modseq();
                    highest = Math.max(highest, ms);
                    if (n == 1) {
                        firstModSeq = ms;
                    }
                    lastModSeq = ms;
                }
            }
        }
        // RFC 9051 6.4.4: with IMAP4rev2 the answer is always ESEARCH, no RETURN meaning RETURN (ALL)
        Set<SearchReturn> returns = c.returns() == null && s.rev2() ? Set.of() : c.returns();
        if (returns == null) {
            Responses.search(s.out(), hits, n, modseq ? highest : 0);
        } else {
            if (returns.contains(SearchReturn.UPDATE)) {
                sel.searchUpdates().start(s, c.tag(), c.uid(), key, null, hits, n);
            }
            Set<SearchReturn> shown = SavedSearch.save(sel, returns, c.uid(), hits, n); // null with SAVE alone
            if (shown != null) {
                Responses.esearch(s.out(), c.tag(), c.uid(), shown, c.partial(), hits, n,
                        modseq ? returnedModSeq(shown, highest, firstModSeq, lastModSeq) : 0);
            }
        }
        s.complete(c, null, "Search completed");
    }

    /**
     * RFC 7162 3.1.5: the highest MODSEQ of the messages the ESEARCH response returns: of all matches with ALL or
     * COUNT, otherwise of the MIN and/or MAX message only.
     */
    static long returnedModSeq(Set<SearchReturn> r, long all,
                               long min, long max) {
        if (r.isEmpty() || r.contains(SearchReturn.ALL)
                || r.contains(SearchReturn.COUNT)) {
            return all;
        }
        long m = 0;
        if (r.contains(SearchReturn.MIN)) {
            m = min;
        }
        if (r.contains(SearchReturn.MAX)) {
            m = Math.max(m, max);
        }
        return m == 0 ? all : m;
    }

    private static boolean mentionsModSeq(SearchKey k) {
        if (k instanceof SearchKey.ModSeq) {
            return true;
        }
        if (k instanceof SearchKey.Not n) {
            return mentionsModSeq(n.key());
        }
        if (k instanceof SearchKey.Or o) {
            return mentionsModSeq(o.a()) || mentionsModSeq(o.b());
        }
        if (k instanceof SearchKey.And a) {
            for (SearchKey x : a.keys()) {
                if (mentionsModSeq(x)) {
                    return true;
                }
            }
        }
        return false;
    }
}
