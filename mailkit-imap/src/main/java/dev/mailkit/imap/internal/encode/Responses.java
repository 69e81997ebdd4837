package dev.mailkit.imap.internal.encode;

import dev.mailkit.imap.internal.command.PartialRange;
import dev.mailkit.imap.internal.command.SearchReturn;
import dev.mailkit.imap.internal.command.SequenceSet;
import dev.mailkit.imap.internal.command.StatusItem;
import dev.mailkit.imap.internal.message.MessageFlags;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The untagged responses of the mailbox commands, written without intermediate strings: SELECT's FLAGS,
 * PERMANENTFLAGS, EXISTS and friends; LIST/LSUB; STATUS; SEARCH and ESEARCH; EXPUNGE. Mailbox names are written
 * as atoms when they can be and quoted otherwise, as Dovecot does. Stateless.
 */
public final class Responses {
    private Responses() {
    }

    /** {@code * FLAGS (\Answered \Flagged \Deleted \Seen \Draft kw...)}. */
    public static void flags(ImapWriter w, List<String> keywords) throws IOException {
        w.ascii("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft");
        for (String k : keywords) {
            w.sp().ascii(k);
        }
        w.write(')').crlf();
    }

    /** {@code * OK [PERMANENTFLAGS (...)]}; read-only mailboxes get an empty list. */
    public static void permanentFlags(ImapWriter w, List<String> keywords, boolean canCreate, boolean readOnly)
            throws IOException {
        if (readOnly) {
            w.ascii("* OK [PERMANENTFLAGS ()] Read-only mailbox").crlf();
            return;
        }
        w.ascii("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft");
        for (String k : keywords) {
            w.sp().ascii(k);
        }
        if (canCreate) {
            w.ascii(" \\*");
        }
        w.ascii(")] Flags permitted").crlf();
    }

    /** {@code * n EXISTS}. */
    public static void exists(ImapWriter w, long n) throws IOException {
        w.ascii("* ").number(n).ascii(" EXISTS").crlf();
    }

    /** {@code * n RECENT}. */
    public static void recent(ImapWriter w, long n) throws IOException {
        w.ascii("* ").number(n).ascii(" RECENT").crlf();
    }

    /** {@code * n EXPUNGE}. */
    public static void expunge(ImapWriter w, long seq) throws IOException {
        w.ascii("* ").number(seq).ascii(" EXPUNGE").crlf();
    }

    /** {@code * OK [CODE n] text}. */
    public static void okCode(ImapWriter w, String code, long n, String text) throws IOException {
        w.ascii("* OK [").ascii(code).sp().number(n).ascii("] ").text(text).crlf();
    }

    /**
     * {@code * LIST (attributes) "/" name} (or LSUB), with optional CHILDINFO extended data.
     *
     * @param childInfo CHILDINFO values (e.g. SUBSCRIBED), empty for none
     */
    public static void list(ImapWriter w, boolean lsub, List<String> attributes, char delimiter, String name,
                            List<String> childInfo) throws IOException {
        w.ascii(lsub ? "* LSUB (" : "* LIST (");
        for (int i = 0; i < attributes.size(); i++) {
            if (i > 0) {
                w.sp();
            }
            w.ascii(attributes.get(i));
        }
        w.ascii(") \"");
        if (delimiter == '"' || delimiter == '\\') {
            w.write('\\');
        }
        w.write(delimiter).ascii("\" ");
        w.mailboxAstring(name);
        if (!childInfo.isEmpty()) {
            w.ascii(" (CHILDINFO (");
            for (int i = 0; i < childInfo.size(); i++) {
                if (i > 0) {
                    w.sp();
                }
                w.quoted(childInfo.get(i));
            }
            w.ascii("))");
        }
        w.crlf();
    }

    /** {@code * STATUS name (ITEM n ...)} in the order asked. */
    public static void status(ImapWriter w, String name, List<StatusItem> items, Map<StatusItem, Long> values)
            throws IOException {
        status(w, name, items, values, null);
    }

    /** {@code * STATUS}, with the MAILBOXID (RFC 8474) if one is given and asked for. */
    public static void status(ImapWriter w, String name, List<StatusItem> items, Map<StatusItem, Long> values,
                              String mailboxId) throws IOException {
        w.ascii("* STATUS ");
        w.mailboxAstring(name);
        w.ascii(" (");
        boolean first = true;
        for (StatusItem i : items) {
            Long v = values.get(i);
            boolean id = i == StatusItem.MAILBOXID && mailboxId != null;
            if (v == null && !id) {
                continue;
            }
            if (!first) {
                w.sp();
            }
            first = false;
            if (id) {
                w.ascii("MAILBOXID (").ascii(mailboxId).write(')');
            } else {
                w.ascii(i.name()).sp().number(v);
            }
        }
        w.write(')').crlf();
    }

