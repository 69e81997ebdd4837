package dev.mailkit.imap.internal.search;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.internal.command.SearchKey;
import dev.mailkit.imap.internal.message.EnvelopeFields;
import dev.mailkit.imap.internal.message.MessageData;
import dev.mailkit.imap.internal.message.MimePart;
import dev.mailkit.store.mime.PartContent;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.search.SearchIndex;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a message matches a SEARCH key (RFC 3501 6.4.4). Keys that need only index data (flags, numbers,
 * sizes, dates, MODSEQ) are decided without touching the message; FROM/TO/CC/BCC/SUBJECT and SENT* use the cached
 * envelope; other HEADER keys read only the header; BODY and TEXT stream the decoded text parts. {@link #optimize}
 * puts the cheap keys of a conjunction first, so expensive ones run only on messages that are still candidates.
 *
 * <p>One evaluator per search; not thread-safe.
 */
public final class SearchEvaluator {
    private final SearchContext ctx;
    /** BODY/TEXT keys a search index answered, with their UIDs; the others are read from the messages. */
    private final Map<SearchKey, UidSet> indexed;

    public SearchEvaluator(SearchContext ctx) {
        this(ctx, Map.of());
    }

    public SearchEvaluator(SearchContext ctx, Map<SearchKey, UidSet> indexed) {
        this.ctx = ctx;
        this.indexed = indexed;
    }

    /**
     * Asks a search index for every BODY and TEXT key of a search (keys it cannot answer are left out: they are read
     * from the messages).
     */
    public static Map<SearchKey, UidSet> askIndex(SearchIndex index, AccountId account, Mailbox mailbox,
                                                  SearchKey key) {
        Map<SearchKey, UidSet> out = new HashMap<>();
        collect(index, account, mailbox, key, out);
        return out;
    }

    private static void collect(SearchIndex index, AccountId account, Mailbox mailbox, SearchKey key,
                                Map<SearchKey, UidSet> out) {
        if (key instanceof SearchKey.Text t && !out.containsKey(t)) {
            index.search(account, mailbox, t.value(), t.bodyOnly()).ifPresent(u -> out.put(t, u));
        } else if (key instanceof SearchKey.Not n) {
            collect(index, account, mailbox, n.key(), out);
        } else if (key instanceof SearchKey.Or o) {
            collect(index, account, mailbox, o.a(), out);
            collect(index, account, mailbox, o.b(), out);
        } else if (key instanceof SearchKey.And a) {
            for (SearchKey k : a.keys()) {
                collect(index, account, mailbox, k, out);
            }
        }
    }

    /** Reorders conjunctions so that cheap keys are tried first (semantics unchanged). */
    public static SearchKey optimize(SearchKey key) {
        if (key instanceof SearchKey.And a) {
            List<SearchKey> keys = new ArrayList<>(a.keys().size());
            for (SearchKey k : a.keys()) {
                keys.add(optimize(k));
            }
            keys.sort(Comparator.comparingInt(SearchEvaluator::cost));
            return new SearchKey.And(keys);
        }
        if (key instanceof SearchKey.Or o) {
            SearchKey x = optimize(o.a());
            SearchKey y = optimize(o.b());
            return cost(y) < cost(x) ? new SearchKey.Or(y, x) : new SearchKey.Or(x, y);
        }
        if (key instanceof SearchKey.Not n) {
            return new SearchKey.Not(optimize(n.key()));
        }
        return key;
    }

    /** 0 index data, 1 envelope, 2 header, 3 body. */
    static int cost(SearchKey key) {
        if (key instanceof SearchKey.Header h) {
            return isEnvelopeField(h.field()) ? 1 : 2;
        }
        if (key instanceof SearchKey.Date d) {
            return d.field() == SearchKey.DateField.SENT ? 1 : 0;
        }
        if (key instanceof SearchKey.ObjectId o) {
            return o.thread() ? 2 : 1;
        }
        if (key instanceof SearchKey.Text) {
            return 3;
        }
        if (key instanceof SearchKey.Not n) {
            return cost(n.key());
        }
        if (key instanceof SearchKey.Or o) {
            return Math.max(cost(o.a()), cost(o.b()));
        }
        if (key instanceof SearchKey.And a) {
            int c = 0;
            for (SearchKey k : a.keys()) {
                c = Math.max(c, cost(k));
            }
            return c;
        }
        return 0;
    }

    private static boolean isEnvelopeField(String field) {
        return switch (field) {
            case "FROM", "TO", "CC", "BCC", "SUBJECT" -> true;
            default -> false;
        };
    }

    /** Whether the message (with this sequence number) matches. */
    public boolean matches(SearchKey key, long seq, MessageData m) throws IOException {
        Lazy lazy = new Lazy(m);
        try {
            return eval(key, seq, m, lazy);
        } finally {
            lazy.close();
        }
    }

    private boolean eval(SearchKey key, long seq, MessageData m, Lazy lazy) throws IOException {
        if (key instanceof SearchKey.All) {
            return true;
        }
        if (key instanceof SearchKey.Flag f) {
            return m.flags().has(f.flag()) == f.set();
        }
        if (key instanceof SearchKey.Keyword k) {
            return m.flags().hasKeyword(k.keyword()) == k.set();
        }
        if (key instanceof SearchKey.Sequence s) {
            return s.uid() ? s.set().contains(m.uid(), ctx.maxUid()) : s.set().contains(seq, ctx.messageCount());
        }
        if (key instanceof SearchKey.Size s) {
            return s.larger() ? m.size() > s.octets() : m.size() < s.octets();
        }
        if (key instanceof SearchKey.ModSeq s) {
            return m.modseq() >= s.modseq();
        }
        if (key instanceof SearchKey.Within w) {
            long age = ctx.now().getEpochSecond() - m.internalDate().getEpochSecond();
            return w.older() ? age >= w.seconds() : age < w.seconds();
        }
        if (key instanceof SearchKey.Date d) {
            LocalDate date = switch (d.field()) {
                case INTERNAL -> m.internalDate().atZone(ctx.zone()).toLocalDate();
                case SENT -> SentDate.parse(m.envelope().date());
                // RFC 8514 4: a message without a save date is searched by its internal date
                case SAVED -> (m.saveDate() != null ? m.saveDate() : m.internalDate()).atZone(ctx.zone()).toLocalDate();
            };
            if (date == null) {
                return false;
            }
            return switch (d.op()) {
                case BEFORE -> date.isBefore(d.date());
                case ON -> date.isEqual(d.date());
                case SINCE -> !date.isBefore(d.date());
            };
        }
        if (key instanceof SearchKey.SaveDateSupported) {
            return m.keepsSaveDates();
        }
        if (key instanceof SearchKey.ObjectId o) {
            return o.id().equals(o.thread() ? m.threadId() : m.emailId());
        }
        if (key instanceof SearchKey.Header h) {
            return header(h, m, lazy);
        }
        if (key instanceof SearchKey.Text t) {
            return text(t, m, lazy);
        }
        if (key instanceof SearchKey.Not n) {
            return !eval(n.key(), seq, m, lazy);
        }
        if (key instanceof SearchKey.Or o) {
            return eval(o.a(), seq, m, lazy) || eval(o.b(), seq, m, lazy);
        }
        if (key instanceof SearchKey.And a) {
            for (SearchKey k : a.keys()) {
                if (!eval(k, seq, m, lazy)) {
                    return false;
                }
            }
            return true;
        }
        throw new IllegalArgumentException("unknown search key " + key);
    }

    private boolean header(SearchKey.Header h, MessageData m, Lazy lazy) throws IOException {
        TextMatcher matcher = new TextMatcher(h.value());
        if (isEnvelopeField(h.field())) {
            EnvelopeFields e = m.envelope();
            String v = switch (h.field()) {
                case "FROM" -> e.from();
                case "TO" -> e.to();
                case "CC" -> e.cc();
                case "BCC" -> e.bcc();
                default -> e.subject();
            };
            if (v == null) {
                return false;
            }
            // addresses as Dovecot searches them: parsed, comments gone ("<a (c)@ (c) b>" is a@b); without a
            // comment the raw value reads the same
            if (h.field().equals("SUBJECT") || v.indexOf('(') < 0) {
                return matcher.find(MessageText.decode(v));
            }
            return matchesAddresses(matcher, v);
        }
        for (PartContent.HeaderField f : lazy.header()) {
            if (f.name().equalsIgnoreCase(h.field()) && matcher.find(MessageText.decode(f.value()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAddresses(TextMatcher matcher, String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (dev.mailkit.imap.internal.encode.AddressParser.Address a
                : dev.mailkit.imap.internal.encode.AddressParser.parse(value)) {
            if (a.name() != null) {
                sb.append(MessageText.decode(a.name())).append(' ');
            }
            if (a.mailbox() != null) {
                sb.append(a.name() != null ? "<" : "").append(a.mailbox());
                if (a.host() != null) {
                    sb.append('@').append(a.host());
                }
                sb.append(a.name() != null ? "> " : " ");
            }
        }
        return matcher.find(sb.toString());
    }

    private boolean text(SearchKey.Text t, MessageData m, Lazy lazy) throws IOException {
        UidSet answer = indexed.get(t);
        if (answer != null) {
            return answer.contains(m.uid());
        }
        TextMatcher matcher = new TextMatcher(t.value());
        if (matcher.isEmpty()) {
            return true;
        }
        if (!t.bodyOnly()) {
            for (PartContent.HeaderField f : lazy.header()) {
                if (matcher.find(f.name()) || matcher.find(MessageText.decode(f.value()))) {
                    return true;
                }
            }
        }
        return MessageText.searchBody(lazy.content(), lazy.structure(), matcher);
    }

    /** What one message's evaluation loads at most once. */
    private static final class Lazy {
        private final MessageData m;
        private MessageSource content;
        private MimePart structure;
        private List<PartContent.HeaderField> header;

        Lazy(MessageData m) {
            this.m = m;
        }

        MessageSource content() throws IOException {
            if (content == null) {
                content = m.content();
            }
            return content;
        }

        MimePart structure() throws IOException {
            if (structure == null) {
                structure = m.structure();
            }
            return structure;
        }

        List<PartContent.HeaderField> header() throws IOException {
            if (header == null) {
                MimePart root = structure();
                header = PartContent.headerFields(content(), root.headerOffset(), root.bodyOffset());
            }
            return header;
        }

        void close() {
            if (content != null) {
                content.close();
            }
        }
    }
}
