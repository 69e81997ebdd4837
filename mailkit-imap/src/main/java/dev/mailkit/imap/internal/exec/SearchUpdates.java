package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.SearchKey;
import dev.mailkit.imap.internal.command.SortCriterion;
import dev.mailkit.imap.internal.encode.ImapWriter;
import dev.mailkit.imap.internal.search.SortOrder;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.session.SelectedMailbox;
import dev.mailkit.imap.internal.store.StoreMessage;
import dev.mailkit.store.Expunges;
import dev.mailkit.store.UidSet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * RFC 5267's CONTEXT=SEARCH and CONTEXT=SORT: the searches a client asked to keep up to date with
 * {@code RETURN (UPDATE)}, for the selected mailbox (dropped with it, or by CANCELUPDATE). After each command and
 * while idling the session asks for the changes: each search runs again over the snapshot (the session's own
 * changes count too) and what left or joined its result is written as {@code * ESEARCH (TAG "t") [UID] REMOVEFROM
 * (...) ADDTO (...)}, as Dovecot: unsorted results with position 0, sorted ones as position-and-message pairs applied
 * in turn. Removals are written before EXPUNGE responses (in the numbers the client still has), additions after
 * EXISTS. At most {@link #MAX} at once (Dovecot's limit): beyond that the search is answered with {@code NO
 * [NOUPDATE]}. Results are kept as UIDs. Used by the session's thread only (IDLE updates hold the write lock).
 */
public final class SearchUpdates {
    /** The most searches kept up to date at once per session, as Dovecot. */
    public static final int MAX = 10;

    private static final class Update {
        final String tag;
        final boolean uid;
        final SearchKey key;
        final List<SortCriterion> criteria;
        long[] result;

        Update(String tag, boolean uid, SearchKey key, List<SortCriterion> criteria, long[] result) {
            this.tag = tag;
            this.uid = uid;
            this.key = key;
            this.criteria = criteria;
            this.result = result;
        }
    }

    private final List<Update> updates = new ArrayList<>();