    /** {@code * SEARCH n n n} [{@code (MODSEQ m)}], numbers ascending. */
    public static void search(ImapWriter w, long[] hits, int count, long modseq) throws IOException {
        w.ascii("* SEARCH");
        for (int i = 0; i < count; i++) {
            w.sp().number(hits[i]);
        }
        if (modseq > 0 && count > 0) {
            w.ascii(" (MODSEQ ").number(modseq).write(')');
        }
        w.crlf();
    }

    /**
     * {@code * ESEARCH (TAG "t") [UID] MIN n MAX n COUNT n ALL set [MODSEQ m]} (RFC 4731); an empty RETURN () means
     * ALL. Nothing but the tag (and UID) when there are no hits, except COUNT 0.
     */
    public static void esearch(ImapWriter w, String tag, boolean uid, Set<SearchReturn> returns, PartialRange partial,
                               long[] hits, int count, long modseq) throws IOException {
        Set<SearchReturn> r = returns.isEmpty() ? Set.of(SearchReturn.ALL) : returns;
        w.ascii("* ESEARCH (TAG ").quoted(tag).write(')');
        if (uid) {
            w.ascii(" UID");
        }
        if (count > 0 && r.contains(SearchReturn.MIN)) {
            w.ascii(" MIN ").number(hits[0]);
        }
        if (count > 0 && r.contains(SearchReturn.MAX)) {
            w.ascii(" MAX ").number(hits[count - 1]);
        }
        if (count > 0 && r.contains(SearchReturn.ALL)) {
            w.ascii(" ALL ");
            compactSet(w, hits, count);
        }
        if (partial != null) {
            partial(w, partial, hits, count);
        }
        if (r.contains(SearchReturn.COUNT)) {
            w.ascii(" COUNT ").number(count);
        }
        if (modseq > 0 && count > 0) {
            w.ascii(" MODSEQ ").number(modseq);
        }
        w.crlf();
    }

    /**
     * RFC 5267's {@code PARTIAL (first:last set)}: the results at those positions (from 1) in the result's order,
     * ascending runs as ranges, or NIL when there are none there (as Dovecot).
     */
    public static void partial(ImapWriter w, PartialRange range, long[] results, int count) throws IOException {
        w.ascii(" PARTIAL (").ascii(range.toString()).sp();
        int from = (int) Math.min(range.first() - 1, count);
        int to = (int) Math.min(range.last(), count);
        if (from >= to) {
            w.ascii("NIL");
        } else {
            orderedSet(w, results, from, to);
        }
        w.write(')');
    }

    /** {@code r[from..to)} in that order, ascending runs as ranges ({@code 8:9,1,6}). */
    public static void orderedSet(ImapWriter w, long[] r, int from, int to) throws IOException {
        int i = from;
        while (i < to) {
            int j = i;
            while (j + 1 < to && r[j + 1] == r[j] + 1) {
                j++;
            }
            if (i > from) {
                w.write(',');
            }
            w.number(r[i]);
            if (j > i) {
                w.write(':').number(r[j]);
            }
            i = j + 1;
        }
    }

    /** Ascending numbers as a compact sequence set ({@code 1:3,7}). */
    public static void compactSet(ImapWriter w, long[] sorted, int count) throws IOException {
        int i = 0;
        boolean first = true;
        while (i < count) {
            int j = i;
            while (j + 1 < count && sorted[j + 1] == sorted[j] + 1) {
                j++;
            }
            if (!first) {
                w.write(',');
            }
            first = false;
            w.number(sorted[i]);
            if (j > i) {
                w.write(':').number(sorted[j]);
            }
            i = j + 1;
        }
    }

    /** {@code * n FETCH (FLAGS (...) [UID u] [MODSEQ (m)])}: an unsolicited flag update. */
    public static void flagUpdate(ImapWriter w, long seq, MessageFlags flags, long uid, long modseq)
            throws IOException {
        w.ascii("* ").number(seq).ascii(" FETCH (");
        if (uid > 0) {
            w.ascii("UID ").number(uid).sp();
        }
        w.ascii("FLAGS ");
        FetchResponseWriter.flags(w, flags);
        if (modseq > 0) {
            w.ascii(" MODSEQ (").number(modseq).write(')');
        }
        w.write(')').crlf();
    }

    /** A UID set for COPYUID/APPENDUID from UIDs in the order of the source (runs merged). */
    public static String uidList(long[] uids) {
        return SequenceSet.formatList(uids);
    }
}
