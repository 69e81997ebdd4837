package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.SearchKey;
import dev.mailkit.imap.internal.search.SearchContext;
import dev.mailkit.imap.internal.search.SearchEvaluator;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.session.SelectedMailbox;
import dev.mailkit.imap.internal.store.StoreMessage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The messages of the snapshot that match a search key, for SORT and THREAD (SEARCH has its own loop, which also
 * keeps MODSEQs): in sequence order, each with its data for the keys to be read. Messages another session expunged
 * match nothing.
 */
final class SearchRun {
    private SearchRun() {
    }

    /** The matching messages; their sequence numbers are {@code seqs}. */
    record Hits(List<StoreMessage> messages, int[] seqs) {
    }

    static Hits run(ImapSession s, SearchKey key) throws IOException {
        SelectedMailbox sel = s.selected();
        SearchKey k = SearchEvaluator.optimize(key);
        int count = sel.view().messageCount();
        SearchEvaluator eval = new SearchEvaluator(new SearchContext(count, sel.maxUid(), s.config().zone(),
                s.config().clock().instant()));
        List<StoreMessage> out = new ArrayList<>();
        int[] seqs = new int[16];
        for (int seq = 1; seq <= count; seq++) {
            Optional<StoreMessage> m = sel.message(seq, sel.view().uid(seq));
            if (m.isEmpty()) {
                continue;
            }
            try {
                if (!(k instanceof SearchKey.All) && !eval.matches(k, seq, m.get())) {
                    continue;
                }
                m.get().envelope(); // read now: expunged meanwhile, it matches nothing
            } catch (StoreMessage.ExpungedException e) {
                continue;
            }
            if (out.size() == seqs.length) {
                seqs = java.util.Arrays.copyOf(seqs, seqs.length * 2);
            }
            seqs[out.size()] = seq;
            out.add(m.get());
        }
        return new Hits(out, java.util.Arrays.copyOf(seqs, out.size()));
    }
}