    /** Whether a search with this tag is being kept up to date. */
    public boolean has(String tag) {
        for (Update u : updates) {
            if (u.tag.equals(tag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts keeping a search up to date, or writes {@code * NO [NOUPDATE "tag"]} when {@link #MAX} are kept
     * already (the search itself is still answered, as Dovecot).
     *
     * @param criteria the SORT criteria, null for SEARCH
     * @param results  the result as the client gets it (UIDs or sequence numbers as {@code uid} says), ascending
     *                 for SEARCH, in sort order for SORT; its first {@code n}
     */
    void start(ImapSession s, String tag, boolean uid, SearchKey key, List<SortCriterion> criteria, long[] results,
               int n) throws IOException {
        if (updates.size() >= MAX) {
            s.out().ascii("* NO [NOUPDATE ").quoted(tag).ascii("] Too many searches are kept up to date: "
                    + "CANCELUPDATE one first").crlf();
            return;
        }
        long[] uids = new long[n];
        for (int i = 0; i < n; i++) {
            uids[i] = uid ? results[i] : s.selected().view().uid((int) results[i]);
        }
        updates.add(new Update(tag, uid, key, criteria == null ? null : List.copyOf(criteria), uids));
    }

    /** Stops the updates of the search with this tag; false if there was none. */
    boolean cancel(String tag) {
        for (Iterator<Update> it = updates.iterator(); it.hasNext(); ) {
            if (it.next().tag.equals(tag)) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    /**
     * Before the EXPUNGE responses of a sync: the messages that left each result, numbered as the client still
     * numbers them (the view is already synced; {@code expunged} is what it lost).
     */
    public void reportRemovals(ImapSession s, Expunges expunged) throws IOException {
        if (updates.isEmpty() || expunged.isEmpty()) {
            return;
        }
        for (Update u : updates) {
            long[] now = run(s, u);
            long[] kept = retain(u.result, now);
            if (kept.length != u.result.length) {
                ImapWriter w = head(s, u);
                removals(s, u, u.result, now, expunged, w);
                w.crlf();
                u.result = kept;
            }
        }
    }

    /** After a command or an IDLE sync: what left and what joined each result since it was last reported. */
    public void report(ImapSession s) throws IOException {
        for (Update u : updates) {
            long[] now = run(s, u);
            long[] kept = retain(u.result, now);
            boolean removed = kept.length != u.result.length;
            boolean added = kept.length != now.length;
            if (!removed && !added) {
                continue;
            }
            ImapWriter w = head(s, u);
            if (removed) {
                removals(s, u, u.result, now, Expunges.NONE, w);
            }
            if (added) {
                additions(s, u, kept, now, w);
            }
            w.crlf();
            u.result = now;
        }
    }

    private static ImapWriter head(ImapSession s, Update u) throws IOException {
        ImapWriter w = s.out();
        w.ascii("* ESEARCH (TAG ").quoted(u.tag).write(')');
        if (u.uid) {
            w.ascii(" UID");
        }
        return w;
    }

    /** The search again, over the snapshot as it is now: UIDs, in the result's order. */
    private static long[] run(ImapSession s, Update u) throws IOException {
        SearchRun.Hits hits = SearchRun.run(s, u.key);
        List<StoreMessage> m = hits.messages();
        long[] out = new long[m.size()];
        if (u.criteria == null) {
            for (int i = 0; i < out.length; i++) {
                out[i] = m.get(i).uid();
            }
            return out;
        }
        int[] order;
        try {
            order = SortOrder.order(u.criteria, m);
        } catch (StoreMessage.ExpungedException e) {
            throw new IllegalStateException(e); // envelopes were read by the search: not reached
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = m.get(order[i]).uid();
        }
        return out;
    }

    /** The elements of {@code list} (in its order) that are also in {@code other}. */
    private static long[] retain(long[] list, long[] other) {
        long[] sorted = sorted(other);
        long[] out = new long[list.length];
        int n = 0;
        for (long v : list) {
            if (Arrays.binarySearch(sorted, v) >= 0) {
                out[n++] = v;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static long[] sorted(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        return s;
    }

    private static void removals(ImapSession s, Update u, long[] before, long[] now, Expunges expunged, ImapWriter w)
            throws IOException {
        long[] stay = sorted(now);
        w.ascii(" REMOVEFROM (");
        if (u.criteria == null) {
            UidSet.Builder b = UidSet.builder();
            for (long uid : before) {
                if (Arrays.binarySearch(stay, uid) < 0) {
                    b.add(u.uid ? uid : oldSeq(s.selected(), uid, expunged));
                }
            }
            w.ascii("0 ").ascii(b.build().toString());
        } else {
            int gone = 0;
            for (int i = 0; i < before.length; i++) {
                if (Arrays.binarySearch(stay, before[i]) < 0) {
                    if (gone > 0) {
                        w.sp();
                    }
                    // positions apply in turn: the earlier removals have already shifted this one
                    w.number(i + 1 - gone).sp().number(u.uid ? before[i] : oldSeq(s.selected(), before[i], expunged));
                    gone++;
                }
            }
        }
        w.write(')');
    }

    private static void additions(ImapSession s, Update u, long[] kept, long[] now, ImapWriter w) throws IOException {
        long[] had = sorted(kept);
        w.ascii(" ADDTO (");
        SelectedMailbox sel = s.selected();
        if (u.criteria == null) {
            UidSet.Builder b = UidSet.builder();
            for (long uid : now) {
                if (Arrays.binarySearch(had, uid) < 0) {
                    b.add(u.uid ? uid : sel.view().seq(uid));
                }
            }
            w.ascii("0 ").ascii(b.build().toString());
        } else {
            boolean first = true;
            for (int i = 0; i < now.length; i++) {
                if (Arrays.binarySearch(had, now[i]) < 0) {
                    if (!first) {
                        w.sp();
                    }
                    first = false;
                    // inserted in ascending final position: everything before it is in place already
                    w.number(i + 1).sp().number(u.uid ? now[i] : sel.view().seq(now[i]));
                }
            }
        }
        w.write(')');
    }

    /**
     * The sequence number a message had before the sync that took {@code expunged} away: the snapshot's messages
     * below its UID, plus the expunged ones below it, plus one (new messages all have higher UIDs).
     */
    private static long oldSeq(SelectedMailbox sel, long uid, Expunges expunged) {
        long below = sel.view().seqCeiling(uid) - 1;
        UidSet e = expunged.uids();
        for (int i = 0; i < e.rangeCount() && e.rangeStart(i) < uid; i++) {
            below += Math.min(e.rangeEnd(i), uid - 1) - e.rangeStart(i) + 1;
        }
        return below + 1;
    }
}
