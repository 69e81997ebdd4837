package dev.mailkit.imap.internal.protocol;

import dev.mailkit.imap.internal.command.SearchKey;
import dev.mailkit.imap.internal.message.MessageFlags;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses SEARCH keys (RFC 3501 6.4.4 and 9, RFC 7162 MODSEQ, RFC 5032 OLDER/YOUNGER), nesting bounded. */
final class SearchParser {
    private final ImapParser p;

    SearchParser(ImapParser p) {
        this.p = p;
    }

    SearchKey key() throws ParseException, IOException {
        int c = p.peek();
        if (c == '(') {
            p.expect('(');
            p.enter();
            List<SearchKey> keys = new ArrayList<>();
            keys.add(key());
            while (p.trySp()) {
                keys.add(key());
            }
            p.expect(')');
            p.leave();
            return keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys);
        }
        if (c >= '0' && c <= '9' || c == '*' || c == '$') {
            return new SearchKey.Sequence(p.sequenceSet(), false);
        }
        String name = p.keyword();
        if (p.rev2() && (name.equals("RECENT") || name.equals("NEW") || name.equals("OLD"))) {
            throw ParseException.bad("SEARCH " + name + " is not part of IMAP4rev2 (RFC 9051 has no \\Recent)");
        }
        switch (name) {
            case "ALL": return new SearchKey.All();
            case "ANSWERED": return flag(MessageFlags.ANSWERED, true);
            case "DELETED": return flag(MessageFlags.DELETED, true);
            case "DRAFT": return flag(MessageFlags.DRAFT, true);
            case "FLAGGED": return flag(MessageFlags.FLAGGED, true);
            case "RECENT": return flag(MessageFlags.RECENT, true);
            case "SEEN": return flag(MessageFlags.SEEN, true);
            case "UNANSWERED": return flag(MessageFlags.ANSWERED, false);
            case "UNDELETED": return flag(MessageFlags.DELETED, false);
            case "UNDRAFT": return flag(MessageFlags.DRAFT, false);
            case "UNFLAGGED": return flag(MessageFlags.FLAGGED, false);
            case "UNSEEN": return flag(MessageFlags.SEEN, false);
            case "OLD": return flag(MessageFlags.RECENT, false);
            case "NEW": return new SearchKey.And(List.of(flag(MessageFlags.RECENT, true),
                    flag(MessageFlags.SEEN, false)));
            case "BCC", "CC", "FROM", "SUBJECT", "TO": {
                p.sp();
                return new SearchKey.Header(name, p.astring());
            }
            case "BODY": {
                p.sp();
                return new SearchKey.Text(true, p.astring());
            }
            case "TEXT": {
                p.sp();
                return new SearchKey.Text(false, p.astring());
            }
            case "HEADER": {
                p.sp();
                String field = p.astring();
                p.sp();
                return new SearchKey.Header(field.toUpperCase(Locale.ROOT), p.astring());
            }
            case "BEFORE": return date(SearchKey.DateField.INTERNAL, SearchKey.DateOp.BEFORE);
            case "ON": return date(SearchKey.DateField.INTERNAL, SearchKey.DateOp.ON);
            case "SINCE": return date(SearchKey.DateField.INTERNAL, SearchKey.DateOp.SINCE);
            case "SENTBEFORE": return date(SearchKey.DateField.SENT, SearchKey.DateOp.BEFORE);
            case "SENTON": return date(SearchKey.DateField.SENT, SearchKey.DateOp.ON);
            case "SENTSINCE": return date(SearchKey.DateField.SENT, SearchKey.DateOp.SINCE);
            case "KEYWORD", "UNKEYWORD": {
                p.sp();
                return new SearchKey.Keyword(p.atom(), name.equals("KEYWORD"));
            }
            case "LARGER", "SMALLER": {
                p.sp();
                return new SearchKey.Size(name.equals("LARGER"), p.number());
            }
            case "UID": {
                p.sp();
                return new SearchKey.Sequence(p.sequenceSet(), true);
            }
            case "NOT": {
                p.sp();
                p.enter();
                SearchKey k = key();
                p.leave();
                return new SearchKey.Not(k);
            }
            case "OR": {
                p.sp();
                p.enter();
                SearchKey a = key();
                p.sp();
                SearchKey b = key();
                p.leave();
                return new SearchKey.Or(a, b);
            }
            case "MODSEQ": return modseq();
            case "OLDER", "YOUNGER": {
                p.sp();
                return new SearchKey.Within(name.equals("OLDER"), p.nzNumber());
            }
            default:
                throw ParseException.bad("unknown search key " + name);
        }
    }

    private static SearchKey flag(int bit, boolean set) {
        return new SearchKey.Flag(bit, set);
    }

    private SearchKey date(SearchKey.DateField field, SearchKey.DateOp op) throws ParseException {
        p.sp();
        return new SearchKey.Date(field, op, p.date());
    }

    /** MODSEQ [entry-name SP entry-type-req] SP mod-sequence-valzer (the entry is accepted and ignored). */
    private SearchKey modseq() throws ParseException, IOException {
        p.sp();
        if (p.peek() == '"') {
            String entry = p.string();
            if (!entry.toLowerCase(Locale.ROOT).startsWith("/flags/")) {
                throw ParseException.bad("invalid MODSEQ entry name " + entry);
            }
            p.sp();
            String type = p.keyword();
            if (!type.equals("PRIV") && !type.equals("SHARED") && !type.equals("ALL")) {
                throw ParseException.bad("invalid MODSEQ entry type " + type);
            }
            p.sp();
        }
        return new SearchKey.ModSeq(p.modSequence());
    }
}
