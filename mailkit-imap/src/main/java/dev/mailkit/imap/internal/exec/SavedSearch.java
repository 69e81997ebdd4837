package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.SearchKey;
import dev.mailkit.imap.internal.command.SearchReturn;
import dev.mailkit.imap.internal.command.SequenceSet;
import dev.mailkit.imap.internal.session.SelectedMailbox;
import dev.mailkit.store.UidSet;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * SEARCHRES (RFC 5182) for SEARCH: {@code $} among the search keys, and what {@code RETURN (SAVE)} keeps. The saved
 * result lives in the {@link SelectedMailbox} as UIDs; other commands resolve {@code $} there. Stateless.
 */
final class SavedSearch {
    private SavedSearch() {
    }

    /** The key with each {@code $} replaced by the saved result's UIDs still in the snapshot. */
    static SearchKey expand(SearchKey k, SelectedMailbox sel) {
        if (k instanceof SearchKey.Sequence s && s.set().isSaved()) {
            UidSet saved = sel.savedResult();
            if (saved.isEmpty()) {
                return new SearchKey.Not(new SearchKey.All());
            }
            long[] pairs = new long[saved.rangeCount() * 2];
            for (int i = 0; i < saved.rangeCount(); i++) {
                pairs[2 * i] = saved.rangeStart(i);
                pairs[2 * i + 1] = saved.rangeEnd(i);
            }
            return new SearchKey.Sequence(SequenceSet.of(pairs), true);
        }
        if (k instanceof SearchKey.Not n) {
            SearchKey e = expand(n.key(), sel);
            return e == n.key() ? k : new SearchKey.Not(e);
        }
        if (k instanceof SearchKey.Or o) {
            SearchKey a = expand(o.a(), sel);
            SearchKey b = expand(o.b(), sel);
            return a == o.a() && b == o.b() ? k : new SearchKey.Or(a, b);
        }
        if (k instanceof SearchKey.And a) {
            List<SearchKey> keys = new ArrayList<>(a.keys().size());
            boolean changed = false;
            for (SearchKey x : a.keys()) {
                SearchKey e = expand(x, sel);
                changed |= e != x;
                keys.add(e);
            }
            return changed ? new SearchKey.And(keys) : k;
        }
        return k;
    }

    /**
     * Saves the result if the options ask for it (RFC 5182 2.4: with MIN and/or MAX alone only those messages, else
     * all matches) and returns the options the ESEARCH response shows: without SAVE, null for none at all (SAVE was
     * the only option).
     *
     * @param hits the matches in ascending order (UIDs for UID SEARCH, else sequence numbers)
     */
    static Set<SearchReturn> save(SelectedMailbox sel, Set<SearchReturn> returns, boolean uid, long[] hits, int n) {
        if (!returns.contains(SearchReturn.SAVE)) {
            return returns;
        }
        Set<SearchReturn> shown = EnumSet.copyOf(returns);
        shown.remove(SearchReturn.SAVE);
        UidSet.Builder b = UidSet.builder();
        boolean all = shown.isEmpty() || shown.contains(SearchReturn.ALL) || shown.contains(SearchReturn.COUNT);
        for (int i = 0; i < n; i++) {
            if (all || i == 0 && shown.contains(SearchReturn.MIN) || i == n - 1 && shown.contains(SearchReturn.MAX)) {
                b.add(uid ? hits[i] : sel.view().uid((int) hits[i]));
            }
        }
        sel.saveResult(b.build());
        return shown.isEmpty() ? null : shown;
    }
}
