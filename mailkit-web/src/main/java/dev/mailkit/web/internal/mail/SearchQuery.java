package dev.mailkit.web.internal.mail;

import dev.mailkit.store.Flags;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.web.internal.http.HttpException;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Mailpit's search syntax (mailpit.axllent.org/docs/usage/search-filters): words and {@code "quoted phrases"}
 * match the subject, the addresses, the body text and attachment names; {@code from:}, {@code to:}, {@code cc:},
 * {@code bcc:}, {@code addressed:} (to, cc or bcc), {@code reply-to:}, {@code return-path:}, {@code subject:},
 * {@code message-id:}, {@code tag:}, {@code is:read|unread|tagged|untagged} (and mailkit's
 * {@code is:flagged|unflagged}), {@code has:attachment|inline}, {@code before:}/{@code after:} (a date or date and
 * time, in the request's time zone), {@code larger:}/{@code smaller:} (sizes such as {@code 100k}, {@code 2M}); a
 * leading {@code -} or {@code !} negates a term; all terms must match. Matching ignores case. Immutable.
 */
public final class SearchQuery {
    private final List<Term> terms;

    private SearchQuery(List<Term> terms) {
        this.terms = terms;
    }

    /** Whether the query has no terms (everything matches). */
    public boolean isEmpty() {
        return terms.isEmpty();
    }

    /**
     * Parses a query.
     *
     * @throws HttpException 400 for a date or size that cannot be read, or an unknown {@code is:}/{@code has:} value
     */
    public static SearchQuery parse(String query, ZoneId zone) {
        List<Term> terms = new ArrayList<>();
        for (String token : tokens(query == null ? "" : query)) {
            boolean negate = false;
            String t = token;
            if ((t.startsWith("-") || t.startsWith("!")) && t.length() > 1) {
                negate = true;
                t = t.substring(1);
            }
            String key = null;
            String value = t;
            int colon = t.indexOf(':');
            if (colon > 0 && !t.startsWith("\"")) {
                String k = t.substring(0, colon).toLowerCase(Locale.ROOT);
                if (KEYS.contains(k)) {
                    key = k;
                    value = t.substring(colon + 1);
                }
            }
            value = unquote(value).toLowerCase(Locale.ROOT);
            if (value.isEmpty()) {
                continue;
            }
            terms.add(Term.of(key, value, negate, zone));
        }
        terms.sort((a, b) -> Boolean.compare(a.needsFlags, b.needsFlags)); // cheap terms first
        return new SearchQuery(List.copyOf(terms));
    }

    private static final List<String> KEYS = List.of("from", "to", "cc", "bcc", "addressed", "reply-to",
            "return-path", "subject", "message-id", "tag", "is", "has", "before", "after", "larger", "smaller");

    /** Whether a message (with these flags) matches every term. */
    public boolean matches(Digest d, Flags flags) {
        for (Term t : terms) {
            if (t.test(d, flags) == t.negate) {
                return false;
            }
        }
        return true;
    }

    static List<String> tokens(String q) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                cur.append(c);
            } else if (Character.isWhitespace(c) && !quoted) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    private static String unquote(String v) {
        return v.replace("\"", "").trim();
    }

    private abstract static class Term {
        final boolean negate;
        final boolean needsFlags;

        Term(boolean negate, boolean needsFlags) {
            this.negate = negate;
            this.needsFlags = needsFlags;
        }

        abstract boolean test(Digest d, Flags f);

        static Term of(String key, String v, boolean negate, ZoneId zone) {
            if (key == null) {
                int[] bits = new int[Math.max(0, v.length() - 2)];
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = Digest.trigramBit(v.charAt(i), v.charAt(i + 1), v.charAt(i + 2));
                }
                return text(negate, d -> d.mayContain(bits) && d.searchText.contains(v));
            }
            switch (key) {
                case "from": return text(negate, d -> d.fromText.contains(v));
                case "to": return text(negate, d -> d.toText.contains(v));
                case "cc": return text(negate, d -> d.ccText.contains(v));
                case "bcc": return text(negate, d -> d.bccText.contains(v));
                case "addressed": return text(negate, d -> d.toText.contains(v) || d.ccText.contains(v)
                        || d.bccText.contains(v));
                case "reply-to": return text(negate, d -> d.replyToText.contains(v));
                case "return-path": return text(negate, d -> d.returnPathLower.contains(v));
                case "subject": return text(negate, d -> d.subjectLower.contains(v));
                case "message-id":
                    String id = MessageReader.stripAngles(v);
                    return text(negate, d -> d.messageId.equalsIgnoreCase(id));
                case "tag": return flags(negate, (d, f) -> Tags.of(f).stream().anyMatch(t -> t.equalsIgnoreCase(v)));
                case "is": return is(v, negate);
                case "has":
                    if (v.equals("attachment") || v.equals("attachments")) {
                        return text(negate, d -> d.attachments > 0);
                    }
                    if (v.equals("inline")) {
                        return text(negate, d -> d.inline > 0);
                    }
                    throw new HttpException(400, "unknown has: value (attachment, inline)");
                case "before": {
                    long t = time(v, zone);
                    return text(negate, d -> d.internalDate < t);
                }
                case "after": {
                    long t = time(v, zone);
                    return text(negate, d -> d.internalDate >= t);
                }
                case "larger": {
                    long n = size(v);
                    return text(negate, d -> d.size >= n);
                }
                case "smaller": {
                    long n = size(v);
                    return text(negate, d -> d.size < n);
                }
                default:
                    throw new IllegalStateException(key);
            }
        }

        static Term is(String v, boolean negate) {
            switch (v) {
                case "read": case "seen": return flags(negate, (d, f) -> f.contains(SystemFlag.SEEN));
                case "unread": case "unseen": return flags(negate, (d, f) -> !f.contains(SystemFlag.SEEN));
                case "tagged": return flags(negate, (d, f) -> !Tags.of(f).isEmpty());
                case "untagged": return flags(negate, (d, f) -> Tags.of(f).isEmpty());
                case "flagged": case "starred": return flags(negate, (d, f) -> f.contains(SystemFlag.FLAGGED));
                case "unflagged": return flags(negate, (d, f) -> !f.contains(SystemFlag.FLAGGED));
                default: throw new HttpException(400, "unknown is: value (read, unread, tagged, untagged, flagged)");
            }
        }

        static Term text(boolean negate, java.util.function.Predicate<Digest> p) {
            return new Term(negate, false) {
                @Override
                boolean test(Digest d, Flags f) {
                    return p.test(d);
                }
            };
        }

        static Term flags(boolean negate, java.util.function.BiPredicate<Digest, Flags> p) {
            return new Term(negate, true) {
                @Override
                boolean test(Digest d, Flags f) {
                    return f != null && p.test(d, f);
                }
            };
        }
    }

    /** A date ({@code 2024-05-01}), a date and time ({@code 2024-05-01T10:00}, {@code 2024-05-01 10:00}), with or
     * without an offset, as epoch milliseconds. */
    static long time(String v, ZoneId zone) {
        String s = v.trim().replace('/', '-').toUpperCase(Locale.ROOT);
        try {
            if (s.length() <= 10) {
                return LocalDate.parse(s).atStartOfDay(zone).toInstant().toEpochMilli();
            }
            s = s.replace(' ', 'T');
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                return LocalDateTime.parse(s).atZone(zone).toInstant().toEpochMilli();
            }
        } catch (DateTimeParseException e) {
            throw new HttpException(400, "cannot read the date in before:/after: (use 2024-05-01 or 2024-05-01T10:00)");
        }
    }

    static long size(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("k")) {
            mult = 1024;
        } else if (s.endsWith("m")) {
            mult = 1024 * 1024;
        } else if (s.endsWith("g")) {
            mult = 1024L * 1024 * 1024;
        }
        if (mult > 1) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            return (long) (Double.parseDouble(s) * mult);
        } catch (NumberFormatException e) {
            throw new HttpException(400, "cannot read the size in larger:/smaller: (use 100k, 2M)");
        }
    }
}
